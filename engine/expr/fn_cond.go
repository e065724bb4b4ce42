package expr

import (
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

func registerCondFuncs() {
	register("coalesce", KindScalar, 1, -1, bindCoalesce)
	register("nvl", KindScalar, 2, 2, bindCoalesce)
	register("ifnull", KindScalar, 2, 2, bindCoalesce)
	register("greatest", KindScalar, 2, -1, bindExtreme(1))
	register("least", KindScalar, 2, -1, bindExtreme(-1))
	register("isnull", KindScalar, 1, 1, func(b *binder, x *Call, args []*node) (*node, error) {
		return b.bindUnary(&Unary{Op: OpIsNull, Child: x.Args[0]})
	})
	register("isnotnull", KindScalar, 1, 1, func(b *binder, x *Call, args []*node) (*node, error) {
		return b.bindUnary(&Unary{Op: OpIsNotNull, Child: x.Args[0]})
	})
	register("isnan", KindScalar, 1, 1, func(b *binder, x *Call, args []*node) (*node, error) {
		a, err := argAs(x, args, 0, TypeDouble)
		if err != nil {
			return nil, err
		}
		out := unary(x, TypeBoolean, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			bits := allocBitmap(c.mem, c.n)
			o := bits.Bytes()
			vb, off := validity(in)
			for i, v := range values[float64](in) {
				if isValid(vb, off, i) && math.IsNaN(v) {
					setBit(o, i)
				}
			}
			return makeArray(TypeBoolean, c.n, nil, 0, bits), nil
		})
		out.nullable = false
		return out, nil
	})
}

// choose builds an array of type t whose row i is row i of
// sources[pick[i]], or null when pick[i] < 0.
func choose(c *evalCtx, t arrow.DataType, sources []arrow.Array, pick []int32) arrow.Array {
	n := len(pick)
	nb := newBitmapBuilder(c.mem, n)
	for i, p := range pick {
		if p < 0 || sources[p].IsNull(i) {
			nb.setNull(i)
		}
	}
	switch t.ID() {
	case arrow.INT8:
		return chooseFixed[int8](c, t, sources, pick, nb)
	case arrow.INT16:
		return chooseFixed[int16](c, t, sources, pick, nb)
	case arrow.INT32, arrow.DATE32:
		return chooseFixed[int32](c, t, sources, pick, nb)
	case arrow.INT64, arrow.TIMESTAMP:
		return chooseFixed[int64](c, t, sources, pick, nb)
	case arrow.FLOAT32:
		return chooseFixed[float32](c, t, sources, pick, nb)
	case arrow.FLOAT64:
		return chooseFixed[float64](c, t, sources, pick, nb)
	case arrow.DECIMAL128:
		return chooseFixed[decimalNum](c, t, sources, pick, nb)
	case arrow.BOOL:
		bits := allocBitmap(c.mem, n)
		o := bits.Bytes()
		for i, p := range pick {
			if p >= 0 && sources[p].(*array.Boolean).Value(i) {
				setBit(o, i)
			}
		}
		valid, nulls := nb.finish()
		return makeArray(t, n, valid, nulls, bits)
	case arrow.STRING, arrow.BINARY:
		so := newStrOut(c.mem, n, 16*n)
		for i, p := range pick {
			if p < 0 || sources[p].IsNull(i) {
				so.pushNull()
				continue
			}
			so.push(binValue(sources[p].(binaryLike), i))
		}
		if vb, _ := nb.finish(); vb != nil {
			vb.Release()
		}
		return so.finish(t)
	}
	if vb, _ := nb.finish(); vb != nil {
		vb.Release()
	}
	b := array.NewBuilder(c.mem, t)
	defer b.Release()
	for i, p := range pick {
		if p < 0 {
			b.AppendNull()
			continue
		}
		appendValue(b, valueAt(sources[p], i))
	}
	return b.NewArray()
}

func chooseFixed[T any](c *evalCtx, t arrow.DataType, sources []arrow.Array, pick []int32, nb *bitmapBuilder) arrow.Array {
	vals := make([][]T, len(sources))
	for i, s := range sources {
		vals[i] = values[T](s)
	}
	buf, out := fixedBuf[T](c.mem, len(pick))
	for i, p := range pick {
		if p >= 0 {
			out[i] = vals[p][i]
		}
	}
	valid, nulls := nb.finish()
	return makeArray(t, len(pick), valid, nulls, buf)
}

