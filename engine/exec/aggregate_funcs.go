package exec

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// AggFunc is one aggregate function call of an aggregation.
type AggFunc struct {
	// Name is Spark's lower-case name: count, sum, avg, min, max, first,
	// last, collect_list, collect_set, approx_count_distinct, ...
	Name string
	// Args are the value arguments, evaluated per row; none for count(*).
	Args     []expr.Bound
	Distinct bool
	// Out is the result type (as the analyzer typed it).
	Out arrow.DataType
	// IgnoreNulls is first/last's option; RSD approx_count_distinct's.
	IgnoreNulls bool
	RSD         float64
}

// accumulator keeps the running state of one aggregate function for
// every group of a table, in typed slices indexed by group id. Its
// methods work on whole batches or on one group's state, never row by
// row through an interface.
type accumulator interface {
	// grow makes room for groups [0, n); new groups are empty.
	grow(n int)
	// update folds rows into groups: row idx[j] (row j when idx is nil)
	// of the arguments goes to group gids[j].
	update(gids, idx []int32, args []arrow.Array)
	// appendState appends group g's state in a compact binary form.
	appendState(b []byte, g int32) []byte
	// mergeState merges a state read from b, from rows that came before
	// the group's current ones, into group g; it returns the rest of b.
	mergeState(g int32, b []byte) ([]byte, error)
	// build returns the results of the groups sel (every group in order
	// when sel is nil).
	build(mem memory.Allocator, sel []int32, n int) arrow.Array
	// reset forgets every group.
	reset()
}

var errShortState = fmt.Errorf("aggregation state is truncated")

// newAccumulator returns the accumulator of f.
func newAccumulator(f AggFunc) (accumulator, error) {
	var argType arrow.DataType
	if len(f.Args) > 0 {
		argType = f.Args[0].Type()
	}
	var acc accumulator
	var err error
	switch f.Name {
	case "count":
		acc = &countAcc{}
	case "sum":
		acc, err = newSumAcc(argType, f.Out)
	case "avg", "mean":
		acc, err = newMomentsAcc(argType, "avg")
	case "stddev", "std", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		acc, err = newMomentsAcc(argType, f.Name)
	case "min", "max":
		acc, err = newValueAcc(argType, f.Name, false)
	case "first", "first_value", "any_value":
		acc, err = newValueAcc(argType, "first", f.IgnoreNulls)
	case "last", "last_value":
		acc, err = newValueAcc(argType, "last", f.IgnoreNulls)
	case "collect_list", "collect_set":
		acc, err = newCollectAcc(argType, f.Name == "collect_set")
	case "approx_count_distinct":
		acc, err = newHLLAcc(argType, f.RSD)
	case "bool_and", "every", "bool_or", "some":
		acc = &boolAcc{and: f.Name == "bool_and" || f.Name == "every"}
	default:
		return nil, fmt.Errorf("the aggregate function %s is not supported", f.Name)
	}
	if err != nil {
		return nil, err
	}
	if f.Distinct && f.Name != "collect_set" {
		acc, err = newDistinctAcc(acc, f.Args)
	}
	return acc, err
}

func rowOf(idx []int32, j int) int {
	if idx != nil {
		return int(idx[j])
	}
	return j
}

func growSlice[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		old := len(s)
		s = s[:n]
		var zero T
		for i := old; i < n; i++ {
			s[i] = zero
		}
		return s
	}
	out := make([]T, n, n+n/2+8)
	copy(out, s)
	return out
}

// appendRaw appends the in-memory bytes of a fixed-width value.
func appendRaw[T any](b []byte, v T) []byte {
	return append(b, unsafe.Slice((*byte)(unsafe.Pointer(&v)), unsafe.Sizeof(v))...)
}

// readRaw reads a fixed-width value written by appendRaw.
func readRaw[T any](b []byte) (T, []byte, error) {
	var v T
	n := int(unsafe.Sizeof(v))
	if len(b) < n {
		return v, nil, errShortState
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&v)), n), b[:n])
	return v, b[n:], nil
}

func readUvarint(b []byte) (uint64, []byte, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, errShortState
	}
	return v, b[n:], nil
}

// fixedArray builds an array of type t from per-group values and
// validity (valid nil: all valid), taking the groups sel or [0, n).
func fixedArray[T any](mem memory.Allocator, t arrow.DataType, vals []T, valid []bool, sel []int32, n int) arrow.Array {
	if sel != nil {
		n = len(sel)
	}
	var zero T
	size := int(unsafe.Sizeof(zero))
	vb := memory.NewResizableBuffer(mem)
	vb.Resize(n * size)
	out := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(vb.Bytes()))), n)
	var nb *memory.Buffer
	nulls := 0
	if valid != nil {
		nb = memory.NewResizableBuffer(mem)
		nb.Resize(int(bitutil.BytesForBits(int64(n))))
		bits := nb.Bytes()
		clear(bits)
		for j := 0; j < n; j++ {
			g := j
			if sel != nil {
				g = int(sel[j])
			}
			if valid[g] {
				bitutil.SetBit(bits, j)
				out[j] = vals[g]
			} else {
				out[j] = zero
				nulls++
			}
		}
		if nulls == 0 {
			nb.Release()
			nb = nil
		}
	} else if sel == nil {
		copy(out, vals[:n])
	} else {
		for j, g := range sel {
			out[j] = vals[g]
		}
	}
	d := array.NewData(t, n, []*memory.Buffer{nb, vb}, nil, nulls, 0)
	vb.Release()
	if nb != nil {
		nb.Release()
	}
	a := array.MakeFromData(d)
	d.Release()
	return a
}

