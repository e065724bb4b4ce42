package expr

import (
	"context"
	"fmt"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

type ctxKey int

const (
	allocatorKey ctxKey = iota
	batchTimeKey
)

// WithAllocator makes Eval allocate its results from mem (default: the Go
// heap allocator).
func WithAllocator(ctx context.Context, mem memory.Allocator) context.Context {
	return context.WithValue(ctx, allocatorKey, mem)
}

// WithBatchTime fixes the value of current_timestamp() and current_date()
// for every Eval under ctx. The executor sets it to the micro-batch's
// timestamp from the offset log, so a re-run batch sees the same value.
func WithBatchTime(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, batchTimeKey, t)
}

// AllocatorFrom returns the allocator set by WithAllocator.
func AllocatorFrom(ctx context.Context) memory.Allocator {
	if m, ok := ctx.Value(allocatorKey).(memory.Allocator); ok && m != nil {
		return m
	}
	return memory.DefaultAllocator
}

// BatchTimeFrom returns the time set by WithBatchTime, if any.
func BatchTimeFrom(ctx context.Context) (time.Time, bool) {
	t, ok := ctx.Value(batchTimeKey).(time.Time)
	return t, ok
}

// evalCtx carries what one Eval call shares between the nodes of a tree.
type evalCtx struct {
	ctx     context.Context
	mem     memory.Allocator
	rec     arrow.Record
	n       int
	now     int64
	haveNow bool
}

// batchMicros is current_timestamp(): the batch time, or the time of the
// first use within this Eval when none was set.
func (c *evalCtx) batchMicros() int64 {
	if !c.haveNow {
		t, ok := BatchTimeFrom(c.ctx)
		if !ok {
			t = time.Now()
		}
		c.now, c.haveNow = microsOfTime(t), true
	}
	return c.now
}

type evalFn func(c *evalCtx) (arrow.Array, error)

// node is the compiled form of every expression: its result type and name,
// and a closure that evaluates a whole batch. Constants carry their value
// so that kernels can specialise on them.
type node struct {
	name     string
	typ      arrow.DataType
	nullable bool
	// isConst marks a literal or folded constant; value is its Go value.
	isConst bool
	value   any
	// volatile marks results that change between evaluations
	// (current_timestamp): such nodes are never folded.
	volatile bool
	eval     evalFn
	src      Expr
}

func (n *node) Type() arrow.DataType { return n.typ }
func (n *node) Nullable() bool       { return n.nullable }
func (n *node) Name() string         { return n.name }
func (n *node) String() string       { return n.src.String() }

// Eval implements Bound.
func (n *node) Eval(ctx context.Context, rec arrow.Record) (out arrow.Array, err error) {
	c := &evalCtx{ctx: ctx, mem: AllocatorFrom(ctx), rec: rec, n: int(rec.NumRows())}
	return n.run(c)
}

func (n *node) run(c *evalCtx) (arrow.Array, error) {
	if n.isConst {
		return constArray(c.mem, n.typ, n.value, c.n), nil
	}
	return n.eval(c)
}

