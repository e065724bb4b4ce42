package expr

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/internal/sqlsyntax"
)

// Spark's data types as Arrow types. TimestampType is microseconds in UTC;
// DateType is days since the epoch.
var (
	TypeNull      arrow.DataType = arrow.Null
	TypeBoolean   arrow.DataType = arrow.FixedWidthTypes.Boolean
	TypeByte      arrow.DataType = arrow.PrimitiveTypes.Int8
	TypeShort     arrow.DataType = arrow.PrimitiveTypes.Int16
	TypeInt       arrow.DataType = arrow.PrimitiveTypes.Int32
	TypeLong      arrow.DataType = arrow.PrimitiveTypes.Int64
	TypeFloat     arrow.DataType = arrow.PrimitiveTypes.Float32
	TypeDouble    arrow.DataType = arrow.PrimitiveTypes.Float64
	TypeString    arrow.DataType = arrow.BinaryTypes.String
	TypeBinary    arrow.DataType = arrow.BinaryTypes.Binary
	TypeDate      arrow.DataType = arrow.FixedWidthTypes.Date32
	TypeTimestamp arrow.DataType = arrow.FixedWidthTypes.Timestamp_us
)

// SQLTypeName renders dt as Spark does in SQL text and error messages:
// "INT", "BIGINT", "DECIMAL(10,2)", "ARRAY<STRING>", "STRUCT<a: INT>".
func SQLTypeName(dt arrow.DataType) string {
	switch t := dt.(type) {
	case *arrow.ListType:
		return "ARRAY<" + SQLTypeName(t.Elem()) + ">"
	case *arrow.LargeListType:
		return "ARRAY<" + SQLTypeName(t.Elem()) + ">"
	case *arrow.FixedSizeListType:
		return "ARRAY<" + SQLTypeName(t.Elem()) + ">"
	case *arrow.MapType:
		return "MAP<" + SQLTypeName(t.KeyType()) + ", " + SQLTypeName(t.ItemType()) + ">"
	case *arrow.StructType:
		parts := make([]string, t.NumFields())
		for i, f := range t.Fields() {
			parts[i] = f.Name + ": " + SQLTypeName(f.Type)
		}
		return "STRUCT<" + strings.Join(parts, ", ") + ">"
	case *arrow.Decimal128Type:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale)
	}
	return strings.ToUpper(SimpleTypeName(dt))
}

// SimpleTypeName renders dt as Spark's DataType.simpleString: "int",
// "bigint", "array<string>", "struct<a:int,b:string>".
func SimpleTypeName(dt arrow.DataType) string {
	switch t := dt.(type) {
	case nil:
		return "void"
	case *arrow.NullType:
		return "void"
	case *arrow.BooleanType:
		return "boolean"
	case *arrow.Int8Type:
		return "tinyint"
	case *arrow.Int16Type:
		return "smallint"
	case *arrow.Int32Type:
		return "int"
	case *arrow.Int64Type:
		return "bigint"
	case *arrow.Uint8Type, *arrow.Uint16Type, *arrow.Uint32Type, *arrow.Uint64Type:
		return strings.ToLower(t.Name())
	case *arrow.Float16Type, *arrow.Float32Type:
		return "float"
	case *arrow.Float64Type:
		return "double"
	case *arrow.StringType, *arrow.LargeStringType:
		return "string"
	case *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.FixedSizeBinaryType:
		return "binary"
	case *arrow.Date32Type, *arrow.Date64Type:
		return "date"
	case *arrow.TimestampType:
		return "timestamp"
	case *arrow.Decimal128Type:
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	case *arrow.ListType:
		return "array<" + SimpleTypeName(t.Elem()) + ">"
	case *arrow.LargeListType:
		return "array<" + SimpleTypeName(t.Elem()) + ">"
	case *arrow.FixedSizeListType:
		return "array<" + SimpleTypeName(t.Elem()) + ">"
	case *arrow.MapType:
		return "map<" + SimpleTypeName(t.KeyType()) + "," + SimpleTypeName(t.ItemType()) + ">"
	case *arrow.StructType:
		parts := make([]string, t.NumFields())
		for i, f := range t.Fields() {
			parts[i] = f.Name + ":" + SimpleTypeName(f.Type)
		}
		return "struct<" + strings.Join(parts, ",") + ">"
	}
	return strings.ToLower(dt.Name())
}

// ArrayOf is Spark's ArrayType(elem, containsNull=true).
func ArrayOf(elem arrow.DataType) arrow.DataType { return arrow.ListOf(elem) }

// MapOf is Spark's MapType(key, value, valueContainsNull=true).
func MapOf(key, value arrow.DataType) arrow.DataType { return arrow.MapOf(key, value) }

// ParseType parses a Spark type name or DDL type: "int", "BIGINT",
// "decimal(10,2)", "array<string>", "map<string,int>",
// "struct<a:int,b:string>". Names are case-insensitive. It is the grammar
// of sqlparse.ParseDataType, which lives in package internal/sqlsyntax so
// that the binder can read from_json's schema strings with it too.
func ParseType(s string) (arrow.DataType, error) {
	return sqlsyntax.ParseDataType(s)
}

// type classes used by coercion and checking.

func isIntegral(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

func isFloating(dt arrow.DataType) bool {
	return dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64
}

func isDecimal(dt arrow.DataType) bool { return dt.ID() == arrow.DECIMAL128 }

// IsNumeric reports whether dt is one of Spark's numeric types.
func IsNumeric(dt arrow.DataType) bool { return isIntegral(dt) || isFloating(dt) || isDecimal(dt) }

func isString(dt arrow.DataType) bool { return dt.ID() == arrow.STRING }
func isNull(dt arrow.DataType) bool   { return dt.ID() == arrow.NULL }

// isAtomic reports types that compare and sort as single values.
func isAtomic(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.BOOL, arrow.STRING, arrow.BINARY, arrow.DATE32, arrow.TIMESTAMP:
		return true
	}
	return IsNumeric(dt)
}
