// Package types is the PySpark-facing layer over the engine's type system,
// which is Arrow's. It owns the fixed mapping between Spark SQL types and
// Arrow types, the builders that notebook cells use to write schemas the way
// PySpark does (StructType, StructField, StringType, ...), Spark's renderings
// of types (SimpleString, CatalogString, TreeString, DDL, schema JSON) and the
// parsing and formatting of date and timestamp values as Spark casts them.
//
// The mapping is:
//
//	string          arrow.BinaryTypes.String
//	boolean         arrow.FixedWidthTypes.Boolean
//	byte, tinyint   arrow.PrimitiveTypes.Int8
//	short, smallint arrow.PrimitiveTypes.Int16
//	int, integer    arrow.PrimitiveTypes.Int32
//	long, bigint    arrow.PrimitiveTypes.Int64
//	float, real     arrow.PrimitiveTypes.Float32
//	double          arrow.PrimitiveTypes.Float64
//	decimal(p,s)    *arrow.Decimal128Type (decimal alone is decimal(10,0))
//	timestamp       arrow.FixedWidthTypes.Timestamp_us (microseconds, "UTC")
//	date            arrow.FixedWidthTypes.Date32
//	binary          arrow.BinaryTypes.Binary
//	struct<...>     *arrow.StructType
//	array<T>        *arrow.ListType (element field "item")
//	map<K,V>        *arrow.MapType
//	void            arrow.Null (the type of an untyped NULL)
//
// Types outside it (intervals, char/varchar, timestamp_ntz, unsigned integers,
// ...) are refused with an *UnsupportedTypeError that names a replacement;
// nothing is converted silently. The package does not parse SQL: type strings
// such as "struct<a:int>" and DDL schemas are parsed by package sqlparse.
package types

import (
	"github.com/apache/arrow/go/v15/arrow"
)

// DataType is an Arrow data type. Every builder of this package returns one
// from the mapping in the package documentation.
type DataType = arrow.DataType

// StringType is Spark's string: arrow.BinaryTypes.String.
func StringType() DataType { return arrow.BinaryTypes.String }

// BinaryType is Spark's binary: arrow.BinaryTypes.Binary.
func BinaryType() DataType { return arrow.BinaryTypes.Binary }

// BooleanType is Spark's boolean.
func BooleanType() DataType { return arrow.FixedWidthTypes.Boolean }

// ByteType is Spark's byte (tinyint): Int8.
func ByteType() DataType { return arrow.PrimitiveTypes.Int8 }

// ShortType is Spark's short (smallint): Int16.
func ShortType() DataType { return arrow.PrimitiveTypes.Int16 }

// IntegerType is Spark's integer (int): Int32.
func IntegerType() DataType { return arrow.PrimitiveTypes.Int32 }

// LongType is Spark's long (bigint): Int64.
func LongType() DataType { return arrow.PrimitiveTypes.Int64 }

// FloatType is Spark's float (real): Float32.
func FloatType() DataType { return arrow.PrimitiveTypes.Float32 }

// DoubleType is Spark's double: Float64.
func DoubleType() DataType { return arrow.PrimitiveTypes.Float64 }

// TimestampType is Spark's timestamp: microseconds since the epoch, UTC.
func TimestampType() DataType { return arrow.FixedWidthTypes.Timestamp_us }

// DateType is Spark's date: days since the epoch (Date32).
func DateType() DataType { return arrow.FixedWidthTypes.Date32 }

// NullType is Spark's void, the type of an untyped NULL literal.
func NullType() DataType { return arrow.Null }

// Spark's limits and defaults for decimal types.
const (
	MaxDecimalPrecision     = 38
	DefaultDecimalPrecision = 10
	DefaultDecimalScale     = 0
)

// DecimalType is Spark's decimal(precision, scale), stored as Decimal128.
// The values are not checked here, so that a cell can build a schema in one
// expression; Check reports a precision outside 1..38 or a scale outside
// 0..precision, and every engine entry point that accepts a schema calls it.
func DecimalType(precision, scale int) DataType {
	return &arrow.Decimal128Type{Precision: int32(precision), Scale: int32(scale)}
}

// ArrayType is Spark's array<elem>. containsNull tells whether elements may
// be null. A Schema given as elem becomes a struct.
func ArrayType(elem DataType, containsNull bool) DataType {
	elem = Normalize(elem)
	if containsNull {
		return arrow.ListOf(elem)
	}
	return arrow.ListOfNonNullable(elem)
}

// MapType is Spark's map<key, value>. Keys are never null; valueContainsNull
// tells whether values may be. A Schema given as key or value becomes a
// struct.
func MapType(key, value DataType, valueContainsNull bool) DataType {
	m := arrow.MapOf(Normalize(key), Normalize(value))
	if !valueContainsNull {
		m.SetItemNullable(false)
	}
	return m
}

// Normalize returns t with every Schema inside it (as t itself or as a nested
// element, key, value or field type) replaced by the equivalent
// *arrow.StructType. Code that hands a user-supplied DataType to Arrow should
// pass it through Normalize first.
func Normalize(t DataType) DataType {
	switch t := t.(type) {
	case Schema:
		return t.StructType()
	case *Schema:
		if t == nil {
			return nil
		}
		return t.StructType()
	case *arrow.ListType:
		f := t.ElemField()
		if n := Normalize(f.Type); n != f.Type {
			f.Type = n
			return arrow.ListOfField(f)
		}
	case *arrow.MapType:
		k, v := Normalize(t.KeyType()), Normalize(t.ItemType())
		if k != t.KeyType() || v != t.ItemType() {
			m := arrow.MapOf(k, v)
			m.SetItemNullable(t.ItemField().Nullable)
			m.KeysSorted = t.KeysSorted
			return m
		}
	case *arrow.StructType:
		fields := t.Fields()
		changed := false
		for i := range fields {
			if n := Normalize(fields[i].Type); n != fields[i].Type {
				fields[i].Type = n
				changed = true
			}
		}
		if changed {
			return arrow.StructOf(fields...)
		}
	}
	return t
}
