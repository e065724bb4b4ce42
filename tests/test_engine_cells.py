"""The streaming engine driven from notebook cells through the real kernel.

Each test types Go into cells exactly as a user would (spark, F and T are
pre-bound), runs it through jupyter_client, and checks what the cells print
and the files the queries write, with expectations computed here from the
test's own input.
"""

import csv
import json
import os
import pathlib
import time

import pytest

import kernelio
from kernelio import ok, execute

SLOW = 60


def go_str(path):
    return json.dumps(str(path))


def write_json_files(folder, batches):
    """Write each batch of records as one JSON-lines file, written to a
    hidden name and renamed, as a well-behaved producer does."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i, records in enumerate(batches):
        name = f"clicks-{len(list(folder.iterdir())):04d}-{i}.json"
        tmp = folder / ("." + name)
        tmp.write_text("".join(json.dumps(r) + "\n" for r in records))
        tmp.rename(folder / name)
        names.append(name)
        time.sleep(0.01)  # distinct modification times keep the order
    return names


def clicks(start, n):
    return [{"Analytics": {"Clicks": i, "Impressions": 10 * i},
             "Sales": {"Quantity": i % 3, "Total_Price": i * 1.5},
             "Datetime": f"2024-05-01 10:00:{i % 60:02d}"} for i in range(start, start + n)]


def read_csv_rows(folder):
    rows = []
    for f in sorted(pathlib.Path(folder).glob("part-*.csv")):
        with open(f, newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


SCHEMA_CELL = """
schema := T.StructType(
	T.StructField("Analytics", T.StructType(
		T.StructField("Clicks", T.IntegerType(), true),
		T.StructField("Impressions", T.IntegerType(), true)), true),
	T.StructField("Sales", T.StructType(
		T.StructField("Quantity", T.IntegerType(), true),
		T.StructField("Total_Price", T.DoubleType(), true)), true),
	T.StructField("Datetime", T.StringType(), true),
)
"""


def task1_query(src, out, chk):
    return f"""
df := spark.ReadStream().Schema(schema).Option("maxFilesPerTrigger", 1).Json({go_str(src)})
flat := df.Select("Analytics.*", "Sales.*", "Datetime").
	WithColumn("Datetime", F.ToTimestamp(F.Col("Datetime")))
q := flat.WriteStream().Format("csv").Option("header", true).
	Option("checkpointLocation", {go_str(chk)}).Trigger(AvailableNow()).Start({go_str(out)})
q.AwaitTermination()
fmt.Println(q.LastProgress().BatchID)
"""


def test_task1_json_folder_to_csv_exactly_once_across_restarts(kc, tmp_path):
    src, out, chk = tmp_path / "json", tmp_path / "csv", tmp_path / "chk"
    first = [clicks(0, 5), clicks(5, 5), clicks(10, 5)]
    write_json_files(src, first)
    ok(kc, 'import "fmt"')
    ok(kc, SCHEMA_CELL)
    ex = ok(kc, task1_query(src, out, chk), timeout=SLOW)
    # maxFilesPerTrigger=1: three files, three batches (0, 1, 2).
    assert ex.stream().strip() == "2"

    rows = read_csv_rows(out)
    want = [r for b in first for r in b]
    assert len(rows) == len(want)
    got = sorted((int(r["Clicks"]), int(r["Impressions"]), int(r["Quantity"]),
                  float(r["Total_Price"]), r["Datetime"]) for r in rows)
    assert got == sorted((r["Analytics"]["Clicks"], r["Analytics"]["Impressions"],
                          r["Sales"]["Quantity"], r["Sales"]["Total_Price"],
                          r["Datetime"].replace(" ", "T") + ".000Z") for r in want)

    # New files after a restart from the checkpoint: only they are added.
    write_json_files(src, [clicks(15, 4)])
    ex = ok(kc, task1_query(src, out, chk).replace(":=", "="), timeout=SLOW)
    assert ex.stream().strip() == "3"
    rows = read_csv_rows(out)
    assert sorted(int(r["Clicks"]) for r in rows) == list(range(19))


def test_deleting_the_last_commit_reruns_that_batch_without_duplicates(kc, tmp_path):
    src, out, chk = tmp_path / "json", tmp_path / "csv", tmp_path / "chk"
    write_json_files(src, [clicks(0, 3), clicks(3, 3)])
    ok(kc, 'import "fmt"')
    ok(kc, SCHEMA_CELL)
    ok(kc, task1_query(src, out, chk), timeout=SLOW)
    assert sorted(os.listdir(chk / "commits")) == ["0", "1"]
    (chk / "commits" / "1").unlink()

    ex = ok(kc, task1_query(src, out, chk).replace(":=", "="), timeout=SLOW)
    # Batch 1 ran again, with the same id, and the sink skipped its output.
    assert ex.stream().strip() == "1"
    assert sorted(os.listdir(chk / "commits")) == ["0", "1"]
    assert sorted(int(r["Clicks"]) for r in read_csv_rows(out)) == list(range(6))


def test_memory_stream_filter_into_memory_table(kc):
    ok(kc, 'import "fmt"')
    ok(kc, """
