package exec

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

var (
	joinLeft = arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "lv", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	joinRight = arrow.NewSchema([]arrow.Field{
		{Name: "rk", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "rv", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	joinPair = arrow.NewSchema(append(append([]arrow.Field(nil), joinLeft.Fields()...), joinRight.Fields()...), nil)
)

// joinCfg builds a join config: keys "k=rk" or "k<=>rk" or none, and an
// optional residual over the pair.
func joinCfg(t *testing.T, typ JoinType, keys string, residual expr.Expr) JoinConfig {
	cfg := JoinConfig{Type: typ, Left: joinLeft, Right: joinRight, Pair: joinPair}
	if keys != "" {
		cfg.LeftKeys = []expr.Bound{bind(t, col("k"), joinLeft)}
		cfg.RightKeys = []expr.Bound{bind(t, col("rk"), joinRight)}
		cfg.NullSafe = []bool{keys == "<=>"}
	}
	if residual != nil {
		cfg.Residual = bind(t, residual, joinPair)
	}
	return cfg
}

func records(t *testing.T, mem memory.Allocator, s *arrow.Schema, chunks ...[][]any) []arrow.Record {
	var out []arrow.Record
	for _, rows := range chunks {
		rec, err := BuildRecord(mem, s, rows)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

// feed sends one epoch of recs to op.
func feed(t *testing.T, ctx context.Context, op Operator, recs []arrow.Record) {
	t.Helper()
	if err := op.Watermark(ctx, time.UnixMilli(0)); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := op.Process(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := op.Finish(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

// sortedRows renders records as sorted lines, for order-free comparison.
func sortedRows(recs []arrow.Record) string {
	lines := strings.Split(strings.TrimSuffix(render(recs), "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestHashJoin(t *testing.T) {
	left := [][][]any{{{1, "a"}, {1, "b"}, {2, "c"}, {nil, "n"}}, {{4, "d"}}}
	right := [][][]any{{{1, "x"}, {3, "y"}}, {{1, "z"}, {nil, "m"}, {2, "c"}}}
	lt := &expr.Binary{Op: expr.OpLt, Left: col("lv"), Right: col("rv")}
	tests := []struct {
		name     string
		typ      JoinType
		keys     string
		residual expr.Expr
		want     string
	}{
		{"inner", JoinInner, "=", nil, "1 a 1 x\n1 a 1 z\n1 b 1 x\n1 b 1 z\n2 c 2 c"},
		{"inner with residual", JoinInner, "=", lt, "1 a 1 x\n1 a 1 z\n1 b 1 x\n1 b 1 z"},
		{"left outer", JoinLeftOuter, "=", nil, "1 a 1 x\n1 a 1 z\n1 b 1 x\n1 b 1 z\n2 c 2 c\n4 d <nil> <nil>\n<nil> n <nil> <nil>"},
		{"left outer with residual", JoinLeftOuter, "=", lt, "1 a 1 x\n1 a 1 z\n1 b 1 x\n1 b 1 z\n2 c <nil> <nil>\n4 d <nil> <nil>\n<nil> n <nil> <nil>"},
		{"right outer", JoinRightOuter, "=", nil, "1 a 1 x\n1 a 1 z\n1 b 1 x\n1 b 1 z\n2 c 2 c\n<nil> <nil> 3 y\n<nil> <nil> <nil> m"},
		{"full outer with residual", JoinFullOuter, "=", lt, "1 a 1 x\n1 a 1 z\n1 b 1 x\n1 b 1 z\n2 c <nil> <nil>\n4 d <nil> <nil>\n<nil> <nil> 2 c\n<nil> <nil> 3 y\n<nil> <nil> <nil> m\n<nil> n <nil> <nil>"},
		{"left semi", JoinLeftSemi, "=", nil, "1 a\n1 b\n2 c"},
		{"left semi with residual", JoinLeftSemi, "=", lt, "1 a\n1 b"},
		{"left anti", JoinLeftAnti, "=", nil, "4 d\n<nil> n"},
		{"left anti with residual", JoinLeftAnti, "=", lt, "2 c\n4 d\n<nil> n"},
		{"null-safe key pairs nulls", JoinInner, "<=>", nil, "1 a 1 x\n1 a 1 z\n1 b 1 x\n1 b 1 z\n2 c 2 c\n<nil> n <nil> m"},
		{"nested loop", JoinInner, "", &expr.Binary{Op: expr.OpGt, Left: col("lv"), Right: col("rv")}, "4 d 2 c\n<nil> n 2 c\n<nil> n <nil> m"},
		{"nested loop left outer", JoinLeftOuter, "", &expr.Binary{Op: expr.OpGt, Left: col("lv"), Right: col("rv")}, "1 a <nil> <nil>\n1 b <nil> <nil>\n2 c <nil> <nil>\n4 d 2 c\n<nil> n 2 c\n<nil> n <nil> m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ctx := expr.WithAllocator(context.Background(), mem)
			out := NewCollector()
			j, err := NewHashJoin(joinCfg(t, tc.typ, tc.keys, tc.residual), out)
			if err != nil {
				t.Fatal(err)
			}
			l, r := records(t, mem, joinLeft, left...), records(t, mem, joinRight, right...)
			feed(t, ctx, j.Left(), l)
			feed(t, ctx, j.Right(), r)
			Release(l)
			Release(r)
			recs, _ := out.Take()
			got := sortedRows(recs)
			Release(recs)
			if got != tc.want {
				t.Errorf("rows:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestHashJoinManyToMany pairs more rows than one block holds.
func TestHashJoinManyToMany(t *testing.T) {
	const n = 300 // 90 000 pairs, more than joinBlock
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := expr.WithAllocator(context.Background(), mem)
	var lrows, rrows [][]any
	for i := 0; i < n; i++ {
		lrows = append(lrows, []any{7, fmt.Sprint(i)})
		rrows = append(rrows, []any{7, fmt.Sprint(i)})
	}
	lrows = append(lrows, []any{8, "alone"})
	for _, typ := range []JoinType{JoinInner, JoinFullOuter, JoinLeftSemi} {
		out := NewCollector()
		j, err := NewHashJoin(joinCfg(t, typ, "=", nil), out)
		if err != nil {
			t.Fatal(err)
		}
		l, r := records(t, mem, joinLeft, lrows), records(t, mem, joinRight, rrows)
		feed(t, ctx, j.Left(), l)
		feed(t, ctx, j.Right(), r)
		Release(l)
		Release(r)
		recs, rows := out.Take()
		Release(recs)
		want := map[JoinType]int64{JoinInner: n * n, JoinFullOuter: n*n + 1, JoinLeftSemi: n}[typ]
		if rows != want {
			t.Errorf("%s: %d rows, want %d", typ, rows, want)
		}
	}
}

func TestStreamStaticJoin(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := expr.WithAllocator(context.Background(), mem)
	loads := 0
	load := func(context.Context) ([]arrow.Record, error) {
		loads++
		return records(t, mem, joinRight, [][]any{{1, "one"}, {2, "two"}}), nil
	}
	tests := []struct {
		name       string
		typ        JoinType
		streamLeft bool
		epochs     [][][]any
		want       string
	}{
		{"inner", JoinInner, true, [][][]any{{{1, "a"}, {3, "b"}}, {{2, "c"}}}, "1 a 1 one\n2 c 2 two"},
		{"left outer", JoinLeftOuter, true, [][][]any{{{1, "a"}, {3, "b"}}, {{nil, "c"}}}, "1 a 1 one\n3 b <nil> <nil>\n<nil> c <nil> <nil>"},
		{"left anti", JoinLeftAnti, true, [][][]any{{{1, "a"}, {3, "b"}}}, "3 b"},
		{"right outer with the stream on the right", JoinRightOuter, false, [][][]any{{{1, "a"}, {5, "e"}}}, "1 one 1 a\n<nil> <nil> 5 e"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loads = 0
			cfg := joinCfg(t, tc.typ, "=", nil)
			if !tc.streamLeft {
				cfg = JoinConfig{Type: tc.typ, Left: joinRight, Right: joinLeft,
					LeftKeys: []expr.Bound{bind(t, col("rk"), joinRight)}, RightKeys: []expr.Bound{bind(t, col("k"), joinLeft)},
					NullSafe: []bool{false}, Pair: arrow.NewSchema(append(append([]arrow.Field(nil), joinRight.Fields()...), joinLeft.Fields()...), nil)}
			}
			out := NewCollector()
			j, err := NewStreamStaticJoin(cfg, tc.streamLeft, load, out)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			var all []arrow.Record
			for _, rows := range tc.epochs {
				in := records(t, mem, joinLeft, rows)
				feed(t, ctx, j, in)
				Release(in)
				recs, _ := out.Take()
				all = append(all, recs...)
			}
			got := sortedRows(all)
			Release(all)
			if got != tc.want {
				t.Errorf("rows:\n%s\nwant:\n%s", got, tc.want)
			}
			if loads != 1 {
				t.Errorf("static side read %d times, want once", loads)
			}
		})
	}
	if _, err := NewStreamStaticJoin(joinCfg(t, JoinFullOuter, "=", nil), true, load, NewCollector()); err == nil {
		t.Error("full outer stream-static join accepted")
	}
}
