package notebook

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/display"
	F "github.com/gostream/gostream/engine/functions"
)

// chip is a compiled type with display methods, as a library type would be.
type chip string

func (c chip) HTML() string { return "<b>" + string(c) + "</b>" }

func TestDisplayShowsValues(t *testing.T) {
	nb := newNotebook(t)
	df := nb.spark.CreateDataFrame([][]any{{1, "a"}, {2, nil}, {3, "c"}}, "id INT, v STRING")
	recs := df.ToArrow()
	defer release(recs)
	tests := []struct {
		name     string
		value    any
		opts     DisplayOptions
		wantText string // substring of text/plain
		wantHTML string // substring of text/html, "" for none
		wantRows int    // rows in the data resource, -1 for none
	}{
		{"batch DataFrame", df, DisplayOptions{}, "|  2|null|", `v<span class="gs-type">string</span>`, 3},
		{"first rows only", df, DisplayOptions{MaxRows: 2}, "only showing top 2 rows", "more rows were not fetched", 2},
		{"arrow record", recs[0], DisplayOptions{}, "|  3|   c|", "3 rows", 3},
		{"arrow records", recs, DisplayOptions{MaxRows: 1}, "only showing top 1 row", "showing the first 1 of 3 rows", 1},
		{"MIME bundle", map[string]any{"text/plain": "plain", "text/html": "<p>rich</p>"}, DisplayOptions{}, "plain", "<p>rich</p>", -1},
		{"string", "just text", DisplayOptions{}, "just text", "", -1},
		{"value with an HTML method", chip("go"), DisplayOptions{}, "go", "<b>go</b>", -1},
		{"nil", nil, DisplayOptions{}, "nil", "", -1},
		{"nil DataFrame", (*DataFrame)(nil), DisplayOptions{}, "nil", "", -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cell := nb.must("Display(x)", func() { nb.spark.display(tc.value, tc.opts) })
			ds := nb.fe.displays(cell)
			if len(ds) != 1 {
				t.Fatalf("got %d displays, want 1", len(ds))
			}
			b := ds[0].data
			if ds[0].id != "" {
				t.Errorf("a static display got display id %q", ds[0].id)
			}
			if got, _ := b[display.MIMEText].(string); !strings.Contains(got, tc.wantText) {
				t.Errorf("text/plain = %q, want it to contain %q", got, tc.wantText)
			}
			if got, _ := b[display.MIMEHTML].(string); !strings.Contains(got, tc.wantHTML) || (tc.wantHTML == "") != (got == "") {
				t.Errorf("text/html = %q, want it to contain %q", got, tc.wantHTML)
			}
			if tc.wantRows >= 0 {
				if got := len(resourceRows(t, b)); got != tc.wantRows {
					t.Errorf("data resource has %d rows, want %d", got, tc.wantRows)
				}
			}
		})
	}
}

func TestDataFrameValueShowsTable(t *testing.T) {
	nb := newNotebook(t)
	bad := filepath.Join(t.TempDir(), "bad")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "x.json"), []byte("{\"a\": 1}\n{not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		df        func() *DataFrame
		wantMIME  []string
		wantText  string
		wantRows  []string
		wantTotal any
	}{
		{"rows", func() *DataFrame {
			return nb.spark.CreateDataFrame([][]any{{"x", 1.5}, {"y", nil}}, "k STRING, v DOUBLE")
		}, []string{display.MIMEDataResource, display.MIMEHTML, display.MIMEText}, "|  x| 1.5|",
			[]string{"k=x v=1.5", "k=y v=<nil>"}, 2.0},
		{"empty", func() *DataFrame { return nb.spark.CreateDataFrame([][]any{}, "k STRING") },
			[]string{display.MIMEDataResource, display.MIMEHTML, display.MIMEText}, "+---+\n|  k|\n+---+\n+---+", nil, 0.0},
		{"failing read shows the error", func() *DataFrame {
			return nb.spark.Read().Schema("a INT").Option("mode", "FAILFAST").Json(bad)
		}, []string{display.MIMEHTML, display.MIMEText}, "SparkException", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b map[string]any
			nb.must("df", func() { b = tc.df().MIMEBundle() })
			var got []string
			for k := range b {
				got = append(got, k)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, tc.wantMIME) {
				t.Errorf("MIME types %v, want %v", got, tc.wantMIME)
			}
			if text, _ := b[display.MIMEText].(string); !strings.Contains(text, tc.wantText) {
				t.Errorf("text/plain = %q, want it to contain %q", text, tc.wantText)
			}
			if raw, ok := b[display.MIMEDataResource]; ok {
				rows := resourceRows(t, display.Bundle(b))
				if got := rowsText(rows, "k", "v"); tc.wantRows != nil && !reflect.DeepEqual(got, tc.wantRows) {
					t.Errorf("rows %v, want %v", got, tc.wantRows)
				}
				var res map[string]any
				_ = json.Unmarshal(raw.(json.RawMessage), &res)
				if res["total_rows"] != tc.wantTotal {
					t.Errorf("total_rows = %v, want %v", res["total_rows"], tc.wantTotal)
				}
			}
		})
	}
}

