package expr

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

func registerNestedFuncs() {
	register("struct", KindScalar, 0, -1, bindStruct)
	register("named_struct", KindScalar, 0, -1, bindNamedStruct)
	register("array", KindScalar, 0, -1, bindArray)
	register("element_at", KindScalar, 2, 2, func(b *binder, x *Call, args []*node) (*node, error) {
		return b.extract(x, args[0], args[1], x.Args[1], true)
	})
	register("size", KindScalar, 1, 1, bindSize)
	register("cardinality", KindScalar, 1, 1, bindSize)
	register("array_contains", KindScalar, 2, 2, bindArrayContains)
}

// structFieldName is how struct() names a field: the name of a column,
// alias or extracted field, else colN.
func structFieldName(e Expr, i int) string {
	switch x := e.(type) {
	case *ColumnRef, *Alias, *GetField:
		return OutputName(x)
	}
	return fmt.Sprintf("col%d", i+1)
}

func buildStruct(x Expr, names []string, args []*node) (*node, error) {
	fields := make([]arrow.Field, len(args))
	for i, a := range args {
		t := a.typ
		fields[i] = arrow.Field{Name: names[i], Type: t, Nullable: true}
	}
	st := arrow.StructOf(fields...)
	return &node{typ: st, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
		in, err := runAll(c, args)
		if err != nil {
			return nil, err
		}
		defer releaseAll(in)
		kids := make([]arrow.ArrayData, len(in))
		for i, a := range in {
			kids[i] = a.Data()
		}
		return makeNested(st, c.n, nil, 0, nil, kids), nil
	}}, nil
}

func bindStruct(b *binder, x *Call, args []*node) (*node, error) {
	names := make([]string, len(args))
	for i, e := range x.Args {
		names[i] = structFieldName(e, i)
	}
	return buildStruct(x, names, args)
}

func bindNamedStruct(b *binder, x *Call, args []*node) (*node, error) {
	if len(args)%2 != 0 {
		return nil, analysisErr("WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
			"The `named_struct` requires 2n (n > 0) parameters but the actual number is %d.", len(args))
	}
	var names []string
	var vals []*node
	for i := 0; i < len(args); i += 2 {
		n, ok, err := constString(x, args, i)
		if err != nil || !ok {
			return nil, dataTypeMismatch("CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING", x,
				"Only foldable `STRING` expressions are allowed to appear at odd position, but they are [%s].", x.Args[i].String())
		}
		names = append(names, n)
		vals = append(vals, args[i+1])
	}
	return buildStruct(x, names, vals)
}

func bindArray(b *binder, x *Call, args []*node) (*node, error) {
	args, t, err := commonArgs(x, args, x.Args, true)
	if err != nil {
		return nil, err
	}
	if isNull(t) {
		t = TypeString
		for i := range args {
			if args[i], err = castNode(args[i], t, x.Args[i]); err != nil {
				return nil, err
			}
		}
	}
	lt := ArrayOf(t)
	return &node{typ: lt, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
		in, err := runAll(c, args)
		if err != nil {
			return nil, err
		}
		defer releaseAll(in)
		lb := array.NewListBuilder(c.mem, t)
		defer lb.Release()
		vb := lb.ValueBuilder()
		for i := 0; i < c.n; i++ {
			lb.Append(true)
			for _, a := range in {
				appendValue(vb, valueAt(a, i))
			}
		}
		return lb.NewArray(), nil
	}}, nil
}

func (b *binder) bindGetItem(x *GetItem) (*node, error) {
	base, err := b.bind(x.Child)
	if err != nil {
		return nil, err
	}
	key, err := b.bind(x.Key)
	if err != nil {
		return nil, err
	}
	if _, ok := base.typ.(*arrow.StructType); ok {
		if key.isConst {
			if name, ok := key.value.(string); ok {
				return b.fieldOf(base, name, x, x.Child.String())
			}
		}
	}
	n, err := b.extract(x, base, key, x.Key, false)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// extract is element_at (oneBased) and getItem/[ ] on arrays and maps.
func (b *binder) extract(x Expr, base, key *node, keySrc Expr, oneBased bool) (*node, error) {
	switch t := base.typ.(type) {
	case *arrow.ListType:
		idx, err := castNodeImplicit(x, key, TypeInt, keySrc)
		if err != nil {
			return nil, err
		}
		if oneBased && idx.isConst && idx.value != nil && idx.value.(int32) == 0 {
			return nil, analysisErr("INVALID_INDEX_OF_ZERO",
				"The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).")
		}
		elem := t.Elem()
		return &node{typ: elem, nullable: true, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
			in, err := runAll(c, []*node{base, idx})
			if err != nil {
				return nil, err
			}
			defer releaseAll(in)
			l := in[0].(*array.List)
			ix := values[int32](in[1])
			vals := l.ListValues()
			pick := make([]int32, c.n)
			for i := range pick {
				pick[i] = -1
				if l.IsNull(i) || in[1].IsNull(i) {
					continue
				}
				start, end := l.ValueOffsets(i)
				k := int64(ix[i])
				if oneBased {
					if k == 0 {
						return nil, fmt.Errorf("[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).")
					}
					if k > 0 {
						k--
					} else {
						k += end - start
					}
				}
				if k >= 0 && k < end-start {
					pick[i] = int32(start + k)
				}
			}
			return takeIndices(c, vals, pick), nil
		}}, nil
	case *arrow.MapType:
		k, err := castNodeImplicit(x, key, t.KeyType(), keySrc)
		if err != nil {
			return nil, err
		}
		return &node{typ: t.ItemType(), nullable: true, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
			in, err := runAll(c, []*node{base, k})
			if err != nil {
				return nil, err
			}
			defer releaseAll(in)
			m := in[0].(*array.Map)
			keys := m.Keys()
			pick := make([]int32, c.n)
			for i := range pick {
				pick[i] = -1
				if m.IsNull(i) || in[1].IsNull(i) {
					continue
				}
				want := setKey(valueAt(in[1], i))
				start, end := m.ValueOffsets(i)
				for j := start; j < end; j++ {
					if setKey(valueAt(keys, int(j))) == want {
						pick[i] = int32(j)
						break
					}
				}
			}
			return takeIndices(c, m.Items(), pick), nil
		}}, nil
	}
	return nil, analysisErr("INVALID_EXTRACT_BASE_FIELD_TYPE",
		"Can't extract a value from %q. Need a complex type [STRUCT, ARRAY, MAP] but got %q.", x.Children()[0].String(), SQLTypeName(base.typ))
}

