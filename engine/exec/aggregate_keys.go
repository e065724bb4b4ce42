package exec

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// Grouping keys are encoded as bytes, column by column, so that a group
// is found with one hash and one byte comparison whatever its columns,
// and so that the same bytes serve as the group's state-store key. Each
// column is a flag byte (0 null, 1 valid) followed by its value:
//
//	bool, int8          1 byte
//	int16               2 bytes
//	int32, date         4 bytes
//	int64, timestamp    8 bytes
//	float32 / float64   4 / 8 bytes (-0.0 as 0.0, every NaN alike)
//	decimal128          16 bytes
//	string, binary      4-byte length, then the bytes
//	window              8 bytes: the start (the end follows from the spec)
//
// Integers are big-endian with the sign bit flipped and floats use the
// IEEE order trick, so byte order is value order for fixed-width keys: a
// store's sorted keys list windows chronologically. Null values write
// zero bytes after their flag, so every row of a fixed-width key has the
// same length.

type keyKind uint8

const (
	kBool keyKind = iota
	kInt8
	kInt16
	kInt32
	kInt64
	kFloat32
	kFloat64
	kDecimal
	kBytes
	kWindow
)

// keyCol is one grouping column of the encoding.
type keyCol struct {
	kind  keyKind
	typ   arrow.DataType
	width int // value bytes after the flag; 4 (the length) for kBytes
	// window: the window length, to rebuild the end from the start
	span int64
}

func newKeyCol(t arrow.DataType) (keyCol, error) {
	c := keyCol{typ: t}
	switch t.ID() {
	case arrow.BOOL:
		c.kind, c.width = kBool, 1
	case arrow.INT8:
		c.kind, c.width = kInt8, 1
	case arrow.INT16:
		c.kind, c.width = kInt16, 2
	case arrow.INT32, arrow.DATE32:
		c.kind, c.width = kInt32, 4
	case arrow.INT64, arrow.TIMESTAMP:
		c.kind, c.width = kInt64, 8
	case arrow.FLOAT32:
		c.kind, c.width = kFloat32, 4
	case arrow.FLOAT64:
		c.kind, c.width = kFloat64, 8
	case arrow.DECIMAL128:
		c.kind, c.width = kDecimal, 16
	case arrow.STRING, arrow.BINARY:
		c.kind, c.width = kBytes, 4
	case arrow.NULL:
		c.kind, c.width = kBool, 1
	default:
		return c, fmt.Errorf("grouping by a column of type %s is not supported; group by its fields or cast it to a string", expr.SQLTypeName(t))
	}
	return c, nil
}

// keyInput is one key column of a batch: an array read at the row
// indices, or, for a time window, the window starts (one per output row).
type keyInput struct {
	arr    arrow.Array
	starts []int64
}

// keyEncoder encodes the key columns of batches of rows.
type keyEncoder struct {
	cols  []keyCol
	fixed int  // bytes per row excluding variable-length data
	vars  bool // some column has variable length

	buf  []byte
	offs []int32
	cur  []int32
}

func newKeyEncoder(cols []keyCol) *keyEncoder {
	e := &keyEncoder{cols: cols}
	for _, c := range cols {
		e.fixed += 1 + c.width
		e.vars = e.vars || c.kind == kBytes
	}
	return e
}

// encode encodes n rows: row j reads input row idx[j] (j when idx is nil)
// of each array column and starts[j] of a window column. The returned
// slices are reused by the next call.
func (e *keyEncoder) encode(in []keyInput, idx []int32, n int) (buf []byte, offs []int32) {
	offs = grow32(e.offs, n+1)
	if !e.vars {
		for j := 0; j <= n; j++ {
			offs[j] = int32(j * e.fixed)
		}
	} else {
		for j := 0; j < n; j++ {
			offs[j+1] = int32(e.fixed)
		}
		for c, col := range e.cols {
			if col.kind == kBytes {
				addLengths(offs[1:], in[c].arr, idx)
			}
		}
		offs[0] = 0
		for j := 1; j <= n; j++ {
			offs[j] += offs[j-1]
		}
	}
	total := int(offs[n])
	if cap(e.buf) < total {
		e.buf = make([]byte, total+total/4)
	}
	buf = e.buf[:total]
	cur := grow32(e.cur, n)
	copy(cur, offs[:n])
	for c, col := range e.cols {
		encodeColumn(buf, cur, col, in[c], idx, n)
	}
	e.buf, e.offs, e.cur = buf, offs, cur
	return buf, offs
}

