"""A whole notebook run by nbclient, as `jupyter nbconvert --execute` does."""

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook


def notebook(*sources):
    return new_notebook(
        cells=[new_code_cell(s) for s in sources],
        metadata={"kernelspec": {"name": "gostream", "display_name": "Go (gostream)", "language": "go"}},
    )


def run(nb, tmp_path, **kwargs):
    client = NotebookClient(nb, timeout=60, kernel_name="gostream",
                            resources={"metadata": {"path": str(tmp_path)}}, **kwargs)
    client.execute()
    nbformat.validate(nb)
    return nb


def test_notebook_outputs(tmp_path):
    nb = run(notebook(
        'import "fmt"\nfmt.Println("hello from gostream")',
        "answer := 6 * 7\nanswer",
        'type Chip string\nfunc (c Chip) HTML() string { return "<i>" + string(c) + "</i>" }',
        'chip := Chip("go")\nchip',
        'import "os"\nwd, _ := os.Getwd()\nfmt.Println(wd)',
    ), tmp_path)
    out = [c.outputs for c in nb.cells]
    assert out[0][0]["output_type"] == "stream" and out[0][0]["text"] == "hello from gostream\n"
    assert out[1][0]["output_type"] == "execute_result"
    assert out[1][0]["data"]["text/plain"] == "42"
    assert out[1][0]["execution_count"] == nb.cells[1].execution_count == 2
    assert out[2] == []
    assert out[3][0]["data"]["text/html"] == "<i>go</i>"
    assert out[4][0]["text"] == f"{tmp_path}\n", "kernel did not start in the notebook's folder"
    assert nb.metadata["language_info"]["name"] == "go"


def test_notebook_error_stops_the_run(tmp_path):
    nb = notebook("x := 1", "x + undefinedName", "x + 1")
    with pytest.raises(CellExecutionError) as exc:
        run(nb, tmp_path)
    assert "undefinedName" in str(exc.value)
    assert nb.cells[1].outputs[0]["output_type"] == "error"
    assert nb.cells[2].outputs == []


def test_notebook_allow_errors(tmp_path):
    nb = run(notebook("x := 1", "x + undefinedName", "x + 1"), tmp_path, allow_errors=True)
    assert nb.cells[1].outputs[0]["output_type"] == "error"
    assert nb.cells[2].outputs[0]["data"]["text/plain"] == "2"
