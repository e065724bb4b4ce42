package sqlparse

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/types"
)

func TestParseDataType(t *testing.T) {
	tests := []struct {
		in   string
		want arrow.DataType
	}{
		{"string", types.StringType()},
		{"STRING", types.StringType()},
		{"int", types.IntegerType()},
		{"integer", types.IntegerType()},
		{"bigint", types.LongType()},
		{"long", types.LongType()},
		{"smallint", types.ShortType()},
		{"short", types.ShortType()},
		{"tinyint", types.ByteType()},
		{"byte", types.ByteType()},
		{"float", types.FloatType()},
		{"real", types.FloatType()},
		{"double", types.DoubleType()},
		{"boolean", types.BooleanType()},
		{"timestamp", types.TimestampType()},
		{"timestamp_ltz", types.TimestampType()},
		{"date", types.DateType()},
		{"binary", types.BinaryType()},
		{"void", types.NullType()},
		{"decimal", types.DecimalType(10, 0)},
		{"decimal(5)", types.DecimalType(5, 0)},
		{"DECIMAL(10, 2)", types.DecimalType(10, 2)},
		{"numeric(38,38)", types.DecimalType(38, 38)},
		{"dec(3,1)", types.DecimalType(3, 1)},
		{"array<int>", types.ArrayType(types.IntegerType(), true)},
		{"ARRAY<ARRAY<STRING>>", types.ArrayType(types.ArrayType(types.StringType(), true), true)},
		{"map<string,int>", types.MapType(types.StringType(), types.IntegerType(), true)},
		{"MAP<STRING, ARRAY<DOUBLE>>", types.MapType(types.StringType(), types.ArrayType(types.DoubleType(), true), true)},
		{"struct<a:int,b:string>", types.StructType(
			types.StructField("a", types.IntegerType(), true),
			types.StructField("b", types.StringType(), true)).StructType()},
		{"STRUCT<x: INT NOT NULL, `y z`: ARRAY<STRING> COMMENT 'tags', end TIMESTAMP>", types.StructType(
			types.StructField("x", types.IntegerType(), false),
			types.StructField("y z", types.ArrayType(types.StringType(), true), true),
			types.StructField("end", types.TimestampType(), true)).StructType()},
		{"struct<>", arrow.StructOf()},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDataType(tc.in)
			if err != nil {
				t.Fatalf("ParseDataType(%q): %v", tc.in, err)
			}
			if !arrow.TypeEqual(got, tc.want) {
				t.Errorf("ParseDataType(%q) = %v, want %v", tc.in, got, tc.want)
			}
			// Reading back Spark's own renderings gives the same type.
			renderings := []string{types.SQL(got)}
			if !strings.Contains(types.SimpleString(got), " ") { // simpleString does not quote names
				renderings = append(renderings, types.SimpleString(got))
			}
			for _, s := range renderings {
				back, err := ParseDataType(s)
				if err != nil || !arrow.TypeEqual(back, got) {
					t.Errorf("ParseDataType(%q) = %v, %v; want %v", s, back, err, got)
				}
			}
		})
	}
}

func TestParseDataTypeErrors(t *testing.T) {
	tests := []struct {
		in, want    string
		unsupported bool
	}{
		{"varchar(10)", `[UNSUPPORTED_DATATYPE] Unsupported data type "varchar(10)": use STRING`, true},
		{"char", `Unsupported data type "char": use STRING`, true},
		{"interval day to second", `Unsupported data type "interval day to second": interval columns are not supported`, true},
		{"timestamp_ntz", "use TIMESTAMP", true},
		{"datetime", `Unsupported data type "DATETIME": use TIMESTAMP`, true},
		{"strin", `Unsupported data type "STRIN": use one of STRING`, true},
		{"decimal(39,2)", "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision 39 exceeds max precision 38.", false},
		{"decimal(5,6)", "scale must be between 0 and the precision 5", false},
		{"decimal(x)", "expected an integer", false},
		{"array<int", "Syntax error at or near end of input: missing '>'", false},
		{"array(int)", "missing '<'", false},
		{"map<string>", "missing ','", false},
		{"struct<a int", "missing '>'", false},
		{"struct<int>", "Syntax error at or near '>'", false},
		{"", "expected a type name such as STRING, INT, TIMESTAMP", false},
		{"int int", "extra input 'int'", false},
		{"123", "expected a type name", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDataType(tc.in)
			if err == nil {
				t.Fatalf("ParseDataType(%q) = %v, want an error", tc.in, got)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			var ute *types.UnsupportedTypeError
			if errors.As(err, &ute) != tc.unsupported {
				t.Errorf("errors.As(*UnsupportedTypeError) = %v, want %v", !tc.unsupported, tc.unsupported)
			}
		})
	}
}