people := spark.MemoryStream("name STRING, age INT")
q := people.ToDF().Filter("age > 30").SelectExpr("upper(name) as name", "age + 1 as next").
	WriteStream().Format("memory").QueryName("adults").Start()
people.AddRows([]any{"ann", 31}, []any{"bob", 25}, []any{"cy", 40})
q.ProcessAllAvailable()
people.AddRows([]any{"dee", 33})
q.ProcessAllAvailable()
for _, r := range spark.Table("adults").Collect() {
	fmt.Println(r.Get("name"), r.Get("next"))
}
""", timeout=SLOW)
    ex = ok(kc, 'for _, r := range spark.Table("adults").Collect() { fmt.Println(r.Get("name"), r.Get("next")) }')
    assert sorted(ex.stream().split("\n")[:-1]) == ["ANN 32", "CY 41", "DEE 34"]


def test_foreach_batch_runs_a_go_func_written_in_the_cell(kc):
    ok(kc, 'import "fmt"')
    ex = ok(kc, """
events := spark.MemoryStream("id LONG")
seen := []string{}
q := events.ToDF().WriteStream().ForeachBatch(func(df *DataFrame, batchID int64) {
	seen = append(seen, fmt.Sprintf("%d:%d", batchID, df.Count()))
}).Start()
events.AddRows([]any{1}, []any{2})
q.ProcessAllAvailable()
events.AddRows([]any{3})
q.ProcessAllAvailable()
q.Stop()
fmt.Println(seen)
""", timeout=SLOW)
    assert ex.stream().strip() == "[0:2 1:1]"


def test_console_sink_prints_spark_layout_in_the_cell(kc):
    ex = ok(kc, """
words := spark.MemoryStream("word STRING")
q := words.ToDF().Where("length(word) > 4").WriteStream().Format("console").Start()
words.AddRows([]any{"stream"}, []any{"go"}, []any{"notebook"})
q.ProcessAllAvailable()
q.Stop()
""", timeout=SLOW)
    assert ex.stream() == (
        "-------------------------------------------\n"
        "Batch: 0\n"
        "-------------------------------------------\n"
        "+--------+\n"
        "|    word|\n"
        "+--------+\n"
        "|  stream|\n"
        "|notebook|\n"
        "+--------+\n"
        "\n")


def test_socket_source_reads_lines_from_a_server_in_the_notebook(kc):
    ok(kc, 'import ("fmt"; "net")')
    ok(kc, """
ln, _ := net.Listen("tcp", "127.0.0.1:0")
go func() {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	fmt.Fprint(c, "hello world\\nstreaming in go\\n")
}()
port := ln.Addr().(*net.TCPAddr).Port
""")
    ex = ok(kc, """
lines := spark.ReadStream().Format("socket").Option("host", "127.0.0.1").Option("port", port).Load()
q := lines.WriteStream().Format("memory").QueryName("lines").Start()
for i := 0; i < 100 && spark.Table("lines").Count() < 2; i++ {
	q.ProcessAllAvailable()
}
q.Stop()
for _, r := range spark.Table("lines").Collect() { fmt.Println(r.Get("value")) }
""", timeout=SLOW)
    assert ex.stream() == "hello world\nstreaming in go\n"


def test_rate_source_counts_from_zero(kc):
    ok(kc, 'import ("fmt"; "time")')
    ex = ok(kc, """
