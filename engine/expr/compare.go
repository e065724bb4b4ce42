package expr

import (
	"bytes"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

type ordered interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~float32 | ~float64
}

type floating interface{ ~float32 | ~float64 }

//go:generate go run gen_cmp.go

type cmpOp int

const (
	cmpEq cmpOp = iota
	cmpNe
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

var cmpOps = map[BinaryOp]cmpOp{OpEq: cmpEq, OpEqNullSafe: cmpEq, OpNeq: cmpNe, OpLt: cmpLt, OpLe: cmpLe, OpGt: cmpGt, OpGe: cmpGe}

// flip turns "c op a" into "a flip(op) c".
func (o cmpOp) flip() cmpOp {
	switch o {
	case cmpLt:
		return cmpGt
	case cmpLe:
		return cmpGe
	case cmpGt:
		return cmpLt
	case cmpGe:
		return cmpLe
	}
	return o
}

func (o cmpOp) test(c int) bool {
	switch o {
	case cmpEq:
		return c == 0
	case cmpNe:
		return c != 0
	case cmpLt:
		return c < 0
	case cmpLe:
		return c <= 0
	case cmpGt:
		return c > 0
	}
	return c >= 0
}

func (b *binder) bindCompare(x *Binary, l, r *node) (*node, error) {
	t, ok := comparisonType(l.typ, r.typ)
	if !ok || !(isAtomic(t) || isNull(t)) {
		if ok {
			return nil, dataTypeMismatch("INVALID_ORDERING_TYPE", x,
				"the %s does not support ordering on type %q.", "comparison", SQLTypeName(t))
		}
		return nil, dataTypeMismatch("BINARY_OP_DIFF_TYPES", x,
			"the left and right operands of the binary operator have incompatible types (%q and %q).",
			SQLTypeName(l.typ), SQLTypeName(r.typ))
	}
	if isNull(t) {
		t = TypeBoolean
	}
	var err error
	if l, err = castNode(l, t, x.Left); err != nil {
		return nil, err
	}
	if r, err = castNode(r, t, x.Right); err != nil {
		return nil, err
	}
	op := cmpOps[x.Op]
	nullSafe := x.Op == OpEqNullSafe
	out := &node{typ: TypeBoolean, nullable: !nullSafe && (l.nullable || r.nullable), src: x}
	switch {
	case nullSafe:
		out.eval = func(c *evalCtx) (arrow.Array, error) {
			args, err := runAll(c, []*node{l, r})
			if err != nil {
				return nil, err
			}
			defer releaseAll(args)
			return eqNullSafe(c, args[0], args[1]), nil
		}
	case r.isConst && r.value == nil, l.isConst && l.value == nil:
		out.isConst, out.nullable = true, true
	case r.isConst:
		out.eval = compareWithConst(l, op, r.value)
	case l.isConst:
		out.eval = compareWithConst(r, op.flip(), l.value)
	default:
		out.eval = func(c *evalCtx) (arrow.Array, error) {
			args, err := runAll(c, []*node{l, r})
			if err != nil {
				return nil, err
			}
			defer releaseAll(args)
			return compareVV(c, op, args[0], args[1]), nil
		}
	}
	if foldable([]*node{l, r}) && !out.isConst {
		return fold(out), nil
	}
	return out, nil
}

func compareWithConst(n *node, op cmpOp, v any) evalFn {
	return func(c *evalCtx) (arrow.Array, error) {
		a, err := n.run(c)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		return compareVS(c, op, a, v), nil
	}
}

// boolResult wraps a value bitmap and the merged validity of inputs.
func boolResult(c *evalCtx, bits *memory.Buffer, inputs ...arrow.Array) arrow.Array {
	valid, nulls := mergeValidity(c.mem, c.n, inputs...)
	return makeArray(TypeBoolean, c.n, valid, nulls, bits)
}

func compareVV(c *evalCtx, op cmpOp, a, b arrow.Array) arrow.Array {
	n := a.Len()
	bits := allocBitmap(c.mem, n)
	out := bits.Bytes()
	switch a.DataType().ID() {
	case arrow.INT8:
		cmpVVDispatch(op, values[int8](a), values[int8](b), out)
	case arrow.INT16:
		cmpVVDispatch(op, values[int16](a), values[int16](b), out)
	case arrow.INT32, arrow.DATE32:
		cmpVVDispatch(op, values[int32](a), values[int32](b), out)
	case arrow.INT64, arrow.TIMESTAMP:
		cmpVVDispatch(op, values[int64](a), values[int64](b), out)
	case arrow.FLOAT32:
		cmpFVVDispatch(op, values[float32](a), values[float32](b), out)
	case arrow.FLOAT64:
		cmpFVVDispatch(op, values[float64](a), values[float64](b), out)
	case arrow.STRING, arrow.BINARY:
		ab, bb := a.(binaryLike), b.(binaryLike)
		for i := 0; i < n; i++ {
			if op.test(bytes.Compare(binValue(ab, i), binValue(bb, i))) {
				setBit(out, i)
			}
		}
	default:
		for i := 0; i < n; i++ {
			if !a.IsNull(i) && !b.IsNull(i) && op.test(compareValues(valueAt(a, i), valueAt(b, i))) {
				setBit(out, i)
			}
		}
	}
	return boolResult(c, bits, a, b)
}

func compareVS(c *evalCtx, op cmpOp, a arrow.Array, v any) arrow.Array {
	n := a.Len()
	bits := allocBitmap(c.mem, n)
	out := bits.Bytes()
	switch a.DataType().ID() {
	case arrow.INT8:
		cmpVSDispatch(op, values[int8](a), v.(int8), out)
	case arrow.INT16:
		cmpVSDispatch(op, values[int16](a), v.(int16), out)
	case arrow.INT32:
		cmpVSDispatch(op, values[int32](a), v.(int32), out)
	case arrow.DATE32:
		cmpVSDispatch(op, values[int32](a), int32(v.(arrow.Date32)), out)
	case arrow.INT64:
		cmpVSDispatch(op, values[int64](a), v.(int64), out)
	case arrow.TIMESTAMP:
		cmpVSDispatch(op, values[int64](a), int64(v.(arrow.Timestamp)), out)
	case arrow.FLOAT32:
		cmpFVSDispatch(op, values[float32](a), v.(float32), out)
	case arrow.FLOAT64:
		cmpFVSDispatch(op, values[float64](a), v.(float64), out)
	case arrow.STRING, arrow.BINARY:
		var s []byte
		switch x := v.(type) {
		case string:
			s = []byte(x)
		case []byte:
			s = x
		}
		ab := a.(binaryLike)
		offs, data := binData(ab)
		if op == cmpEq || op == cmpNe {
			want := op == cmpEq
			for i := 0; i < n; i++ {
				x := data[offs[i]:offs[i+1]]
				if (len(x) == len(s) && string(x) == string(s)) == want {
					setBit(out, i)
				}
			}
			break
		}
		for i := 0; i < n; i++ {
			if op.test(bytes.Compare(data[offs[i]:offs[i+1]], s)) {
				setBit(out, i)
			}
		}
	default:
		for i := 0; i < n; i++ {
			if !a.IsNull(i) && op.test(compareValues(valueAt(a, i), v)) {
				setBit(out, i)
			}
		}
	}
	return boolResult(c, bits, a)
}

// binaryLike is what String and Binary arrays share.
type binaryLike interface {
	arrow.Array
	ValueOffsets() []int32
	ValueBytes() []byte
}

// binData returns a string or binary array's offsets (offset applied)
// and its whole data buffer, which the offsets index. (ValueBytes is
// rebased to the first value of a sliced array, so it is not used.)
func binData(a binaryLike) ([]int32, []byte) {
	offs := a.ValueOffsets()
	var data []byte
	if b := a.Data().Buffers()[2]; b != nil {
		data = b.Bytes()
	}
	return offs, data
}

func binValue(a binaryLike, i int) []byte {
	offs, data := binData(a)
	return data[offs[i]:offs[i+1]]
}

// compareValues orders two non-null values of the same type (booleans,
// decimals and the rarer types compared row by row).
func compareValues(a, b any) int {
	switch x := a.(type) {
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case decimalNum:
		return x.Cmp(b.(decimalNum))
	case string:
		return bytes.Compare([]byte(x), []byte(b.(string)))
	case []byte:
		return bytes.Compare(x, b.([]byte))
	}
	return 0
}

func eqNullSafe(c *evalCtx, a, b arrow.Array) arrow.Array {
	n := a.Len()
	eq := compareVV(c, cmpEq, a, b)
	defer eq.Release()
	bits := allocBitmap(c.mem, n)
	out := bits.Bytes()
	eqBits := eq.Data().Buffers()[1].Bytes()
	av, ao := validity(a)
	bv, bo := validity(b)
	for i := 0; i < n; i++ {
		va, vb := isValid(av, ao, i), isValid(bv, bo, i)
		if (va && vb && bitutil.BitIsSet(eqBits, i)) || (!va && !vb) {
			setBit(out, i)
		}
	}
	return makeArray(TypeBoolean, n, nil, 0, bits)
}

func cmpVVDispatch[T ordered](op cmpOp, a, b []T, out []byte) {
	switch op {
	case cmpEq:
		cmpEqVV(a, b, out)
	case cmpNe:
		cmpNeVV(a, b, out)
	case cmpLt:
		cmpLtVV(a, b, out)
	case cmpLe:
		cmpLeVV(a, b, out)
	case cmpGt:
		cmpGtVV(a, b, out)
	case cmpGe:
		cmpGeVV(a, b, out)
	}
}

func cmpVSDispatch[T ordered](op cmpOp, a []T, c T, out []byte) {
	switch op {
	case cmpEq:
		cmpEqVS(a, c, out)
	case cmpNe:
		cmpNeVS(a, c, out)
	case cmpLt:
		cmpLtVS(a, c, out)
	case cmpLe:
		cmpLeVS(a, c, out)
	case cmpGt:
		cmpGtVS(a, c, out)
	case cmpGe:
		cmpGeVS(a, c, out)
	}
}

// Floating point comparisons follow Spark: NaN equals NaN and is larger
// than every other value.
func cmpFVVDispatch[T floating](op cmpOp, a, b []T, out []byte) {
	switch op {
	case cmpEq:
		cmpFEqVV(a, b, out)
	case cmpNe:
		cmpFNeVV(a, b, out)
	case cmpLt:
		cmpFLtVV(a, b, out)
	case cmpLe:
		cmpFLeVV(a, b, out)
	case cmpGt:
		cmpFGtVV(a, b, out)
	case cmpGe:
		cmpFGeVV(a, b, out)
	}
}

func cmpFVSDispatch[T floating](op cmpOp, a []T, c T, out []byte) {
	if c == c { // not NaN: the plain kernels are exact except for > and >=
		switch op {
		case cmpEq:
			cmpEqVS(a, c, out)
			return
		case cmpNe:
			cmpNeVS(a, c, out)
			return
		case cmpLt:
			cmpLtVS(a, c, out)
			return
		case cmpLe:
			cmpLeVS(a, c, out)
			return
		}
	}
	switch op {
	case cmpEq:
		cmpFEqVS(a, c, out)
	case cmpNe:
		cmpFNeVS(a, c, out)
	case cmpLt:
		cmpFLtVS(a, c, out)
	case cmpLe:
		cmpFLeVS(a, c, out)
	case cmpGt:
		cmpFGtVS(a, c, out)
	case cmpGe:
		cmpFGeVS(a, c, out)
	}
}
