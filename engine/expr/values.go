package expr

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
)

type decimalNum = decimal128.Num

// valueAt returns row i of a as the Go value a Literal of its type holds;
// nested values become []any (arrays), map[string]any (structs) and
// [][2]any (maps).
func valueAt(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch x := a.(type) {
	case *array.Boolean:
		return x.Value(i)
	case *array.Int8:
		return x.Value(i)
	case *array.Int16:
		return x.Value(i)
	case *array.Int32:
		return x.Value(i)
	case *array.Int64:
		return x.Value(i)
	case *array.Float32:
		return x.Value(i)
	case *array.Float64:
		return x.Value(i)
	case *array.String:
		return x.Value(i)
	case *array.Binary:
		return append([]byte(nil), x.Value(i)...)
	case *array.Date32:
		return x.Value(i)
	case *array.Timestamp:
		return x.Value(i)
	case *array.Decimal128:
		return x.Value(i)
	case *array.Map:
		start, end := x.ValueOffsets(i)
		keys, items := x.Keys(), x.Items()
		out := make([][2]any, 0, end-start)
		for j := start; j < end; j++ {
			out = append(out, [2]any{valueAt(keys, int(j)), valueAt(items, int(j))})
		}
		return out
	case *array.List:
		start, end := x.ValueOffsets(i)
		vals := x.ListValues()
		out := make([]any, 0, end-start)
		for j := start; j < end; j++ {
			out = append(out, valueAt(vals, int(j)))
		}
		return out
	case *array.Struct:
		st := x.DataType().(*arrow.StructType)
		out := make(map[string]any, st.NumFields())
		for f := 0; f < x.NumField(); f++ {
			out[st.Field(f).Name] = valueAt(x.Field(f), i)
		}
		return out
	}
	return nil
}

// appendValue appends a Go value to a builder of the matching type.
func appendValue(b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		bb.Append(v.(bool))
	case *array.Int8Builder:
		bb.Append(v.(int8))
	case *array.Int16Builder:
		bb.Append(v.(int16))
	case *array.Int32Builder:
		bb.Append(v.(int32))
	case *array.Int64Builder:
		bb.Append(v.(int64))
	case *array.Float32Builder:
		bb.Append(v.(float32))
	case *array.Float64Builder:
		bb.Append(v.(float64))
	case *array.StringBuilder:
		bb.Append(v.(string))
	case *array.BinaryBuilder:
		bb.Append(v.([]byte))
	case *array.Date32Builder:
		bb.Append(v.(arrow.Date32))
	case *array.TimestampBuilder:
		bb.Append(v.(arrow.Timestamp))
	case *array.Decimal128Builder:
		bb.Append(v.(decimal128.Num))
	case *array.MapBuilder:
		bb.Append(true)
		for _, kv := range v.([][2]any) {
			appendValue(bb.KeyBuilder(), kv[0])
			appendValue(bb.ItemBuilder(), kv[1])
		}
	case *array.ListBuilder:
		bb.Append(true)
		for _, el := range v.([]any) {
			appendValue(bb.ValueBuilder(), el)
		}
	case *array.StructBuilder:
		bb.Append(true)
		st := bb.Type().(*arrow.StructType)
		m := v.(map[string]any)
		for f := 0; f < st.NumFields(); f++ {
			appendValue(bb.FieldBuilder(f), m[st.Field(f).Name])
		}
	default:
		b.AppendNull()
	}
}

// literalValue normalises a Go value to a Literal's value and type: int
// becomes INT when it fits in 32 bits and BIGINT otherwise (as PySpark's
// lit does for Python ints), time.Time becomes a TIMESTAMP.
func literalValue(v any) (any, arrow.DataType, error) {
	switch x := v.(type) {
	case nil:
		return nil, TypeNull, nil
	case bool:
		return x, TypeBoolean, nil
	case int:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return int32(x), TypeInt, nil
		}
		return int64(x), TypeLong, nil
	case int8:
		return x, TypeByte, nil
	case int16:
		return x, TypeShort, nil
	case int32:
		return x, TypeInt, nil
	case int64:
		return x, TypeLong, nil
	case uint8:
		return int16(x), TypeShort, nil
	case uint16:
		return int32(x), TypeInt, nil
	case uint32:
		return int64(x), TypeLong, nil
	case uint:
		if x > math.MaxInt64 {
			return nil, nil, fmt.Errorf("[INVALID_LITERAL] %d does not fit in a BIGINT", x)
		}
		return int64(x), TypeLong, nil
	case uint64:
		if x > math.MaxInt64 {
			return nil, nil, fmt.Errorf("[INVALID_LITERAL] %d does not fit in a BIGINT", x)
		}
		return int64(x), TypeLong, nil
	case float32:
		return x, TypeFloat, nil
	case float64:
		return x, TypeDouble, nil
	case string:
		return x, TypeString, nil
	case []byte:
		return x, TypeBinary, nil
	case time.Time:
		return literalTimestamp(x), TypeTimestamp, nil
	case arrow.Timestamp:
		return x, TypeTimestamp, nil
	case arrow.Date32:
		return x, TypeDate, nil
	case decimal128.Num:
		return x, &arrow.Decimal128Type{Precision: 38, Scale: 0}, nil
	}
	return nil, nil, fmt.Errorf("[UNSUPPORTED_FEATURE.LITERAL_TYPE] Literal for '%v' of %T is not supported: use bool, an integer, a float, string, []byte, time.Time or nil", v, v)
}

// NewLiteral builds a Literal from a Go value (see literalValue's rules);
// unsupported values give an Invalid node.
func NewLiteral(v any) Expr {
	val, dt, err := literalValue(v)
	if err != nil {
		return &Invalid{Err: err}
	}
	return &Literal{Value: val, Type: dt}
}
