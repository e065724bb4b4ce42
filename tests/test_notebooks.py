"""The tutorial notebooks in notebooks/, each run top to bottom by nbclient
with the gostream kernel, as "Run All" does, in a copy of the folder.

GOSTREAM_TEST=1 puts the notebooks in test mode: the generator writes a
fixed, seeded set of files, and every stream is bounded (AvailableNow,
Once, or ProcessAllAvailable then Stop). A cell that errors fails the test,
except cells tagged raises-exception. The checks compare the notebooks'
outputs and files with values computed here from their inputs.
"""

import asyncio
import datetime
import json

import nbformat
import pytest

import tutorial
from tutorial import UTC

# Every notebook and the test that runs it; test_every_notebook_is_tested
# keeps the two in step.
TESTED = {
    "00_generate_clickstream": "test_generate_clickstream",
    "Task_1": "test_task_1",
    "Task_2": "test_task_2_after_task_1 test_task_2_before_task_1",
    "lesson_socket": "test_lesson_socket",
    "lesson_output_modes": "test_lesson_output_modes",
    "lesson_triggers": "test_lesson_triggers",
    "lesson_transformations": "test_lesson_transformations",
    "lesson_joins": "test_lesson_joins",
    "lesson_windows": "test_lesson_windows",
    "lesson_checkpoints": "test_lesson_checkpoints",
    "lesson_kafka": "test_lesson_kafka",
}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A copy of notebooks/ to run in; the kernels inherit GOSTREAM_TEST=1."""
    monkeypatch.setenv("GOSTREAM_TEST", "1")
    return tutorial.copy_notebooks(tmp_path)


def test_every_notebook_is_tested():
    names = {p.stem for p in tutorial.NOTEBOOKS.glob("*.ipynb")}
    assert names == set(TESTED)
    for tests in TESTED.values():
        for t in tests.split():
            assert callable(globals().get(t)), t


@pytest.mark.parametrize("name", sorted(TESTED))
def test_notebook_is_clean(name):
    """Saved without outputs, for the gostream kernel, valid nbformat 4."""
    nb = nbformat.read(tutorial.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "gostream"
    assert nb.metadata.kernelspec.language == "go"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for c in nb.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None, c.source[:60]


# The click-stream tutorial -------------------------------------------------

def test_generate_clickstream(workdir):
    nb = tutorial.run(workdir, "00_generate_clickstream")
    files = sorted((workdir / "data" / "json_files").iterdir())
    assert [f.name for f in files] == [f"clicks_{i:05d}.json" for i in range(24)]
    records = tutorial.json_records(workdir)
    assert len(records) == 24 * 5
    for r in records:
        assert set(r) == {"Analytics", "Sales", "Datetime"}
        assert set(r["Analytics"]) == {"Clicks", "Impressions"}
        assert set(r["Sales"]) == {"Quantity", "Total_Price"}
        datetime.datetime.strptime(r["Datetime"], "%Y-%m-%d %H:%M:%S")
    assert records[0]["Datetime"].startswith("2024-05-01 10:00")
    last = nb.cells[-1].outputs[-1]["text"]
    assert last == "generator stopped: 24 files in data/json_files\n"

    # Seeded: a second run writes the same files.
    before = [f.read_bytes() for f in files]
    tutorial.run(workdir, "00_generate_clickstream")
    assert [f.read_bytes() for f in sorted((workdir / "data" / "json_files").iterdir())] == before


def test_task_1(workdir):
    tutorial.run(workdir, "00_generate_clickstream")
    nb = tutorial.run(workdir, "Task_1")
    want = sorted(tutorial.flat(r) for r in tutorial.json_records(workdir))
    got = sorted(tutorial.csv_rows(workdir))
    assert len(got) == len(want) == 120
    assert got == want
    # one batch per JSON file (maxFilesPerTrigger 1): one part file each
    assert len(list((workdir / "data" / "csv_files").glob("part-*.csv"))) == 24
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "120 rows in data/csv_files" in printed


def check_task_2(workdir, nb):
    """Task 2's Parquet files hold the sums of the windows the watermark
    closed, computed here from the generator's JSON files."""
    want = tutorial.expected_windows(tutorial.json_records(workdir))
    assert len(want) >= 5
    got = tutorial.json_lines(tutorial.stdout(nb, "window-sums"))
    for row in got:
        row["window_start"] = tutorial.parse_datetime(row["window_start"])
        row["window_end"] = tutorial.parse_datetime(row["window_end"])
    assert [(g["window_start"], g["window_end"]) for g in got] == \
        [(w["window_start"], w["window_end"]) for w in want]
    for g, w in zip(got, want):
        assert (g["Clicks"], g["Impressions"], g["Quantity"]) == (w["Clicks"], w["Impressions"], w["Quantity"])
        assert g["Total_Price"] == pytest.approx(w["Total_Price"], abs=1e-6)
    # foreachBatch printed each window once, in the batch that closed it,
    # into the cell that started the query
    printed = [r for rows in tutorial.batches(tutorial.query_output(nb, "task-2-07")).values() for r in rows]
    assert [r["window_start"] for r in printed] == \
        [w["window_start"].strftime("%Y-%m-%d %H:%M:%S") for w in want]
    parquet = workdir / "data" / "parquet_files"
    assert (parquet / "_SUCCESS").exists()
    assert len(list(parquet.glob("part-*.snappy.parquet"))) >= 2, "foreachBatch appends one file per batch"


