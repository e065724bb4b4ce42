package exec

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"

	"github.com/gostream/gostream/engine/expr"
)

// keyColumn is one evaluated key column of a record, specialised for its
// type so that hashing and comparing rows costs no allocation and no
// boxing. Floating-point keys are normalised as Spark normalises join and
// grouping keys: every NaN is one value and -0.0 equals 0.0.
type keyColumn interface {
	// hashInto mixes each row's value into h (len(h) rows); a null mixes
	// a constant.
	hashInto(h []uint64)
	isNull(i int) bool
	// eq reports whether row i equals row j of o, a column of the same
	// type; both rows are non-null.
	eq(i int, o keyColumn, j int) bool
	// appendKey appends a canonical encoding of row i: equal values give
	// equal bytes.
	appendKey(dst []byte, i int) []byte
}

// hashSeed seeds the string hashes of this process; hashes are never
// stored.
var hashSeed = maphash.MakeSeed()

const nullHash = 0x5bd1e9955bd1e995

func mixHash(h, v uint64) uint64 {
	h = bits.RotateLeft64(h, 27) ^ v
	return h * 0x9E3779B97F4A7C15
}

type validBits struct {
	bits []byte
	off  int
}

func validOf(a arrow.Array) validBits {
	if a.NullN() == 0 {
		return validBits{}
	}
	return validBits{a.NullBitmapBytes(), a.Data().Offset()}
}