// runAll evaluates nodes in order; on error it releases what it made.
func runAll(c *evalCtx, nodes []*node) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(nodes))
	for i, nd := range nodes {
		a, err := nd.run(c)
		if err != nil {
			releaseAll(out[:i])
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func releaseAll(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// ---- buffers ----

func allocBuf(mem memory.Allocator, nbytes int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(nbytes)
	return b
}

func allocBitmap(mem memory.Allocator, n int) *memory.Buffer {
	return allocBuf(mem, int(bitutil.BytesForBits(int64(n))))
}

// fixedBuf allocates room for n values of T and returns it typed.
func fixedBuf[T any](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var zero T
	b := allocBuf(mem, n*int(unsafe.Sizeof(zero)))
	return b, castSlice[T](b.Bytes(), n)
}

func castSlice[T any](b []byte, n int) []T {
	if n == 0 || len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// values returns the fixed-width values of a (offset applied) as []T.
func values[T any](a arrow.Array) []T {
	d := a.Data()
	bufs := d.Buffers()
	if len(bufs) < 2 || bufs[1] == nil || d.Len() == 0 {
		return nil
	}
	var zero T
	size := int(unsafe.Sizeof(zero))
	raw := bufs[1].Bytes()
	total := len(raw) / size
	return castSlice[T](raw, total)[d.Offset() : d.Offset()+d.Len()]
}

// validity returns a's validity bitmap and its bit offset, or nil when a
// has no nulls.
func validity(a arrow.Array) ([]byte, int) {
	if a.NullN() == 0 {
		return nil, 0
	}
	return a.NullBitmapBytes(), a.Data().Offset()
}

// mergeValidity ANDs the validity of arrs into a new bitmap, returning nil
// (and 0) when no input has nulls.
func mergeValidity(mem memory.Allocator, n int, arrs ...arrow.Array) (*memory.Buffer, int) {
	var out *memory.Buffer
	for _, a := range arrs {
		if a.NullN() == 0 {
			continue
		}
		bits, off := validity(a)
		if out == nil {
			out = allocBitmap(mem, n)
			if bits == nil { // null-typed array: all null
				memory.Set(out.Bytes(), 0)
			} else {
				bitutil.CopyBitmap(bits, off, n, out.Bytes(), 0)
			}
			continue
		}
		if bits == nil {
			memory.Set(out.Bytes(), 0)
			continue
		}
		bitutil.BitmapAnd(out.Bytes(), bits, 0, int64(off), out.Bytes(), 0, int64(n))
	}
	if out == nil {
		return nil, 0
	}
	return out, n - bitutil.CountSetBits(out.Bytes(), 0, n)
}

// copyValidity returns a zero-offset copy of a's validity, or nil.
func copyValidity(mem memory.Allocator, a arrow.Array) (*memory.Buffer, int) {
	return mergeValidity(mem, a.Len(), a)
}

// makeArray wraps buffers into an array of type dt and takes ownership of
// the buffers (it releases the caller's references).
func makeArray(dt arrow.DataType, n int, valid *memory.Buffer, nulls int, bufs ...*memory.Buffer) arrow.Array {
	return makeNested(dt, n, valid, nulls, bufs, nil)
}

// makeNested is makeArray for types with child arrays.
func makeNested(dt arrow.DataType, n int, valid *memory.Buffer, nulls int, bufs []*memory.Buffer, children []arrow.ArrayData) arrow.Array {
	all := append([]*memory.Buffer{valid}, bufs...)
	d := array.NewData(dt, n, all, children, nulls, 0)
	out := array.MakeFromData(d)
	d.Release()
	for _, b := range all {
		if b != nil {
			b.Release()
		}
	}
	return out
}

// isValid reports whether row i of the bitmap bits (offset off) is set; a
// nil bitmap means all rows are valid.
func isValid(bits []byte, off, i int) bool {
	return bits == nil || bits[(off+i)>>3]&(1<<uint((off+i)&7)) != 0
}

func setBit(b []byte, i int)   { b[i>>3] |= 1 << uint(i&7) }
func clearBit(b []byte, i int) { b[i>>3] &^= 1 << uint(i&7) }

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// bitmapBuilder collects a validity bitmap row by row while building an
// output; it allocates only after the first null.
type bitmapBuilder struct {
	mem   memory.Allocator
	n     int
	buf   *memory.Buffer
	nulls int
}

func newBitmapBuilder(mem memory.Allocator, n int) *bitmapBuilder {
	return &bitmapBuilder{mem: mem, n: n}
}

func (b *bitmapBuilder) setNull(i int) {
	if b.buf == nil {
		b.buf = allocBitmap(b.mem, b.n)
		memory.Set(b.buf.Bytes(), 0xff)
	}
	clearBit(b.buf.Bytes(), i)
	b.nulls++
}

func (b *bitmapBuilder) finish() (*memory.Buffer, int) { return b.buf, b.nulls }

// ---- constants ----

// constArray broadcasts v to n rows of type dt.
func constArray(mem memory.Allocator, dt arrow.DataType, v any, n int) arrow.Array {
	if v == nil {
		return array.MakeArrayOfNull(mem, dt, n)
	}
	switch dt.ID() {
	case arrow.BOOL:
		buf := allocBitmap(mem, n)
		if v.(bool) {
			memory.Set(buf.Bytes(), 0xff)
		} else {
			memory.Set(buf.Bytes(), 0)
		}
		return makeArray(dt, n, nil, 0, buf)
	case arrow.INT8:
		return fillFixed(mem, dt, n, v.(int8))
	case arrow.INT16:
		return fillFixed(mem, dt, n, v.(int16))
	case arrow.INT32:
		return fillFixed(mem, dt, n, v.(int32))
	case arrow.INT64:
		return fillFixed(mem, dt, n, v.(int64))
	case arrow.FLOAT32:
		return fillFixed(mem, dt, n, v.(float32))
	case arrow.FLOAT64:
		return fillFixed(mem, dt, n, v.(float64))
	case arrow.DATE32:
		return fillFixed(mem, dt, n, v.(arrow.Date32))
	case arrow.TIMESTAMP:
		return fillFixed(mem, dt, n, v.(arrow.Timestamp))
	case arrow.DECIMAL128:
		return fillFixed(mem, dt, n, v.(decimalNum))
	case arrow.STRING, arrow.BINARY:
		var s []byte
		switch x := v.(type) {
		case string:
			s = []byte(x)
		case []byte:
			s = x
		}
		offBuf, offs := fixedBuf[int32](mem, n+1)
		data := allocBuf(mem, len(s)*n)
		db := data.Bytes()
		for i := 0; i <= n; i++ {
			offs[i] = int32(i * len(s))
			if i < n {
				copy(db[i*len(s):], s)
			}
		}
		return makeArray(dt, n, nil, 0, offBuf, data)
	}
	// nested constants are rare: append the value n times.
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	for i := 0; i < n; i++ {
		appendValue(b, v)
	}
	return b.NewArray()
}

func fillFixed[T any](mem memory.Allocator, dt arrow.DataType, n int, v T) arrow.Array {
	buf, vals := fixedBuf[T](mem, n)
	for i := range vals {
		vals[i] = v
	}
	return makeArray(dt, n, nil, 0, buf)
}

// oneRow is the input used to fold constant expressions at Bind time.
var oneRow = array.NewRecord(arrow.NewSchema(nil, nil), nil, 1)

// foldable reports whether a node's value can be computed once at Bind.
func foldable(args []*node) bool {
	for _, a := range args {
		if !a.isConst || a.volatile {
			return false
		}
	}
	return true
}

// fold evaluates a node whose inputs are all constants and turns it into a
// constant; nested results and evaluation errors leave it as it is.
func fold(n *node) *node {
	if n.isConst || n.volatile || !isAtomic(n.typ) && !isNull(n.typ) {
		return n
	}
	c := &evalCtx{ctx: context.Background(), mem: memory.DefaultAllocator, rec: oneRow, n: 1}
	arr, err := n.eval(c)
	if err != nil {
		return n
	}
	defer arr.Release()
	out := *n
	out.isConst, out.value, out.nullable = true, valueAt(arr, 0), arr.IsNull(0)
	return &out
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

type memoryBuffer = memory.Buffer