// TestLiveTableFollowsTheOutputMode shows a stream, feeds it in later
// cells and stops it: the table in the first cell must end equal to the
// query's table, as the mode leaves it.
func TestLiveTableFollowsTheOutputMode(t *testing.T) {
	tests := []struct {
		name     string
		opts     DisplayOptions
		query    func(*DataFrame) *DataFrame // nil: the stream itself
		batches  [][][]any
		want     []string // rows of the last state, in display order (sorted for complete)
		wantNote string
	}{
		{"complete replaces", DisplayOptions{Name: "counts"},
			func(d *DataFrame) *DataFrame { return d.GroupBy("k").Agg(F.Sum("v").Alias("v")) },
			[][][]any{{{"a", 1}, {"b", 2}}, {{"a", 3}}},
			[]string{"k=a v=4", "k=b v=2"}, ""},
		{"append grows", DisplayOptions{Name: "grows"}, nil,
			[][][]any{{{"a", 1}, {"b", 2}}, {{"a", 3}}},
			[]string{"k=a v=1", "k=b v=2", "k=a v=3"}, ""},
		{"append shows the last rows", DisplayOptions{Name: "tail", MaxRows: 2}, nil,
			[][][]any{{{"a", 1}, {"b", 2}}, {{"c", 3}}},
			[]string{"k=b v=2", "k=c v=3"}, "showing the last 2 of 3 rows"},
		{"update upserts by key", DisplayOptions{Name: "upserts", Mode: "update", Key: []string{"k"}}, nil,
			[][][]any{{{"a", 1}, {"b", 2}}, {{"a", 3}, {"c", 4}}, {{"b", 5}}},
			[]string{"k=a v=3", "k=b v=5", "k=c v=4"}, ""},
		{"update of an aggregation upserts by its grouping keys", DisplayOptions{Name: "grouped", Mode: "update"},
			func(d *DataFrame) *DataFrame { return d.GroupBy("k").Agg(F.Sum("v").Alias("v")) },
			[][][]any{{{"a", 1}, {"b", 2}}, {{"a", 3}}},
			[]string{"k=a v=4", "k=b v=2"}, ""},
		{"update without a key adds every row", DisplayOptions{Name: "adds", Mode: "update"}, nil,
			[][][]any{{{"a", 1}}, {{"a", 2}}},
			[]string{"k=a v=1", "k=a v=2"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nb := newNotebook(t)
			var ms *MemoryStream
			start := nb.must("Display(sdf)", func() {
				ms = nb.spark.MemoryStream("k STRING, v INT")
				sdf := ms.ToDF()
				if tc.query != nil {
					sdf = tc.query(sdf)
				}
				nb.spark.display(sdf, tc.opts)
			})
			q := nb.spark.Streams().ByName(tc.opts.Name)
			if q == nil {
				t.Fatalf("no query named %q", tc.opts.Name)
			}
			for _, rows := range tc.batches {
				nb.must("ms.AddRows(...); q.ProcessAllAvailable()", func() {
					ms.AddRows(rows...)
					q.ProcessAllAvailable()
				})
			}
			live := nb.fe.displays(start)
			if len(live) != 1 || live[0].id == "" {
				t.Fatalf("cell shows %d displays (%+v), want one live table", len(live), live)
			}
			ordered := func(rows []string) []string {
				if tc.query != nil { // a complete table has no order
					sort.Strings(rows)
				}
				return rows
			}
			// Before the stop: the cell that waited shows the last batch.
			if got := ordered(rowsText(resourceRows(t, live[0].data), "k", "v")); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("live table after the last batch shows %v, want %v", got, tc.want)
			}
			nb.must("q.Stop()", func() { q.Stop() })
			final := nb.fe.displays(start)[0]
			got := ordered(rowsText(resourceRows(t, final.data), "k", "v"))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("final table %v, want %v", got, tc.want)
			}
			var table []string
			for _, r := range nb.spark.Table(tc.opts.Name).Collect() {
				table = append(table, "k="+r.Get("k").(string)+" v="+jsonNum(r.Get("v")))
			}
			table = ordered(table)
			if tc.opts.MaxRows > 0 && len(table) > tc.opts.MaxRows {
				table = table[len(table)-tc.opts.MaxRows:] // the rows a tail shows
			}
			if !reflect.DeepEqual(got, table) {
				t.Errorf("final table %v, but spark.Table(%q) holds %v", got, tc.opts.Name, table)
			}
			text := final.data[display.MIMEText].(string)
			lastBatch := len(tc.batches) - 1
			if want := "stopped after batch " + jsonNum(lastBatch); !strings.Contains(text, want) {
				t.Errorf("final caption %q, want it to say %q", strings.SplitN(text, "\n", 2)[0], want)
			}
			if tc.wantNote != "" && !strings.Contains(text, tc.wantNote) {
				t.Errorf("final text lacks the note %q:\n%s", tc.wantNote, text)
			}
			md := final.md["gostream"].(map[string]any)
			if md["state"] != "stopped" || md["batchId"] != int64(lastBatch) {
				t.Errorf("metadata %v, want state stopped at batch %d", md, lastBatch)
			}
		})
	}
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestUpdateModeNeedsAKnownKey(t *testing.T) {
	tests := []struct {
		name      string
		query     func(*DataFrame) *DataFrame
		key       []string
		wantClass string
		wantText  string
	}{
		{"unknown key column", func(d *DataFrame) *DataFrame { return d }, []string{"nope"},
			"AnalysisException", "`nope` cannot be resolved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nb := newNotebook(t)
			_, ex := nb.run("Display(sdf, ...)", func() {
				ms := nb.spark.MemoryStream("k STRING, v INT")
				nb.spark.display(tc.query(ms.ToDF()), DisplayOptions{Mode: "update", Key: tc.key})
			})
			if ex == nil || ex.Class != tc.wantClass || !strings.Contains(ex.Error(), tc.wantText) {
				t.Errorf("raised %v, want %s containing %q", ex, tc.wantClass, tc.wantText)
			}
		})
	}
}

