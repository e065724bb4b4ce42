package exec

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// Value accumulators keep one value per group: min, max, first, last.
// Fixed-width values are kept as their physical Go type (timestamps as
// int64, dates as int32, booleans as uint8), strings and binaries as Go
// strings.

type valueFn uint8

const (
	fnMin valueFn = iota
	fnMax
	fnFirst
	fnLast
)

// valueAcc is a value accumulator over values of type T.
type valueAcc[T cmp.Ordered] struct {
	fn          valueFn
	ignoreNulls bool
	typ         arrow.DataType
	vals        []T
	has         []bool // a non-null value is kept
	set         []bool // first/last: a row was taken (its value may be null)
	scratch     []int32
}

func newValueAcc(t arrow.DataType, name string, ignoreNulls bool) (accumulator, error) {
	fn := map[string]valueFn{"min": fnMin, "max": fnMax, "first": fnFirst, "last": fnLast}[name]
	switch t.ID() {
	case arrow.INT8:
		return &valueAcc[int8]{fn: fn, ignoreNulls: ignoreNulls, typ: t}, nil
	case arrow.INT16:
		return &valueAcc[int16]{fn: fn, ignoreNulls: ignoreNulls, typ: t}, nil
	case arrow.INT32, arrow.DATE32:
		return &valueAcc[int32]{fn: fn, ignoreNulls: ignoreNulls, typ: t}, nil
	case arrow.INT64, arrow.TIMESTAMP:
		return &valueAcc[int64]{fn: fn, ignoreNulls: ignoreNulls, typ: t}, nil
	case arrow.FLOAT32:
		return &valueAcc[float32]{fn: fn, ignoreNulls: ignoreNulls, typ: t}, nil
	case arrow.FLOAT64:
		return &valueAcc[float64]{fn: fn, ignoreNulls: ignoreNulls, typ: t}, nil
	case arrow.BOOL:
		return &valueAcc[uint8]{fn: fn, ignoreNulls: ignoreNulls, typ: t}, nil
	case arrow.STRING, arrow.BINARY:
		return &valueAcc[string]{fn: fn, ignoreNulls: ignoreNulls, typ: t}, nil
	}
	return nil, fmt.Errorf("%s over %s is not supported; cast the column to a supported type (e.g. DOUBLE or STRING) first", name, expr.SQLTypeName(t))
}

func (v *valueAcc[T]) grow(n int) {
	v.vals, v.has, v.set = growSlice(v.vals, n), growSlice(v.has, n), growSlice(v.set, n)
}

func (v *valueAcc[T]) reset() { v.vals, v.has, v.set = v.vals[:0], v.has[:0], v.set[:0] }

// better reports whether a should replace b as the kept min or max (Spark
// orders NaN above every other float).
func better[T cmp.Ordered](fn valueFn, a, b T) bool {
	if fn == fnMax {
		return a > b || (a != a && b == b)
	}
	return a < b || (b != b && a == a)
}

func (v *valueAcc[T]) update(gids, idx []int32, args []arrow.Array) {
	a := args[0]
	nb := nullBits(a)
	var vals []T
	switch a.DataType().ID() {
	case arrow.STRING, arrow.BINARY:
		any(v).(*valueAcc[string]).updateBytes(gids, idx, a, nb)
		return
	case arrow.BOOL:
		vals = any(unpackBools(a)).([]T)
	case arrow.NULL:
		vals = make([]T, a.Len())
	default:
		vals = values[T](a)
	}
	switch v.fn {
	case fnMin, fnMax:
		if nb.bits == nil {
			minMaxLoop(v, gids, idx, vals)
			return
		}
		for j, g := range gids {
			i := rowOf(idx, j)
			if nb.null(i) {
				continue
			}
			if x := vals[i]; !v.has[g] || better(v.fn, x, v.vals[g]) {
				v.vals[g], v.has[g] = x, true
			}
		}
	case fnFirst:
		for j, g := range gids {
			if v.set[g] && (v.has[g] || !v.ignoreNulls) {
				continue
			}
			i := rowOf(idx, j)
			if nb.null(i) {
				if !v.ignoreNulls {
					v.set[g] = true
				}
				continue
			}
			v.vals[g], v.has[g], v.set[g] = vals[i], true, true
		}
	case fnLast:
		for j, g := range gids {
			i := rowOf(idx, j)
			if nb.null(i) {
				if !v.ignoreNulls {
					v.set[g], v.has[g] = true, false
				}
				continue
			}
			v.vals[g], v.has[g], v.set[g] = vals[i], true, true
		}
	}
}

