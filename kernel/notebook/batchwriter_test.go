package notebook

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/kernel/notebook/host"
)

// raised runs fn and returns the *Exception it raised, nil when none.
func raised(fn func()) (ex *Exception) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Exception)
			if !ok {
				panic(r)
			}
			ex = e
		}
	}()
	fn()
	return nil
}

func TestDataFrameWriterRaises(t *testing.T) {
	spark := Spark()
	df := spark.CreateDataFrame([][]any{{1, "a"}, {2, "b"}}, "id INT, v STRING")
	existing := filepath.Join(t.TempDir(), "existing")
	df.Write().Json(existing)
	tests := []struct {
		name      string
		write     func(path string)
		wantClass string
		wantText  string
	}{
		{"path exists", func(string) { df.Write().Json(existing) },
			"AnalysisException", "[PATH_ALREADY_EXISTS]"},
		{"unknown mode", func(p string) { df.Write().Mode("merge").Parquet(p) },
			"IllegalArgumentException", "Unknown save mode: merge"},
		{"text needs one string column", func(p string) { df.Write().Text(p) },
			"AnalysisException", "Text data source supports only a single column"},
		{"unknown format", func(p string) { df.Write().Format("orc").Save(p) },
			"IllegalArgumentException", "Failed to find the data source: orc"},
		{"append works", func(p string) { df.Write().Mode("append").Csv(p) }, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex := raised(func() { tc.write(filepath.Join(t.TempDir(), "out")) })
			if tc.wantClass == "" {
				if ex != nil {
					t.Fatalf("raised %s: %v", ex.Class, ex)
				}
				return
			}
			if ex == nil {
				t.Fatalf("raised nothing, want %s", tc.wantClass)
			}
			if ex.Class != tc.wantClass || !strings.Contains(ex.Error(), tc.wantText) {
				t.Errorf("raised %s: %v\nwant %s containing %q", ex.Class, ex, tc.wantClass, tc.wantText)
			}
		})
	}
}

// TestDataFrameWriterContexts checks which context a write waits on: a
// cell's write stops with the cell, a foreachBatch write belongs to the
// query and goes on whatever cell runs.
func TestDataFrameWriterContexts(t *testing.T) {
	h := host.Default
	spark := Spark()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	h.BeginCell(cancelled, 1, nil)
	ex := raised(func() {
		spark.CreateDataFrame([][]any{{1}}, "n INT").Write().Json(filepath.Join(t.TempDir(), "out"))
	})
	h.EndCell(1)
	if ex == nil || ex.Class != "KeyboardInterrupt" {
		t.Fatalf("write in an interrupted cell raised %v, want KeyboardInterrupt", ex)
	}

	out := filepath.Join(t.TempDir(), "batches")
	stream := spark.MemoryStream("n INT")
	q := stream.ToDF().WriteStream().ForeachBatch(func(df *DataFrame, id int64) {
		df.Write().Mode("append").Json(out)
	}).Start()
	defer q.Stop()
	h.BeginCell(cancelled, 2, nil) // another cell, interrupted, runs meanwhile
	stream.AddRows([]any{1}, []any{2})
	ctx, done := context.WithTimeout(context.Background(), 20*time.Second)
	defer done()
	err := q.Engine().ProcessAllAvailable(ctx)
	h.EndCell(2)
	if err != nil {
		t.Fatal(err)
	}
	if e := q.Exception(); e != nil {
		t.Fatal(e)
	}
	var rows int
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "part-") {
			data, err := os.ReadFile(filepath.Join(out, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			rows += strings.Count(string(data), "\n")
		}
	}
	if rows != 2 {
		t.Errorf("foreachBatch wrote %d rows, want 2", rows)
	}
}
