package exec

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

func TestAssignWindows(t *testing.T) {
	s := int64(1e6)
	tests := []struct {
		name       string
		spec       expr.WindowSpec
		ts         []any // seconds, nil for null
		wantStarts []int64
		wantRows   []int32 // nil: row j is input row j
	}{
		{"tumbling", expr.WindowSpec{Window: 10 * s, Slide: 10 * s}, []any{0, 9, 10, 25}, []int64{0, 0, 10 * s, 20 * s}, nil},
		{"tumbling before the epoch", expr.WindowSpec{Window: 10 * s, Slide: 10 * s}, []any{-1, -10, -11}, []int64{-10 * s, -10 * s, -20 * s}, nil},
		{"tumbling with nulls", expr.WindowSpec{Window: 10 * s, Slide: 10 * s}, []any{nil, 12, nil}, []int64{10 * s}, []int32{1}},
		{"sliding: every containing window", expr.WindowSpec{Window: 10 * s, Slide: 5 * s}, []any{7, 10}, []int64{5 * s, 0, 10 * s, 5 * s}, []int32{0, 0, 1, 1}},
		{"sliding, window not a multiple of the slide", expr.WindowSpec{Window: 10 * s, Slide: 4 * s}, []any{9}, []int64{8 * s, 4 * s, 0}, []int32{0, 0, 0}},
		{"start offset", expr.WindowSpec{Window: 60 * s, Slide: 60 * s, Start: 15 * s}, []any{14, 15, 74, 75}, []int64{-45 * s, 15 * s, 15 * s, 75 * s}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := make([][]any, len(tc.ts))
			for i, v := range tc.ts {
				if v != nil {
					v = time.Unix(int64(v.(int)), 0).UTC()
				}
				rows[i] = []any{v}
			}
			rec, err := BuildRecord(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{{Name: "t", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true}}, nil), rows)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			starts, idx := assignWindows(tc.spec, rec.Column(0), nil, nil)
			if fmt.Sprint(starts) != fmt.Sprint(tc.wantStarts) || fmt.Sprint(idx) != fmt.Sprint(tc.wantRows) {
				t.Errorf("got starts %v rows %v, want %v %v", starts, idx, tc.wantStarts, tc.wantRows)
			}
		})
	}
}

