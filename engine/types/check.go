package types

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// UnsupportedTypeError reports a type outside Spark's mapping, with what to
// use instead. Its text starts with Spark's error class:
//
//	[UNSUPPORTED_DATATYPE] Unsupported data type "VARCHAR(10)": use STRING; ...
type UnsupportedTypeError struct {
	// Type is the type as written by the user or rendered by Arrow.
	Type string
	// Hint says what to use instead.
	Hint string
}

func (e *UnsupportedTypeError) Error() string {
	msg := fmt.Sprintf("[UNSUPPORTED_DATATYPE] Unsupported data type %q", e.Type)
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

// DecimalError reports a decimal precision or scale that Spark refuses.
type DecimalError struct {
	Precision, Scale int
}

func (e *DecimalError) Error() string {
	if e.Precision > MaxDecimalPrecision {
		return fmt.Sprintf("[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision %d exceeds max precision %d.",
			e.Precision, MaxDecimalPrecision)
	}
	if e.Precision < 1 {
		return fmt.Sprintf("decimal(%d,%d): precision must be between 1 and %d", e.Precision, e.Scale, MaxDecimalPrecision)
	}
	return fmt.Sprintf("decimal(%d,%d): scale must be between 0 and the precision %d", e.Precision, e.Scale, e.Precision)
}

// CheckDecimal reports whether decimal(precision, scale) is valid in Spark.
func CheckDecimal(precision, scale int) error {
	if precision < 1 || precision > MaxDecimalPrecision || scale < 0 || scale > precision {
		return &DecimalError{Precision: precision, Scale: scale}
	}
	return nil
}

// Check reports whether t (and every type nested in it) is in Spark's
// mapping; see the package documentation. The error is an
// *UnsupportedTypeError or a *DecimalError.
func Check(t DataType) error {
	switch t := Normalize(t).(type) {
	case nil:
		return &UnsupportedTypeError{Type: "<nil>", Hint: "a field needs a data type such as StringType()"}
	case *arrow.StringType, *arrow.BinaryType, *arrow.BooleanType,
		*arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type,
		*arrow.Float32Type, *arrow.Float64Type, *arrow.Date32Type, *arrow.NullType:
		return nil
	case *arrow.TimestampType:
		if t.TimeZone == "" {
			return &UnsupportedTypeError{Type: "timestamp_ntz", Hint: unsupportedHints["timestamp_ntz"]}
		}
		if t.Unit != arrow.Microsecond {
			return &UnsupportedTypeError{Type: t.String(),
				Hint: "timestamps are microseconds since the epoch in UTC (TimestampType()); convert other units first"}
		}
		return nil
	case *arrow.Decimal128Type:
		return CheckDecimal(int(t.Precision), int(t.Scale))
	case *arrow.ListType:
		return Check(t.Elem())
	case *arrow.MapType:
		if err := Check(t.KeyType()); err != nil {
			return err
		}
		return Check(t.ItemType())
	case *arrow.StructType:
		for _, f := range t.Fields() {
			if err := Check(f.Type); err != nil {
				return fmt.Errorf("struct field %q: %w", f.Name, err)
			}
		}
		return nil
	case *arrow.LargeStringType, *arrow.StringViewType:
		return &UnsupportedTypeError{Type: t.String(), Hint: "use StringType() (arrow.BinaryTypes.String)"}
	case *arrow.LargeBinaryType, *arrow.BinaryViewType, *arrow.FixedSizeBinaryType:
		return &UnsupportedTypeError{Type: t.String(), Hint: "use BinaryType() (arrow.BinaryTypes.Binary)"}
	case *arrow.Uint8Type, *arrow.Uint16Type, *arrow.Uint32Type, *arrow.Uint64Type:
		return &UnsupportedTypeError{Type: t.String(),
			Hint: "Spark has no unsigned integers; use the next wider signed type (ShortType, IntegerType, LongType) or DecimalType(20, 0)"}
	case *arrow.DurationType, *arrow.MonthIntervalType, *arrow.DayTimeIntervalType, *arrow.MonthDayNanoIntervalType:
		return &UnsupportedTypeError{Type: t.String(), Hint: unsupportedHints["interval"]}
	default:
		return &UnsupportedTypeError{Type: t.String(), Hint: "use a type of Spark's mapping: string, boolean, tinyint, smallint, int, bigint, float, double, decimal, timestamp, date, binary, struct, array, map"}
	}
}

// primitives maps every Spark name of a primitive type (typeName,
// simpleString and SQL aliases, lower case) to its Arrow type.
var primitives = map[string]DataType{
	"string":        arrow.BinaryTypes.String,
	"binary":        arrow.BinaryTypes.Binary,
	"boolean":       arrow.FixedWidthTypes.Boolean,
	"bool":          arrow.FixedWidthTypes.Boolean,
	"byte":          arrow.PrimitiveTypes.Int8,
	"tinyint":       arrow.PrimitiveTypes.Int8,
	"short":         arrow.PrimitiveTypes.Int16,
	"smallint":      arrow.PrimitiveTypes.Int16,
	"int":           arrow.PrimitiveTypes.Int32,
	"integer":       arrow.PrimitiveTypes.Int32,
	"long":          arrow.PrimitiveTypes.Int64,
	"bigint":        arrow.PrimitiveTypes.Int64,
	"float":         arrow.PrimitiveTypes.Float32,
	"real":          arrow.PrimitiveTypes.Float32,
	"double":        arrow.PrimitiveTypes.Float64,
	"timestamp":     arrow.FixedWidthTypes.Timestamp_us,
	"timestamp_ltz": arrow.FixedWidthTypes.Timestamp_us,
	"date":          arrow.FixedWidthTypes.Date32,
	"void":          arrow.Null,
}

// unsupportedHints names Spark types gostream refuses, with the replacement.
var unsupportedHints = map[string]string{
	"char":              "use STRING; gostream does not pad or check CHAR/VARCHAR lengths",
	"character":         "use STRING; gostream does not pad or check CHAR/VARCHAR lengths",
	"varchar":           "use STRING; gostream does not pad or check CHAR/VARCHAR lengths",
	"interval":          "interval columns are not supported; keep durations as BIGINT (e.g. microseconds) or as a duration string such as '10 seconds', and use INTERVAL literals only in expressions",
	"calendarinterval":  "interval columns are not supported; keep durations as BIGINT (e.g. microseconds) or as a duration string such as '10 seconds'",
	"timestamp_ntz":     "use TIMESTAMP (microseconds, UTC); gostream has no timestamp without time zone",
	"variant":           "use STRING holding JSON and parse it with from_json",
	"object":            "use STRUCT<...> or MAP<STRING, ...>",
	"uint":              "Spark has no unsigned integers; use BIGINT or DECIMAL(20,0)",
	"time":              "use TIMESTAMP, or STRING for a time of day",
	"datetime":          "use TIMESTAMP",
	"text":              "use STRING",
	"json":              "use STRING holding JSON and parse it with from_json",
	"year":              "use INT",
	"uuid":              "use STRING",
	"geometry":          "use BINARY (WKB) or STRING (WKT)",
	"geography":         "use BINARY (WKB) or STRING (WKT)",
	"nvarchar":          "use STRING",
	"number":            "use DECIMAL(p,s), BIGINT or DOUBLE",
	"int64":             "use BIGINT",
	"int32":             "use INT",
	"float64":           "use DOUBLE",
	"float32":           "use FLOAT",
	"double precision":  "use DOUBLE",
	"daytimeinterval":   "interval columns are not supported; keep durations as BIGINT (e.g. microseconds)",
	"yearmonthinterval": "interval columns are not supported; keep month counts as INT",
}

// Primitive returns the Arrow type of a primitive Spark type name, in any
// case: "string", "int", "integer", "bigint", "long", "timestamp", ...
// Decimal, struct, array and map types have parameters and are not
// primitives.
func Primitive(name string) (DataType, bool) {
	t, ok := primitives[strings.ToLower(name)]
	return t, ok
}

// UnsupportedName returns an *UnsupportedTypeError when name (any case) is a
// type name that gostream refuses, such as VARCHAR or INTERVAL, saying what
// to use instead; otherwise nil. written is the type as the user wrote it.
func UnsupportedName(name, written string) error {
	if hint, ok := unsupportedHints[strings.ToLower(name)]; ok {
		return &UnsupportedTypeError{Type: written, Hint: hint}
	}
	return nil
}
