package exec

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Value returns row i of arr as a Go value: nil for null, bool, int8 ...
// int64, float32, float64, string, []byte, time.Time (timestamps in UTC,
// dates at midnight UTC), *big.Float for decimals, []any for arrays,
// map[string]any for structs and map[any]any for maps.
func Value(arr arrow.Array, i int) any {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return a.Value(i)
	case *array.Int16:
		return a.Value(i)
	case *array.Int32:
		return a.Value(i)
	case *array.Int64:
		return a.Value(i)
	case *array.Float32:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Binary:
		return append([]byte(nil), a.Value(i)...)
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UTC()
	case *array.Date32:
		return a.Value(i).ToTime().UTC()
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		f := new(big.Float).SetInt(a.Value(i).BigInt())
		return f.Quo(f, new(big.Float).SetFloat64(math.Pow10(int(scale))))
	case *array.Map:
		start, end := a.ValueOffsets(i)
		keys, items := a.Keys(), a.Items()
		m := make(map[any]any, end-start)
		for j := start; j < end; j++ {
			m[Value(keys, int(j))] = Value(items, int(j))
		}
		return m
	case *array.List:
		start, end := a.ValueOffsets(i)
		out := make([]any, 0, end-start)
		for j := start; j < end; j++ {
			out = append(out, Value(a.ListValues(), int(j)))
		}
		return out
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		m := make(map[string]any, a.NumField())
		for f := 0; f < a.NumField(); f++ {
			m[st.Field(f).Name] = Value(a.Field(f), i)
		}
		return m
	case *array.Null:
		return nil
	default:
		return a.ValueStr(i)
	}
}

// BuildRecord makes a record of schema from rows of Go values, one value
// per field, of the kinds Value returns (time.Time for timestamps and
// dates, []any or any slice for arrays, map[string]any for structs; nil
// for null). Integers of any Go width fit any integer column they do not
// overflow, and any number fits a float or decimal column.
func BuildRecord(mem memory.Allocator, schema *arrow.Schema, rows [][]any) (arrow.Record, error) {
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for r, row := range rows {
		if len(row) != schema.NumFields() {
			return nil, fmt.Errorf("row %d has %d values, the schema has %d fields", r, len(row), schema.NumFields())
		}
		for c, v := range row {
			if err := appendValue(b.Field(c), v); err != nil {
				return nil, fmt.Errorf("row %d, column %s: %w", r, schema.Field(c).Name, err)
			}
		}
	}
	return b.NewRecord(), nil
}

func appendValue(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch b := b.(type) {
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return typeErr(v, "boolean")
		}
		b.Append(x)
	case *array.Int8Builder:
		x, err := toInt(v, math.MinInt8, math.MaxInt8)
		b.Append(int8(x))
		return err
	case *array.Int16Builder:
		x, err := toInt(v, math.MinInt16, math.MaxInt16)
		b.Append(int16(x))
		return err
	case *array.Int32Builder:
		x, err := toInt(v, math.MinInt32, math.MaxInt32)
		b.Append(int32(x))
		return err
	case *array.Int64Builder:
		x, err := toInt(v, math.MinInt64, math.MaxInt64)
		b.Append(x)
		return err
	case *array.Float32Builder:
		x, err := toFloat(v)
		b.Append(float32(x))
		return err
	case *array.Float64Builder:
		x, err := toFloat(v)
		b.Append(x)
		return err
	case *array.StringBuilder:
		x, ok := v.(string)
		if !ok {
			return typeErr(v, "string")
		}
		b.Append(x)
	case *array.BinaryBuilder:
		switch x := v.(type) {
		case []byte:
			b.Append(x)
		case string:
			b.AppendString(x)
		default:
			return typeErr(v, "binary")
		}
	case *array.TimestampBuilder:
		t, ok := v.(time.Time)
		if !ok {
			return typeErr(v, "timestamp (time.Time)")
		}
		ts, err := arrow.TimestampFromTime(t, b.Type().(*arrow.TimestampType).Unit)
		if err != nil {
			return err
		}
		b.Append(ts)
	case *array.Date32Builder:
		t, ok := v.(time.Time)
		if !ok {
			return typeErr(v, "date (time.Time)")
		}
		b.Append(arrow.Date32FromTime(t))
	case *array.Decimal128Builder:
		dt := b.Type().(*arrow.Decimal128Type)
		f, err := toFloat(v)
		if err != nil {
			return err
		}
		n, err := decimal128.FromFloat64(f, dt.Precision, dt.Scale)
		if err != nil {
			return err
		}
		b.Append(n)
	case *array.ListBuilder:
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Slice {
			return typeErr(v, "array (a slice)")
		}
		b.Append(true)
		for i := 0; i < rv.Len(); i++ {
			if err := appendValue(b.ValueBuilder(), rv.Index(i).Interface()); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
	case *array.StructBuilder:
		m, ok := v.(map[string]any)
		if !ok {
			return typeErr(v, "struct (map[string]any)")
		}
		st := b.Type().(*arrow.StructType)
		b.Append(true)
		for i, f := range st.Fields() {
			if err := appendValue(b.FieldBuilder(i), m[f.Name]); err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
	default:
		return fmt.Errorf("cannot build %s values from Go values", b.Type())
	}
	return nil
}

func typeErr(v any, want string) error {
	return fmt.Errorf("got %T (%v), want %s", v, v, want)
}

func toInt(v any, lo, hi int64) (int64, error) {
	var x int64
	switch n := v.(type) {
	case int:
		x = int64(n)
	case int8:
		x = int64(n)
	case int16:
		x = int64(n)
	case int32:
		x = int64(n)
	case int64:
		x = n
	case uint8:
		x = int64(n)
	case uint16:
		x = int64(n)
	case uint32:
		x = int64(n)
	case uint64:
		if n > math.MaxInt64 {
			return 0, fmt.Errorf("%d overflows", n)
		}
		x = int64(n)
	case float64:
		if n != math.Trunc(n) {
			return 0, typeErr(v, "an integer")
		}
		x = int64(n)
	default:
		return 0, typeErr(v, "an integer")
	}
	if x < lo || x > hi {
		return 0, fmt.Errorf("%d is out of range [%d, %d]", x, lo, hi)
	}
	return x, nil
}

func toFloat(v any) (float64, error) {
	switch n := v.(type) {
	case float64:
		return n, nil
	case float32:
		return float64(n), nil
	case int, int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		x, err := toInt(v, math.MinInt64, math.MaxInt64)
		return float64(x), err
	}
	return 0, typeErr(v, "a number")
}