rate := spark.ReadStream().Format("rate").Option("rowsPerSecond", 200).Load()
q := rate.WriteStream().Format("memory").QueryName("ticks").Start()
time.Sleep(1500 * time.Millisecond)
q.Stop()
rows := spark.Table("ticks").Collect()
ok := len(rows) > 0
for i, r := range rows {
	if r.Get("value").(int64) != int64(i) { ok = false }
}
fmt.Println(ok, len(rows) > 100)
""", timeout=SLOW)
    assert ex.stream().strip() == "true true"


def test_trigger_once_runs_one_batch_and_stops(kc):
    ok(kc, 'import "fmt"')
    ex = ok(kc, """
nums := spark.MemoryStream("n INT")
nums.AddRows([]any{1}, []any{2}, []any{3})
q := nums.ToDF().WriteStream().Format("memory").QueryName("once").Trigger(Once()).Start()
q.AwaitTermination()
fmt.Println(q.IsActive(), len(q.RecentProgress()), spark.Table("once").Count())
""", timeout=SLOW)
    assert ex.stream().strip() == "false 1 3"


def test_processing_time_trigger_starts_batches_on_interval_boundaries(kc):
    # The rate source adds rowsPerSecond rows per whole second since it
    # started (as Spark's does), so a 500 ms trigger finds new data every
    # other interval and a batch runs only then.
    ok(kc, 'import ("fmt"; "time")')
    ex = ok(kc, """
rate := spark.ReadStream().Format("rate").Option("rowsPerSecond", 50).Load()
q := rate.WriteStream().Format("memory").QueryName("paced").Trigger(ProcessingTime("500 milliseconds")).Start()
time.Sleep(3300 * time.Millisecond)
q.Stop()
for _, p := range q.RecentProgress() { fmt.Println(p.Timestamp, p.NumInputRows) }
""", timeout=SLOW)
    lines = ex.stream().split("\n")[:-1]
    assert 2 <= len(lines) <= 4, lines
    for line in lines:
        stamp, rows = line.split()
        # A batch starts when its trigger fires: on a 500 ms boundary, give
        # or take the scheduler's delay.
        off = int(stamp[-4:-1]) % 500
        assert min(off, 500 - off) <= 50, f"batch far from a 500 ms boundary: {stamp}"
        assert int(rows) % 50 == 0


@pytest.mark.parametrize("code,ename,words", [
    # A streaming file source needs a schema.
    ('spark.ReadStream().Json("/tmp")', None,
     "Schema must be specified when creating a streaming source DataFrame."),
    # An unknown column names the columns that exist.
    ('spark.MemoryStream("a INT, b STRING").ToDF().Select("c")', "AnalysisException",
     "Did you mean one of the following? [`a`, `b`]"),
    # A batch action on a stream.
    ('spark.MemoryStream("a INT").ToDF().Count()', "AnalysisException",
     "Queries with streaming sources must be executed with writeStream.start()"),
    # Complete mode needs an aggregation.
    ('spark.MemoryStream("a INT").ToDF().WriteStream().OutputMode("complete").Format("console").Start()',
     "AnalysisException",
     "Complete output mode not supported when there are no streaming aggregations"),
    # A SQL expression that does not parse says where.
    ('spark.MemoryStream("a INT").ToDF().Filter("a >")', "ParseException", "PARSE_SYNTAX_ERROR"),
    # A bad option value.
    ('spark.ReadStream().Schema("a INT").Option("maxFilesPerTrigger", "abc").Json("/tmp").WriteStream().Format("console").Start()',
     None, "maxFilesPerTrigger"),
])
def test_engine_errors_surface_in_the_cell_with_position(kc, code, ename, words):
    ex = execute(kc, code)
    assert ex.content["status"] == "error"
    err = ex.error()
    if ename:
        assert err["ename"] == ename
    assert words in err["evalue"]
    # The traceback points at the cell and line that made the call.
    assert any("cell1:1:" in line for line in err["traceback"]), err["traceback"]


def test_an_error_deep_in_a_cell_points_at_the_call_on_its_line(kc):
    # A function from an earlier cell raises from an engine call; the cell
    # calling it does so on line 4 of 5, inside an argument list.
    helper = """import "fmt"
