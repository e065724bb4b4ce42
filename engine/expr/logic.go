package expr

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func (b *binder) bindBinary(x *Binary) (*node, error) {
	l, err := b.bind(x.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.bind(x.Right)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case OpAnd, OpOr:
		return b.bindLogic(x, l, r)
	case OpAdd, OpSub, OpMul, OpDiv, OpMod:
		return b.bindArith(x, l, r)
	case OpEq, OpNeq, OpEqNullSafe, OpLt, OpLe, OpGt, OpGe:
		return b.bindCompare(x, l, r)
	}
	return nil, analysisErr("INTERNAL_ERROR", "unknown operator %q", x.Op)
}

// toBoolean applies the implicit cast a boolean operand allows.
func (b *binder) toBoolean(n *node, x Expr, src Expr) (*node, error) {
	if n.typ.ID() == arrow.BOOL {
		return n, nil
	}
	if isNull(n.typ) || isString(n.typ) {
		return castNode(n, TypeBoolean, src)
	}
	if _, ok := x.(*Binary); ok {
		return nil, dataTypeMismatch("BINARY_OP_WRONG_TYPE", x,
			"the binary operator requires the input type %q, not %q.", "BOOLEAN", SQLTypeName(n.typ))
	}
	return nil, dataTypeMismatch("UNEXPECTED_INPUT_TYPE", x,
		"The first parameter requires the %q type, however %q has the type %q.", "BOOLEAN", src.String(), SQLTypeName(n.typ))
}

func (b *binder) bindLogic(x *Binary, l, r *node) (*node, error) {
	var err error
	if l, err = b.toBoolean(l, x, x.Left); err != nil {
		return nil, err
	}
	if r, err = b.toBoolean(r, x, x.Right); err != nil {
		return nil, err
	}
	and := x.Op == OpAnd
	out := &node{typ: TypeBoolean, nullable: l.nullable || r.nullable, src: x,
		eval: func(c *evalCtx) (arrow.Array, error) {
			args, err := runAll(c, []*node{l, r})
			if err != nil {
				return nil, err
			}
			defer releaseAll(args)
			return logic3(c, and, args[0], args[1]), nil
		}}
	if foldable([]*node{l, r}) {
		return fold(out), nil
	}
	return out, nil
}

// normBits returns a zero-offset view of a boolean array's values and
// validity (nil validity when all valid), copying only when a is sliced.
func normBits(c *evalCtx, a arrow.Array) (vals, valid []byte, free func()) {
	n := a.Len()
	d := a.Data()
	off := d.Offset()
	var bufs []*memory.Buffer
	vals = d.Buffers()[1].Bytes()
	if off != 0 {
		vb := allocBitmap(c.mem, n)
		bitutil.CopyBitmap(vals, off, n, vb.Bytes(), 0)
		vals = vb.Bytes()
		bufs = append(bufs, vb)
	}
	if a.NullN() > 0 {
		vb, _ := copyValidity(c.mem, a)
		valid = vb.Bytes()
		bufs = append(bufs, vb)
	}
	return vals, valid, func() {
		for _, b := range bufs {
			b.Release()
		}
	}
}

// logic3 is SQL's three-valued AND / OR over whole bitmaps: false AND null
// is false, true OR null is true, other combinations with null are null.
func logic3(c *evalCtx, and bool, a, b arrow.Array) arrow.Array {
	n := a.Len()
	av, aValid, freeA := normBits(c, a)
	defer freeA()
	bv, bValid, freeB := normBits(c, b)
	defer freeB()
	nb := int(bitutil.BytesForBits(int64(n)))
	vals := allocBitmap(c.mem, n)
	out := vals.Bytes()
	if aValid == nil && bValid == nil {
		if and {
			for i := 0; i < nb; i++ {
				out[i] = av[i] & bv[i]
			}
		} else {
			for i := 0; i < nb; i++ {
				out[i] = av[i] | bv[i]
			}
		}
		return makeArray(TypeBoolean, n, nil, 0, vals)
	}
	validBuf := allocBitmap(c.mem, n)
	vo := validBuf.Bytes()
	for i := 0; i < nb; i++ {
		ava, bva := byte(0xff), byte(0xff)
		if aValid != nil {
			ava = aValid[i]
		}
		if bValid != nil {
			bva = bValid[i]
		}
		x, y := av[i], bv[i]
		if and {
			// valid when both valid, or either side is a valid false
			vo[i] = (ava & bva) | (ava &^ x) | (bva &^ y)
			out[i] = x & y & vo[i]
		} else {
			vo[i] = (ava & bva) | (ava & x) | (bva & y)
			out[i] = ((x & ava) | (y & bva)) & vo[i]
		}
	}
	nulls := n - bitutil.CountSetBits(vo, 0, n)
	return makeArray(TypeBoolean, n, validBuf, nulls, vals)
}

func (b *binder) bindUnary(x *Unary) (*node, error) {
	child, err := b.bind(x.Child)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case OpIsNull, OpIsNotNull:
		wantNull := x.Op == OpIsNull
		out := &node{typ: TypeBoolean, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
			a, err := child.run(c)
			if err != nil {
				return nil, err
			}
			defer a.Release()
			return isNullArray(c, a, wantNull), nil
		}}
		if !child.nullable {
			out.isConst, out.value = true, !wantNull
		}
		if child.isConst {
			return fold(out), nil
		}
		return out, nil
	case OpNot:
		if child, err = b.toBoolean(child, x, x.Child); err != nil {
			return nil, err
		}
		out := &node{typ: TypeBoolean, nullable: child.nullable, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
			a, err := child.run(c)
			if err != nil {
				return nil, err
			}
			defer a.Release()
			vals := allocBitmap(c.mem, a.Len())
			bitutil.InvertBitmap(a.Data().Buffers()[1].Bytes(), a.Data().Offset(), a.Len(), vals.Bytes(), 0)
			valid, nulls := copyValidity(c.mem, a)
			return makeArray(TypeBoolean, a.Len(), valid, nulls, vals), nil
		}}
		if child.isConst {
			return fold(out), nil
		}
		return out, nil
	case OpNeg:
		return b.bindNegate(x, child)
	}
	return nil, analysisErr("INTERNAL_ERROR", "unknown operator %q", x.Op)
}

func isNullArray(c *evalCtx, a arrow.Array, wantNull bool) arrow.Array {
	n := a.Len()
	vals := allocBitmap(c.mem, n)
	out := vals.Bytes()
	switch bits, off := validity(a); {
	case a.NullN() == 0:
		memory.Set(out, b2u(!wantNull)*0xff)
	case bits == nil:
		memory.Set(out, b2u(wantNull)*0xff)
	case wantNull:
		bitutil.InvertBitmap(bits, off, n, out, 0)
	default:
		bitutil.CopyBitmap(bits, off, n, out, 0)
	}
	return makeArray(TypeBoolean, n, nil, 0, vals)
}