func TestStreamingDataFrameAsValueStartsALiveTable(t *testing.T) {
	nb := newNotebook(t)
	var b map[string]any
	cell := nb.must("sdf", func() {
		ms := nb.spark.MemoryStream("word STRING")
		ms.AddRows([]any{"hello"})
		b = ms.ToDF().MIMEBundle()
	})
	text := b[display.MIMEText].(string)
	if !strings.Contains(text, `query "display_1"`) || !strings.Contains(text, "%stop display_1") {
		t.Errorf("value text %q, want it to name the query and how to stop it", text)
	}
	q := nb.spark.Streams().ByName("display_1")
	nb.must("q.ProcessAllAvailable()", func() { q.ProcessAllAvailable() })
	if got := rowsText(resourceRows(t, nb.fe.displays(cell)[0].data), "word"); !reflect.DeepEqual(got, []string{"word=hello"}) {
		t.Errorf("live table shows %v, want the row added", got)
	}
}

func TestProgressPanelShowsTheFinalBatch(t *testing.T) {
	nb := newNotebook(t)
	var ms *MemoryStream
	var q *StreamingQuery
	nb.must("q := ...Start()", func() {
		ms = nb.spark.MemoryStream("n INT")
		q = ms.ToDF().WriteStream().Format("memory").QueryName("nums").Start()
	})
	panelCell := nb.must("q.Display()", func() { q.Display() })
	for i := 0; i < 3; i++ {
		nb.must("ms.AddRows(...)", func() {
			ms.AddRows([]any{i})
			q.ProcessAllAvailable()
		})
	}
	nb.must("q.Stop()", func() { q.Stop() })
	ds := nb.fe.displays(panelCell)
	if len(ds) != 2 {
		t.Fatalf("panel cell shows %d displays, want the panel and the charts", len(ds))
	}
	var state map[string]any
	if err := json.Unmarshal(ds[0].data[display.MIMEJSON].(json.RawMessage), &state); err != nil {
		t.Fatal(err)
	}
	if state["batchId"] != 2.0 || state["state"] != "stopped" || state["name"] != "nums" {
		t.Errorf("final panel state %v, want query nums stopped at batch 2", state)
	}
	charts := ds[1].data
	for _, mime := range []string{display.MIMEVegaLite, display.MIMESVG, display.MIMEText} {
		if _, ok := charts[mime]; !ok {
			t.Errorf("charts lack %s", mime)
		}
	}
	if _, ok := charts[display.MIMEHTML]; ok {
		t.Errorf("charts have text/html, which JupyterLab would prefer to the Vega-Lite chart")
	}
	if !strings.Contains(charts[display.MIMEText].(string), "last 3 batches (0 to 2)") {
		t.Errorf("charts text %q, want the three batches", charts[display.MIMEText])
	}
}

