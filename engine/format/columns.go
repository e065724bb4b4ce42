package format

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// column accumulates the values of one Arrow array in Go slices. Unlike
// arrow's builders it can be truncated, which is how a decoder takes back
// the values of a record that turns out to be malformed.
type column interface {
	Len() int
	AppendNull()
	// Truncate drops every value from row n on.
	Truncate(n int)
	// finish copies the values into buffers from mem and empties the
	// column, keeping its capacity for the next batch.
	finish(mem memory.Allocator) arrow.ArrayData
}

// validity is a growable bitmap.
type validity struct {
	bits []byte
	n    int
}

func (v *validity) append(ok bool) {
	if v.n&7 == 0 {
		v.bits = append(v.bits, 0)
	}
	if ok {
		v.bits[v.n>>3] |= 1 << (v.n & 7)
	}
	v.n++
}

func (v *validity) truncate(n int) {
	v.bits = v.bits[:(n+7)>>3]
	if n&7 != 0 {
		v.bits[n>>3] &= byte(1<<(n&7)) - 1
	}
	v.n = n
}

// buffer returns the bitmap as an Arrow buffer and its null count; the
// buffer is nil when there are no nulls.
func (v *validity) buffer(mem memory.Allocator) (*memory.Buffer, int) {
	nulls := v.n - bitutil.CountSetBits(v.bits, 0, v.n)
	if nulls == 0 {
		return nil, 0
	}
	return copyBuffer(mem, v.bits), nulls
}

func (v *validity) reset() {
	v.bits = v.bits[:0]
	v.n = 0
}

func copyBuffer(mem memory.Allocator, b []byte) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(len(b))
	copy(buf.Bytes(), b)
	return buf
}

// offsetsBuffer returns the Arrow offsets of values whose ends are ends:
// a 0 followed by ends.
func offsetsBuffer(mem memory.Allocator, ends []int32) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize((len(ends) + 1) * 4)
	offs := arrow.Int32Traits.CastFromBytes(buf.Bytes())
	offs[0] = 0
	copy(offs[1:], ends)
	return buf
}

func releaseBuffers(bufs []*memory.Buffer) {
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
}

// fixedColumn holds fixed-width values: integers, floats, decimals,
// timestamps and dates.
type fixedColumn[T int8 | int16 | int32 | int64 | float32 | float64 | decimal128.Num] struct {
	typ   arrow.DataType
	vals  []T
	valid validity
}

func (c *fixedColumn[T]) Len() int { return len(c.vals) }

func (c *fixedColumn[T]) Append(v T) {
	c.vals = append(c.vals, v)
	c.valid.append(true)
}

func (c *fixedColumn[T]) AppendNull() {
	var zero T
	c.vals = append(c.vals, zero)
	c.valid.append(false)
}

func (c *fixedColumn[T]) Truncate(n int) {
	c.vals = c.vals[:n]
	c.valid.truncate(n)
}

func (c *fixedColumn[T]) finish(mem memory.Allocator) arrow.ArrayData {
	n := len(c.vals)
	nullBuf, nulls := c.valid.buffer(mem)
	var raw []byte
	if n > 0 {
		var zero T
		raw = unsafe.Slice((*byte)(unsafe.Pointer(&c.vals[0])), n*int(unsafe.Sizeof(zero)))
	}
	bufs := []*memory.Buffer{nullBuf, copyBuffer(mem, raw)}
	data := array.NewData(c.typ, n, bufs, nil, nulls, 0)
	releaseBuffers(bufs)
	c.vals = c.vals[:0]
	c.valid.reset()
	return data
}

// boolColumn holds booleans as a bitmap.
type boolColumn struct {
	vals  validity
	valid validity
}

func (c *boolColumn) Len() int { return c.valid.n }

func (c *boolColumn) Append(v bool) {
	c.vals.append(v)
	c.valid.append(true)
}

func (c *boolColumn) AppendNull() {
	c.vals.append(false)
	c.valid.append(false)
}