func grow32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n, n+n/4)
	}
	return s[:n]
}

// addLengths adds the byte length of each row's string to sizes.
func addLengths(sizes []int32, a arrow.Array, idx []int32) {
	vo := binaryOffsets(a)
	nb := nullBits(a)
	for j := range sizes {
		i := rowOf(idx, j)
		if nb.null(i) {
			continue
		}
		sizes[j] += vo[i+1] - vo[i]
	}
}

// bitmap reads an Arrow validity bitmap; a nil bitmap means no nulls.
type bitmap struct {
	bits []byte
	off  int
}

func nullBits(a arrow.Array) bitmap {
	if a == nil || a.NullN() == 0 {
		if a != nil && a.DataType().ID() == arrow.NULL {
			return bitmap{bits: allNull[:], off: 0}
		}
		return bitmap{}
	}
	return bitmap{a.NullBitmapBytes(), a.Data().Offset()}
}

// allNull is a bitmap long enough for nothing: a NULL-typed array has no
// bitmap, and every index is out of it. null() treats it as all null.
var allNull [0]byte

func (b bitmap) null(i int) bool {
	if b.bits == nil {
		return false
	}
	if len(b.bits) == 0 {
		return true
	}
	k := b.off + i
	return b.bits[k>>3]&(1<<uint(k&7)) == 0
}

// values returns the fixed-width values of a as []T, offset applied.
func values[T any](a arrow.Array) []T {
	d := a.Data()
	bufs := d.Buffers()
	if len(bufs) < 2 || bufs[1] == nil || d.Len() == 0 {
		return nil
	}
	var zero T
	raw := bufs[1].Bytes()
	all := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(raw))), len(raw)/int(unsafe.Sizeof(zero)))
	return all[d.Offset() : d.Offset()+d.Len()]
}

// binaryOffsets returns the value offsets of a string or binary array
// (offset applied: row i spans data[vo[i]:vo[i+1]]).
func binaryOffsets(a arrow.Array) []int32 {
	d := a.Data()
	raw := d.Buffers()[1]
	if raw == nil {
		return make([]int32, d.Len()+1)
	}
	all := unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(raw.Bytes()))), raw.Len()/4)
	return all[d.Offset() : d.Offset()+d.Len()+1]
}

func binaryData(a arrow.Array) []byte {
	b := a.Data().Buffers()[2]
	if b == nil {
		return nil
	}
	return b.Bytes()
}

const signBit = uint64(1) << 63

// orderedFloat64 maps a float to bits whose unsigned order is the
// float's order (NaN after +Inf), with -0.0 as 0.0 and one NaN.
func orderedFloat64(f float64) uint64 {
	if f == 0 {
		f = 0
	}
	if f != f {
		f = math.NaN()
	}
	b := math.Float64bits(f)
	if b&signBit != 0 {
		return ^b
	}
	return b | signBit
}

func unorderFloat64(b uint64) float64 {
	if b&signBit != 0 {
		return math.Float64frombits(b &^ signBit)
	}
	return math.Float64frombits(^b)
}

func orderedFloat32(f float32) uint32 {
	if f == 0 {
		f = 0
	}
	if f != f {
		f = float32(math.NaN())
	}
	b := math.Float32bits(f)
	if b&(1<<31) != 0 {
		return ^b
	}
	return b | 1<<31
}

func unorderFloat32(b uint32) float32 {
	if b&(1<<31) != 0 {
		return math.Float32frombits(b &^ (1 << 31))
	}
	return math.Float32frombits(^b)
}