// TestConsoleOutputStaysInTheStartingCell: batches printed while the
// starting cell runs are its stream output; later ones go into a display in
// that cell, updated by whichever cell runs.
func TestConsoleOutputStaysInTheStartingCell(t *testing.T) {
	nb := newNotebook(t)
	var words *MemoryStream
	var q *StreamingQuery
	start := nb.must("q := ...Format(\"console\").Start()", func() {
		words = nb.spark.MemoryStream("word STRING")
		q = words.ToDF().WriteStream().Format("console").Start()
		words.AddRows([]any{"first"})
		q.ProcessAllAvailable()
	})
	if got := nb.fe.stream(start, "stdout"); !strings.Contains(got, "Batch: 0") || !strings.Contains(got, "first") {
		t.Errorf("starting cell printed %q, want batch 0", got)
	}
	later := nb.must("words.AddRows(...)", func() {
		words.AddRows([]any{"second"})
		q.ProcessAllAvailable()
	})
	if got := nb.fe.outputs(later); len(got) != 0 {
		t.Errorf("the later cell got outputs %+v, want none: the query prints in its own cell", got)
	}
	ds := nb.fe.displays(start)
	if len(ds) != 1 {
		t.Fatalf("starting cell has %d displays, want one for the query's output", len(ds))
	}
	text := ds[0].data[display.MIMEText].(string)
	if !strings.Contains(text, "Batch: 1") || !strings.Contains(text, "second") || strings.Contains(text, "Batch: 0") {
		t.Errorf("query output display shows %q, want batch 1 only (batch 0 was printed as a stream)", text)
	}
	if !strings.Contains(text, "is active: batch 1") {
		t.Errorf("query output display lacks the status line: %q", text)
	}
	if nb.fe.updates[later] == 0 {
		t.Errorf("no update was sent with the running cell's parent; nbclient would miss it")
	}
}

func TestFailedQueryShowsItsErrorInItsCellAndTheListing(t *testing.T) {
	nb := newNotebook(t)
	var nums *MemoryStream
	var q *StreamingQuery
	start := nb.must("q := ...ForeachBatch(...).Start()", func() {
		nums = nb.spark.MemoryStream("n INT")
		q = nums.ToDF().WriteStream().ForeachBatch(func(df *DataFrame, id int64) {
			if id == 1 {
				panic("boom in batch 1")
			}
		}).Start()
		nums.AddRows([]any{1})
		q.ProcessAllAvailable()
	})
	_, ex := nb.run("nums.AddRows(...); q.AwaitTermination()", func() {
		nums.AddRows([]any{2})
		q.AwaitTermination()
	})
	if ex == nil || ex.Class != "StreamingQueryException" {
		t.Fatalf("AwaitTermination raised %v, want StreamingQueryException", ex)
	}
	eventually(t, "the failure in the starting cell", func() bool {
		ds := nb.fe.displays(start)
		return len(ds) == 1 && strings.Contains(ds[0].data[display.MIMEText].(string), "failed:")
	})
	text := nb.fe.displays(start)[0].data[display.MIMEText].(string)
	if !strings.Contains(text, "boom in batch 1") {
		t.Errorf("starting cell shows %q, want the error", text)
	}
	listing := nb.h.Listing()
	var rows []map[string]any
	if err := json.Unmarshal(listing[display.MIMEJSON].(json.RawMessage), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0]["state"] != "failed" || !strings.Contains(rows[0]["error"].(string), "boom in batch 1") {
		t.Errorf("listing %v, want the failed query with its error", rows)
	}
}

