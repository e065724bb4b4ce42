"""Rich and live displays, run by nbclient as `jupyter nbconvert --execute`
does, and session query tracking through jupyter_client.

nbclient reads only the iopub messages of the cell it runs, and applies an
update_display_data to every output with that display id in any cell. So
the final notebook shows a live display as it was last updated while some
cell ran: these tests assert that state against what the queries hold.
"""

import json
import os
import time

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import kernelio
from kernelio import ok, execute, plain

DATA_RESOURCE = "application/vnd.dataresource+json"
VEGA_LITE = "application/vnd.vegalite.v5+json"
SLOW = 60


def notebook(*sources):
    return new_notebook(
        cells=[new_code_cell(s) for s in sources],
        metadata={"kernelspec": {"name": "gostream", "display_name": "Go (gostream)", "language": "go"}},
    )


def run(nb, tmp_path, **kwargs):
    client = NotebookClient(nb, timeout=SLOW, kernel_name="gostream",
                            resources={"metadata": {"path": str(tmp_path)}}, **kwargs)
    client.execute()
    nbformat.validate(nb)
    return nb


def displays(cell):
    return [o for o in cell.outputs if o["output_type"] == "display_data"]


def stdout(cell):
    return "".join(o["text"] for o in cell.outputs if o["output_type"] == "stream" and o["name"] == "stdout")


def rows(bundle):
    return bundle["data"][DATA_RESOURCE]["data"]


def test_batch_dataframe_shows_as_a_table(tmp_path):
    nb = run(notebook(
        'df := spark.CreateDataFrame([][]any{{1, "a<b>"}, {2, nil}}, "id INT, label STRING")\ndf',
        "Display(df, DisplayOptions{MaxRows: 1})",
    ), tmp_path)
    result = nb.cells[0].outputs[0]
    assert result["output_type"] == "execute_result"
    data = result["data"]
    assert data["text/plain"] == (
        "+---+-----+\n"
        "| id|label|\n"
        "+---+-----+\n"
        "|  1| a<b>|\n"
        "|  2| null|\n"
        "+---+-----+\n")
    assert 'id<span class="gs-type">int</span>' in data["text/html"]
    assert "a&lt;b&gt;" in data["text/html"] and "2 rows" in data["text/html"]
    assert data[DATA_RESOURCE]["data"] == [{"id": 1, "label": "a<b>"}, {"id": 2, "label": None}]
    assert [f["type"] for f in data[DATA_RESOURCE]["schema"]["fields"]] == ["integer", "string"]

    shown = displays(nb.cells[1])[0]["data"]
    assert shown[DATA_RESOURCE]["data"] == [{"id": 1, "label": "a<b>"}]
    assert shown["text/plain"].endswith("only showing top 1 row\n")


def test_live_table_ends_equal_to_the_memory_table(tmp_path):
    batches = [[("stream", 1), ("go", 2)], [("notebook", 3)], [("arrow", 4), ("spark", 5)]]
    feed = ['ms.AddRows(%s)\nq.ProcessAllAvailable()' % ", ".join(f'[]any{{"{w}", {n}}}' for w, n in b)
            for b in batches]
    nb = run(notebook(
        'ms := spark.MemoryStream("word STRING, n INT")',
        'Display(ms.ToDF(), DisplayOptions{Name: "words"})',
        'q := spark.Streams().ByName("words")',
        *feed,
        "q.Stop()",
        'import "fmt"\nfor _, r := range spark.Table("words").Collect() { fmt.Println(r.Get("word"), r.Get("n")) }',
    ), tmp_path)
    live = displays(nb.cells[1])
    assert len(live) == 1, nb.cells[1].outputs
    got = [(r["word"], r["n"]) for r in rows(live[0])]
    want = [r for b in batches for r in b]
    assert got == want
    table = [tuple(line.split(" ")) for line in stdout(nb.cells[-1]).splitlines()]
    assert got == [(w, int(n)) for w, n in table], "live table differs from the memory sink's table"
    assert f"stopped after batch {len(batches) - 1}" in live[0]["data"]["text/plain"]
    assert live[0]["metadata"]["gostream"]["state"] == "stopped"
    # Only the starting cell shows the table; later cells only updated it.
    for cell in nb.cells[3:-1]:
        assert displays(cell) == [], cell.outputs


