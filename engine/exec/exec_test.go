package exec

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "ts", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
}, nil)

func testRecord(t *testing.T, mem memory.Allocator, rows [][]any) arrow.Record {
	t.Helper()
	rec, err := BuildRecord(mem, testSchema, rows)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func bind(t *testing.T, e expr.Expr, s *arrow.Schema) expr.Bound {
	t.Helper()
	b, err := expr.Bind(e, s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func col(name string) expr.Expr { return &expr.ColumnRef{Parts: []string{name}} }

// render gives the collected rows as Go values, one row per line.
func render(recs []arrow.Record) string {
	var s string
	for _, r := range recs {
		for i := 0; i < int(r.NumRows()); i++ {
			vals := make([]any, r.NumCols())
			for c := range vals {
				vals[c] = Value(r.Column(c), i)
			}
			s += fmt.Sprintln(vals...)
		}
	}
	return s
}

func TestPipelines(t *testing.T) {
	ts := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	rows := [][]any{{1, "a", ts}, {2, nil, nil}, {3, "c", ts.Add(time.Minute)}}
	gt1 := &expr.Binary{Op: expr.OpGt, Left: col("id"), Right: &expr.Literal{Value: int64(1), Type: arrow.PrimitiveTypes.Int64}}
	tests := []struct {
		name  string
		build func(t *testing.T, out Operator) Operator
		want  string
	}{
		{"filter", func(t *testing.T, out Operator) Operator {
			f, err := NewFilter(bind(t, gt1, testSchema), out)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}, "2 <nil> <nil>\n3 c 2024-05-01 10:01:00 +0000 UTC\n"},
		{"project", func(t *testing.T, out Operator) Operator {
			s := arrow.NewSchema([]arrow.Field{{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "big", Type: arrow.FixedWidthTypes.Boolean}}, nil)
			p, err := NewProject(s, []expr.Bound{bind(t, col("name"), testSchema), bind(t, gt1, testSchema)}, out)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}, "a false\n<nil> true\nc true\n"},
		{"limit", func(t *testing.T, out Operator) Operator { return NewLimit(2, out) },
			"1 a 2024-05-01 10:00:00 +0000 UTC\n2 <nil> <nil>\n"},
		{"filter feeding a limit", func(t *testing.T, out Operator) Operator {
			f, err := NewFilter(bind(t, gt1, testSchema), NewLimit(1, out))
			if err != nil {
				t.Fatal(err)
			}
			return f
		}, "2 <nil> <nil>\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			ctx := expr.WithAllocator(context.Background(), mem)
			out := NewCollector()
			op := tc.build(t, out)
			rec := testRecord(t, mem, rows)
			if err := op.Process(ctx, rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
			if err := op.Finish(ctx, nil); err != nil {
				t.Fatal(err)
			}
			recs, _ := out.Take()
			if got := render(recs); got != tc.want {
				t.Errorf("got:\n%swant:\n%s", got, tc.want)
			}
			Release(recs)
		})
	}
}

func TestUnionWaitsForEveryInput(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	out := NewCollector()
	u := NewUnion(testSchema, 2, out)
	finished := &finishCounter{Operator: out}
	u.next = finished
	rec := testRecord(t, mem, [][]any{{1, "a", nil}})
	defer rec.Release()
	for i := 0; i < 2; i++ {
		if err := u.Process(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if err := u.Finish(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if want := i; finished.n != want {
			t.Errorf("after %d inputs finished, downstream saw %d Finish calls, want %d", i+1, finished.n, want)
		}
	}
	recs, rows := out.Take()
	if rows != 2 {
		t.Errorf("union rows = %d, want 2", rows)
	}
	Release(recs)
}

type finishCounter struct {
	Operator
	n int
}

func (f *finishCounter) Finish(ctx context.Context, err error) error {
	f.n++
	return f.Operator.Finish(ctx, err)
}

func TestEventTimeStats(t *testing.T) {
	ctx := context.Background()
	out := NewCollector()
	e, err := NewEventTime(testSchema, 2, 10*time.Second, out)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.NextWatermark(); !got.Equal(time.UnixMilli(0)) {
		t.Errorf("watermark before data = %v, want the epoch", got)
	}
	ts := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	rec := testRecord(t, memory.DefaultAllocator, [][]any{{1, "a", ts}, {2, "b", nil}, {3, "c", ts.Add(30 * time.Second)}})
	defer rec.Release()
	e.Process(ctx, rec)
	e.Finish(ctx, nil)
	s, ok := e.TakeStats()
	if !ok || s.Count != 2 || !s.Min.Equal(ts) || !s.Max.Equal(ts.Add(30*time.Second)) || !s.Avg.Equal(ts.Add(15*time.Second)) {
		t.Errorf("stats = %+v, %v", s, ok)
	}
	if got, want := e.NextWatermark(), ts.Add(20*time.Second); !got.Equal(want) {
		t.Errorf("NextWatermark() = %v, want %v", got, want)
	}
	if _, ok := e.TakeStats(); ok {
		t.Error("TakeStats() of a new epoch reported data")
	}
	if _, err := NewEventTime(testSchema, 1, 0, out); err == nil {
		t.Error("NewEventTime on a string column succeeded")
	}
	out.Reset()
}

func TestBuildRecordErrors(t *testing.T) {
	tests := []struct {
		rows [][]any
		want string
	}{
		{[][]any{{1, "a"}}, "row 0 has 2 values, the schema has 3 fields"},
		{[][]any{{"x", "a", nil}}, "row 0, column id: got string (x), want an integer"},
		{[][]any{{1, 2, nil}}, "row 0, column name: got int (2), want string"},
		{[][]any{{1.5, "a", nil}}, "row 0, column id: got float64 (1.5), want an integer"},
	}
	for _, tc := range tests {
		_, err := BuildRecord(memory.DefaultAllocator, testSchema, tc.rows)
		if err == nil || err.Error() != tc.want {
			t.Errorf("BuildRecord(%v) error = %v, want %q", tc.rows, err, tc.want)
		}
	}
}
