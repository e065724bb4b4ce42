package expr

import (
	"math"
	"math/big"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
)

func registerMathFuncs() {
	register("abs", KindScalar, 1, 1, bindAbs)
	register("round", KindScalar, 1, 2, bindRound)
	register("floor", KindScalar, 1, 1, bindFloorCeil(math.Floor))
	register("ceil", KindScalar, 1, 1, bindFloorCeil(math.Ceil))
	register("ceiling", KindScalar, 1, 1, bindFloorCeil(math.Ceil))
	register("sqrt", KindScalar, 1, 1, bindDoubleFunc(math.Sqrt))
	register("exp", KindScalar, 1, 1, bindDoubleFunc(math.Exp))
	register("ln", KindScalar, 1, 1, bindDoubleFunc(func(v float64) float64 {
		if v <= 0 {
			return math.NaN() // null below
		}
		return math.Log(v)
	}))
	register("pow", KindScalar, 2, 2, bindPow)
	register("power", KindScalar, 2, 2, bindPow)
}

func numericArg(x *Call, args []*node, i int) (*node, error) {
	a := args[i]
	switch {
	case IsNumeric(a.typ):
		return a, nil
	case isString(a.typ), isNull(a.typ):
		return castNode(a, TypeDouble, x.Args[i])
	}
	return nil, unexpectedType(x, i, `"NUMERIC"`, a.typ)
}

func bindAbs(b *binder, x *Call, args []*node) (*node, error) {
	a, err := numericArg(x, args, 0)
	if err != nil {
		return nil, err
	}
	t := a.typ
	return unary(x, t, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		var buf interface{ Release() }
		switch t.ID() {
		case arrow.INT8:
			buf = absInto[int8](c, in)
		case arrow.INT16:
			buf = absInto[int16](c, in)
		case arrow.INT32:
			buf = absInto[int32](c, in)
		case arrow.INT64:
			buf = absInto[int64](c, in)
		case arrow.FLOAT32:
			buf = absInto[float32](c, in)
		case arrow.FLOAT64:
			buf = absInto[float64](c, in)
		case arrow.DECIMAL128:
			b, out := fixedBuf[decimal128.Num](c.mem, c.n)
			for i, v := range values[decimal128.Num](in) {
				out[i] = v.Abs()
			}
			buf = b
		}
		valid, nulls := copyValidity(c.mem, in)
		return makeArray(t, c.n, valid, nulls, buf.(*memoryBuffer)), nil
	}), nil
}

func absInto[T ordered](c *evalCtx, in arrow.Array) *memoryBuffer {
	buf, out := fixedBuf[T](c.mem, c.n)
	for i, v := range values[T](in) {
		if v < 0 {
			v = -v
		}
		out[i] = v
	}
	return buf
}

// roundHalfUp rounds v to d decimal places as Spark does for doubles:
// through the shortest decimal representation, halves away from zero.
func roundHalfUp(v float64, d int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(v, 'g', -1, 64))
	if !ok {
		return v
	}
	var scaled *big.Int
	if d >= 0 {
		scaled = ratToScaled(r, int32(d))
		f, _ := new(big.Rat).SetFrac(scaled, pow10(int32(d))).Float64()
		return f
	}
	p := pow10(int32(-d))
	scaled = divHalfUp(r.Num(), new(big.Int).Mul(r.Denom(), p))
	f, _ := new(big.Float).SetInt(new(big.Int).Mul(scaled, p)).Float64()
	return f
}

func roundInt(v int64, d int) int64 {
	if d >= 0 {
		return v
	}
	if -d > 18 {
		return 0
	}
	p := int64(math.Pow10(-d))
	q := divHalfUp(big.NewInt(v), big.NewInt(p))
	return q.Int64() * p
}