func TestRerunningACellReplacesItsQueries(t *testing.T) {
	nb := newNotebook(t)
	var words *MemoryStream
	nb.must("words := ...", func() { words = nb.spark.MemoryStream("word STRING") })
	const code = `q := words.ToDF().WriteStream().Format("memory").QueryName("w").Start()`
	var first, second, other *StreamingQuery
	nb.must(code, func() { first = words.ToDF().WriteStream().Format("memory").QueryName("w").Start() })
	rerun := nb.must(code, func() { second = words.ToDF().WriteStream().Format("memory").QueryName("w").Start() })
	if first.IsActive() || !second.IsActive() {
		t.Errorf("after the re-run: first active %v, second active %v; want only the second", first.IsActive(), second.IsActive())
	}
	if got := nb.fe.stream(rerun, "stdout"); !strings.Contains(got, `stopped query "w" started by an earlier run of this cell (In [2])`) {
		t.Errorf("re-run cell says %q, want it to say it stopped the earlier query", got)
	}
	nb.must("other cell", func() { other = words.ToDF().WriteStream().Format("memory").QueryName("v").Start() })
	if !second.IsActive() || !other.IsActive() {
		t.Errorf("a different cell stopped a query: second %v, other %v", second.IsActive(), other.IsActive())
	}
}

func TestQueryNames(t *testing.T) {
	nb := newNotebook(t)
	var words *MemoryStream
	var first *StreamingQuery
	nb.must("start w", func() {
		words = nb.spark.MemoryStream("word STRING")
		first = words.ToDF().WriteStream().Format("memory").QueryName("w").Start()
	})
	_, ex := nb.run("start w again", func() { words.ToDF().WriteStream().Format("memory").QueryName("w").Start() })
	if ex == nil || !strings.Contains(ex.Error(), "Cannot start query with name w as a query with that name is already active") ||
		!strings.Contains(ex.Error(), "Replace()") {
		t.Errorf("raised %v, want Spark's error with the hint", ex)
	}
	var second *StreamingQuery
	cell := nb.must("replace w", func() {
		second = words.ToDF().WriteStream().Format("memory").QueryName("w").Replace().Start()
	})
	if first.IsActive() || !second.IsActive() || second.Name() != "w" {
		t.Errorf("Replace: first active %v, second active %v named %q", first.IsActive(), second.IsActive(), second.Name())
	}
	if got := nb.fe.stream(cell, "stdout"); !strings.Contains(got, `stopped query "w" to replace it`) {
		t.Errorf("cell says %q", got)
	}
}

