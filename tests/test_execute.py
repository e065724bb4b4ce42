"""execute_request: outputs, results, errors, counters, stdin and volume."""

import re
import time

import pytest

import kernelio
from kernelio import execute, ok, plain


def test_message_order(kc):
    ex = ok(kc, 'import "fmt"\nfmt.Println("hello")\n40 + 2')
    assert ex.types() == ["status", "execute_input", "stream", "execute_result", "status"]
    assert ex.iopub[0]["content"]["execution_state"] == "busy"
    assert ex.iopub[1]["content"]["code"].startswith('import "fmt"')
    assert ex.stream() == "hello\n"
    assert plain(ex.result()) == "42"
    assert ex.result()["execution_count"] == ex.content["execution_count"]


@pytest.mark.parametrize("code,name,want", [
    ('import "fmt"\nfmt.Print("out")', "stdout", "out"),
    ('import "fmt"\nimport "os"\nfmt.Fprint(os.Stderr, "err")', "stderr", "err"),
    ('println("builtin")', "stderr", "builtin\n"),
    ('import "log"\nlog.SetFlags(0)\nlog.Print("logged")', "stderr", "logged\n"),
])
def test_stream(kc, code, name, want):
    ex = ok(kc, code)
    assert ex.stream(name) == want, ex.iopub


@pytest.mark.parametrize("code,want", [
    ("1 + 1", "2"),
    ('"go" + "stream"', '"gostream"'),
    ("3.5 * 2", "7"),
    ("[]int{1, 2, 3}", "[1 2 3]"),
])
def test_execute_result_plain(kc, code, want):
    ex = ok(kc, code)
    assert plain(ex.result()) == want


def test_state_persists_across_cells(kc):
    ok(kc, "x := 20")
    ok(kc, "func twice(v int) int { return 2 * v }")
    ok(kc, "x = twice(x) + 2")
    assert plain(ok(kc, "x").result()) == "42"


def test_statement_has_no_result(kc):
    ex = ok(kc, "y := 5")
    assert ex.of_type("execute_result") == []


@pytest.mark.parametrize("expr", [
    pytest.param('Badge{Name: "go"}', id="composite literal"),
    pytest.param('Badge{Name: "go"}.Self()', id="method call"),
    pytest.param('b := Badge{Name: "go"}\nb', id="variable"),
])
def test_execute_result_html(kc, expr):
    ok(kc, 'type Badge struct{ Name string }\n'
           'func (b Badge) HTML() string { return "<b>" + b.Name + "</b>" }\n'
           'func (b Badge) Self() Badge { return b }')
    res = ok(kc, expr).result()
    assert res["data"]["text/html"] == "<b>go</b>"
    assert res["data"]["text/plain"] == "{go}"


@pytest.mark.parametrize("expr,want", [
    ('Chip("go")', '"go"'),
    ("int64(7)", "7"),
    ('[]byte("hi")', "[104 105]"),
])
def test_conversion_result(kc, expr, want):
    ok(kc, "type Chip string")
    assert plain(ok(kc, expr).result()) == want


def test_compile_error(kc):
    ok(kc, "a := 1")
    ex = execute(kc, "b := a +\n  undefinedName")
    err = ex.error()
    assert ex.content["status"] == "error"
    for key in ("ename", "evalue", "traceback"):
        assert ex.content[key] == err[key]
    assert isinstance(err["traceback"], list) and all(isinstance(t, str) for t in err["traceback"])
    position = re.search(r"cell(\d+):(\d+):(\d+)", err["evalue"] + "\n".join(err["traceback"]))
    assert position, err
    assert position.groups() == (str(ex.content["execution_count"]), "2", "3"), err
    assert "undefinedName" in err["evalue"]
    assert ex.of_type("execute_result") == []


def test_undefined_name(kc):
    ok(kc, "defined := 5")
    ex = execute(kc, "undefinedName")
    assert ex.content["status"] == "error", ex.types()
    assert "undefinedName" in ex.error()["evalue"]


def test_runtime_panic(kc):
    ex = execute(kc, "var s []int\n_ = s[3]")
    err = ex.error()
    assert ex.content["status"] == "error"
    assert "index out of range" in err["evalue"], err
    assert ok(kc, "1 + 1").result()["data"]["text/plain"] == "2"


