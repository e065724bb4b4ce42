package engine_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
)

// writeFile writes name in dir atomically, as producers for the file
// source must: under a hidden name, then renamed.
func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func sortedRows(t *testing.T, df *engine.DataFrame) string {
	t.Helper()
	rows, err := df.Collect()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprint(r.Values()...)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestFileSourceToFileSink(t *testing.T) {
	in, out, cp := t.TempDir(), t.TempDir(), t.TempDir()
	s := engine.NewSession()
	defer s.Close()
	start := func() *engine.StreamingQuery {
		df := s.ReadStream().Schema("id INT, name STRING").Json(in).Filter("id > 0")
		q, err := df.WriteStream().Format("csv").Option("header", true).Option("checkpointLocation", cp).Start(out)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	read := func() string {
		return sortedRows(t, s.Read().Schema("id INT, name STRING").Option("header", "true").Csv(out))
	}
	ctx := testCtx(t)
	writeFile(t, in, "a.json", `{"id":1,"name":"x"}`+"\n"+`{"id":-1,"name":"neg"}`+"\n")
	writeFile(t, in, "b.json", `{"id":2,"name":"y"}`+"\n")
	q := start()
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := read(), "1x 2y"; got != want {
		t.Errorf("after batch 0: %q, want %q", got, want)
	}
	q.Stop()

	writeFile(t, in, "c.json", `{"id":3,"name":"z"}`+"\n")
	q = start()
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := read(), "1x 2y 3z"; got != want {
		t.Errorf("after restart: %q, want %q", got, want)
	}
	last := q.LastProgress().BatchID
	q.Stop()

	// The last batch re-runs with the same files; the sink skips it.
	if err := os.Remove(filepath.Join(cp, "commits", fmt.Sprint(last))); err != nil {
		t.Fatal(err)
	}
	q = start()
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	if got := q.LastProgress(); got == nil || got.BatchID != last || got.NumInputRows != 1 {
		t.Errorf("re-run progress = %v, want batch %d with 1 row", got, last)
	}
	if got, want := read(), "1x 2y 3z"; got != want {
		t.Errorf("after re-run: %q, want %q", got, want)
	}
	q.Stop()
}

// TestTriggersAndPerTriggerLimits: AvailableNow honours maxFilesPerTrigger
// and ends when the files present at start are read; Once reads everything
// available in a single batch whatever the limits say, as Spark's does.
func TestTriggersAndPerTriggerLimits(t *testing.T) {
	tests := []struct {
		name    string
		trigger engine.Trigger
		batches int
	}{
		{"available now: one file per batch", engine.AvailableNow(), 3},
		{"once: every file in one batch", engine.Once(), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := t.TempDir()
			for i := 0; i < 3; i++ {
				writeFile(t, in, fmt.Sprintf("f%d.txt", i), fmt.Sprintf("line %d\n", i))
			}
			s := engine.NewSession()
			defer s.Close()
			q, err := s.ReadStream().Option("maxFilesPerTrigger", 1).Text(in).
				WriteStream().Format("memory").QueryName("lines").Trigger(tc.trigger).Start()
			if err != nil {
				t.Fatal(err)
			}
			if err := q.AwaitTermination(testCtx(t)); err != nil {
				t.Fatal(err)
			}
			if got := len(q.RecentProgress()); got != tc.batches {
				t.Errorf("batches = %d, want %d", got, tc.batches)
			}
			if got, want := sortedRows(t, s.Table("lines")), "line 0 line 1 line 2"; got != want {
				t.Errorf("rows = %q, want %q", got, want)
			}
		})
	}
}

func TestStreamingSourceErrors(t *testing.T) {
	s := engine.NewSession()
	tests := []struct {
		name string
		df   *engine.DataFrame
		want string
	}{
		{"json without schema", s.ReadStream().Format("json").Load(t.TempDir()),
			"readStream.load: Schema must be specified when creating a streaming source DataFrame."},
		{"rate with a schema", s.ReadStream().Format("rate").Schema("v BIGINT").Load(),
			"readStream.load: The rate source does not support a user-specified schema."},
		{"bad rowsPerSecond", s.ReadStream().Format("rate").Option("rowsPerSecond", 0).Load(),
			"readStream.load: Invalid value '0' for option 'rowsPerSecond', must be positive"},
		{"unknown format", s.ReadStream().Format("nope").Load(),
			"readStream.load: [DATA_SOURCE_NOT_FOUND] Failed to find the data source: nope."},
		{"bad schema", s.ReadStream().Schema("a NOPE").Json(t.TempDir()),
			"readStream.schema: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.df.Err(); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Err() = %v, want prefix %q", err, tc.want)
			}
		})
	}
	if got := s.ReadStream().Format("rate").Load().Columns(); strings.Join(got, ",") != "timestamp,value" {
		t.Errorf("rate columns = %v", got)
	}
}

func TestRateSource(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	q, err := s.ReadStream().Format("rate").Option("rowsPerSecond", 50).Load().
		WriteStream().Format("memory").QueryName("rate").Trigger(engine.ProcessingTime("300 milliseconds")).Start()
	if err != nil {
		t.Fatal(err)
	}
	defer q.Stop()
	deadline := time.Now().Add(10 * time.Second)
	for q.LastProgress() == nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	q.Stop()
	rows, err := s.Table("rate").Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || len(rows)%50 != 0 {
		t.Fatalf("rate rows = %d, want a positive multiple of 50 (whole seconds)", len(rows))
	}
	for i, r := range rows {
		if r.Get("value") != int64(i) {
			t.Fatalf("row %d has value %v, want %d", i, r.Get("value"), i)
		}
	}
}