// encodeColumn writes one column of n rows at the cursors, advancing them.
func encodeColumn(buf []byte, cur []int32, col keyCol, in keyInput, idx []int32, n int) {
	if col.kind == kWindow {
		for j := 0; j < n; j++ {
			p := cur[j]
			buf[p] = 1
			binary.BigEndian.PutUint64(buf[p+1:], uint64(in.starts[j])^signBit)
			cur[j] = p + 9
		}
		return
	}
	a := in.arr
	nb := nullBits(a)
	w := int32(1 + col.width)
	// null rows: flag 0 and zero bytes (a zero length for strings)
	writeNull := func(p int32) {
		for k := int32(0); k < w; k++ {
			buf[p+k] = 0
		}
	}
	switch col.kind {
	case kBool:
		if a.DataType().ID() == arrow.NULL {
			for j := 0; j < n; j++ {
				writeNull(cur[j])
				cur[j] += w
			}
			return
		}
		b := a.(*array.Boolean)
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
			} else {
				buf[p] = 1
				buf[p+1] = 0
				if b.Value(i) {
					buf[p+1] = 1
				}
			}
			cur[j] = p + w
		}
	case kInt8:
		vals := values[int8](a)
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
			} else {
				buf[p] = 1
				buf[p+1] = uint8(vals[i]) ^ 0x80
			}
			cur[j] = p + w
		}
	case kInt16:
		vals := values[int16](a)
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
			} else {
				buf[p] = 1
				binary.BigEndian.PutUint16(buf[p+1:], uint16(vals[i])^0x8000)
			}
			cur[j] = p + w
		}
	case kInt32:
		vals := values[int32](a)
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
			} else {
				buf[p] = 1
				binary.BigEndian.PutUint32(buf[p+1:], uint32(vals[i])^0x80000000)
			}
			cur[j] = p + w
		}
	case kInt64:
		vals := values[int64](a)
		if nb.bits == nil && idx == nil {
			for j := 0; j < n; j++ {
				p := cur[j]
				buf[p] = 1
				binary.BigEndian.PutUint64(buf[p+1:], uint64(vals[j])^signBit)
				cur[j] = p + w
			}
			return
		}
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
			} else {
				buf[p] = 1
				binary.BigEndian.PutUint64(buf[p+1:], uint64(vals[i])^signBit)
			}
			cur[j] = p + w
		}
	case kFloat32:
		vals := values[float32](a)
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
			} else {
				buf[p] = 1
				binary.BigEndian.PutUint32(buf[p+1:], orderedFloat32(vals[i]))
			}
			cur[j] = p + w
		}
	case kFloat64:
		vals := values[float64](a)
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
			} else {
				buf[p] = 1
				binary.BigEndian.PutUint64(buf[p+1:], orderedFloat64(vals[i]))
			}
			cur[j] = p + w
		}
	case kDecimal:
		vals := values[decimal128.Num](a)
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
			} else {
				buf[p] = 1
				binary.BigEndian.PutUint64(buf[p+1:], uint64(vals[i].HighBits())^signBit)
				binary.BigEndian.PutUint64(buf[p+9:], vals[i].LowBits())
			}
			cur[j] = p + w
		}
	case kBytes:
		vo, data := binaryOffsets(a), binaryData(a)
		for j := 0; j < n; j++ {
			p, i := cur[j], rowOf(idx, j)
			if nb.null(i) {
				writeNull(p)
				cur[j] = p + w
				continue
			}
			s := data[vo[i]:vo[i+1]]
			buf[p] = 1
			binary.BigEndian.PutUint32(buf[p+1:], uint32(len(s)))
			copy(buf[p+5:], s)
			cur[j] = p + w + int32(len(s))
		}
	}
}

// keySkip returns the length of column col's encoding at the front of b.
func keySkip(col keyCol, b []byte) int {
	if col.kind == kWindow {
		return 9
	}
	if col.kind == kBytes {
		return 5 + int(binary.BigEndian.Uint32(b[1:]))
	}
	return 1 + col.width
}