func TestStopAndStreamsMagics(t *testing.T) {
	nb := newNotebook(t)
	var a, b *StreamingQuery
	nb.must("start a, b", func() {
		words := nb.spark.MemoryStream("word STRING")
		a = words.ToDF().WriteStream().Format("memory").QueryName("a").Start()
		b = words.ToDF().WriteStream().Format("memory").QueryName("b").Start()
	})
	listCell := nb.must("%streams", func() {
		if _, err := nb.h.StreamsMagic(context.Background(), "", nil); err != nil {
			t.Error(err)
		}
	})
	tests := []struct {
		name      string
		args      string
		wantErr   string
		wantOut   string
		wantA     bool
		wantB     bool
		wantState []string // states in the listing, active first
	}{
		{"unknown name", "c", `no query "c" in this session (named queries: a, b)`, "", true, true, []string{"active", "active"}},
		{"by name", "a", "", `stopped query "a" before its first batch`, false, true, []string{"active", "stopped"}},
		{"already stopped", "a", "", `query "a" is not active`, false, true, []string{"active", "stopped"}},
		{"all", "all", "", `stopped query "b"`, false, false, []string{"stopped", "stopped"}},
		{"nothing left", "all", "", "no active query; nothing to stop", false, false, []string{"stopped", "stopped"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			cell := nb.must("%stop "+tc.args, func() {
				_, err = nb.h.StopMagic(context.Background(), tc.args, cellOutputs{fe: nb.fe, cell: nb.n})
			})
			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
			if got := nb.fe.stream(cell, "stdout"); !strings.Contains(got, tc.wantOut) {
				t.Errorf("printed %q, want %q", got, tc.wantOut)
			}
			if a.IsActive() != tc.wantA || b.IsActive() != tc.wantB {
				t.Errorf("active: a %v b %v, want %v %v", a.IsActive(), b.IsActive(), tc.wantA, tc.wantB)
			}
			var rows []map[string]any
			if err := json.Unmarshal(nb.fe.displays(listCell)[0].data[display.MIMEJSON].(json.RawMessage), &rows); err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, r := range rows {
				states = append(states, r["state"].(string))
			}
			if !reflect.DeepEqual(states, tc.wantState) {
				t.Errorf("live listing shows states %v, want %v", states, tc.wantState)
			}
		})
	}
}

