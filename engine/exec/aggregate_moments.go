package exec

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// ---- avg, stddev, variance ----

// momentsAcc keeps count, mean and the sum of squared deviations (M2) of
// each group (Welford), from which avg, variance and stddev follow; avg
// keeps a plain sum instead, as Spark does.
type momentsAcc struct {
	fn    string
	count []int64
	sum   []float64 // avg: the sum; others: the mean
	m2    []float64
}

func newMomentsAcc(arg arrow.DataType, fn string) (accumulator, error) {
	switch arg.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64, arrow.NULL:
		return &momentsAcc{fn: fn}, nil
	}
	return nil, fmt.Errorf("%s over %s is not supported", fn, expr.SQLTypeName(arg))
}

func (m *momentsAcc) grow(n int) {
	m.count, m.sum = growSlice(m.count, n), growSlice(m.sum, n)
	if m.fn != "avg" {
		m.m2 = growSlice(m.m2, n)
	}
}

func (m *momentsAcc) reset() { m.count, m.sum, m.m2 = m.count[:0], m.sum[:0], m.m2[:0] }

func (m *momentsAcc) update(gids, idx []int32, args []arrow.Array) {
	a := args[0]
	nb := nullBits(a)
	switch a.DataType().ID() {
	case arrow.INT8:
		addMoments(m, gids, idx, values[int8](a), nb)
	case arrow.INT16:
		addMoments(m, gids, idx, values[int16](a), nb)
	case arrow.INT32:
		addMoments(m, gids, idx, values[int32](a), nb)
	case arrow.INT64:
		addMoments(m, gids, idx, values[int64](a), nb)
	case arrow.FLOAT32:
		addMoments(m, gids, idx, values[float32](a), nb)
	case arrow.FLOAT64:
		addMoments(m, gids, idx, values[float64](a), nb)
	}
}

func addMoments[T signedInt | ~float32 | ~float64](m *momentsAcc, gids, idx []int32, vals []T, nb bitmap) {
	count, sum := m.count, m.sum
	if m.fn == "avg" {
		if nb.bits == nil && idx == nil {
			for j, g := range gids {
				sum[g] += float64(vals[j])
				count[g]++
			}
			return
		}
		for j, g := range gids {
			i := rowOf(idx, j)
			if !nb.null(i) {
				sum[g] += float64(vals[i])
				count[g]++
			}
		}
		return
	}
	m2 := m.m2
	for j, g := range gids {
		i := rowOf(idx, j)
		if nb.null(i) {
			continue
		}
		x := float64(vals[i])
		count[g]++
		d := x - sum[g]
		sum[g] += d / float64(count[g])
		m2[g] += d * (x - sum[g])
	}
}

func (m *momentsAcc) appendState(b []byte, g int32) []byte {
	b = binary.AppendUvarint(b, uint64(m.count[g]))
	if m.count[g] == 0 {
		return b
	}
	b = appendRaw(b, m.sum[g])
	if m.fn != "avg" {
		b = appendRaw(b, m.m2[g])
	}
	return b
}

func (m *momentsAcc) mergeState(g int32, b []byte) ([]byte, error) {
	n, b, err := readUvarint(b)
	if err != nil || n == 0 {
		return b, err
	}
	s, b, err := readRaw[float64](b)
	if err != nil {
		return nil, err
	}
	if m.fn == "avg" {
		m.count[g] += int64(n)
		m.sum[g] += s
		return b, nil
	}
	m2, b, err := readRaw[float64](b)
	if err != nil {
		return nil, err
	}
	// Chan et al.'s parallel combination of two (count, mean, M2).
	na, nb := float64(m.count[g]), float64(n)
	tot := na + nb
	d := m.sum[g] - s
	m.sum[g] = s + d*na/tot
	m.m2[g] += m2 + d*d*na*nb/tot
	m.count[g] += int64(n)
	return b, nil
}

func (m *momentsAcc) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	if sel == nil {
		sel = make([]int32, n)
		for i := range sel {
			sel[i] = int32(i)
		}
	}
	out := make([]float64, len(sel))
	valid := make([]bool, len(sel))
	for j, g := range sel {
		c := float64(m.count[g])
		switch m.fn {
		case "avg":
			out[j], valid[j] = m.sum[g]/c, c > 0
		case "var_pop":
			out[j], valid[j] = m.m2[g]/c, c > 0
		case "stddev_pop":
			out[j], valid[j] = math.Sqrt(m.m2[g]/c), c > 0
		case "variance", "var_samp":
			out[j], valid[j] = m.m2[g]/(c-1), c > 1
		default: // stddev, std, stddev_samp
			out[j], valid[j] = math.Sqrt(m.m2[g]/(c-1)), c > 1
		}
	}
	return fixedArray(mem, arrow.PrimitiveTypes.Float64, out, valid, nil, len(sel))
}

// ---- bool_and, bool_or ----

type boolAcc struct {
	and bool
	val []bool
	has []bool
}

func (a *boolAcc) grow(n int) { a.val, a.has = growSlice(a.val, n), growSlice(a.has, n) }
func (a *boolAcc) reset()     { a.val, a.has = a.val[:0], a.has[:0] }

func (a *boolAcc) update(gids, idx []int32, args []arrow.Array) {
	b := args[0].(*array.Boolean)
	nb := nullBits(b)
	for j, g := range gids {
		i := rowOf(idx, j)
		if nb.null(i) {
			continue
		}
		a.fold(g, b.Value(i))
	}
}

func (a *boolAcc) fold(g int32, v bool) {
	switch {
	case !a.has[g]:
		a.val[g] = v
	case a.and:
		a.val[g] = a.val[g] && v
	default:
		a.val[g] = a.val[g] || v
	}
	a.has[g] = true
}

func (a *boolAcc) appendState(b []byte, g int32) []byte {
	switch {
	case !a.has[g]:
		return append(b, 0)
	case a.val[g]:
		return append(b, 2)
	}
	return append(b, 1)
}

func (a *boolAcc) mergeState(g int32, b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, errShortState
	}
	if b[0] != 0 {
		a.fold(g, b[0] == 2)
	}
	return b[1:], nil
}

func (a *boolAcc) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	bb := array.NewBooleanBuilder(mem)
	defer bb.Release()
	each(sel, n, func(g int32) {
		if a.has[g] {
			bb.Append(a.val[g])
		} else {
			bb.AppendNull()
		}
	})
	return bb.NewArray()
}