// eventTime reads column c of an encoded key as microseconds: a
// timestamp's value, or a window's end. ok is false for a null.
func (e *keyEncoder) eventTime(key []byte, c int) (t int64, ok bool) {
	p := 0
	for i := 0; i < c; i++ {
		p += keySkip(e.cols[i], key[p:])
	}
	if key[p] == 0 {
		return 0, false
	}
	v := int64(binary.BigEndian.Uint64(key[p+1:]) ^ signBit)
	if e.cols[c].kind == kWindow {
		v += e.cols[c].span
	}
	return v, true
}

// keyBuilders decode encoded keys into Arrow arrays, one per column.
type keyBuilders struct {
	e    *keyEncoder
	bs   []array.Builder
	mem  memory.Allocator
	wins [][]int64 // window starts per window column
}

func (e *keyEncoder) builders(mem memory.Allocator, n int) *keyBuilders {
	kb := &keyBuilders{e: e, mem: mem, bs: make([]array.Builder, len(e.cols)), wins: make([][]int64, len(e.cols))}
	for i, c := range e.cols {
		if c.kind == kWindow {
			kb.wins[i] = make([]int64, 0, n)
			continue
		}
		kb.bs[i] = array.NewBuilder(mem, c.typ)
		kb.bs[i].Reserve(n)
	}
	return kb
}

// add decodes one key.
func (kb *keyBuilders) add(key []byte) {
	p := 0
	for i, c := range kb.e.cols {
		valid := key[p] == 1
		v := key[p+1:]
		if c.kind == kWindow {
			kb.wins[i] = append(kb.wins[i], int64(binary.BigEndian.Uint64(v)^signBit))
			p += 9
			continue
		}
		b := kb.bs[i]
		if !valid {
			b.AppendNull()
			p += keySkip(c, key[p:])
			continue
		}
		switch c.kind {
		case kBool:
			b.(*array.BooleanBuilder).Append(v[0] == 1)
		case kInt8:
			b.(*array.Int8Builder).Append(int8(v[0] ^ 0x80))
		case kInt16:
			b.(*array.Int16Builder).Append(int16(binary.BigEndian.Uint16(v) ^ 0x8000))
		case kInt32:
			x := int32(binary.BigEndian.Uint32(v) ^ 0x80000000)
			switch bb := b.(type) {
			case *array.Int32Builder:
				bb.Append(x)
			case *array.Date32Builder:
				bb.Append(arrow.Date32(x))
			}
		case kInt64:
			x := int64(binary.BigEndian.Uint64(v) ^ signBit)
			switch bb := b.(type) {
			case *array.Int64Builder:
				bb.Append(x)
			case *array.TimestampBuilder:
				bb.Append(arrow.Timestamp(x))
			}
		case kFloat32:
			b.(*array.Float32Builder).Append(unorderFloat32(binary.BigEndian.Uint32(v)))
		case kFloat64:
			b.(*array.Float64Builder).Append(unorderFloat64(binary.BigEndian.Uint64(v)))
		case kDecimal:
			hi := int64(binary.BigEndian.Uint64(v) ^ signBit)
			b.(*array.Decimal128Builder).Append(decimal128.New(hi, binary.BigEndian.Uint64(v[8:])))
		case kBytes:
			l := int(binary.BigEndian.Uint32(v))
			switch bb := b.(type) {
			case *array.StringBuilder:
				bb.BinaryBuilder.Append(v[4 : 4+l])
			case *array.BinaryBuilder:
				bb.Append(v[4 : 4+l])
			}
		}
		p += keySkip(c, key[p:])
	}
}

// finish returns the key arrays and resets the builders.
func (kb *keyBuilders) finish() []arrow.Array {
	out := make([]arrow.Array, len(kb.bs))
	for i, c := range kb.e.cols {
		if c.kind == kWindow {
			spec := expr.WindowSpec{Window: c.span, Slide: c.span}
			out[i] = spec.WindowStructs(kb.mem, kb.wins[i], nil)
			kb.wins[i] = kb.wins[i][:0]
			continue
		}
		out[i] = kb.bs[i].NewArray()
	}
	return out
}

func (kb *keyBuilders) release() {
	for _, b := range kb.bs {
		if b != nil {
			b.Release()
		}
	}
}