// commonArgs casts every argument to their wider common type.
func commonArgs(x Expr, args []*node, srcs []Expr, withStrings bool) ([]*node, arrow.DataType, error) {
	ts := make([]arrow.DataType, len(args))
	for i, a := range args {
		ts[i] = a.typ
	}
	t, ok := widerTypes(ts, withStrings)
	if !ok {
		names := make([]string, len(ts))
		for i, tt := range ts {
			names[i] = "\"" + SQLTypeName(tt) + "\""
		}
		return nil, nil, dataTypeMismatch("DATA_DIFF_TYPES", x,
			"Input to %s should all be the same type, but it's [%s].", funcLabel(x), joinStrings(names))
	}
	out := make([]*node, len(args))
	for i, a := range args {
		var err error
		if out[i], err = castNode(a, t, srcs[i]); err != nil {
			return nil, nil, err
		}
	}
	return out, t, nil
}

func funcLabel(x Expr) string {
	switch e := x.(type) {
	case *Call:
		return quoteID(e.Name)
	case *CaseWhen:
		return "`casewhen`"
	case *In:
		return "`in`"
	}
	return "the expression"
}

func joinStrings(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func bindCoalesce(b *binder, x *Call, args []*node) (*node, error) {
	args, t, err := commonArgs(x, args, x.Args, true)
	if err != nil {
		return nil, err
	}
	nullable := true
	for _, a := range args {
		if !a.nullable {
			nullable = false
		}
	}
	out := multi(x, t, args, func(c *evalCtx, in []arrow.Array) (arrow.Array, error) {
		pick := make([]int32, c.n)
		for i := range pick {
			pick[i] = -1
			for k, a := range in {
				if !a.IsNull(i) {
					pick[i] = int32(k)
					break
				}
			}
		}
		return choose(c, t, in, pick), nil
	})
	out.nullable = nullable
	return out, nil
}

func bindExtreme(sign int) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		args, t, err := commonArgs(x, args, x.Args, false)
		if err != nil {
			return nil, err
		}
		if !isAtomic(t) && !isNull(t) {
			return nil, dataTypeMismatch("INVALID_ORDERING_TYPE", x, "the %s does not support ordering on type %q.", quoteID(x.Name), SQLTypeName(t))
		}
		return multi(x, t, args, func(c *evalCtx, in []arrow.Array) (arrow.Array, error) {
			pick := make([]int32, c.n)
			for i := range pick {
				best := int32(-1)
				var bv any
				for k, a := range in {
					if a.IsNull(i) {
						continue
					}
					v := valueAt(a, i)
					if best < 0 || compareAny(v, bv)*sign > 0 {
						best, bv = int32(k), v
					}
				}
				pick[i] = best
			}
			return choose(c, t, in, pick), nil
		}), nil
	}
}

// compareAny orders two non-null values of one type (Spark's ordering:
// NaN is the largest double).
func compareAny(a, b any) int {
	switch x := a.(type) {
	case int8:
		return cmp3(x, b.(int8))
	case int16:
		return cmp3(x, b.(int16))
	case int32:
		return cmp3(x, b.(int32))
	case int64:
		return cmp3(x, b.(int64))
	case float32:
		return cmpFloat(float64(x), float64(b.(float32)))
	case float64:
		return cmpFloat(x, b.(float64))
	case arrow.Date32:
		return cmp3(x, b.(arrow.Date32))
	case arrow.Timestamp:
		return cmp3(x, b.(arrow.Timestamp))
	}
	return compareValues(a, b)
}

func cmp3[T ordered](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp3(a, b)
}