func rows(path string) int64 {
	fmt.Println("reading", path)
	return spark.Read().Parquet(path).Count()
}"""
    ok(kc, helper)
    cell = """n := 1
fmt.Println(n)
m := n + 1
fmt.Println(m, rows("/nonexistent/dir"))
fmt.Println("not reached")"""
    ex = execute(kc, cell)
    assert ex.content["status"] == "error"
    err = ex.error()
    assert "PATH_NOT_FOUND" in err["evalue"]
    tb = err["traceback"]
    frames = [line.strip() for line in tb if line.startswith("  cell")]
    helper_line = helper.split("\n")[3]
    cell_line = cell.split("\n")[3]
    assert frames == [
        f"cell1:4:{helper_line.index('Parquet(') + 1} in main.rows",
        f"cell2:4:{cell_line.index('rows(') + 1} in main",
    ], tb
    # Each frame shows its source line with carets under the call.
    at = tb.index("  " + frames[1])
    assert tb[at + 1] == "    " + cell_line
    carets = tb[at + 2][4:]
    assert carets.index("^") == cell_line.index("rows(")
    assert carets.strip() == "^" * len('rows("/nonexistent/dir")')
    assert "not reached" not in ex.stream()


def test_interrupting_await_termination_leaves_the_query_running(kc, km):
    ok(kc, """
rate := spark.ReadStream().Format("rate").Option("rowsPerSecond", 10).Load()
q := rate.WriteStream().Format("memory").QueryName("forever").Start()
""")
    msg_id = kc.execute("q.AwaitTermination()")
    time.sleep(0.5)
    km.interrupt_kernel()
    iopub = kernelio.iopub_until_idle(kc, msg_id)
    errors = [m for m in iopub if m["msg_type"] == "error"]
    assert errors and errors[0]["content"]["ename"] == "KeyboardInterrupt"
    note = "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream")
    assert "keeps running" in note
    ex = ok(kc, "q.IsActive()")
    assert kernelio.plain(ex.result()) == "true"
    ok(kc, "q.Stop()")


def test_parquet_written_in_one_cell_reads_back_without_a_schema(kc, tmp_path):
    # spark.Read().Parquet(path) takes the schema from the files' footers,
    # as Spark does; like Spark it makes every column nullable.
    out = tmp_path / "people"
    people = [("ann", 34, 1.5), ("bob", 27, None), ("cy", 41, 3.25)]
    rows = ", ".join("{%s, %d, %s}" % (json.dumps(n), a, "nil" if s is None else repr(s))
                     for n, a, s in people)
    ok(kc, 'import "fmt"')
    ex = ok(kc, f"""
people := spark.CreateDataFrame([][]any{{{rows}}}, "name STRING, age INT, score DOUBLE").
	SelectExpr("name", "age", "score", "named_struct('first', upper(name), 'tags', array(name, 'x')) AS info")
people.Write().Parquet({go_str(out)})
people.PrintSchema()
""")
    written = ex.stream()
    assert any(f.suffix == ".parquet" for f in out.iterdir())

    ex = ok(kc, f"""
back := spark.Read().Parquet({go_str(out)})
fmt.Println(back.Count())
back.PrintSchema()
for _, r := range back.OrderBy("name").Collect() {{
	fmt.Println(r.Get("name"), r.Get("age"), r.Get("score"))
}}
""")
    lines = ex.stream().split("\n")
    assert lines[0] == str(len(people))
    schema_lines = written.count("\n")
    read_schema = "\n".join(lines[1:1 + schema_lines]) + "\n"
    assert read_schema == written.replace("nullable = false", "nullable = true") \
        .replace("containsNull = false", "containsNull = true")
    assert "|-- info: struct (nullable = true)" in read_schema
    got = lines[1 + schema_lines:-1]
    assert got == [f"{n} {a} {'<nil>' if s is None else s}" for n, a, s in sorted(people)]
