package types_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"

	. "github.com/gostream/gostream/engine/types"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// nested is a schema that uses every type of the mapping and every kind of
// nesting printSchema draws.
func nested() Schema {
	return StructType(
		StructField("name", StringType(), true),
		StructField("age", IntegerType(), false),
		StructField("id", LongType(), true),
		StructField("score", DoubleType(), true),
		StructField("ratio", FloatType(), true),
		StructField("flag", BooleanType(), true),
		StructField("ts", TimestampType(), true),
		StructField("day", DateType(), true),
		StructField("raw", BinaryType(), true),
		StructField("price", DecimalType(10, 2), true),
		StructField("small", ShortType(), true),
		StructField("tiny", ByteType(), true),
		StructField("window", StructType(
			StructField("start", TimestampType(), true),
			StructField("end", TimestampType(), true),
		), false),
		StructField("tags", ArrayType(StringType(), true), true),
		StructField("points", ArrayType(StructType(
			StructField("x", IntegerType(), true),
			StructField("ys", ArrayType(DoubleType(), false), true),
		), false), true),
		StructField("props", MapType(StringType(), IntegerType(), true), true),
		StructField("deep", MapType(StringType(), MapType(StringType(), ArrayType(LongType(), true), false), true), true),
		StructField("keyed", MapType(StructType(StructField("k", StringType(), false)), BooleanType(), true), true),
	)
}

func TestTreeStringGolden(t *testing.T) {
	tests := []struct {
		name   string
		schema Schema
	}{
		{"empty", StructType()},
		{"flat", StructType(StructField("value", StringType(), true), StructField("count", LongType(), false))},
		{"nested", nested()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := TreeString(tc.schema.Arrow())
			path := filepath.Join("testdata", "treestring", tc.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("TreeString mismatch\n--- got\n%s--- want\n%s", got, want)
			}
			if m := tc.schema.TreeString(); m != got {
				t.Errorf("Schema.TreeString() = %q, want %q", m, got)
			}
		})
	}
}

// TestTreeStringSparkSample checks a layout printed by Spark 3.5 itself.
func TestTreeStringSparkSample(t *testing.T) {
	s := StructType(
		StructField("window", StructType(
			StructField("start", TimestampType(), true),
			StructField("end", TimestampType(), true)), false),
		StructField("word", StringType(), true),
		StructField("count", LongType(), false),
	)
	want := "root\n" +
		" |-- window: struct (nullable = false)\n" +
		" |    |-- start: timestamp (nullable = true)\n" +
		" |    |-- end: timestamp (nullable = true)\n" +
		" |-- word: string (nullable = true)\n" +
		" |-- count: long (nullable = false)\n"
	if got := TreeString(s.Arrow()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestSimpleString(t *testing.T) {
	many := make([]Field, 30)
	for i := range many {
		many[i] = StructField("c"+strings.Repeat("x", i%2), IntegerType(), true)
	}
	tests := []struct {
		name          string
		t             DataType
		simple, catal string
		typeName, sql string
	}{
		{"string", StringType(), "string", "string", "string", "STRING"},
		{"int", IntegerType(), "int", "int", "integer", "INT"},
		{"long", LongType(), "bigint", "bigint", "long", "BIGINT"},
		{"short", ShortType(), "smallint", "smallint", "short", "SMALLINT"},
		{"byte", ByteType(), "tinyint", "tinyint", "byte", "TINYINT"},
		{"float", FloatType(), "float", "float", "float", "FLOAT"},
		{"double", DoubleType(), "double", "double", "double", "DOUBLE"},
		{"boolean", BooleanType(), "boolean", "boolean", "boolean", "BOOLEAN"},
		{"timestamp", TimestampType(), "timestamp", "timestamp", "timestamp", "TIMESTAMP"},
		{"date", DateType(), "date", "date", "date", "DATE"},
		{"binary", BinaryType(), "binary", "binary", "binary", "BINARY"},
		{"null", NullType(), "void", "void", "void", "VOID"},
		{"decimal", DecimalType(10, 2), "decimal(10,2)", "decimal(10,2)", "decimal(10,2)", "DECIMAL(10,2)"},
		{"array", ArrayType(IntegerType(), true), "array<int>", "array<int>", "array", "ARRAY<INT>"},
		{"map", MapType(StringType(), IntegerType(), true), "map<string,int>", "map<string,int>", "map", "MAP<STRING, INT>"},
		{"struct", StructType(StructField("a", IntegerType(), true), StructField("b", StringType(), false)),
			"struct<a:int,b:string>", "struct<a:int,b:string>", "struct", "STRUCT<a: INT, b: STRING NOT NULL>"},
		{"quoted field", StructType(StructField("a b", IntegerType(), true)),
			"struct<a b:int>", "struct<a b:int>", "struct", "STRUCT<`a b`: INT>"},
		{"nested", ArrayType(MapType(StringType(), StructType(StructField("x", LongType(), true)), true), true),
			"array<map<string,struct<x:bigint>>>", "array<map<string,struct<x:bigint>>>", "array", "ARRAY<MAP<STRING, STRUCT<x: BIGINT>>>"},
		{"wide struct", StructType(many...),
			"struct<" + strings.Repeat("c:int,cx:int,", 12) + "... 6 more fields>",
			"struct<" + strings.TrimSuffix(strings.Repeat("c:int,cx:int,", 15), ",") + ">",
			"struct", ""},
		{"ntz", &arrow.TimestampType{Unit: arrow.Microsecond}, "timestamp_ntz", "timestamp_ntz", "timestamp_ntz", "TIMESTAMP_NTZ"},
		{"unsigned", arrow.PrimitiveTypes.Uint32, "uint32", "uint32", "uint32", "UINT32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SimpleString(tc.t); got != tc.simple {
				t.Errorf("SimpleString = %q, want %q", got, tc.simple)
			}
			if got := CatalogString(tc.t); got != tc.catal {
				t.Errorf("CatalogString = %q, want %q", got, tc.catal)
			}
			if got := TypeName(tc.t); got != tc.typeName {
				t.Errorf("TypeName = %q, want %q", got, tc.typeName)
			}
			if tc.sql != "" {
				if got := SQL(tc.t); got != tc.sql {
					t.Errorf("SQL = %q, want %q", got, tc.sql)
				}
			}
		})
	}
}

func TestDDLAndQuoting(t *testing.T) {
	s := StructType(
		StructField("a", StringType(), true),
		StructField("b", IntegerType(), false),
		StructField("odd name", ArrayType(LongType(), true), true),
		StructField("123", DoubleType(), true),
		StructField("x`y", BooleanType(), true),
	)
	want := "a STRING,b INT NOT NULL,`odd name` ARRAY<BIGINT>,`123` DOUBLE,`x``y` BOOLEAN"
	if got := s.DDL(); got != want {
		t.Errorf("DDL = %q, want %q", got, want)
	}
}

func TestSchemaRepr(t *testing.T) {
	s := StructType(
		StructField("a", StringType(), true),
		StructField("s", StructType(StructField("x", IntegerType(), false)), true),
		StructField("l", ArrayType(DecimalType(5, 1), false), true),
		StructField("m", MapType(StringType(), LongType(), true), false),
	)
	want := "StructType([StructField('a', StringType(), True), " +
		"StructField('s', StructType([StructField('x', IntegerType(), False)]), True), " +
		"StructField('l', ArrayType(DecimalType(5, 1), False), True), " +
		"StructField('m', MapType(StringType(), LongType(), True), False)])"
	if got := s.String(); got != want {
		t.Errorf("String =\n%s\nwant\n%s", got, want)
	}
}