func (c *boolColumn) Truncate(n int) {
	c.vals.truncate(n)
	c.valid.truncate(n)
}

func (c *boolColumn) finish(mem memory.Allocator) arrow.ArrayData {
	n := c.valid.n
	nullBuf, nulls := c.valid.buffer(mem)
	bufs := []*memory.Buffer{nullBuf, copyBuffer(mem, c.vals.bits)}
	data := array.NewData(arrow.FixedWidthTypes.Boolean, n, bufs, nil, nulls, 0)
	releaseBuffers(bufs)
	c.vals.reset()
	c.valid.reset()
	return data
}

// bytesColumn holds strings or binary values.
type bytesColumn struct {
	typ     arrow.DataType
	data    []byte
	offsets []int32 // offsets[i] is the end of value i; starts are implied
	valid   validity
}

func (c *bytesColumn) Len() int { return len(c.offsets) }

func (c *bytesColumn) Append(v []byte) {
	c.data = append(c.data, v...)
	c.offsets = append(c.offsets, int32(len(c.data)))
	c.valid.append(true)
}

func (c *bytesColumn) AppendString(v string) {
	c.data = append(c.data, v...)
	c.offsets = append(c.offsets, int32(len(c.data)))
	c.valid.append(true)
}

// commit appends the bytes written to c.data since the last value as a
// new value.
func (c *bytesColumn) commit() {
	c.offsets = append(c.offsets, int32(len(c.data)))
	c.valid.append(true)
}

func (c *bytesColumn) AppendNull() {
	c.offsets = append(c.offsets, int32(len(c.data)))
	c.valid.append(false)
}

func (c *bytesColumn) end() int {
	if len(c.offsets) == 0 {
		return 0
	}
	return int(c.offsets[len(c.offsets)-1])
}

func (c *bytesColumn) Truncate(n int) {
	c.offsets = c.offsets[:n]
	c.data = c.data[:c.end()]
	c.valid.truncate(n)
}

func (c *bytesColumn) finish(mem memory.Allocator) arrow.ArrayData {
	n := len(c.offsets)
	nullBuf, nulls := c.valid.buffer(mem)
	offBuf := offsetsBuffer(mem, c.offsets)
	bufs := []*memory.Buffer{nullBuf, offBuf, copyBuffer(mem, c.data)}
	data := array.NewData(c.typ, n, bufs, nil, nulls, 0)
	releaseBuffers(bufs)
	c.offsets = c.offsets[:0]
	c.data = c.data[:0]
	c.valid.reset()
	return data
}

// structColumn holds one child column per field; every child has one
// entry per struct row (null rows included).
type structColumn struct {
	typ      *arrow.StructType
	children []column
	valid    validity
}

func (c *structColumn) Len() int { return c.valid.n }

// appendValid records a non-null row; the caller has appended one value
// to every child.
func (c *structColumn) appendValid() { c.valid.append(true) }

func (c *structColumn) AppendNull() {
	for _, ch := range c.children {
		ch.AppendNull()
	}
	c.valid.append(false)
}

func (c *structColumn) Truncate(n int) {
	for _, ch := range c.children {
		ch.Truncate(n)
	}
	c.valid.truncate(n)
}

func (c *structColumn) finish(mem memory.Allocator) arrow.ArrayData {
	n := c.valid.n
	nullBuf, nulls := c.valid.buffer(mem)
	kids := make([]arrow.ArrayData, len(c.children))
	for i, ch := range c.children {
		kids[i] = ch.finish(mem)
	}
	data := array.NewData(c.typ, n, []*memory.Buffer{nullBuf}, kids, nulls, 0)
	if nullBuf != nil {
		nullBuf.Release()
	}
	for _, k := range kids {
		k.Release()
	}
	c.valid.reset()
	return data
}

// listColumn holds lists and maps (a map is a list of key/value structs).
type listColumn struct {
	typ     arrow.DataType
	offsets []int32 // end of each list in child
	child   column
	valid   validity
}

func (c *listColumn) Len() int { return len(c.offsets) }