def test_live_aggregate_is_replaced_after_every_batch(tmp_path):
    words = [["go", "spark"], ["go"], ["arrow", "go", "spark"]]
    feed = ['ms.AddRows(%s)\nq.ProcessAllAvailable()' % ", ".join(f'[]any{{"{w}"}}' for w in b) for b in words]
    nb = run(notebook(
        'ms := spark.MemoryStream("word STRING")\n'
        'Display(ms.ToDF().GroupBy("word").Count(), DisplayOptions{Name: "counts"})',
        'q := spark.Streams().ByName("counts")',
        *feed,
        'import "fmt"\nfor _, r := range spark.Table("counts").Collect() { fmt.Println(r.Get("word"), r.Get("count")) }',
    ), tmp_path)
    live = displays(nb.cells[0])[0]
    got = sorted((r["word"], r["count"]) for r in rows(live))
    want = sorted({w: sum(b.count(w) for b in words) for b in words for w in b}.items())
    assert got == want
    table = sorted((w, int(n)) for w, n in (line.split(" ") for line in stdout(nb.cells[-1]).splitlines()))
    assert got == table, "live table differs from the memory sink's table"
    assert "complete mode" in live["data"]["text/plain"] and f"batch {len(words) - 1}" in live["data"]["text/plain"]


def test_streaming_dataframe_as_a_cell_value_is_live(tmp_path):
    nb = run(notebook(
        'ms := spark.MemoryStream("n LONG")\nms.ToDF().SelectExpr("n * 2 as twice")',
        'q := spark.Streams().ByName("display_1")\nms.AddRows([]any{1}, []any{2})\nq.ProcessAllAvailable()',
        "ms.AddRows([]any{3})\nq.ProcessAllAvailable()",
    ), tmp_path)
    live = displays(nb.cells[0])[0]
    assert [r["twice"] for r in rows(live)] == [2, 4, 6]
    assert "batch 1" in live["data"]["text/plain"]
    result = [o for o in nb.cells[0].outputs if o["output_type"] == "execute_result"][0]
    assert '%stop display_1' in result["data"]["text/plain"]


def test_progress_panel_shows_the_final_batch(tmp_path):
    nb = run(notebook(
        'ms := spark.MemoryStream("n INT")\nq := ms.ToDF().WriteStream().Format("memory").QueryName("nums").Start()',
        "q",
        "ms.AddRows([]any{1}, []any{2})\nq.ProcessAllAvailable()",
        "ms.AddRows([]any{3})\nq.ProcessAllAvailable()",
        "ms.AddRows([]any{4})\nq.ProcessAllAvailable()\nq.Stop()",
        'import "fmt"\nfmt.Println(q.LastProgress().BatchID)',
    ), tmp_path)
    panel, charts = displays(nb.cells[1])
    last = int(stdout(nb.cells[-1]))
    state = panel["data"]["application/json"]
    assert last == 2
    assert state["batchId"] == last and state["lastProgress"]["batchId"] == last
    assert state["state"] == "stopped" and state["name"] == "nums"
    assert "batch                 2" in panel["data"]["text/plain"]
    assert "input rate" in panel["data"]["text/html"]
    assert set(charts["data"]) == {VEGA_LITE, "image/svg+xml", "text/plain"}
    spec = charts["data"][VEGA_LITE]
    assert [d["batch"] for d in spec["datasets"]["durations"]] == [0, 1, 2]
    assert charts["data"]["image/svg+xml"].startswith("<svg")