func castNodeImplicit(x Expr, n *node, to arrow.DataType, src Expr) (*node, error) {
	if !implicitCastable(n.typ, to) {
		return nil, dataTypeMismatch("UNEXPECTED_INPUT_TYPE", x,
			"The %s parameter requires the %q type, however %q has the type %q.", ordinal(1), SQLTypeName(to), src.String(), SQLTypeName(n.typ))
	}
	return castNode(n, to, src)
}

func bindSize(b *binder, x *Call, args []*node) (*node, error) {
	a := args[0]
	switch a.typ.(type) {
	case *arrow.ListType, *arrow.MapType:
	default:
		return nil, unexpectedType(x, 0, `("ARRAY" or "MAP")`, a.typ)
	}
	out := unary(x, TypeInt, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		buf, out := fixedBuf[int32](c.mem, c.n)
		offs := in.(array.ListLike)
		for i := range out {
			if in.IsNull(i) {
				out[i] = -1 // spark.sql.legacy.sizeOfNull
				continue
			}
			s, e := offs.ValueOffsets(i)
			out[i] = int32(e - s)
		}
		return makeArray(TypeInt, c.n, nil, 0, buf), nil
	})
	out.nullable = false
	return out, nil
}

func bindArrayContains(b *binder, x *Call, args []*node) (*node, error) {
	lt, ok := args[0].typ.(*arrow.ListType)
	if !ok {
		return nil, unexpectedType(x, 0, `"ARRAY"`, args[0].typ)
	}
	v, err := castNodeImplicit(x, args[1], lt.Elem(), x.Args[1])
	if err != nil {
		return nil, err
	}
	return multi(x, TypeBoolean, []*node{args[0], v}, func(c *evalCtx, in []arrow.Array) (arrow.Array, error) {
		l := in[0].(*array.List)
		vals := l.ListValues()
		bits := allocBitmap(c.mem, c.n)
		o := bits.Bytes()
		nb := newBitmapBuilder(c.mem, c.n)
		for i := 0; i < c.n; i++ {
			if l.IsNull(i) || in[1].IsNull(i) {
				nb.setNull(i)
				continue
			}
			want := setKey(valueAt(in[1], i))
			start, end := l.ValueOffsets(i)
			found, sawNull := false, false
			for j := start; j < end; j++ {
				if vals.IsNull(int(j)) {
					sawNull = true
					continue
				}
				if setKey(valueAt(vals, int(j))) == want {
					found = true
					break
				}
			}
			switch {
			case found:
				setBit(o, i)
			case sawNull:
				nb.setNull(i)
			}
		}
		valid, nulls := nb.finish()
		return makeArray(TypeBoolean, c.n, valid, nulls, bits), nil
	}), nil
}

// Explode flattens an array (or map) column: values holds every element
// (for a map, its key/value entries as a struct array) and parentIndex[i]
// the row of arr that element i came from. Null and empty arrays produce
// no rows. The caller releases values.
func Explode(arr arrow.Array) (values arrow.Array, parentIndex []int32) {
	ll, ok := arr.(array.ListLike)
	if !ok {
		return nil, nil
	}
	var child arrow.Array
	switch x := arr.(type) {
	case *array.List:
		child = x.ListValues()
	case *array.Map:
		child = x.ListValues()
	case *array.LargeList:
		child = x.ListValues()
	default:
		return nil, nil
	}
	var idx []int32
	for i := 0; i < arr.Len(); i++ {
		if arr.IsNull(i) {
			continue
		}
		s, e := ll.ValueOffsets(i)
		for j := s; j < e; j++ {
			idx = append(idx, int32(j))
			parentIndex = append(parentIndex, int32(i))
		}
	}
	c := &evalCtx{mem: memoryDefault(), n: len(idx)}
	return takeIndices(c, child, idx), parentIndex
}
