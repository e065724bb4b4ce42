package sink

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/fileindex"
	"github.com/gostream/gostream/engine/source"
)

var schema = arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)

func rec(vals ...int64) arrow.Record {
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues(vals, nil)
	return b.NewRecord()
}

func rows(recs []arrow.Record) []int64 {
	var out []int64
	for _, r := range recs {
		out = append(out, r.Column(0).(*array.Int64).Int64Values()...)
	}
	return out
}

func TestMemorySink(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		complete bool
		batches  []int64 // batch ids written, with rec(id)
		want     string
	}{
		{"append adds", false, []int64{0, 1, 2}, "[0 1 2]"},
		{"append skips replays", false, []int64{0, 1, 1, 0, 2}, "[0 1 2]"},
		{"complete replaces", true, []int64{0, 1, 2}, "[2]"},
		{"complete skips replays", true, []int64{0, 1, 1}, "[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMemory(schema, tc.complete)
			defer m.Release()
			for _, id := range tc.batches {
				r := rec(id)
				if err := m.AddBatch(ctx, id, []arrow.Record{r}); err != nil {
					t.Fatal(err)
				}
				r.Release()
			}
			snap := m.Snapshot()
			defer func() {
				for _, r := range snap {
					r.Release()
				}
			}()
			if got := fmt.Sprint(rows(snap)); got != tc.want {
				t.Errorf("table = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFileSinkSkipsCommittedBatches(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f, err := NewFile("json", dir, schema, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []struct {
		id   int64
		vals []int64
	}{{0, []int64{1, 2}}, {1, []int64{3}}, {1, []int64{3}}, {2, nil}} {
		r := rec(b.vals...)
		if err := f.AddBatch(ctx, b.id, []arrow.Record{r}); err != nil {
			t.Fatal(err)
		}
		r.Release()
	}
	files, err := fileindex.ManifestFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var content strings.Builder
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		content.Write(data)
	}
	if got, want := content.String(), "{\"v\":1}\n{\"v\":2}\n{\"v\":3}\n"; got != want {
		t.Errorf("committed content = %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "_spark_metadata", "2")); err != nil {
		t.Errorf("an empty batch must still commit its manifest entry: %v", err)
	}
}
