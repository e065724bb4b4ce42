package expr

import (
	"math"
	"math/big"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

const numericExpected = `("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL")`

// arithType finds the operand and result types of an arithmetic operator:
// strings are read as DOUBLE, "/" works in DOUBLE unless both sides are
// exact (decimal or integral with a decimal), decimals follow Spark's
// precision rules.
func arithType(x *Binary, l, r arrow.DataType) (operand, result arrow.DataType, err error) {
	for _, t := range []arrow.DataType{l, r} {
		if !IsNumeric(t) && !isString(t) && !isNull(t) {
			if !IsNumeric(l) && !isString(l) && !isNull(l) && !IsNumeric(r) && !isString(r) && !isNull(r) && !arrow.TypeEqual(l, r) {
				break
			}
			if IsNumeric(l) || IsNumeric(r) || isString(l) || isString(r) {
				return nil, nil, dataTypeMismatch("BINARY_OP_DIFF_TYPES", x,
					"the left and right operands of the binary operator have incompatible types (%q and %q).",
					SQLTypeName(l), SQLTypeName(r))
			}
			return nil, nil, dataTypeMismatch("BINARY_OP_WRONG_TYPE", x,
				"the binary operator requires the input type %s, not %q.", numericExpected, SQLTypeName(t))
		}
	}
	if !IsNumeric(l) && !isString(l) && !isNull(l) || !IsNumeric(r) && !isString(r) && !isNull(r) {
		return nil, nil, dataTypeMismatch("BINARY_OP_DIFF_TYPES", x,
			"the left and right operands of the binary operator have incompatible types (%q and %q).",
			SQLTypeName(l), SQLTypeName(r))
	}
	if isString(l) {
		l = TypeDouble
	}
	if isString(r) {
		r = TypeDouble
	}
	if isNull(l) && isNull(r) {
		l, r = TypeDouble, TypeDouble
	}
	t, _ := tightestCommonType(l, r)
	if x.Op == OpDiv && !isDecimal(t) {
		return TypeDouble, TypeDouble, nil
	}
	dt, ok := t.(*arrow.Decimal128Type)
	if !ok {
		return t, t, nil
	}
	// decimal result types from the operands' own precision and scale
	d1, d2 := asDecimal(l), asDecimal(r)
	p1, s1, p2, s2 := d1.Precision, d1.Scale, d2.Precision, d2.Scale
	switch x.Op {
	case OpAdd, OpSub:
		scale := max(s1, s2)
		return dt, adjustedDecimal(max(p1-s1, p2-s2)+scale+1, scale), nil
	case OpMul:
		return dt, adjustedDecimal(p1+p2+1, s1+s2), nil
	case OpDiv:
		scale := max(6, s1+p2+1)
		return dt, adjustedDecimal(p1-s1+s2+scale, scale), nil
	}
	scale := max(s1, s2)
	return dt, adjustedDecimal(min(p1-s1, p2-s2)+scale, scale), nil
}

func asDecimal(t arrow.DataType) *arrow.Decimal128Type {
	if d, ok := t.(*arrow.Decimal128Type); ok {
		return d
	}
	return integralAsDecimal(t)
}

func (b *binder) bindArith(x *Binary, l, r *node) (*node, error) {
	if n, ok, err := b.bindTimeArith(x, l, r); ok {
		return n, err
	}
	operand, result, err := arithType(x, l.typ, r.typ)
	if err != nil {
		return nil, err
	}
	if l, err = castNode(l, operand, x.Left); err != nil {
		return nil, err
	}
	if r, err = castNode(r, operand, x.Right); err != nil {
		return nil, err
	}
	out := &node{typ: result, nullable: l.nullable || r.nullable || x.Op == OpDiv || x.Op == OpMod || isDecimal(result), src: x}
	if (l.isConst && l.value == nil) || (r.isConst && r.value == nil) {
		out.isConst, out.nullable = true, true
		return out, nil
	}
	op := x.Op
	if isDecimal(result) {
		out.eval = func(c *evalCtx) (arrow.Array, error) {
			args, err := runAll(c, []*node{l, r})
			if err != nil {
				return nil, err
			}
			defer releaseAll(args)
			return decimalArith(c, op, args[0], args[1], result.(*arrow.Decimal128Type)), nil
		}
	} else {
		out.eval = arithEval(op, l, r, result)
	}
	if foldable([]*node{l, r}) {
		return fold(out), nil
	}
	return out, nil
}

// arithEval picks the kernel for a numeric operator once, at Bind time.
func arithEval(op BinaryOp, l, r *node, t arrow.DataType) evalFn {
	switch t.ID() {
	case arrow.INT8:
		return arithFor[int8](op, l, r, t)
	case arrow.INT16:
		return arithFor[int16](op, l, r, t)
	case arrow.INT32:
		return arithFor[int32](op, l, r, t)
	case arrow.INT64:
		return arithFor[int64](op, l, r, t)
	case arrow.FLOAT32:
		return arithFor[float32](op, l, r, t)
	}
	return arithFor[float64](op, l, r, t)
}

func arithFor[T ordered](op BinaryOp, l, r *node, t arrow.DataType) evalFn {
	rConst, lConst := r.isConst, l.isConst
	var rc, lc T
	if rConst {
		rc = r.value.(T)
	}
	if lConst {
		lc = l.value.(T)
	}
	// + and * commute: keep the constant on the right.
	if lConst && !rConst && (op == OpAdd || op == OpMul) {
		l, r, lc, rc, lConst, rConst = r, l, rc, lc, false, true
	}
	return func(c *evalCtx) (arrow.Array, error) {
		switch {
		case rConst:
			a, err := l.run(c)
			if err != nil {
				return nil, err
			}
			defer a.Release()
			buf, out := fixedBuf[T](c.mem, c.n)
			av := values[T](a)
			switch op {
			case OpAdd:
				addVS(av, rc, out)
			case OpSub:
				subVS(av, rc, out)
			case OpMul:
				mulVS(av, rc, out)
			case OpDiv, OpMod:
				if rc == 0 {
					buf.Release()
					return constArray(c.mem, t, nil, c.n), nil
				}
				if op == OpDiv {
					divVS(av, rc, out)
				} else {
					modVS(av, rc, out)
				}
			}
			valid, nulls := copyValidity(c.mem, a)
			return makeArray(t, c.n, valid, nulls, buf), nil
		case lConst:
			a, err := r.run(c)
			if err != nil {
				return nil, err
			}
			defer a.Release()
			av := values[T](a)
			buf, out := fixedBuf[T](c.mem, c.n)
			switch op {
			case OpSub:
				subSV(lc, av, out)
			case OpDiv, OpMod:
				return divModVV(c, op, nil, lc, a, av, buf, out, t), nil
			}
			valid, nulls := copyValidity(c.mem, a)
			return makeArray(t, c.n, valid, nulls, buf), nil
		}
		args, err := runAll(c, []*node{l, r})
		if err != nil {
			return nil, err
		}
		defer releaseAll(args)
		av, bv := values[T](args[0]), values[T](args[1])
		buf, out := fixedBuf[T](c.mem, c.n)
		switch op {
		case OpAdd:
			addVV(av, bv, out)
		case OpSub:
			subVV(av, bv, out)
		case OpMul:
			mulVV(av, bv, out)
		case OpDiv, OpMod:
			return divModVV(c, op, av, 0, args[1], bv, buf, out, t, args[0]), nil
		}
		valid, nulls := mergeValidity(c.mem, c.n, args[0], args[1])
		return makeArray(t, c.n, valid, nulls, buf), nil
	}
}

func addVV[T ordered](a, b, out []T) {
	b = b[:len(a)]
	out = out[:len(a)]
	for i := range a {
		out[i] = a[i] + b[i]
	}
}

func subVV[T ordered](a, b, out []T) {
	b = b[:len(a)]
	out = out[:len(a)]
	for i := range a {
		out[i] = a[i] - b[i]
	}
}

func mulVV[T ordered](a, b, out []T) {
	b = b[:len(a)]
	out = out[:len(a)]
	for i := range a {
		out[i] = a[i] * b[i]
	}
}

func addVS[T ordered](a []T, c T, out []T) {
	out = out[:len(a)]
	for i := range a {
		out[i] = a[i] + c
	}
}

func subVS[T ordered](a []T, c T, out []T) {
	out = out[:len(a)]
	for i := range a {
		out[i] = a[i] - c
	}
}

func subSV[T ordered](c T, a []T, out []T) {
	out = out[:len(a)]
	for i := range a {
		out[i] = c - a[i]
	}
}

func mulVS[T ordered](a []T, c T, out []T) {
	out = out[:len(a)]
	for i := range a {
		out[i] = a[i] * c
	}
}

func divVS[T ordered](a []T, c T, out []T) {
	out = out[:len(a)]
	for i := range a {
		out[i] = a[i] / c
	}
}

func modVS[T ordered](a []T, c T, out []T) {
	out = out[:len(a)]
	if isFloatT[T]() {
		for i := range a {
			out[i] = T(math.Mod(float64(a[i]), float64(c)))
		}
		return
	}
	for i := range a {
		out[i] = remainder(a[i], c)
	}
}

func isFloatT[T ordered]() bool {
	var one T = 1
	return one/2 != 0
}

// remainder is Java's % for integers (sign of the dividend). Its float
// instantiation is never called.
func remainder[T ordered](a, b T) T {
	q := a / b
	return a - q*b
}

// divModVV divides a (or the constant ac when a is nil) by b element-wise;
// a zero divisor gives null, as Spark does with ANSI mode off.
func divModVV[T ordered](c *evalCtx, op BinaryOp, a []T, ac T, bArr arrow.Array, b []T, buf *memory.Buffer, out []T, t arrow.DataType, others ...arrow.Array) arrow.Array {
	valid, _ := mergeValidity(c.mem, c.n, append([]arrow.Array{bArr}, others...)...)
	if valid == nil {
		valid = allocBitmap(c.mem, c.n)
		memory.Set(valid.Bytes(), 0xff)
	}
	vb := valid.Bytes()
	float := isFloatT[T]()
	for i := range b {
		d := b[i]
		if d == 0 {
			clearBit(vb, i)
			continue
		}
		x := ac
		if a != nil {
			x = a[i]
		}
		switch {
		case op == OpDiv:
			out[i] = x / d
		case float:
			out[i] = T(math.Mod(float64(x), float64(d)))
		default:
			out[i] = remainder(x, d)
		}
	}
	nulls := c.n - bitutil.CountSetBits(vb, 0, c.n)
	return makeArray(t, c.n, valid, nulls, buf)
}

func (b *binder) bindNegate(x *Unary, child *node) (*node, error) {
	t := child.typ
	if isString(t) || isNull(t) {
		t = TypeDouble
	}
	if !IsNumeric(t) {
		return nil, dataTypeMismatch("UNEXPECTED_INPUT_TYPE", x,
			"The first parameter requires the %s type, however %q has the type %q.", numericExpected, x.Child.String(), SQLTypeName(child.typ))
	}
	child, err := castNode(child, t, x.Child)
	if err != nil {
		return nil, err
	}
	zero := &node{typ: t, isConst: true, value: zeroOf(t), src: x}
	var out *node
	if isDecimal(t) {
		out = &node{typ: t, nullable: child.nullable, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
			a, err := child.run(c)
			if err != nil {
				return nil, err
			}
			defer a.Release()
			vals := values[decimal128.Num](a)
			buf, o := fixedBuf[decimal128.Num](c.mem, c.n)
			for i, v := range vals {
				o[i] = v.Negate()
			}
			valid, nulls := copyValidity(c.mem, a)
			return makeArray(t, c.n, valid, nulls, buf), nil
		}}
	} else {
		out = &node{typ: t, nullable: child.nullable, src: x, eval: arithEval(OpSub, zero, child, t)}
	}
	if child.isConst {
		return fold(out), nil
	}
	return out, nil
}