def test_listing_shows_and_stops_queries(tmp_path):
    nb = run(notebook(
        'ms := spark.MemoryStream("n INT")\n'
        'a := ms.ToDF().WriteStream().Format("memory").QueryName("a").Start()\n'
        'b := ms.ToDF().WriteStream().Format("memory").QueryName("b").Start()',
        "%streams",
        "%stop a",
        "Streams()",
        "%stop all",
        "%stop nosuch",
    ), tmp_path, allow_errors=True)

    def states(cell):
        listing = displays(cell)[0]["data"]["application/json"]
        return {q["name"]: q["state"] for q in listing}

    # The %streams listing was live: it shows the end, after %stop all.
    assert states(nb.cells[1]) == {"a": "stopped", "b": "stopped"}
    assert 'stopped query "a"' in stdout(nb.cells[2])
    assert states(nb.cells[3]) == {"a": "stopped", "b": "stopped"}
    result = [o for o in nb.cells[3].outputs if o["output_type"] == "execute_result"][0]
    assert result["data"]["text/plain"].startswith("StreamingQueryManager: 2 queries")
    assert 'stopped query "b"' in stdout(nb.cells[4])
    error = nb.cells[5].outputs[0]
    assert error["output_type"] == "error" and "(named queries: a, b)" in error["evalue"]


def test_console_output_lands_in_the_starting_cell(tmp_path):
    nb = run(notebook(
        'words := spark.MemoryStream("word STRING")\n'
        'q := words.ToDF().WriteStream().Format("console").Start()\n'
        'words.AddRows([]any{"zero"})\nq.ProcessAllAvailable()',
        'words.AddRows([]any{"one"})\nq.ProcessAllAvailable()',
        'words.AddRows([]any{"two"})\nq.ProcessAllAvailable()',
        "q.Stop()",
    ), tmp_path)
    start = nb.cells[0]
    # Batch 0 came while the cell ran: its stream output, as Spark prints it.
    assert "Batch: 0\n" in stdout(start) and "|zero|" in stdout(start)
    later = displays(start)
    assert len(later) == 1
    text = later[0]["data"]["text/plain"]
    assert "Batch: 1\n" in text and "| one|" in text
    assert "Batch: 2\n" in text and "| two|" in text
    assert "Batch: 0" not in text, "batch 0 shown twice"
    assert text.endswith("stopped after batch 2")
    for cell in nb.cells[1:]:
        assert cell.outputs == [], cell.outputs


def test_failed_query_shows_its_error_in_its_cell(tmp_path):
    nb = run(notebook(
        'nums := spark.MemoryStream("n INT")\n'
        'q := nums.ToDF().WriteStream().ForeachBatch(func(df *DataFrame, id int64) {\n'
        '\tif id == 1 {\n\t\tpanic("boom in batch 1")\n\t}\n}).Start()\n'
        'nums.AddRows([]any{1})\nq.ProcessAllAvailable()',
        "nums.AddRows([]any{2})\nq.AwaitTermination()",
        "%streams",
    ), tmp_path, allow_errors=True)
    text = displays(nb.cells[0])[0]["data"]["text/plain"]
    assert "failed: StreamingQueryException" in text and "boom in batch 1" in text
    # The cell that waited raises the query's exception.
    assert "boom in batch 1" in nb.cells[1].outputs[-1]["evalue"]
    listing = displays(nb.cells[2])[0]["data"]["application/json"]
    assert listing[0]["state"] == "failed" and "boom in batch 1" in listing[0]["error"]


def test_rerunning_a_cell_replaces_its_query(kc):
    ok(kc, 'ms := spark.MemoryStream("n INT")')
    start = 'q := ms.ToDF().WriteStream().Format("memory").QueryName("once").Start()'
    ok(kc, start)
    again = ok(kc, start)
    assert 'stopped query "once" started by an earlier run of this cell' in again.stream()
    listing = execute(kc, "%streams").of_type("display_data")[0]["content"]["data"]["application/json"]
    assert sorted(q["state"] for q in listing) == ["active", "stopped"]
    assert plain(ok(kc, "len(spark.Streams().Active())").result()) == "1"


def test_name_collision_follows_spark_unless_replaced(kc):
    ok(kc, 'ms := spark.MemoryStream("n INT")\na := ms.ToDF().WriteStream().Format("memory").QueryName("taken").Start()')
    clash = execute(kc, 'b := ms.ToDF().WriteStream().Format("memory").QueryName("taken").Start()')
    err = clash.error()
    assert "Cannot start query with name taken as a query with that name is already active" in err["evalue"]
    replaced = ok(kc, 'b := ms.ToDF().WriteStream().Format("memory").QueryName("taken").Replace().Start()')
    assert 'stopped query "taken" to replace it' in replaced.stream()
    assert plain(ok(kc, "a.IsActive() || !b.IsActive()").result()) == "false"


