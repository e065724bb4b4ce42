package expr

import (
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/internal/sqlsyntax"
)

// The JSON functions run on package format's JSON codec, so that from_json
// reads values exactly as the JSON source does and to_json writes them as
// the JSON sink does.

func registerJSONFuncs() {
	register("from_json", KindScalar, 2, 3, bindFromJSON)
	register("to_json", KindScalar, 1, 2, bindToJSON)
	register("get_json_object", KindScalar, 2, 2, bindGetJSONObject)
}

func bindFromJSON(b *binder, x *Call, args []*node) (*node, error) {
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	ddl, ok, err := constString(x, args, 1)
	if err != nil || !ok {
		return nil, analysisErr("INVALID_SCHEMA.NON_STRING_LITERAL",
			"The input schema %q must be a STRING literal.", x.Args[1].String())
	}
	t, err := SchemaFromString(ddl)
	if err != nil {
		return nil, analysisErr("INVALID_SCHEMA.PARSE_ERROR",
			"The input schema %q is not a valid schema string. %v", ddl, err)
	}
	if key := nonStringMapKey(t); key != nil {
		return nil, dataTypeMismatch("INVALID_JSON_MAP_KEY_TYPE", x,
			"Input schema %q can only contain \"STRING\" as a key type for a \"MAP\".", SQLTypeName(t))
	}
	first, err := format.NewJSONValuesDecoder(t, format.JSONOptions{})
	if err != nil {
		return nil, dataTypeMismatch("INVALID_JSON_SCHEMA", x,
			"Input schema %q cannot be read from JSON: %v.", SQLTypeName(t), err)
	}
	// A decoder keeps buffers between batches but serves one at a time.
	decoders := sync.Pool{New: func() any {
		d, _ := format.NewJSONValuesDecoder(t, format.JSONOptions{})
		return d
	}}
	decoders.Put(first)
	out := unary(x, t, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		d := decoders.Get().(*format.JSONValuesDecoder)
		defer decoders.Put(d)
		return d.Decode(in.(*array.String), c.mem), nil
	})
	out.nullable = true
	return out, nil
}

func bindToJSON(b *binder, x *Call, args []*node) (*node, error) {
	a := args[0]
	switch a.typ.ID() {
	case arrow.STRUCT, arrow.LIST, arrow.MAP:
	default:
		return nil, unexpectedType(x, 0, `("STRUCT" or "ARRAY" or "MAP")`, a.typ)
	}
	return unary(x, TypeString, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		appendJSON, err := format.JSONValueAppender(in, format.JSONOptions{})
		if err != nil {
			return nil, errorf("to_json: %v", err)
		}
		so := newStrOut(c.mem, c.n, 32*c.n)
		for i := 0; i < c.n; i++ {
			if in.IsNull(i) {
				so.pushNull()
				continue
			}
			so.push(appendJSON(so.scratch(64), i))
		}
		return so.finish(TypeString), nil
	}), nil
}

func bindGetJSONObject(b *binder, x *Call, args []*node) (*node, error) {
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	text, ok, err := constString(x, args, 1)
	if err != nil {
		return nil, err
	}
	path, valid := format.ParseJSONPath(text)
	if !ok || !valid {
		return nullConst(TypeString, x), nil
	}
	out := unary(x, TypeString, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		str := in.(*array.String)
		so := newStrOut(c.mem, c.n, 8*c.n)
		for i := 0; i < c.n; i++ {
			if str.IsNull(i) {
				so.pushNull()
				continue
			}
			v, found := path.AppendValue(so.scratch(16), binValue(str, i))
			if !found {
				so.pushNull()
				continue
			}
			so.push(v)
		}
		return so.finish(TypeString), nil
	})
	out.nullable = true
	return out, nil
}

// nonStringMapKey returns the key type of the first map in t whose keys
// are not strings (JSON object keys are), or nil.
func nonStringMapKey(t arrow.DataType) arrow.DataType {
	switch x := t.(type) {
	case *arrow.MapType:
		if x.KeyType().ID() != arrow.STRING {
			return x.KeyType()
		}
		return nonStringMapKey(x.ItemType())
	case *arrow.ListType:
		return nonStringMapKey(x.Elem())
	case *arrow.StructType:
		for _, f := range x.Fields() {
			if k := nonStringMapKey(f.Type); k != nil {
				return k
			}
		}
	}
	return nil
}

// SchemaFromString reads a from_json schema as Spark's DataType.fromDDL
// does: a type ("array<int>", "map<string,int>", "struct<a:int>"), else a
// DDL field list ("a INT, b STRING"), which becomes a struct.
func SchemaFromString(s string) (arrow.DataType, error) {
	if t, err := sqlsyntax.ParseDataType(s); err == nil {
		return t, nil
	}
	schema, err := sqlsyntax.ParseDDL(s)
	if err != nil {
		return nil, err
	}
	return arrow.StructOf(schema.Fields()...), nil
}