// updateBytes is update over a string or binary column: values are read
// in place and copied only when kept.
func (v *valueAcc[T]) updateBytes(gids, idx []int32, a arrow.Array, nb bitmap) {
	sv := any(v).(*valueAcc[string])
	strs := stringsView{offs: binaryOffsets(a), data: binaryData(a)}
	switch v.fn {
	case fnMin, fnMax:
		for j, g := range gids {
			i := rowOf(idx, j)
			if nb.null(i) {
				continue
			}
			if x := strs.view(i); !sv.has[g] || better(v.fn, x, sv.vals[g]) {
				sv.vals[g], sv.has[g] = strs.at(i), true
			}
		}
	case fnFirst:
		for j, g := range gids {
			if sv.set[g] && (sv.has[g] || !v.ignoreNulls) {
				continue
			}
			i := rowOf(idx, j)
			if nb.null(i) {
				if !v.ignoreNulls {
					sv.set[g] = true
				}
				continue
			}
			sv.vals[g], sv.has[g], sv.set[g] = strs.at(i), true, true
		}
	case fnLast:
		// find each group's last row of the batch, then copy only it
		last := growSlice(sv.scratch, len(sv.vals))
		for j, g := range gids {
			i := rowOf(idx, j)
			if nb.null(i) && v.ignoreNulls {
				continue
			}
			last[g] = int32(j) + 1
		}
		for j, g := range gids {
			if last[g] != int32(j)+1 {
				continue
			}
			last[g] = 0
			i := rowOf(idx, j)
			sv.set[g] = true
			if nb.null(i) {
				sv.has[g] = false
				continue
			}
			sv.vals[g], sv.has[g] = strs.at(i), true
		}
		sv.scratch = last
	}
}

// minMaxLoop is the null-free fixed-width min/max loop.
func minMaxLoop[T cmp.Ordered](v *valueAcc[T], gids, idx []int32, vals []T) {
	fn, dst, has := v.fn, v.vals, v.has
	for j, g := range gids {
		x := vals[rowOf(idx, j)]
		if !has[g] || better(fn, x, dst[g]) {
			dst[g], has[g] = x, true
		}
	}
}

// stringsView reads a string or binary array without copying.
type stringsView struct {
	offs []int32
	data []byte
}

// view aliases row i's bytes as a string; valid only while the array is.
func (s *stringsView) view(i int) string {
	b := s.data[s.offs[i]:s.offs[i+1]]
	if len(b) == 0 {
		return ""
	}
	return unsafeString(b)
}

func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// at copies row i's bytes into a new string.
func (s *stringsView) at(i int) string { return string(s.data[s.offs[i]:s.offs[i+1]]) }

func unpackBools(a arrow.Array) []uint8 {
	b := a.(*array.Boolean)
	out := make([]uint8, b.Len())
	for i := range out {
		if b.Value(i) {
			out[i] = 1
		}
	}
	return out
}

// state: 0 nothing kept, 1 a null was taken (first/last), 2 a value.
func (v *valueAcc[T]) appendState(b []byte, g int32) []byte {
	switch {
	case v.has[g]:
		return appendStateValue(append(b, 2), v.vals[g])
	case v.set[g]:
		return append(b, 1)
	}
	return append(b, 0)
}

func appendStateValue[T cmp.Ordered](b []byte, x T) []byte {
	if s, ok := any(x).(string); ok {
		b = binary.AppendUvarint(b, uint64(len(s)))
		return append(b, s...)
	}
	return appendRaw(b, x)
}

func readStateValue[T cmp.Ordered](b []byte) (T, []byte, error) {
	var zero T
	if _, ok := any(zero).(string); ok {
		n, rest, err := readUvarint(b)
		if err != nil || uint64(len(rest)) < n {
			return zero, nil, errShortState
		}
		return any(string(rest[:n])).(T), rest[n:], nil
	}
	return readRaw[T](b)
}

func (v *valueAcc[T]) mergeState(g int32, b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, errShortState
	}
	tag, b := b[0], b[1:]
	var x T
	if tag == 2 {
		var err error
		if x, b, err = readStateValue[T](b); err != nil {
			return nil, err
		}
	}
	if tag == 0 {
		return b, nil
	}
	// the stored state comes before the group's current rows
	switch v.fn {
	case fnMin, fnMax:
		if tag == 2 && (!v.has[g] || better(v.fn, x, v.vals[g])) {
			v.vals[g], v.has[g] = x, true
		}
	case fnFirst:
		if tag == 2 || !v.ignoreNulls {
			v.vals[g], v.has[g], v.set[g] = x, tag == 2, true
		}
	case fnLast:
		if !v.set[g] {
			v.vals[g], v.has[g], v.set[g] = x, tag == 2, true
		}
	}
	return b, nil
}

func (v *valueAcc[T]) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	switch v.typ.ID() {
	case arrow.BOOL:
		bb := array.NewBooleanBuilder(mem)
		defer bb.Release()
		each(sel, n, func(g int32) {
			if v.has[g] {
				bb.Append(any(v.vals[g]).(uint8) == 1)
			} else {
				bb.AppendNull()
			}
		})
		return bb.NewArray()
	case arrow.STRING, arrow.BINARY:
		bb := array.NewBuilder(mem, v.typ)
		defer bb.Release()
		each(sel, n, func(g int32) {
			switch b := bb.(type) {
			case *array.StringBuilder:
				if v.has[g] {
					b.Append(any(v.vals[g]).(string))
				} else {
					b.AppendNull()
				}
			case *array.BinaryBuilder:
				if v.has[g] {
					b.AppendString(any(v.vals[g]).(string))
				} else {
					b.AppendNull()
				}
			}
		})
		return bb.NewArray()
	}
	return fixedArray(mem, v.typ, v.vals, v.has, sel, n)
}