func bindRound(b *binder, x *Call, args []*node) (*node, error) {
	a, err := numericArg(x, args, 0)
	if err != nil {
		return nil, err
	}
	d := int64(0)
	if len(args) == 2 {
		var ok bool
		if d, ok, err = constInt(x, args, 1); err != nil {
			return nil, err
		}
		if !ok {
			return nullConst(a.typ, x), nil
		}
	}
	scale := int(d)
	t := a.typ
	if dt, ok := t.(*arrow.Decimal128Type); ok {
		ns := int32(max(min(scale, int(dt.Scale)), 0))
		rt := &arrow.Decimal128Type{Precision: min(dt.Precision-dt.Scale+ns+1, 38), Scale: ns}
		return unary(x, rt, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			buf, out := fixedBuf[decimal128.Num](c.mem, c.n)
			for i, v := range values[decimal128.Num](in) {
				r := rescaleBig(v.BigInt(), dt.Scale, ns)
				if scale < 0 {
					p := pow10(int32(-scale))
					r = new(big.Int).Mul(divHalfUp(r, p), p)
				}
				out[i] = decimal128.FromBigInt(r)
			}
			valid, nulls := copyValidity(c.mem, in)
			return makeArray(rt, c.n, valid, nulls, buf), nil
		}), nil
	}
	return unary(x, t, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		var buf *memoryBuffer
		switch t.ID() {
		case arrow.FLOAT64, arrow.FLOAT32:
			fs := toFloat64s(in)
			for i := range fs {
				fs[i] = roundHalfUp(fs[i], scale)
			}
			if t.ID() == arrow.FLOAT64 {
				b, out := fixedBuf[float64](c.mem, c.n)
				copy(out, fs)
				buf = b
			} else {
				b, out := fixedBuf[float32](c.mem, c.n)
				convert(fs, out)
				buf = b
			}
		default:
			longs := make([]int64, c.n)
			for i := range longs {
				longs[i] = roundInt(intAt(in, i), scale)
			}
			switch t.ID() {
			case arrow.INT8:
				b, out := fixedBuf[int8](c.mem, c.n)
				convert(longs, out)
				buf = b
			case arrow.INT16:
				b, out := fixedBuf[int16](c.mem, c.n)
				convert(longs, out)
				buf = b
			case arrow.INT32:
				b, out := fixedBuf[int32](c.mem, c.n)
				convert(longs, out)
				buf = b
			default:
				b, out := fixedBuf[int64](c.mem, c.n)
				copy(out, longs)
				buf = b
			}
		}
		valid, nulls := copyValidity(c.mem, in)
		return makeArray(t, c.n, valid, nulls, buf), nil
	}), nil
}

// floor and ceil return BIGINT for integral and floating input, and a
// decimal with scale 0 for decimals, as in Spark.
func bindFloorCeil(f func(float64) float64) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		a, err := numericArg(x, args, 0)
		if err != nil {
			return nil, err
		}
		if dt, ok := a.typ.(*arrow.Decimal128Type); ok {
			rt := &arrow.Decimal128Type{Precision: min(dt.Precision-dt.Scale+1, 38), Scale: 0}
			up := f(0.5) == 1
			return unary(x, rt, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
				buf, out := fixedBuf[decimal128.Num](c.mem, c.n)
				p := pow10(dt.Scale)
				for i, v := range values[decimal128.Num](in) {
					q, m := new(big.Int).DivMod(v.BigInt(), p, new(big.Int)) // Euclidean: floor for p > 0
					if up && m.Sign() != 0 {
						q.Add(q, big.NewInt(1))
					}
					out[i] = decimal128.FromBigInt(q)
				}
				valid, nulls := copyValidity(c.mem, in)
				return makeArray(rt, c.n, valid, nulls, buf), nil
			}), nil
		}
		if isIntegral(a.typ) {
			return castNode(a, TypeLong, x)
		}
		return unary(x, TypeLong, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			buf, out := fixedBuf[int64](c.mem, c.n)
			for i, v := range toFloat64s(in) {
				out[i] = floatToInt64(f(v))
			}
			valid, nulls := copyValidity(c.mem, in)
			return makeArray(TypeLong, c.n, valid, nulls, buf), nil
		}), nil
	}
}

func bindDoubleFunc(f func(float64) float64) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		a, err := argAs(x, args, 0, TypeDouble)
		if err != nil {
			return nil, err
		}
		nanIsNull := x.Name == "ln"
		out := unary(x, TypeDouble, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			buf, out := fixedBuf[float64](c.mem, c.n)
			for i, v := range values[float64](in) {
				out[i] = f(v)
			}
			if !nanIsNull {
				valid, nulls := copyValidity(c.mem, in)
				return makeArray(TypeDouble, c.n, valid, nulls, buf), nil
			}
			nb := newBitmapBuilder(c.mem, c.n)
			vb, off := validity(in)
			for i, v := range out {
				if !isValid(vb, off, i) || math.IsNaN(v) {
					nb.setNull(i)
				}
			}
			valid, nulls := nb.finish()
			return makeArray(TypeDouble, c.n, valid, nulls, buf), nil
		})
		return out, nil
	}
}

func bindPow(b *binder, x *Call, args []*node) (*node, error) {
	l, err := argAs(x, args, 0, TypeDouble)
	if err != nil {
		return nil, err
	}
	r, err := argAs(x, args, 1, TypeDouble)
	if err != nil {
		return nil, err
	}
	return multi(x, TypeDouble, []*node{l, r}, func(c *evalCtx, in []arrow.Array) (arrow.Array, error) {
		buf, out := fixedBuf[float64](c.mem, c.n)
		a, e := values[float64](in[0]), values[float64](in[1])
		for i := range out {
			out[i] = math.Pow(a[i], e[i])
		}
		valid, nulls := mergeValidity(c.mem, c.n, in...)
		return makeArray(TypeDouble, c.n, valid, nulls, buf), nil
	}), nil
}
