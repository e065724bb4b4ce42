package types

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// maxToStringFields is Spark's spark.sql.debug.maxToStringFields default: the
// number of struct fields SimpleString renders before eliding the rest.
const maxToStringFields = 25

// TypeName is Spark's DataType.typeName, the name printSchema and schema
// JSON use: "string", "integer", "long", "short", "byte", "float", "double",
// "boolean", "timestamp", "date", "binary", "decimal(10,2)", "struct",
// "array", "map", "void". An Arrow type outside the mapping is named by
// Arrow's own String (e.g. "uint32"), or "timestamp_ntz" for a timestamp
// without time zone.
func TypeName(t DataType) string {
	switch t := Normalize(t).(type) {
	case nil:
		return "void"
	case *arrow.StringType:
		return "string"
	case *arrow.BinaryType:
		return "binary"
	case *arrow.BooleanType:
		return "boolean"
	case *arrow.Int8Type:
		return "byte"
	case *arrow.Int16Type:
		return "short"
	case *arrow.Int32Type:
		return "integer"
	case *arrow.Int64Type:
		return "long"
	case *arrow.Float32Type:
		return "float"
	case *arrow.Float64Type:
		return "double"
	case *arrow.TimestampType:
		if t.TimeZone == "" {
			return "timestamp_ntz"
		}
		return "timestamp"
	case *arrow.Date32Type:
		return "date"
	case *arrow.NullType:
		return "void"
	case *arrow.Decimal128Type:
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	case *arrow.StructType:
		return "struct"
	case *arrow.ListType:
		return "array"
	case *arrow.MapType:
		return "map"
	default:
		return t.String()
	}
}

// SimpleString renders t as Spark's simpleString, the form of
// DataFrame.dtypes and of error messages: "string", "int", "bigint",
// "smallint", "tinyint", "double", "timestamp", "decimal(10,2)",
// "array<int>", "map<string,int>", "struct<a:int,b:string>". Structs with
// more than 25 fields are elided as Spark does ("... 5 more fields").
func SimpleString(t DataType) string {
	var b strings.Builder
	writeString(&b, Normalize(t), true)
	return b.String()
}

// CatalogString renders t as Spark's catalogString: SimpleString without
// eliding any struct field.
func CatalogString(t DataType) string {
	var b strings.Builder
	writeString(&b, Normalize(t), false)
	return b.String()
}

func writeString(b *strings.Builder, t DataType, truncate bool) {
	switch t := t.(type) {
	case *arrow.Int8Type:
		b.WriteString("tinyint")
	case *arrow.Int16Type:
		b.WriteString("smallint")
	case *arrow.Int32Type:
		b.WriteString("int")
	case *arrow.Int64Type:
		b.WriteString("bigint")
	case *arrow.ListType:
		b.WriteString("array<")
		writeString(b, t.Elem(), truncate)
		b.WriteByte('>')
	case *arrow.MapType:
		b.WriteString("map<")
		writeString(b, t.KeyType(), truncate)
		b.WriteByte(',')
		writeString(b, t.ItemType(), truncate)
		b.WriteByte('>')
	case *arrow.StructType:
		b.WriteString("struct<")
		n := t.NumFields()
		shown := n
		if truncate && n > maxToStringFields {
			shown = maxToStringFields - 1
		}
		for i := 0; i < shown; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			f := t.Field(i)
			b.WriteString(f.Name)
			b.WriteByte(':')
			writeString(b, f.Type, truncate)
		}
		if shown < n {
			if shown > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, "... %d more fields", n-shown)
		}
		b.WriteByte('>')
	default:
		b.WriteString(TypeName(t))
	}
}

// SQL renders t as Spark's DataType.sql, the form DDL uses: "STRING", "INT",
// "DECIMAL(10,2)", "ARRAY<INT>", "MAP<STRING, INT>", "STRUCT<a: INT, b:
// STRING NOT NULL>". Nested non-nullable struct fields carry NOT NULL so that
// sqlparse.ParseDataType reads the type back; DDL cannot say whether array
// elements or map values may be null, and the parser makes them nullable.
func SQL(t DataType) string {
	var b strings.Builder
	writeSQL(&b, Normalize(t))
	return b.String()
}