func (v validBits) isNull(i int) bool {
	return v.bits != nil && v.bits[(v.off+i)>>3]&(1<<uint((v.off+i)&7)) == 0
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// intKey is a key column of integers (and dates, timestamps, durations).
type intKey[T integer] struct {
	vals []T
	v    validBits
}

func (k *intKey[T]) hashInto(h []uint64) {
	if k.v.bits == nil {
		for i, x := range k.vals {
			h[i] = mixHash(h[i], uint64(x))
		}
		return
	}
	for i, x := range k.vals {
		if k.v.isNull(i) {
			h[i] = mixHash(h[i], nullHash)
		} else {
			h[i] = mixHash(h[i], uint64(x))
		}
	}
}
func (k *intKey[T]) isNull(i int) bool                 { return k.v.isNull(i) }
func (k *intKey[T]) eq(i int, o keyColumn, j int) bool { return k.vals[i] == o.(*intKey[T]).vals[j] }
func (k *intKey[T]) appendKey(dst []byte, i int) []byte {
	if k.v.isNull(i) {
		return append(dst, 0)
	}
	return binary.LittleEndian.AppendUint64(append(dst, 1), uint64(k.vals[i]))
}

// floatKey is a key column of float32 or float64.
type floatKey[T float32 | float64] struct {
	vals []T
	v    validBits
}

func normFloat(f float64) uint64 {
	switch {
	case f != f:
		return 0x7ff8000000000000
	case f == 0:
		return 0
	}
	return math.Float64bits(f)
}

func (k *floatKey[T]) hashInto(h []uint64) {
	for i, x := range k.vals {
		if k.v.isNull(i) {
			h[i] = mixHash(h[i], nullHash)
		} else {
			h[i] = mixHash(h[i], normFloat(float64(x)))
		}
	}
}
func (k *floatKey[T]) isNull(i int) bool { return k.v.isNull(i) }
func (k *floatKey[T]) eq(i int, o keyColumn, j int) bool {
	return normFloat(float64(k.vals[i])) == normFloat(float64(o.(*floatKey[T]).vals[j]))
}
func (k *floatKey[T]) appendKey(dst []byte, i int) []byte {
	if k.v.isNull(i) {
		return append(dst, 0)
	}
	return binary.LittleEndian.AppendUint64(append(dst, 1), normFloat(float64(k.vals[i])))
}

// boolKey is a key column of booleans.
type boolKey struct {
	a *array.Boolean
	v validBits
}

func (k *boolKey) val(i int) uint64 {
	if k.a.Value(i) {
		return 1
	}
	return 2
}
func (k *boolKey) hashInto(h []uint64) {
	for i := range h {
		if k.v.isNull(i) {
			h[i] = mixHash(h[i], nullHash)
		} else {
			h[i] = mixHash(h[i], k.val(i))
		}
	}
}
func (k *boolKey) isNull(i int) bool                 { return k.v.isNull(i) }
func (k *boolKey) eq(i int, o keyColumn, j int) bool { return k.a.Value(i) == o.(*boolKey).a.Value(j) }
func (k *boolKey) appendKey(dst []byte, i int) []byte {
	if k.v.isNull(i) {
		return append(dst, 0)
	}
	return append(dst, 1, byte(k.val(i)))
}

// bytesKey is a key column of strings or binaries (32- or 64-bit offsets).
type bytesKey[O int32 | int64] struct {
	offs []O
	data []byte
	v    validBits
}

func (k *bytesKey[O]) value(i int) []byte { return k.data[k.offs[i]:k.offs[i+1]] }
func (k *bytesKey[O]) hashInto(h []uint64) {
	for i := range h {
		if k.v.isNull(i) {
			h[i] = mixHash(h[i], nullHash)
		} else {
			h[i] = mixHash(h[i], maphash.Bytes(hashSeed, k.value(i)))
		}
	}
}
func (k *bytesKey[O]) isNull(i int) bool { return k.v.isNull(i) }
func (k *bytesKey[O]) eq(i int, o keyColumn, j int) bool {
	return string(k.value(i)) == string(o.(*bytesKey[O]).value(j))
}
func (k *bytesKey[O]) appendKey(dst []byte, i int) []byte {
	if k.v.isNull(i) {
		return append(dst, 0)
	}
	b := k.value(i)
	dst = binary.AppendUvarint(append(dst, 1), uint64(len(b)))
	return append(dst, b...)
}

// decimalKey is a key column of decimal128 values.
type decimalKey struct {
	vals []decimal128.Num
	v    validBits
}

func (k *decimalKey) hashInto(h []uint64) {
	for i, x := range k.vals {
		if k.v.isNull(i) {
			h[i] = mixHash(h[i], nullHash)
		} else {
			h[i] = mixHash(mixHash(h[i], x.LowBits()), uint64(x.HighBits()))
		}
	}
}
func (k *decimalKey) isNull(i int) bool { return k.v.isNull(i) }
func (k *decimalKey) eq(i int, o keyColumn, j int) bool {
	return k.vals[i] == o.(*decimalKey).vals[j]
}
func (k *decimalKey) appendKey(dst []byte, i int) []byte {
	if k.v.isNull(i) {
		return append(dst, 0)
	}
	dst = binary.LittleEndian.AppendUint64(append(dst, 1), k.vals[i].LowBits())
	return binary.LittleEndian.AppendUint64(dst, uint64(k.vals[i].HighBits()))
}

// structKey is a key column of structs (a window{start, end}): equal when
// every field is equal, nulls included.
type structKey struct {
	fields []keyColumn
	v      validBits
	n      int
}

func (k *structKey) hashInto(h []uint64) {
	fh := make([]uint64, len(h))
	for _, f := range k.fields {
		f.hashInto(fh)
	}
	for i := range h {
		if k.v.isNull(i) {
			h[i] = mixHash(h[i], nullHash)
		} else {
			h[i] = mixHash(h[i], fh[i])
		}
	}
}
func (k *structKey) isNull(i int) bool { return k.v.isNull(i) }
func (k *structKey) eq(i int, o keyColumn, j int) bool {
	os := o.(*structKey)
	for f := range k.fields {
		a, b := k.fields[f], os.fields[f]
		an, bn := a.isNull(i), b.isNull(j)
		if an != bn || (!an && !a.eq(i, b, j)) {
			return false
		}
	}
	return true
}
func (k *structKey) appendKey(dst []byte, i int) []byte {
	if k.v.isNull(i) {
		return append(dst, 0)
	}
	dst = append(dst, 1)
	for _, f := range k.fields {
		dst = f.appendKey(dst, i)
	}
	return dst
}

// textKey is the fallback for other types (lists, maps): rows compare by
// their rendering.
type textKey struct {
	a arrow.Array
	v validBits
}

func (k *textKey) hashInto(h []uint64) {
	for i := range h {
		if k.v.isNull(i) {
			h[i] = mixHash(h[i], nullHash)
		} else {
			h[i] = mixHash(h[i], maphash.String(hashSeed, k.a.ValueStr(i)))
		}
	}
}
func (k *textKey) isNull(i int) bool { return k.v.isNull(i) }
func (k *textKey) eq(i int, o keyColumn, j int) bool {
	return k.a.ValueStr(i) == o.(*textKey).a.ValueStr(j)
}
func (k *textKey) appendKey(dst []byte, i int) []byte {
	if k.v.isNull(i) {
		return append(dst, 0)
	}
	s := k.a.ValueStr(i)
	dst = binary.AppendUvarint(append(dst, 1), uint64(len(s)))
	return append(dst, s...)
}

// newKeyColumn wraps an array as a key column.
func newKeyColumn(a arrow.Array) keyColumn {
	v := validOf(a)
	switch a.DataType().ID() {
	case arrow.INT8:
		return &intKey[int8]{values[int8](a), v}
	case arrow.UINT8:
		return &intKey[uint8]{values[uint8](a), v}
	case arrow.INT16:
		return &intKey[int16]{values[int16](a), v}
	case arrow.UINT16:
		return &intKey[uint16]{values[uint16](a), v}
	case arrow.INT32, arrow.DATE32:
		return &intKey[int32]{values[int32](a), v}
	case arrow.UINT32:
		return &intKey[uint32]{values[uint32](a), v}
	case arrow.INT64, arrow.TIMESTAMP, arrow.DATE64, arrow.DURATION:
		return &intKey[int64]{values[int64](a), v}
	case arrow.UINT64:
		return &intKey[uint64]{values[uint64](a), v}
	case arrow.FLOAT32:
		return &floatKey[float32]{values[float32](a), v}
	case arrow.FLOAT64:
		return &floatKey[float64]{values[float64](a), v}
	case arrow.BOOL:
		return &boolKey{a.(*array.Boolean), v}
	case arrow.STRING:
		s := a.(*array.String)
		return &bytesKey[int32]{s.ValueOffsets(), s.ValueBytes(), v}
	case arrow.BINARY:
		s := a.(*array.Binary)
		return &bytesKey[int32]{s.ValueOffsets(), s.ValueBytes(), v}
	case arrow.LARGE_STRING:
		s := a.(*array.LargeString)
		return &bytesKey[int64]{s.ValueOffsets(), s.ValueBytes(), v}
	case arrow.LARGE_BINARY:
		s := a.(*array.LargeBinary)
		return &bytesKey[int64]{s.ValueOffsets(), s.ValueBytes(), v}
	case arrow.DECIMAL128:
		return &decimalKey{values[decimal128.Num](a), v}
	case arrow.STRUCT:
		s := a.(*array.Struct)
		k := &structKey{v: v, n: a.Len()}
		for f := 0; f < s.NumField(); f++ {
			k.fields = append(k.fields, newKeyColumn(s.Field(f)))
		}
		return k
	}
	return &textKey{a, v}
}

// keySet is the evaluated key columns of one record.
type keySet struct {
	arrs []arrow.Array
	cols []keyColumn
	n    int
}

// evalKeys evaluates the key expressions over rec.
func evalKeys(ctx context.Context, keys []expr.Bound, rec arrow.Record) (*keySet, error) {
	ks := &keySet{n: int(rec.NumRows())}
	for _, k := range keys {
		a, err := k.Eval(ctx, rec)
		if err != nil {
			ks.release()
			return nil, fmt.Errorf("evaluating join key %s: %w", k.Name(), err)
		}
		ks.arrs = append(ks.arrs, a)
		ks.cols = append(ks.cols, newKeyColumn(a))
	}
	return ks, nil
}

// columnKeys uses columns of rec as keys, without evaluation.
func columnKeys(rec arrow.Record, cols []int) *keySet {
	ks := &keySet{n: int(rec.NumRows())}
	for _, c := range cols {
		a := rec.Column(c)
		a.Retain()
		ks.arrs = append(ks.arrs, a)
		ks.cols = append(ks.cols, newKeyColumn(a))
	}
	return ks
}

func (ks *keySet) release() {
	for _, a := range ks.arrs {
		a.Release()
	}
	ks.arrs = nil
}

// hashes returns every row's hash.
func (ks *keySet) hashes(h []uint64) []uint64 {
	if cap(h) < ks.n {
		h = make([]uint64, ks.n)
	}
	h = h[:ks.n]
	for i := range h {
		h[i] = 0
	}
	for _, c := range ks.cols {
		c.hashInto(h)
	}
	for i := range h {
		h[i] = finalMix(h[i])
	}
	return h
}

// nullKey reports whether row i has a null in a key that is not
// null-safe: such a row pairs with nothing.
func (ks *keySet) nullKey(i int, nullSafe []bool) bool {
	for k, c := range ks.cols {
		if !nullSafe[k] && c.isNull(i) {
			return true
		}
	}
	return false
}

// equal reports whether row i of ks has the same key as row j of o.
func (ks *keySet) equal(i int, o *keySet, j int) bool {
	for k, c := range ks.cols {
		oc := o.cols[k]
		an, bn := c.isNull(i), oc.isNull(j)
		if an != bn || (!an && !c.eq(i, oc, j)) {
			return false
		}
	}
	return true
}

// appendKey appends the canonical encoding of row i's key.
func (ks *keySet) appendKey(dst []byte, i int) []byte {
	for _, c := range ks.cols {
		dst = c.appendKey(dst, i)
	}
	return dst
}