def test_task_2_after_task_1(workdir):
    tutorial.run(workdir, "00_generate_clickstream")
    tutorial.run(workdir, "Task_1")
    check_task_2(workdir, tutorial.run(workdir, "Task_2"))


def test_task_2_before_task_1(workdir):
    """Task 2 starts first, on an empty folder, and streams Task 1's output
    as Task 1 writes it, in another kernel."""
    tutorial.run(workdir, "00_generate_clickstream")
    task2 = tutorial.client(workdir, "Task_2")
    task1 = tutorial.client(workdir, "Task_1")
    started = workdir / "data" / "checkpoints" / "task_2" / "metadata"

    async def both():
        running = asyncio.ensure_future(task2.async_execute())
        for _ in range(600):
            if started.exists() or running.done():
                break
            await asyncio.sleep(0.05)
        assert started.exists(), "Task 2's query did not start"
        assert not list((workdir / "data" / "csv_files").glob("part-*")), "Task 1 ran first"
        await task1.async_execute()
        await running

    asyncio.run(both())
    check_task_2(workdir, task2.nb)


# Lessons ---------------------------------------------------------------------

def test_lesson_socket(workdir):
    nb = tutorial.run(workdir, "lesson_socket")
    # The default trigger starts a batch as soon as a line is there, so the
    # first two lines come in one batch or two.
    first = tutorial.batches(tutorial.stdout(nb, "first-batch"))
    assert sorted(first) == list(range(len(first)))
    assert [r["value"] for b in sorted(first) for r in first[b]] == ["hello gostream", "a stream is a tab..."]
    assert tutorial.stdout(nb, "second-batch") == f"batch {len(first)}: 1 rows\n"
    words = tutorial.batches(tutorial.stdout(nb, "words"))
    assert [r["word"] for r in words[0]] == "to be or not to be".split()


def test_lesson_output_modes(workdir):
    nb = tutorial.run(workdir, "lesson_output_modes")
    first, second = ["spark", "go", "spark"], ["arrow", "go"]
    append = tutorial.batches(tutorial.stdout(nb, "append"))
    assert [r["word"] for r in append[0]] == first
    assert [r["word"] for r in append[1]] == second

    def counts(rows):
        return {r["word"]: int(r["count"]) for r in rows}

    update = tutorial.batches(tutorial.stdout(nb, "update"))
    assert counts(update[0]) == {"spark": 2, "go": 2, "arrow": 1}
    assert counts(update[1]) == {"spark": 3}, "update mode writes only the changed counts"
    complete = tutorial.batches(tutorial.stdout(nb, "complete"))
    assert counts(complete[0]) == {"spark": 3, "go": 2, "arrow": 1}
    assert counts(complete[1]) == {"spark": 3, "go": 3, "arrow": 1}

    err = [o for o in tutorial.cell(nb, "raises-exception").outputs if o.output_type == "error"]
    assert len(err) == 1 and err[0].ename == "AnalysisException"
    assert "Complete output mode not supported when there are no streaming aggregations " \
           "on streaming DataFrames/Datasets" in err[0].evalue
    assert nb.cells[-1].outputs[0]["text"] == "active queries: 0\n"