def test_execution_count(kc):
    first = ok(kc, "1").content["execution_count"]
    assert ok(kc, "2").content["execution_count"] == first + 1

    # Like ipykernel, silent hides the input and the result, not what the
    # code prints.
    silent = execute(kc, "3", silent=True)
    assert silent.content["status"] == "ok"
    assert silent.of_type("execute_input", "execute_result") == [], silent.types()

    hidden = execute(kc, "4", store_history=False)
    assert plain(hidden.result()) == "4"

    failed = execute(kc, 'panic("fail")')
    assert failed.content["status"] == "error"
    assert failed.content["execution_count"] == first + 2

    assert ok(kc, "5").content["execution_count"] == first + 3


@pytest.mark.parametrize("code,prompt", [
    pytest.param('import "fmt"\nname := Input("name? ")\nfmt.Println("hello " + name)', "name? ", id="Input"),
    pytest.param('import "fmt"\nvar name string\nfmt.Scanln(&name)\nfmt.Println("hello " + name)', "", id="fmt.Scanln"),
])
def test_stdin_input(kc, code, prompt):
    msg_id = kc.execute(code, allow_stdin=True)
    req = kc.get_stdin_msg(timeout=kernelio.TIMEOUT)
    assert req["msg_type"] == "input_request"
    assert req["parent_header"]["msg_id"] == msg_id
    assert req["content"]["prompt"] == prompt
    assert req["content"]["password"] is False
    kc.input("gopher")
    iopub = kernelio.iopub_until_idle(kc, msg_id)
    reply = kernelio.reply_to(kc, "shell", msg_id)
    assert reply["content"]["status"] == "ok", reply["content"]
    ex = kernelio.Execution(msg_id, reply, iopub)
    assert ex.stream() == "hello gopher\n"


def test_stdin_not_allowed(kc):
    ex = execute(kc, 'Input("name? ")', allow_stdin=False)
    assert ex.content["status"] == "error"
    assert "allow_stdin" in ex.error()["evalue"]


def test_goroutine_output_goes_to_the_cell_that_started_it(kc):
    first = ok(kc, 'import "fmt"\nimport "time"\n'
                   'go func() { time.Sleep(300 * time.Millisecond); fmt.Println("late") }()')
    assert "late" not in first.stream()
    second_id = kc.execute('time.Sleep(700 * time.Millisecond)\nfmt.Println("second")')
    msgs = kernelio.iopub_all_until_idle(kc, second_id)
    late = [m for m in msgs if m["msg_type"] == "stream" and m["content"]["text"] == "late\n"]
    assert len(late) == 1, [(m["msg_type"], m["content"]) for m in msgs]
    assert late[0]["parent_header"]["msg_id"] == first.msg_id
    second = [m for m in msgs if m["msg_type"] == "stream" and m["content"]["text"] == "second\n"]
    assert len(second) == 1 and second[0]["parent_header"]["msg_id"] == second_id


def test_multi_value_declarations_in_top_level_blocks(kc):
    ok(kc, 'import "fmt"\nimport "strconv"\ntotal := 0\nm := map[string]int{"a": 1}')
    ex = ok(kc, 'for _, s := range []string{"10", "x", "32"} {\n'
                '\tn, err := strconv.Atoi(s)\n'
                '\tif err != nil {\n\t\tfmt.Println("skip", s)\n\t\tcontinue\n\t}\n'
                '\ttotal += n\n'
                '}\n'
                'if v, ok := m["a"]; ok {\n\ttotal += v\n}\n'
                'switch {\ncase total > 0:\n\tq, err := strconv.Atoi("100")\n\tfmt.Println("switch", q+total, err)\n}\n'
                'total')
    assert ex.stream() == "skip x\nswitch 143 <nil>\n", ex.iopub
    assert plain(ex.result()) == "43"
    assert plain(ok(kc, "total").result()) == "43"


def test_ten_thousand_lines_all_arrive(kc):
    ex = ok(kc, 'import "fmt"\nfor i := 0; i < 10000; i++ { fmt.Println(i) }', timeout=60)
    lines = ex.stream().splitlines()
    assert lines == [str(i) for i in range(10000)], f"got {len(lines)} lines"


def test_a_million_lines_do_not_kill_the_kernel(kc, km):
    start = time.monotonic()
    ex = execute(kc, 'import "fmt"\nfor i := 0; i < 1000000; i++ { fmt.Println(i) }', timeout=240)
    assert ex.content["status"] == "ok"
    assert km.is_alive()
    assert ex.stream().startswith("0\n1\n2\n")
    assert plain(ok(kc, "1 + 1").result()) == "2"
    print(f"1e6 lines: {time.monotonic() - start:.1f}s")