// ---- count ----

// countAcc counts rows whose arguments are all non-null (every row for
// count(*)).
type countAcc struct {
	counts []int64
}

func (c *countAcc) grow(n int) { c.counts = growSlice(c.counts, n) }
func (c *countAcc) reset()     { c.counts = c.counts[:0] }

func (c *countAcc) update(gids, idx []int32, args []arrow.Array) {
	counts := c.counts
	var nbs []bitmap
	for _, a := range args {
		if nb := nullBits(a); nb.bits != nil {
			nbs = append(nbs, nb)
		}
	}
	if len(nbs) == 0 {
		for _, g := range gids {
			counts[g]++
		}
		return
	}
	for j, g := range gids {
		i := rowOf(idx, j)
		ok := true
		for _, nb := range nbs {
			if nb.null(i) {
				ok = false
				break
			}
		}
		if ok {
			counts[g]++
		}
	}
}

func (c *countAcc) appendState(b []byte, g int32) []byte {
	return binary.AppendUvarint(b, uint64(c.counts[g]))
}

func (c *countAcc) mergeState(g int32, b []byte) ([]byte, error) {
	v, rest, err := readUvarint(b)
	c.counts[g] += int64(v)
	return rest, err
}

func (c *countAcc) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	return fixedArray(mem, arrow.PrimitiveTypes.Int64, c.counts, nil, sel, n)
}

// ---- sum ----

// sumState holds the sums of the groups, has[g] false while group g has
// seen no value; sumIntAcc and sumFloatAcc differ only in how they add.
type sumState[T int64 | float64] struct {
	sums []T
	has  []bool
}

type sumIntAcc struct{ sumState[int64] }

type sumFloatAcc struct{ sumState[float64] }

func newSumAcc(arg, out arrow.DataType) (accumulator, error) {
	switch arg.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return &sumIntAcc{}, nil
	case arrow.FLOAT32, arrow.FLOAT64, arrow.NULL:
		return &sumFloatAcc{}, nil
	}
	return nil, fmt.Errorf("sum over %s is not supported", expr.SQLTypeName(arg))
}

func (s *sumState[T]) grow(n int) { s.sums, s.has = growSlice(s.sums, n), growSlice(s.has, n) }
func (s *sumState[T]) reset()     { s.sums, s.has = s.sums[:0], s.has[:0] }

func (s *sumState[T]) appendState(b []byte, g int32) []byte {
	if !s.has[g] {
		return append(b, 0)
	}
	return appendRaw(append(b, 1), s.sums[g])
}

func (s *sumState[T]) mergeState(g int32, b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, errShortState
	}
	if b[0] == 0 {
		return b[1:], nil
	}
	v, rest, err := readRaw[T](b[1:])
	s.sums[g] += v
	s.has[g] = true
	return rest, err
}

func (s *sumIntAcc) update(gids, idx []int32, args []arrow.Array) {
	a := args[0]
	switch a.DataType().ID() {
	case arrow.INT8:
		sumInts(s.sums, s.has, gids, idx, values[int8](a), nullBits(a))
	case arrow.INT16:
		sumInts(s.sums, s.has, gids, idx, values[int16](a), nullBits(a))
	case arrow.INT32:
		sumInts(s.sums, s.has, gids, idx, values[int32](a), nullBits(a))
	default:
		sumInts(s.sums, s.has, gids, idx, values[int64](a), nullBits(a))
	}
}

type signedInt interface {
	~int8 | ~int16 | ~int32 | ~int64
}

func sumInts[T signedInt](sums []int64, has []bool, gids, idx []int32, vals []T, nb bitmap) {
	switch {
	case nb.bits == nil && idx == nil:
		for j, g := range gids {
			sums[g] += int64(vals[j])
			has[g] = true
		}
	case nb.bits == nil:
		for j, g := range gids {
			sums[g] += int64(vals[idx[j]])
			has[g] = true
		}
	default:
		for j, g := range gids {
			i := rowOf(idx, j)
			if !nb.null(i) {
				sums[g] += int64(vals[i])
				has[g] = true
			}
		}
	}
}

func (s *sumIntAcc) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	return fixedArray(mem, arrow.PrimitiveTypes.Int64, s.sums, s.has, sel, n)
}

func (s *sumFloatAcc) update(gids, idx []int32, args []arrow.Array) {
	a := args[0]
	switch a.DataType().ID() {
	case arrow.FLOAT32:
		sumFloats(s.sums, s.has, gids, idx, values[float32](a), nullBits(a))
	case arrow.FLOAT64:
		sumFloats(s.sums, s.has, gids, idx, values[float64](a), nullBits(a))
	}
}

func sumFloats[T ~float32 | ~float64](sums []float64, has []bool, gids, idx []int32, vals []T, nb bitmap) {
	switch {
	case nb.bits == nil && idx == nil:
		for j, g := range gids {
			sums[g] += float64(vals[j])
			has[g] = true
		}
	default:
		for j, g := range gids {
			i := rowOf(idx, j)
			if !nb.null(i) {
				sums[g] += float64(vals[i])
				has[g] = true
			}
		}
	}
}

func (s *sumFloatAcc) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	return fixedArray(mem, arrow.PrimitiveTypes.Float64, s.sums, s.has, sel, n)
}

// each calls fn for the groups sel, or [0, n) when sel is nil.
func each(sel []int32, n int, fn func(g int32)) {
	if sel == nil {
		for g := 0; g < n; g++ {
			fn(int32(g))
		}
		return
	}
	for _, g := range sel {
		fn(g)
	}
}