func (b *binder) bindCaseWhen(x *CaseWhen) (*node, error) {
	conds := make([]*node, len(x.Branches))
	vals := make([]*node, 0, len(x.Branches)+1)
	srcs := make([]Expr, 0, len(x.Branches)+1)
	for i, w := range x.Branches {
		c, err := b.bind(w.Cond)
		if err != nil {
			return nil, err
		}
		if c.typ.ID() != arrow.BOOL {
			if !isNull(c.typ) {
				return nil, dataTypeMismatch("UNEXPECTED_INPUT_TYPE", x,
					"The %s parameter requires the %q type, however %q has the type %q.", ordinal(2*i), "BOOLEAN", w.Cond.String(), SQLTypeName(c.typ))
			}
			if c, err = castNode(c, TypeBoolean, w.Cond); err != nil {
				return nil, err
			}
		}
		conds[i] = c
		v, err := b.bind(w.Value)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
		srcs = append(srcs, w.Value)
	}
	var elseSrc Expr = &Literal{}
	if x.Else != nil {
		elseSrc = x.Else
	}
	ev, err := b.bind(elseSrc)
	if err != nil {
		return nil, err
	}
	vals = append(vals, ev)
	srcs = append(srcs, elseSrc)
	vals, t, err := commonArgs(x, vals, srcs, true)
	if err != nil {
		return nil, err
	}
	all := append(append([]*node(nil), conds...), vals...)
	nb := len(conds)
	out := &node{typ: t, nullable: true, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
		in, err := runAll(c, all)
		if err != nil {
			return nil, err
		}
		defer releaseAll(in)
		pick := make([]int32, c.n)
		for i := range pick {
			pick[i] = int32(nb) // else
			for k := 0; k < nb; k++ {
				cb := in[k].(*array.Boolean)
				if cb.IsValid(i) && cb.Value(i) {
					pick[i] = int32(k)
					break
				}
			}
		}
		return choose(c, t, in[nb:], pick), nil
	}}
	if foldable(all) {
		return fold(out), nil
	}
	return out, nil
}

func (b *binder) bindIn(x *In) (*node, error) {
	child, err := b.bind(x.Child)
	if err != nil {
		return nil, err
	}
	list, err := b.bindAll(x.List)
	if err != nil {
		return nil, err
	}
	all := append([]*node{child}, list...)
	srcs := append([]Expr{x.Child}, x.List...)
	all, t, err := commonArgs(x, all, srcs, true)
	if err != nil {
		return nil, err
	}
	child, list = all[0], all[1:]
	allConst := true
	for _, l := range list {
		allConst = allConst && l.isConst
	}
	if !allConst {
		// a IN (b, c) is (a = b) OR (a = c) under three-valued logic.
		var or Expr
		for _, l := range x.List {
			eq := &Binary{Op: OpEq, Left: x.Child, Right: l}
			if or == nil {
				or = eq
			} else {
				or = &Binary{Op: OpOr, Left: or, Right: eq}
			}
		}
		n, err := b.bind(or)
		if err != nil {
			return nil, err
		}
		n.src = x
		return n, nil
	}
	set := map[any]bool{}
	hasNull := false
	for _, l := range list {
		if l.value == nil {
			hasNull = true
			continue
		}
		set[setKey(l.value)] = true
	}
	out := &node{typ: TypeBoolean, nullable: child.nullable || hasNull, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
		a, err := child.run(c)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		bits := allocBitmap(c.mem, c.n)
		o := bits.Bytes()
		nbm := newBitmapBuilder(c.mem, c.n)
		vb, off := validity(a)
		switch t.ID() {
		case arrow.INT32:
			inSet(values[int32](a), set, vb, off, hasNull, o, nbm)
		case arrow.INT64:
			inSet(values[int64](a), set, vb, off, hasNull, o, nbm)
		case arrow.FLOAT64:
			inSet(values[float64](a), set, vb, off, hasNull, o, nbm)
		default:
			for i := 0; i < c.n; i++ {
				switch {
				case !isValid(vb, off, i):
					nbm.setNull(i)
				case set[setKey(valueAt(a, i))]:
					setBit(o, i)
				case hasNull:
					nbm.setNull(i)
				}
			}
		}
		valid, nulls := nbm.finish()
		return makeArray(TypeBoolean, c.n, valid, nulls, bits), nil
	}}
	if child.isConst {
		return fold(out), nil
	}
	return out, nil
}

func setKey(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

func inSet[T comparable](vals []T, set map[any]bool, vb []byte, off int, hasNull bool, o []byte, nbm *bitmapBuilder) {
	for i, v := range vals {
		switch {
		case !isValid(vb, off, i):
			nbm.setNull(i)
		case set[any(v)]:
			setBit(o, i)
		case hasNull:
			nbm.setNull(i)
		}
	}
}
