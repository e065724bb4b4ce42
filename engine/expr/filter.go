package expr

import (
	"fmt"
	"math/bits"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func memoryDefault() memory.Allocator { return memory.DefaultAllocator }

// SelectionIndices returns the rows where mask is true (null counts as
// false), and whether every row was selected.
func SelectionIndices(mask *array.Boolean) (idx []int32, all bool) {
	n := mask.Len()
	d := mask.Data()
	off := d.Offset()
	vals := d.Buffers()[1].Bytes()
	vb, voff := validity(mask)
	if off%8 == 0 && vb == nil {
		vals = vals[off/8:]
		count := 0
		full := n / 8
		for _, b := range vals[:full] {
			count += bits.OnesCount8(b)
		}
		for i := full * 8; i < n; i++ {
			count += int(vals[i>>3] >> uint(i&7) & 1)
		}
		if count == n {
			return nil, true
		}
		idx = make([]int32, 0, count)
		for j, b := range vals[:full] {
			for b != 0 {
				t := bits.TrailingZeros8(b)
				idx = append(idx, int32(j*8+t))
				b &= b - 1
			}
		}
		for i := full * 8; i < n; i++ {
			if vals[i>>3]>>uint(i&7)&1 != 0 {
				idx = append(idx, int32(i))
			}
		}
		return idx, false
	}
	for i := 0; i < n; i++ {
		if mask.Value(i) && isValid(vb, voff, i) {
			idx = append(idx, int32(i))
		}
	}
	return idx, len(idx) == n
}

// FilterRecord keeps the rows of rec where mask is true (null is false),
// column by column, allocating from the Go heap. The caller releases the
// result.
func FilterRecord(rec arrow.Record, mask *array.Boolean) arrow.Record {
	return FilterRecordAlloc(memory.DefaultAllocator, rec, mask)
}

// FilterRecordAlloc is FilterRecord allocating from mem.
func FilterRecordAlloc(mem memory.Allocator, rec arrow.Record, mask *array.Boolean) arrow.Record {
	if int64(mask.Len()) != rec.NumRows() {
		panic(fmt.Sprintf("expr.FilterRecord: mask has %d rows, record %d", mask.Len(), rec.NumRows()))
	}
	idx, all := SelectionIndices(mask)
	if all {
		rec.Retain()
		return rec
	}
	return TakeRecord(mem, rec, idx)
}

// TakeRecord builds a record from the rows idx of rec (in that order,
// repeats allowed). The caller releases the result.
func TakeRecord(mem memory.Allocator, rec arrow.Record, idx []int32) arrow.Record {
	c := &evalCtx{mem: mem, n: len(idx)}
	cols := make([]arrow.Array, rec.NumCols())
	for i, col := range rec.Columns() {
		cols[i] = takeIndices(c, col, idx)
	}
	out := array.NewRecord(rec.Schema(), cols, int64(len(idx)))
	releaseAll(cols)
	return out
}

// Take returns the rows idx of a; an index of -1 gives null.
func Take(mem memory.Allocator, a arrow.Array, idx []int32) arrow.Array {
	return takeIndices(&evalCtx{mem: mem, n: len(idx)}, a, idx)
}

// takeIndices gathers rows of a; idx -1 is a null row.
func takeIndices(c *evalCtx, a arrow.Array, idx []int32) arrow.Array {
	n := len(idx)
	t := a.DataType()
	valid, nulls := takeValidity(c, a, idx)
	switch t.ID() {
	case arrow.INT8, arrow.UINT8:
		return makeArray(t, n, valid, nulls, gather[int8](c, a, idx))
	case arrow.INT16, arrow.UINT16, arrow.FLOAT16:
		return makeArray(t, n, valid, nulls, gather[int16](c, a, idx))
	case arrow.INT32, arrow.UINT32, arrow.FLOAT32, arrow.DATE32:
		return makeArray(t, n, valid, nulls, gather[int32](c, a, idx))
	case arrow.INT64, arrow.UINT64, arrow.FLOAT64, arrow.TIMESTAMP, arrow.DATE64, arrow.DURATION:
		return makeArray(t, n, valid, nulls, gather[int64](c, a, idx))
	case arrow.DECIMAL128:
		return makeArray(t, n, valid, nulls, gather[decimalNum](c, a, idx))
	case arrow.BOOL:
		out := allocBitmap(c.mem, n)
		ob := out.Bytes()
		src := a.Data().Buffers()[1].Bytes()
		off := a.Data().Offset()
		for i, j := range idx {
			if j >= 0 && isValid(src, off, int(j)) {
				setBit(ob, i)
			}
		}
		return makeArray(t, n, valid, nulls, out)
	case arrow.STRING, arrow.BINARY:
		s := a.(binaryLike)
		offs, data := binData(s)
		offBuf, no := fixedBuf[int32](c.mem, n+1)
		if no == nil {
			offBuf.Resize(4)
			no = castSlice[int32](offBuf.Bytes(), 1)
		}
		total := 0
		for i, j := range idx {
			no[i] = int32(total)
			if j >= 0 {
				total += int(offs[j+1] - offs[j])
			}
		}
		no[n] = int32(total)
		dataBuf := allocBuf(c.mem, total)
		db := dataBuf.Bytes()
		for i, j := range idx {
			if j >= 0 {
				copy(db[no[i]:no[i+1]], data[offs[j]:offs[j+1]])
			}
		}
		return makeArray(t, n, valid, nulls, offBuf, dataBuf)
	case arrow.STRUCT:
		s := a.(*array.Struct)
		kids := make([]arrow.ArrayData, s.NumField())
		made := make([]arrow.Array, s.NumField())
		for f := range kids {
			made[f] = takeIndices(c, s.Field(f), idx)
			kids[f] = made[f].Data()
		}
		out := makeNested(t, n, valid, nulls, nil, kids)
		releaseAll(made)
		return out
	case arrow.LIST, arrow.MAP:
		var child arrow.Array
		var ll array.ListLike = a.(array.ListLike)
		if m, ok := a.(*array.Map); ok {
			child = m.ListValues()
		} else {
			child = a.(*array.List).ListValues()
		}
		offBuf, no := fixedBuf[int32](c.mem, n+1)
		if no == nil {
			offBuf.Resize(4)
			no = castSlice[int32](offBuf.Bytes(), 1)
		}
		var childIdx []int32
		for i, j := range idx {
			no[i] = int32(len(childIdx))
			if j >= 0 && !a.IsNull(int(j)) {
				s, e := ll.ValueOffsets(int(j))
				for k := s; k < e; k++ {
					childIdx = append(childIdx, int32(k))
				}
			}
		}
		no[n] = int32(len(childIdx))
		kid := takeIndices(c, child, childIdx)
		out := makeNested(t, n, valid, nulls, []*memory.Buffer{offBuf}, []arrow.ArrayData{kid.Data()})
		kid.Release()
		return out
	case arrow.NULL:
		if valid != nil {
			valid.Release()
		}
		return array.NewNull(n)
	}
	if valid != nil {
		valid.Release()
	}
	b := array.NewBuilder(c.mem, t)
	defer b.Release()
	for _, j := range idx {
		if j < 0 {
			b.AppendNull()
			continue
		}
		appendValue(b, valueAt(a, int(j)))
	}
	return b.NewArray()
}

func gather[T any](c *evalCtx, a arrow.Array, idx []int32) *memory.Buffer {
	src := values[T](a)
	buf, out := fixedBuf[T](c.mem, len(idx))
	for i, j := range idx {
		if j >= 0 {
			out[i] = src[j]
		}
	}
	return buf
}

func takeValidity(c *evalCtx, a arrow.Array, idx []int32) (*memory.Buffer, int) {
	n := len(idx)
	hasMissing := false
	for _, j := range idx {
		if j < 0 {
			hasMissing = true
			break
		}
	}
	if a.NullN() == 0 && !hasMissing {
		return nil, 0
	}
	vb, off := validity(a)
	allNull := a.NullN() == a.Len() && vb == nil
	out := allocBitmap(c.mem, n)
	ob := out.Bytes()
	memory.Set(ob, 0)
	nulls := 0
	for i, j := range idx {
		if j >= 0 && !allNull && isValid(vb, off, int(j)) {
			setBit(ob, i)
		} else {
			nulls++
		}
	}
	return out, nulls
}