var keySchema = arrow.NewSchema([]arrow.Field{
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "i", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "l", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "t", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
	{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
}, nil)

func TestKeyEncodingGroupsAndDecodes(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	rows := [][]any{
		{true, 1, int64(-5), 0.0, "a", at, at},
		{true, 1, int64(-5), math.Copysign(0, -1), "a", at, at}, // -0.0 groups with 0.0
		{nil, nil, nil, nil, nil, nil, nil},
		{false, -1, int64(7), math.NaN(), "", at, at},
		{nil, nil, nil, nil, nil, nil, nil},
		{false, -1, int64(7), math.NaN(), "", at, at}, // NaN groups with NaN
		{true, 1, int64(-5), 0.0, "ab", at, at},
	}
	rec, err := BuildRecord(memory.DefaultAllocator, keySchema, rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	cols := make([]keyCol, rec.NumCols())
	in := make([]keyInput, rec.NumCols())
	for i := range cols {
		if cols[i], err = newKeyCol(rec.Column(i).DataType()); err != nil {
			t.Fatal(err)
		}
		in[i] = keyInput{arr: rec.Column(i)}
	}
	enc := newKeyEncoder(cols)
	buf, offs := enc.encode(in, nil, len(rows))
	table := newGroupTable()
	gids := make([]int32, len(rows))
	table.insert(buf, offs, gids)
	if got, want := fmt.Sprint(gids), "[0 0 1 2 1 2 3]"; got != want {
		t.Errorf("group ids: got %s, want %s", got, want)
	}
	kb := enc.builders(memory.DefaultAllocator, table.len())
	defer kb.release()
	for g := 0; g < table.len(); g++ {
		kb.add(table.key(int32(g)))
	}
	arrs := kb.finish()
	got := make([]string, table.len())
	for g := range got {
		vals := make([]any, len(arrs))
		for c, a := range arrs {
			vals[c] = Value(a, g)
		}
		b, _ := json.Marshal(fmt.Sprint(vals...))
		got[g] = string(b)
	}
	for _, a := range arrs {
		a.Release()
	}
	day := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	want := []string{
		fmt.Sprint(true, int32(1), int64(-5), 0.0, "a", at, day),
		fmt.Sprint(nil, nil, nil, nil, nil, nil, nil),
		fmt.Sprint(false, int32(-1), int64(7), math.NaN(), "", at, day),
		fmt.Sprint(true, int32(1), int64(-5), 0.0, "ab", at, day),
	}
	for g := range want {
		b, _ := json.Marshal(want[g])
		if got[g] != string(b) {
			t.Errorf("group %d decodes to %s, want %s", g, got[g], b)
		}
	}
}

func TestKeyBytesFollowValueOrder(t *testing.T) {
	vals := []float64{math.Inf(-1), -2.5, -1, 0, 1e-300, 3, math.Inf(1), math.NaN()}
	var prev []byte
	for i, v := range vals {
		b := make([]byte, 8)
		putUint64BE(b, orderedFloat64(v))
		if i > 0 && bytes.Compare(prev, b) >= 0 {
			t.Errorf("%v does not encode after %v", v, vals[i-1])
		}
		prev = b
		if back := unorderFloat64(orderedFloat64(v)); !(back == v || v != v && back != back) {
			t.Errorf("%v decodes to %v", v, back)
		}
	}
	ints := []int64{math.MinInt64, -1, 0, 1, math.MaxInt64}
	prev = nil
	for i, v := range ints {
		b := make([]byte, 8)
		putUint64BE(b, uint64(v)^signBit)
		if i > 0 && bytes.Compare(prev, b) >= 0 {
			t.Errorf("%d does not encode after %d", v, ints[i-1])
		}
		prev = b
	}
}

func putUint64BE(b []byte, v uint64) {
	for i := 7; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
}

// TestStateMergeMatchesOnePass aggregates rows in two halves, stores the
// first half's state and merges it into the second's, and checks the
// result equals one pass over all rows: what a stream split across
// batches must give.
func TestStateMergeMatchesOnePass(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	rows := [][]any{
		{nil, 2.5, "x", true}, {4, nil, "b", false}, {1, 1.0, nil, nil}, {4, -3.0, "a", true},
		{9, 0.5, "b", nil}, {nil, 7.0, "z", false}, {2, nil, "c", true},
	}
	bind := func(name string) expr.Bound {
		b, err := expr.Bind(&expr.ColumnRef{Parts: []string{name}}, schema)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		fn   AggFunc
		want string
	}{
		{AggFunc{Name: "count"}, "7"},
		{AggFunc{Name: "count", Args: []expr.Bound{bind("i")}}, "5"},
		{AggFunc{Name: "sum", Args: []expr.Bound{bind("i")}}, "20"},
		{AggFunc{Name: "sum", Args: []expr.Bound{bind("f")}}, "8"},
		{AggFunc{Name: "avg", Args: []expr.Bound{bind("i")}}, "4"},
		{AggFunc{Name: "min", Args: []expr.Bound{bind("s")}}, "a"},
		{AggFunc{Name: "max", Args: []expr.Bound{bind("f")}}, "7"},
		{AggFunc{Name: "min", Args: []expr.Bound{bind("b")}}, "false"},
		{AggFunc{Name: "first", Args: []expr.Bound{bind("i")}}, "<nil>"},
		{AggFunc{Name: "first", Args: []expr.Bound{bind("i")}, IgnoreNulls: true}, "4"},
		{AggFunc{Name: "last", Args: []expr.Bound{bind("s")}}, "c"},
		{AggFunc{Name: "last", Args: []expr.Bound{bind("f")}}, "<nil>"},
		{AggFunc{Name: "last", Args: []expr.Bound{bind("f")}, IgnoreNulls: true}, "7"},
		{AggFunc{Name: "collect_list", Args: []expr.Bound{bind("s")}}, "[x b a b z c]"},
		{AggFunc{Name: "collect_set", Args: []expr.Bound{bind("i")}}, "[4 1 9 2]"},
		{AggFunc{Name: "approx_count_distinct", Args: []expr.Bound{bind("s")}}, "5"},
		// i: 4 1 4 9 2, mean 4, squared deviations 0 9 0 25 4: 38 / 5
		{AggFunc{Name: "stddev_pop", Args: []expr.Bound{bind("i")}}, fmt.Sprint(math.Sqrt(7.6))},
		// f: 2.5 1 -3 0.5 7, mean 1.6, squared deviations sum to 52.7: / 4
		{AggFunc{Name: "var_samp", Args: []expr.Bound{bind("f")}}, "13.175"},
		{AggFunc{Name: "bool_and", Args: []expr.Bound{bind("b")}}, "false"},
		{AggFunc{Name: "bool_or", Args: []expr.Bound{bind("b")}}, "true"},
	}
	mem := memory.DefaultAllocator
	rec, err := BuildRecord(mem, schema, rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	for _, tc := range tests {
		name := tc.fn.Name
		for _, a := range tc.fn.Args {
			name += "(" + a.Name() + ")"
		}
		if tc.fn.IgnoreNulls {
			name += " ignoring nulls"
		}
		t.Run(name, func(t *testing.T) {
			var args []arrow.Array
			for _, a := range tc.fn.Args {
				x, err := a.Eval(context.Background(), rec)
				if err != nil {
					t.Fatal(err)
				}
				defer x.Release()
				args = append(args, x)
			}
			result := func(acc accumulator) string {
				out := acc.build(mem, nil, 1)
				defer out.Release()
				return fmt.Sprint(Value(out, 0))
			}
			update := func(acc accumulator, from, to int) {
				gids := make([]int32, to-from)
				idx := make([]int32, to-from)
				for j := range idx {
					idx[j] = int32(from + j)
				}
				acc.update(gids, idx, args)
			}
			one, err := newAccumulator(tc.fn)
			if err != nil {
				t.Fatal(err)
			}
			one.grow(1)
			update(one, 0, len(rows))
			if got := result(one); got != tc.want {
				t.Errorf("one pass: got %s, want %s", got, tc.want)
			}
			for split := 0; split <= len(rows); split++ {
				first, _ := newAccumulator(tc.fn)
				first.grow(1)
				update(first, 0, split)
				st := first.appendState(nil, 0)
				second, _ := newAccumulator(tc.fn)
				second.grow(1)
				update(second, split, len(rows))
				rest, err := second.mergeState(0, st)
				if err != nil || len(rest) != 0 {
					t.Fatalf("split %d: merge: %v, %d bytes left", split, err, len(rest))
				}
				if got := result(second); got != tc.want {
					t.Errorf("split at %d: got %s, want %s", split, got, tc.want)
				}
			}
		})
	}
}

func TestXXH64(t *testing.T) {
	tests := []struct {
		in   string
		seed uint64
		want uint64
	}{
		{"", 0, 0xEF46DB3751D8E999},
		{"a", 0, 0xD24EC4F1A98C6E5B},
		{"abc", 0, 0x44BC2CF5AD770999},
		{"Nobody inspects the spammish repetition", 0, 0xFBCEA83C8A378BF1},
	}
	for _, tc := range tests {
		if got := xxhBytes([]byte(tc.in), tc.seed); got != tc.want {
			t.Errorf("xxh64(%q, %d) = %#x, want %#x", tc.in, tc.seed, got, tc.want)
		}
	}
	// Spark's hashInt and hashLong are XXH64 of the little-endian bytes
	for _, v := range []int64{0, 1, -1, 42, math.MaxInt64} {
		b := make([]byte, 8)
		for i := 0; i < 8; i++ {
			b[i] = byte(uint64(v) >> (8 * i))
		}
		if got, want := xxhLong(uint64(v), 42), xxhBytes(b, 42); got != want {
			t.Errorf("hashLong(%d) = %#x, want %#x", v, got, want)
		}
		if got, want := xxhInt(uint32(v), 42), xxhBytes(b[:4], 42); got != want {
			t.Errorf("hashInt(%d) = %#x, want %#x", int32(v), got, want)
		}
	}
}

func TestApproxCountDistinctError(t *testing.T) {
	for _, tc := range []struct {
		rsd  float64
		n    int
		tol  float64
		name string
	}{
		{0.05, 40, 0.05, "few values: linear counting"},
		{0.05, 300, 0.15, "below the linear-counting threshold"},
		{0.05, 5000, 0.15, "rsd 0.05"},
		{0.05, 200000, 0.15, "rsd 0.05, many values"},
		{0.01, 100000, 0.03, "rsd 0.01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acc, err := newHLLAcc(arrow.PrimitiveTypes.Int64, tc.rsd)
			if err != nil {
				t.Fatal(err)
			}
			h := acc.(*hllAcc)
			h.grow(1)
			vals := make([]any, 0, 2*tc.n)
			for i := 0; i < tc.n; i++ {
				vals = append(vals, int64(i*7919), int64(i*7919)) // every value twice
			}
			rows := make([][]any, len(vals))
			for i, v := range vals {
				rows[i] = []any{v}
			}
			rec, err := BuildRecord(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil), rows)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			h.update(make([]int32, len(rows)), nil, []arrow.Array{rec.Column(0)})
			got := h.estimate(h.regs)
			if diff := math.Abs(float64(got)-float64(tc.n)) / float64(tc.n); diff > tc.tol {
				t.Errorf("estimate %d of %d distinct values: error %.3f, want at most %.3f", got, tc.n, diff, tc.tol)
			}
		})
	}
}

func TestSortComparator(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	rec, err := BuildRecord(memory.DefaultAllocator, schema, [][]any{{3.0}, {nil}, {math.NaN()}, {-1.0}, {nil}, {0.0}})
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	tests := []struct {
		desc, nullsFirst bool
		want             string
	}{
		{false, true, "[<nil> <nil> -1 0 3 NaN]"},
		{false, false, "[-1 0 3 NaN <nil> <nil>]"},
		{true, false, "[NaN 3 0 -1 <nil> <nil>]"},
		{true, true, "[<nil> <nil> NaN 3 0 -1]"},
	}
	for _, tc := range tests {
		c, err := comparator(rec.Column(0), tc.nullsFirst, tc.desc)
		if err != nil {
			t.Fatal(err)
		}
		idx := []int{0, 1, 2, 3, 4, 5}
		sort.SliceStable(idx, func(a, b int) bool { return c(idx[a], idx[b]) < 0 })
		got := make([]string, len(idx))
		for i, j := range idx {
			got[i] = fmt.Sprint(Value(rec.Column(0), j))
		}
		if g := "[" + strings.Join(got, " ") + "]"; g != tc.want {
			t.Errorf("desc=%t nullsFirst=%t: got %s, want %s", tc.desc, tc.nullsFirst, g, tc.want)
		}
	}
}

// TestWindowGrouperMatchesEncoder checks that the window fast path gives
// every (row, window) pair the group, and the key bytes, that encoding the
// key columns row by row gives.
func TestWindowGrouperMatchesEncoder(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "t", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
		{Name: "i", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	}, nil)
	at := func(sec int) time.Time { return time.Unix(int64(sec), 0).UTC() }
	rows := [][]any{
		{"a", at(1), 1}, {"bb", at(7), nil}, {nil, at(12), 1}, {"a", nil, 1}, {"a", at(-3), 1}, {"bb", at(7), nil}, {"a", at(14), 2},
	}
	rec, err := BuildRecord(memory.DefaultAllocator, schema, rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	for _, spec := range []expr.WindowSpec{{Window: 10e6, Slide: 10e6}, {Window: 10e6, Slide: 5e6}, {Window: 10e6, Slide: 3e6, Start: 1e6}} {
		t.Run(fmt.Sprintf("window %ds slide %ds start %ds", spec.Window/1e6, spec.Slide/1e6, spec.Start/1e6), func(t *testing.T) {
			sc, _ := newKeyCol(arrow.BinaryTypes.String)
			ic, _ := newKeyCol(arrow.PrimitiveTypes.Int32)
			wc := keyCol{kind: kWindow, typ: expr.WindowType, width: 8, span: spec.Window}
			// fast path
			fast := newGroupTable()
			w := newWindowGrouper(1, spec, []keyCol{sc, ic})
			gids, idx := w.group(fast, []arrow.Array{rec.Column(0), rec.Column(2)}, rec.Column(1))
			// generic path
			starts, sidx := assignWindows(spec, rec.Column(1), nil, nil)
			enc := newKeyEncoder([]keyCol{sc, wc, ic})
			buf, offs := enc.encode([]keyInput{{arr: rec.Column(0)}, {starts: starts}, {arr: rec.Column(2)}}, sidx, len(starts))
			slow := newGroupTable()
			want := make([]int32, len(starts))
			slow.insert(buf, offs, want)
			if len(gids) != len(want) {
				t.Fatalf("%d (row, window) pairs, want %d", len(gids), len(want))
			}
			// the same pairs, possibly in another order: compare by key
			got := map[string]int{}
			for j, g := range gids {
				got[fmt.Sprintf("%d/%x", rowOf(idx, j), fast.key(g))]++
			}
			for j, g := range want {
				k := fmt.Sprintf("%d/%x", rowOf(sidx, j), slow.key(g))
				if got[k] == 0 {
					t.Errorf("row %d, key %x: missing from the fast path", rowOf(sidx, j), slow.key(g))
				}
				got[k]--
			}
			if fast.len() != slow.len() {
				t.Errorf("%d groups, want %d", fast.len(), slow.len())
			}
		})
	}
}