func writeSQL(b *strings.Builder, t DataType) {
	switch t := t.(type) {
	case *arrow.ListType:
		b.WriteString("ARRAY<")
		writeSQL(b, t.Elem())
		b.WriteByte('>')
	case *arrow.MapType:
		b.WriteString("MAP<")
		writeSQL(b, t.KeyType())
		b.WriteString(", ")
		writeSQL(b, t.ItemType())
		b.WriteByte('>')
	case *arrow.StructType:
		b.WriteString("STRUCT<")
		for i, f := range t.Fields() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(QuoteIfNeeded(f.Name))
			b.WriteString(": ")
			writeSQL(b, f.Type)
			if !f.Nullable {
				b.WriteString(" NOT NULL")
			}
		}
		b.WriteByte('>')
	default:
		var s strings.Builder
		writeString(&s, t, false)
		b.WriteString(strings.ToUpper(s.String()))
	}
}

// DDL renders an Arrow schema as Spark's StructType.toDDL: comma-separated
// "name TYPE" pairs, NOT NULL for non-nullable columns, names quoted with
// backticks only when needed. sqlparse.ParseDDL reads it back.
func DDL(s *arrow.Schema) string {
	var b strings.Builder
	for i, f := range s.Fields() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(QuoteIfNeeded(f.Name))
		b.WriteByte(' ')
		writeSQL(&b, Normalize(f.Type))
		if !f.Nullable {
			b.WriteString(" NOT NULL")
		}
	}
	return b.String()
}

// QuoteIfNeeded returns name as is when it is made of letters, digits and
// underscores and is not all digits; otherwise it quotes it with backticks,
// doubling any backtick inside (Spark's quoteIfNeeded).
func QuoteIfNeeded(name string) string {
	plain, digits := name != "", true
	for _, r := range name {
		switch {
		case r >= '0' && r <= '9':
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			digits = false
		default:
			plain = false
		}
	}
	if plain && !digits {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// TreeString renders s exactly as Spark's printSchema does:
//
//	root
//	 |-- name: string (nullable = true)
//	 |-- s: struct (nullable = true)
//	 |    |-- x: integer (nullable = false)
//	 |-- tags: array (nullable = true)
//	 |    |-- element: string (containsNull = true)
//	 |-- m: map (nullable = true)
//	 |    |-- key: string
//	 |    |-- value: double (valueContainsNull = true)
//
// Every line, the last included, ends with a newline.
func TreeString(s *arrow.Schema) string {
	var b strings.Builder
	b.WriteString("root\n")
	if s != nil {
		for _, f := range s.Fields() {
			writeTreeField(&b, " |", f.Name, Normalize(f.Type), f.Nullable)
		}
	}
	return b.String()
}

func writeTreeField(b *strings.Builder, prefix, name string, t DataType, nullable bool) {
	b.WriteString(prefix + "-- " + name + ": " + TypeName(t) +
		" (nullable = " + strconv.FormatBool(nullable) + ")\n")
	writeTreeChildren(b, prefix+"    |", t)
}

func writeTreeChildren(b *strings.Builder, prefix string, t DataType) {
	switch t := t.(type) {
	case *arrow.StructType:
		for _, f := range t.Fields() {
			writeTreeField(b, prefix, f.Name, f.Type, f.Nullable)
		}
	case *arrow.ListType:
		b.WriteString(prefix + "-- element: " + TypeName(t.Elem()) +
			" (containsNull = " + strconv.FormatBool(t.ElemField().Nullable) + ")\n")
		writeTreeChildren(b, prefix+"    |", t.Elem())
	case *arrow.MapType:
		b.WriteString(prefix + "-- key: " + TypeName(t.KeyType()) + "\n")
		writeTreeChildren(b, prefix+"    |", t.KeyType())
		b.WriteString(prefix + "-- value: " + TypeName(t.ItemType()) +
			" (valueContainsNull = " + strconv.FormatBool(t.ItemField().Nullable) + ")\n")
		writeTreeChildren(b, prefix+"    |", t.ItemType())
	}
}
