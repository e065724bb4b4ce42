"""Which cell a streaming query belongs to: where its foreachBatch function
prints (fmt, println, log: into the cell that started the query, as its
console output does), and which earlier query re-running a notebook cell
replaces when the front end sends the cell's id (JupyterLab's
execute_request metadata)."""

import time

import kernelio
from kernelio import ok, plain

FOREACH_CELL = (
    'import "fmt"\n'
    'import "log"\n'
    'log.SetFlags(0)\n'
    'nums := spark.MemoryStream("n INT")\n'
    'q := nums.ToDF().WriteStream().ForeachBatch(func(df *DataFrame, id int64) {\n'
    '\tfmt.Println("batch", id, "rows", df.Count())\n'
    '\tprintln("println in batch", id)\n'
    '\tlog.Print("log in batch ", id)\n'
    '}).Start()'
)


def stream_text(msgs):
    """The stream text of msgs joined per (parent msg_id, stream name)."""
    text = {}
    for m in msgs:
        if m["msg_type"] == "stream":
            key = (m["parent_header"].get("msg_id"), m["content"]["name"])
            text[key] = text.get(key, "") + m["content"]["text"]
    return text


def run_and_collect(kc, code, settle=1.0):
    """Run code; return its msg_id and every iopub message (of any parent)
    up to its idle and for settle seconds more: stream text of a finished
    cell is coalesced and may come a moment later."""
    msg_id = kc.execute(code)
    msgs = kernelio.iopub_all_until_idle(kc, msg_id)
    deadline = time.monotonic() + settle
    while (left := deadline - time.monotonic()) > 0:
        msgs += kernelio.drain(kc, "iopub", left)
    reply = kernelio.reply_to(kc, "shell", msg_id)
    assert reply["content"]["status"] == "ok", reply["content"]
    return msg_id, msgs


def display_texts(msgs, display_id):
    """The text/plain of every display_data or update_display_data of
    display_id in msgs, in order."""
    return [m["content"]["data"].get("text/plain", "") for m in msgs
            if m["msg_type"] in ("display_data", "update_display_data")
            and m["content"].get("transient", {}).get("display_id") == display_id]


def test_foreach_batch_prints_into_the_cell_that_started_the_query(kc):
    # While the starting cell runs, what the callback prints is its stream
    # output.
    first_id, msgs = run_and_collect(kc, FOREACH_CELL + '\nnums.AddRows([]any{1})\nq.ProcessAllAvailable()')
    assert stream_text(msgs) == {
        (first_id, "stdout"): "batch 0 rows 1\n",
        (first_id, "stderr"): "println in batch 0\nlog in batch 0\n",
    }
    # The starting cell ends with a display of the query's output.
    shown = [m for m in msgs if m["msg_type"] == "display_data"
             and m["parent_header"].get("msg_id") == first_id]
    assert len(shown) == 1, [(m["msg_type"], m["content"]) for m in msgs]
    display_id = shown[0]["content"]["transient"]["display_id"]

    # A later cell feeds the query: the callback's prints go into the
    # starting cell's display, none into the feeding cell.
    rows = [2, 3, 4]
    feed = 'nums.AddRows(%s)\nq.ProcessAllAvailable()\nfmt.Println("fed")' % ", ".join(
        "[]any{%d}" % r for r in rows)
    second_id, msgs = run_and_collect(kc, feed)
    assert stream_text(msgs) == {(second_id, "stdout"): "fed\n"}, \
        [(m["msg_type"], m["parent_header"].get("msg_id"), m["content"]) for m in msgs]
    texts = display_texts(msgs, display_id)
    assert texts, [(m["msg_type"], m["content"]) for m in msgs]
    assert texts[-1].startswith(f"batch 1 rows {len(rows)}\nprintln in batch 1\nlog in batch 1\n"), texts[-1]

    third_id, msgs = run_and_collect(kc, "nums.AddRows([]any{5})\nq.ProcessAllAvailable()\nq.Stop()")
    assert stream_text(msgs) == {}, stream_text(msgs)
    assert "batch 2 rows 1\n" in display_texts(msgs, display_id)[-1]


def execute_in_cell(kc, code, cell_id):
    """Run code as notebook cell cell_id (JupyterLab sends the id in the
    request's metadata); return the Execution."""
    content = {"code": code, "silent": False, "store_history": True,
               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
    msg = kc.session.msg("execute_request", content, metadata={"cellId": cell_id})
    kc.shell_channel.send(msg)
    msg_id = msg["header"]["msg_id"]
    iopub = kernelio.iopub_until_idle(kc, msg_id)
    reply = kernelio.reply_to(kc, "shell", msg_id)
    ex = kernelio.Execution(msg_id, reply, iopub)
    assert ex.content["status"] == "ok", ex.content
    return ex


def states(kc):
    return plain(ok(kc, "fmt.Sprint(qa.IsActive(), qb.IsActive())").result())


def test_rerun_rule_matches_cells_by_id(kc):
    ok(kc, 'import "fmt"\nms := spark.MemoryStream("n INT")\nvar qa, qb *StreamingQuery')
    start_a = 'qa = ms.ToDF().WriteStream().Format("memory").QueryName("by_id_a").Replace().Start()'
    start_b = 'qb = ms.ToDF().WriteStream().Format("memory").QueryName("by_id_b").Start()'

    execute_in_cell(kc, start_a, "cell-a")
    # Another notebook cell with other code leaves qa running.
    execute_in_cell(kc, start_b, "cell-b")
    assert states(kc) == '"true true"'

    # The same notebook cell, edited, replaces the query it started before.
    edited_b = start_b.replace("by_id_b", "by_id_b2")
    again = execute_in_cell(kc, edited_b, "cell-b")
    assert 'stopped query "by_id_b" started by an earlier run of this cell' in again.stream()
    assert plain(ok(kc, "len(spark.Streams().Active())").result()) == "2"

    # The same code in a different notebook cell is a different cell: no
    # query is stopped by the re-run rule (Replace takes over the name).
    other = execute_in_cell(kc, start_a, "cell-c")
    assert "earlier run of this cell" not in other.stream()
    assert 'stopped query "by_id_a" to replace it' in other.stream()

    # Without ids, cells are known by their code.
    ok(kc, 'qc := ms.ToDF().WriteStream().Format("memory").QueryName("by_code").Start()')
    again = ok(kc, 'qc := ms.ToDF().WriteStream().Format("memory").QueryName("by_code").Start()')
    assert 'stopped query "by_code" started by an earlier run of this cell' in again.stream()