@pytest.fixture(scope="module")
def triggers_nb(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOSTREAM_TEST", "1")
        return tutorial.run(tutorial.copy_notebooks(tmp_path_factory.mktemp("triggers")), "lesson_triggers")


def test_lesson_triggers(triggers_nb):
    gaps = [float(line.split()[3]) for line in tutorial.stdout(triggers_nb, "processing-time").splitlines()
            if line.startswith("batch ")]
    assert gaps and all(g == pytest.approx(2.0, abs=0.3) for g in gaps), gaps
    assert tutorial.stdout(triggers_nb, "available-now").endswith("AvailableNow: 3 batches, 9 rows\n")


def test_lesson_triggers_once_ignores_read_limits(triggers_nb):
    # Spark's Once reads everything available in one batch, whatever
    # maxFilesPerTrigger says.
    assert tutorial.stdout(triggers_nb, "once").endswith("Once: 1 batches, 9 rows\n")


def test_lesson_transformations(workdir):
    nb = tutorial.run(workdir, "lesson_transformations")
    lines = ["hi", "hello streams", "ok", "spark in go", "four", "micro batches everywhere"]
    more = ["yes", "a longer line"]

    def want(ls):
        return [{"shout": s.upper(), "len": str(len(s)), "words": str(len(s.split(" ")))}
                for s in ls if len(s) > 4]

    assert tutorial.show_tables(tutorial.stdout(nb, "shouts")) == [want(lines)]
    assert tutorial.show_tables(tutorial.stdout(nb, "shouts-more")) == [want(lines + more)]


def test_lesson_joins(workdir):
    nb = tutorial.run(workdir, "lesson_joins")
    ages = {"alice": 31, "bob": 27, "carol": 45}
    events = [("alice", 10), ("dave", 5), ("bob", 7), ("alice", 3)]

    def rows(tag):
        return tutorial.json_lines(tutorial.stdout(nb, tag))

    inner = sorted((p, n, p, ages[p]) for p, n in events if p in ages)
    assert [(r["player"], r["points"], r["name"], r["age"]) for r in rows("inner")] == inner
    outer = sorted((p, n, p if p in ages else None, ages.get(p)) for p, n in events)
    assert [(r["player"], r["points"], r["name"], r["age"]) for r in rows("left-outer")] == outer

    logins = [("alice", "phone"), ("bob", "laptop"), ("carol", "tablet")]
    purchases = [("carol", "sword"), ("alice", "shield"), ("bob", "potion"), ("alice", "map")]
    pairs = sorted((p, d, b, i) for p, d in logins for b, i in purchases if p == b)
    got = rows("stream-stream")
    assert [(r["login_player"], r["device"], r["buyer"], r["item"]) for r in got] == pairs
    # carol's purchase came in batch 1, her login in batch 2: matched then
    assert "after batch 1: 0 pairs" in tutorial.stdout(nb, "stream-stream")


def test_lesson_windows(workdir):
    nb = tutorial.run(workdir, "lesson_windows")
    records = []
    for f in sorted((workdir / "data" / "lesson_windows" / "activity").glob("*.json")):
        records.extend(json.loads(line) for line in f.read_text().splitlines())
    assert len(records) == 60
    want = tutorial.sliding_sums(
        [(tutorial.parse_datetime(r["timestamp"]), r["activity_count"]) for r in records],
        size_s=86400, slide_s=3600)
    got = tutorial.json_lines(tutorial.stdout(nb, "window-sums"))
    keys = [(tutorial.parse_datetime(g["start"]), tutorial.parse_datetime(g["end"])) for g in got]
    assert keys == sorted(want), "complete mode, ordered by window"
    assert {k: g["total"] for k, g in zip(keys, got)} == want


def test_lesson_checkpoints(workdir):
    nb = tutorial.run(workdir, "lesson_checkpoints")
    assert tutorial.stdout(nb, "first-run") == \
        "batch 0: ids [1 2]\nbatch 1: ids [3 4]\nbatch 2: ids [5]\n"
    assert tutorial.stdout(nb, "rerun") == "batch 2: ids [5]\n", \
        "without commits/2, batch 2 runs again with the same id and input, and only it"
    assert tutorial.stdout(nb, "new-data") == "batch 3: ids [6]\n"
    checkpoint = workdir / "data" / "lesson_checkpoints" / "checkpoint"
    assert sorted(p.name for p in (checkpoint / "commits").iterdir()) == ["0", "1", "2", "3"]


def test_lesson_kafka(workdir):
    nb = tutorial.run(workdir, "lesson_kafka")
    sent = tutorial.json_lines(tutorial.stdout(nb, "produce"))
    got = tutorial.json_lines(tutorial.stdout(nb, "ticks"))
    assert len(sent) == len(got) > 0
    key = lambda r: (r["symbol"], r["time"])
    for s, g in zip(sorted(sent, key=key), sorted(got, key=key)):
        assert (g["symbol"], g["price"], tutorial.parse_datetime(g["time"])) == \
            (s["symbol"], pytest.approx(s["price"]), tutorial.parse_datetime(s["time"]))