// TestShutdownCommitsTheBatchUnderWay stops a file-sink query fed without
// pause: after Shutdown every batch in the offset log is committed and in
// the sink's manifest.
func TestShutdownCommitsTheBatchUnderWay(t *testing.T) {
	nb := newNotebook(t)
	dir := t.TempDir()
	out, chk := filepath.Join(dir, "out"), filepath.Join(dir, "chk")
	var nums *MemoryStream
	var q *StreamingQuery
	nb.must("start", func() {
		nums = nb.spark.MemoryStream("n INT")
		q = nums.ToDF().WriteStream().Format("json").Option("checkpointLocation", chk).Start(out)
	})
	stop := make(chan struct{})
	fed := make(chan struct{})
	go func() {
		defer close(fed)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_ = nums.m.AddRows([]any{i})
			time.Sleep(time.Millisecond)
		}
	}()
	// Past batch 9, whose manifest entry is a compaction.
	eventually(t, "a dozen batches", func() bool { p := q.LastProgress(); return p != nil && p.BatchID >= 12 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nb.h.Shutdown(ctx)
	close(stop)
	<-fed
	if q.IsActive() {
		t.Fatal("query still active after Shutdown")
	}
	offsets := logEntries(t, filepath.Join(chk, "offsets"))
	commits := logEntries(t, filepath.Join(chk, "commits"))
	manifest := logEntries(t, filepath.Join(out, "_spark_metadata"))
	if len(offsets) == 0 || !reflect.DeepEqual(offsets, commits) {
		t.Errorf("offsets %v, commits %v: every planned batch must be committed", offsets, commits)
	}
	if !reflect.DeepEqual(offsets, manifest) {
		t.Errorf("offsets %v, sink manifest %v", offsets, manifest)
	}
}

// logEntries lists the batch ids of a checkpoint or manifest log, in
// order; a compacted manifest entry (9.compact) counts as its batch.
func logEntries(t *testing.T, dir string) []int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, e := range entries {
		if id, err := strconv.Atoi(strings.TrimSuffix(e.Name(), ".compact")); err == nil {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	return ids
}

// TestLiveDisplaysUnderAFastQuery feeds a query as fast as it runs, with a
// live table, a progress panel and a listing showing it: the displays send
// a few updates a second each, and end on the final state.
func TestLiveDisplaysUnderAFastQuery(t *testing.T) {
	nb := newNotebook(t)
	var nums *MemoryStream
	var q *StreamingQuery
	cell := nb.must("Display(sdf); q.Display(); %streams", func() {
		nums = nb.spark.MemoryStream("n INT")
		nb.spark.display(nums.ToDF(), DisplayOptions{Name: "fast", MaxRows: 5})
		q = nb.spark.Streams().ByName("fast")
		q.Display()
		nb.h.ShowListing()
	})
	waitCell := nb.n + 1
	start := time.Now()
	nb.must("feed", func() {
		for time.Since(start) < 1500*time.Millisecond {
			nums.m.AddRows([]any{1})
			time.Sleep(100 * time.Microsecond)
		}
		q.ProcessAllAvailable()
	})
	elapsed := time.Since(start)
	batches := q.LastProgress().BatchID + 1
	if batches < 100 {
		t.Fatalf("only %d batches in %v: the engine was slowed down", batches, elapsed)
	}
	// Four displays (table, panel, charts, listing), each at most one
	// update per 250 ms plus the flush when the wait returns.
	limit := 4 * (int(elapsed/display.DefaultThrottle) + 2)
	if got := nb.fe.updates[waitCell]; got > limit || got == 0 {
		t.Errorf("%d updates for %d batches in %v, want 1..%d", got, batches, elapsed, limit)
	}
	nb.must("q.Stop()", func() { q.Stop() })
	ds := nb.fe.displays(cell)
	if n := len(resourceRows(t, ds[0].data)); n != 5 {
		t.Errorf("table shows %d rows, want the cap of 5", n)
	}
	var res map[string]any
	_ = json.Unmarshal(ds[0].data[display.MIMEDataResource].(json.RawMessage), &res)
	if res["total_rows"] != float64(nums.NumRows()) {
		t.Errorf("table counts %v rows, want all %d", res["total_rows"], nums.NumRows())
	}
	var state map[string]any
	_ = json.Unmarshal(ds[1].data[display.MIMEJSON].(json.RawMessage), &state)
	if state["batchId"] != float64(q.LastProgress().BatchID) || state["state"] != "stopped" {
		t.Errorf("panel ends at %v %v, want batch %d stopped", state["batchId"], state["state"], q.LastProgress().BatchID)
	}
}

func TestUpsert(t *testing.T) {
	nb := newNotebook(t)
	schema := nb.spark.CreateDataFrame([][]any{}, "k STRING, g INT, v INT").ArrowSchema()
	batch := func(rows ...[]any) arrow.Record {
		recs := nb.spark.CreateDataFrame(rows, "k STRING, g INT, v INT").ToArrow()
		if len(recs) != 1 {
			t.Fatalf("%d records", len(recs))
		}
		return recs[0]
	}
	tests := []struct {
		name    string
		keys    []int
		batches []arrow.Record
		want    string
	}{
		{"one key", []int{0}, []arrow.Record{batch([]any{"a", 1, 1}, []any{"b", 1, 2}), batch([]any{"a", 1, 3})},
			"a 1 3|b 1 2|"},
		{"two keys", []int{0, 1}, []arrow.Record{batch([]any{"a", 1, 1}, []any{"a", 2, 2}), batch([]any{"a", 2, 3}, []any{"b", 1, 4})},
			"a 1 1|a 2 3|b 1 4|"},
		{"null is a key", []int{0}, []arrow.Record{batch([]any{nil, 1, 1}, []any{"", 1, 2}), batch([]any{nil, 1, 3})},
			"<nil> 1 3|1 2|"},
		{"last row of a batch wins", []int{0}, []arrow.Record{batch([]any{"a", 1, 1}, []any{"a", 1, 2})},
			"a 1 2|"},
		{"no keys appends", nil, []arrow.Record{batch([]any{"a", 1, 1}), batch([]any{"a", 1, 2})},
			"a 1 1|a 1 2|"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var table arrow.Record
			for _, b := range tc.batches {
				next, err := upsert(schema, table, []arrow.Record{b}, tc.keys)
				if err != nil {
					t.Fatal(err)
				}
				if table != nil {
					table.Release()
				}
				table = next
			}
			defer table.Release()
			var got strings.Builder
			for _, r := range nb.spark.CreateDataFrame(table, nil).Collect() {
				got.WriteString(strings.TrimSpace(strings.Join([]string{fmtAny(r.Get("k")), fmtAny(r.Get("g")), fmtAny(r.Get("v"))}, " ")) + "|")
			}
			if got.String() != tc.want {
				t.Errorf("table %q, want %q", got.String(), tc.want)
			}
		})
	}
}

func fmtAny(v any) string {
	if v == nil {
		return "<nil>"
	}
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}