// closeList ends a list whose elements were appended to child.
func (c *listColumn) closeList() {
	c.offsets = append(c.offsets, int32(c.child.Len()))
	c.valid.append(true)
}

func (c *listColumn) AppendNull() {
	c.offsets = append(c.offsets, int32(c.child.Len()))
	c.valid.append(false)
}

func (c *listColumn) Truncate(n int) {
	c.offsets = c.offsets[:n]
	end := 0
	if n > 0 {
		end = int(c.offsets[n-1])
	}
	c.child.Truncate(end)
	c.valid.truncate(n)
}

func (c *listColumn) finish(mem memory.Allocator) arrow.ArrayData {
	n := len(c.offsets)
	nullBuf, nulls := c.valid.buffer(mem)
	offBuf := offsetsBuffer(mem, c.offsets)
	child := c.child.finish(mem)
	bufs := []*memory.Buffer{nullBuf, offBuf}
	data := array.NewData(c.typ, n, bufs, []arrow.ArrayData{child}, nulls, 0)
	releaseBuffers(bufs)
	child.Release()
	c.offsets = c.offsets[:0]
	c.valid.reset()
	return data
}

// newColumn builds the column for an Arrow type of the engine's mapping.
// path names the column in errors.
func newColumn(t arrow.DataType, path string) (column, error) {
	switch t.ID() {
	case arrow.STRING, arrow.BINARY:
		return &bytesColumn{typ: t}, nil
	case arrow.BOOL:
		return &boolColumn{}, nil
	case arrow.INT8:
		return &fixedColumn[int8]{typ: t}, nil
	case arrow.INT16:
		return &fixedColumn[int16]{typ: t}, nil
	case arrow.INT32, arrow.DATE32:
		return &fixedColumn[int32]{typ: t}, nil
	case arrow.INT64:
		return &fixedColumn[int64]{typ: t}, nil
	case arrow.FLOAT32:
		return &fixedColumn[float32]{typ: t}, nil
	case arrow.FLOAT64:
		return &fixedColumn[float64]{typ: t}, nil
	case arrow.DECIMAL128:
		return &fixedColumn[decimal128.Num]{typ: t}, nil
	case arrow.TIMESTAMP:
		if t.(*arrow.TimestampType).Unit != arrow.Microsecond {
			break
		}
		return &fixedColumn[int64]{typ: t}, nil
	case arrow.STRUCT:
		st := t.(*arrow.StructType)
		sc := &structColumn{typ: st}
		for _, f := range st.Fields() {
			ch, err := newColumn(f.Type, path+"."+f.Name)
			if err != nil {
				return nil, err
			}
			sc.children = append(sc.children, ch)
		}
		return sc, nil
	case arrow.LIST:
		lt := t.(*arrow.ListType)
		ch, err := newColumn(lt.Elem(), path+".element")
		if err != nil {
			return nil, err
		}
		return &listColumn{typ: t, child: ch}, nil
	case arrow.MAP:
		mt := t.(*arrow.MapType)
		ch, err := newColumn(mt.Elem(), path)
		if err != nil {
			return nil, err
		}
		return &listColumn{typ: t, child: ch}, nil
	}
	return nil, fmt.Errorf("%w: column %q has type %s; use string, boolean, int8..int64, float32, float64, decimal128, timestamp[us, tz=UTC], date32, binary, struct, list or map",
		ErrUnsupportedType, path, t)
}

// ErrUnsupportedType is wrapped by errors about a schema column whose type
// the format cannot read or write.
var ErrUnsupportedType = errors.New("unsupported column type")

// newRecord finishes columns into a record of schema with n rows.
func newRecord(schema *arrow.Schema, cols []column, n int, mem memory.Allocator) arrow.Record {
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		data := c.finish(mem)
		arrs[i] = array.MakeFromData(data)
		data.Release()
	}
	rec := array.NewRecord(schema, arrs, int64(n))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

func truncateAll(cols []column, n int) {
	for _, c := range cols {
		if c.Len() > n {
			c.Truncate(n)
		}
	}
}