func zeroOf(t arrow.DataType) any {
	switch t.ID() {
	case arrow.INT8:
		return int8(0)
	case arrow.INT16:
		return int16(0)
	case arrow.INT32:
		return int32(0)
	case arrow.INT64:
		return int64(0)
	case arrow.FLOAT32:
		return float32(0)
	case arrow.DECIMAL128:
		return decimal128.Num{}
	}
	return float64(0)
}

// ---- decimals ----

var bigTen = big.NewInt(10)

func pow10(n int32) *big.Int {
	return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil)
}

// rescaleBig changes the scale of v, rounding half up when digits drop.
func rescaleBig(v *big.Int, from, to int32) *big.Int {
	switch {
	case to > from:
		return new(big.Int).Mul(v, pow10(to-from))
	case to < from:
		return divHalfUp(v, pow10(from-to))
	}
	return v
}

// divHalfUp divides rounding half away from zero (Java's HALF_UP).
func divHalfUp(a, b *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	r2 := new(big.Int).Abs(r)
	r2.Lsh(r2, 1)
	if r2.Cmp(new(big.Int).Abs(b)) >= 0 {
		if (a.Sign() < 0) != (b.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

var maxDecimal = func() []*big.Int {
	out := make([]*big.Int, 39)
	for p := range out {
		out[p] = pow10(int32(p))
	}
	return out
}()

func fitsPrecision(v *big.Int, prec int32) bool {
	return new(big.Int).Abs(v).Cmp(maxDecimal[prec]) < 0
}

// decimalArith computes a op b for two decimals of the same operand type
// into type rt, row by row in exact arithmetic; overflow and division by
// zero give null.
func decimalArith(c *evalCtx, op BinaryOp, a, b arrow.Array, rt *arrow.Decimal128Type) arrow.Array {
	s := a.DataType().(*arrow.Decimal128Type).Scale
	av, bv := values[decimal128.Num](a), values[decimal128.Num](b)
	aBits, aOff := validity(a)
	bBits, bOff := validity(b)
	buf, out := fixedBuf[decimal128.Num](c.mem, c.n)
	nb := newBitmapBuilder(c.mem, c.n)
	for i := 0; i < c.n; i++ {
		if !isValid(aBits, aOff, i) || !isValid(bBits, bOff, i) {
			nb.setNull(i)
			continue
		}
		x, y := av[i].BigInt(), bv[i].BigInt()
		var res *big.Int
		switch op {
		case OpAdd:
			res = rescaleBig(new(big.Int).Add(x, y), s, rt.Scale)
		case OpSub:
			res = rescaleBig(new(big.Int).Sub(x, y), s, rt.Scale)
		case OpMul:
			res = rescaleBig(new(big.Int).Mul(x, y), 2*s, rt.Scale)
		case OpDiv:
			if y.Sign() == 0 {
				nb.setNull(i)
				continue
			}
			res = divHalfUp(new(big.Int).Mul(x, pow10(rt.Scale)), y)
		case OpMod:
			if y.Sign() == 0 {
				nb.setNull(i)
				continue
			}
			res = rescaleBig(new(big.Int).Rem(x, y), s, rt.Scale)
		}
		if !fitsPrecision(res, rt.Precision) {
			nb.setNull(i)
			continue
		}
		out[i] = decimal128.FromBigInt(res)
	}
	valid, nulls := nb.finish()
	return makeArray(rt, c.n, valid, nulls, buf)
}