def test_interrupted_wait_leaves_the_query_running(kc, km):
    ok(kc, 'ms := spark.MemoryStream("n INT")\nq := ms.ToDF().WriteStream().Format("memory").QueryName("kept").Start()')
    msg_id = kc.execute("q.AwaitTermination()")
    deadline = time.monotonic() + kernelio.TIMEOUT
    while time.monotonic() < deadline:
        m = kc.get_iopub_msg(timeout=kernelio.TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            break
    time.sleep(0.3)
    km.interrupt_kernel()
    iopub = kernelio.iopub_until_idle(kc, msg_id, timeout=10)
    errors = [m["content"] for m in iopub if m["msg_type"] == "error"]
    assert len(errors) == 1 and errors[0]["ename"] == "KeyboardInterrupt"
    said = "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream")
    assert 'query "kept" keeps running: stop it with q.Stop() or %stop kept' in said
    # The query runs on and processes new data.
    assert plain(ok(kc, "q.IsActive()").result()) == "true"
    ok(kc, "ms.AddRows([]any{7})\nq.ProcessAllAvailable()")
    assert plain(ok(kc, 'spark.Table("kept").Count()').result()) == "1"
    assert plain(ok(kc, "q.Stop()\nq.IsActive()").result()) == "false"


def test_shutdown_commits_the_last_batch_of_a_file_sink(km, kc, tmp_path):
    out, chk = tmp_path / "out", tmp_path / "chk"
    ok(kc, f'''
import "time"
nums := spark.MemoryStream("n INT")
q := nums.ToDF().WriteStream().Format("json").Option("checkpointLocation", {json.dumps(str(chk))}).Start({json.dumps(str(out))})
go func() {{
	for i := 0; ; i++ {{
		nums.AddRows([]any{{i}})
		time.Sleep(time.Millisecond)
	}}
}}()
for q.LastProgress() == nil || q.LastProgress().BatchID < 5 {{
	time.Sleep(10 * time.Millisecond)
}}
''', timeout=SLOW)
    km.shutdown_kernel(now=False)
    assert not km.is_alive()

    def ids(folder):
        # Every tenth manifest entry is a compaction: 9.compact, 19.compact ...
        names = (n.removesuffix(".compact") for n in os.listdir(folder))
        return sorted(int(n) for n in names if n.isdigit())

    offsets, commits, manifest = ids(chk / "offsets"), ids(chk / "commits"), ids(out / "_spark_metadata")
    assert len(offsets) >= 6
    assert offsets == commits, "a planned batch was left uncommitted by the shutdown"
    assert manifest == commits
    written = 0
    for f in out.glob("part-*"):
        written += sum(1 for _ in f.open())
    assert written > 0


def test_fast_query_does_not_flood_iopub(kc):
    ok(kc, 'import "time"\nms := spark.MemoryStream("n LONG")\n'
           'Display(ms.ToDF(), DisplayOptions{Name: "fast", MaxRows: 5})\n'
           'q := spark.Streams().ByName("fast")\nq.Display()')
    msg_id = kc.execute('start := time.Now()\nfor time.Since(start) < 2*time.Second {\n'
                        '\tms.AddRows([]any{1})\n}\nq.ProcessAllAvailable()')
    msgs = kernelio.iopub_all_until_idle(kc, msg_id, timeout=SLOW)
    updates = [m for m in msgs if m["msg_type"] == "update_display_data"]
    batches = int(plain(ok(kc, "q.LastProgress().BatchID + 1").result()))
    # Three displays (table, panel, charts) at four updates a second at
    # most, plus the flush when the wait returns.
    assert len(updates) <= 3 * (2 / 0.25 + 2), f"{len(updates)} updates for {batches} batches"
    assert len(updates) >= 3
    assert batches > 200, f"only {batches} batches in 2 s"
    ok(kc, "q.Stop()")