func TestParseDDL(t *testing.T) {
	s, err := ParseDDL("a STRING, b INT NOT NULL, t TIMESTAMP, s STRUCT<x: INT, y: ARRAY<STRING>>, " +
		"m MAP<STRING, DOUBLE>, d DECIMAL(10,2) COMMENT 'price in EUR', `odd name` bigint not null comment 'x'")
	if err != nil {
		t.Fatal(err)
	}
	want := types.StructType(
		types.StructField("a", types.StringType(), true),
		types.StructField("b", types.IntegerType(), false),
		types.StructField("t", types.TimestampType(), true),
		types.StructField("s", types.StructType(
			types.StructField("x", types.IntegerType(), true),
			types.StructField("y", types.ArrayType(types.StringType(), true), true)), true),
		types.StructField("m", types.MapType(types.StringType(), types.DoubleType(), true), true),
		types.StructField("d", types.DecimalType(10, 2), true),
		types.StructField("odd name", types.LongType(), false),
	).Arrow()
	if !s.Equal(want) {
		t.Errorf("ParseDDL\n got %v\nwant %v", s, want)
	}
	wantTree := "root\n" +
		" |-- a: string (nullable = true)\n" +
		" |-- b: integer (nullable = false)\n" +
		" |-- t: timestamp (nullable = true)\n" +
		" |-- s: struct (nullable = true)\n" +
		" |    |-- x: integer (nullable = true)\n" +
		" |    |-- y: array (nullable = true)\n" +
		" |    |    |-- element: string (containsNull = true)\n" +
		" |-- m: map (nullable = true)\n" +
		" |    |-- key: string\n" +
		" |    |-- value: double (valueContainsNull = true)\n" +
		" |-- d: decimal(10,2) (nullable = true)\n" +
		" |-- odd name: long (nullable = false)\n"
	if got := types.TreeString(s); got != wantTree {
		t.Errorf("TreeString\n got %s\nwant %s", got, wantTree)
	}
	// types.DDL renders what ParseDDL reads.
	back, err := ParseDDL(types.DDL(s))
	if err != nil || !back.Equal(s) {
		t.Errorf("ParseDDL(DDL(s)) = %v, %v; want %v", back, err, s)
	}
}

func TestParseDDLForms(t *testing.T) {
	tests := []struct {
		name, in, want string // want: DDL rendering, or "error: ..." text
	}{
		{"empty", "", ""},
		{"one column", "value string", "value STRING"},
		{"colon", "a: int, b: string", "a INT,b STRING"},
		{"struct form", "struct<a:int,b:string not null>", "a INT,b STRING NOT NULL"},
		{"column named struct", "struct string", "struct STRING"},
		{"keyword names", "timestamp timestamp, date date", "timestamp TIMESTAMP,date DATE"},
		{"newlines", "a int,\n  b string", "a INT,b STRING"},
		{"trailing comma", "a int,", "error: expected a column name"},
		{"missing type", "a, b int", "error: expected a type name"},
		{"default", "a int DEFAULT 1", "error: DEFAULT is not supported"},
		{"bad not", "a int NOT 1", "error: missing 'NULL'"},
		{"comment not string", "a int COMMENT x", "error: COMMENT needs a string"},
		{"unsupported", "a varchar(3)", "error: use STRING"},
		{"struct form extra", "struct<a:int> b", "error: extra input 'b'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseDDL(tc.in)
			if strings.HasPrefix(tc.want, "error: ") {
				want := strings.TrimPrefix(tc.want, "error: ")
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("ParseDDL(%q) error = %v, want one containing %q", tc.in, err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDDL(%q): %v", tc.in, err)
			}
			if got := types.DDL(s); got != tc.want {
				t.Errorf("ParseDDL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
