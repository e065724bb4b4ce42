package types_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"

	. "github.com/gostream/gostream/engine/types"
)

func TestSchemaJSON(t *testing.T) {
	tests := []struct {
		name   string
		schema Schema
		want   string
	}{
		{"flat", StructType(StructField("a", IntegerType(), true), StructField("b", StringType(), false)),
			`{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}},{"name":"b","type":"string","nullable":false,"metadata":{}}]}`},
		{"array and map", StructType(
			StructField("l", ArrayType(LongType(), false), true),
			StructField("m", MapType(StringType(), DecimalType(10, 2), true), true)),
			`{"type":"struct","fields":[{"name":"l","type":{"type":"array","elementType":"long","containsNull":false},"nullable":true,"metadata":{}},` +
				`{"name":"m","type":{"type":"map","keyType":"string","valueType":"decimal(10,2)","valueContainsNull":true},"nullable":true,"metadata":{}}]}`},
		{"nested struct", StructType(StructField("w", StructType(StructField("start", TimestampType(), true)), false)),
			`{"type":"struct","fields":[{"name":"w","type":{"type":"struct","fields":[{"name":"start","type":"timestamp","nullable":true,"metadata":{}}]},"nullable":false,"metadata":{}}]}`},
		{"metadata and escapes", Schema{Fields: []Field{{Name: `a<"b">`, Type: DateType(), Nullable: true, Metadata: map[string]string{"comment": "x & y", "a": "1"}}}},
			`{"type":"struct","fields":[{"name":"a<\"b\">","type":"date","nullable":true,"metadata":{"a":"1","comment":"x & y"}}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.schema.JSON()
			if got != tc.want {
				t.Fatalf("JSON =\n%s\nwant\n%s", got, tc.want)
			}
			back, err := SchemaFromJSON([]byte(got))
			if err != nil {
				t.Fatalf("SchemaFromJSON: %v", err)
			}
			if !back.Arrow().Equal(tc.schema.Arrow()) {
				t.Errorf("round trip: got %v, want %v", back.Arrow(), tc.schema.Arrow())
			}
			if again := back.JSON(); again != got {
				t.Errorf("second rendering differs:\n%s\n%s", again, got)
			}
		})
	}
}

func TestSchemaFromJSONSpark(t *testing.T) {
	// Written by Spark 3.5 (df.schema.json()), with non-string metadata and
	// whitespace.
	in := `{"type": "struct", "fields": [
	  {"name": "key", "type": "binary", "nullable": true, "metadata": {}},
	  {"name": "offset", "type": "long", "nullable": true, "metadata": {"n": 1}},
	  {"name": "v", "type": "void", "nullable": true, "metadata": {}},
	  {"name": "s", "type": "short", "nullable": true, "metadata": {}},
	  {"name": "b", "type": "byte", "nullable": true, "metadata": {}}]}`
	got, err := SchemaFromJSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := StructType(
		StructField("key", BinaryType(), true),
		Field{Name: "offset", Type: LongType(), Nullable: true, Metadata: map[string]string{"n": "1"}},
		StructField("v", NullType(), true),
		StructField("s", ShortType(), true),
		StructField("b", ByteType(), true),
	)
	if !got.Arrow().Equal(want.Arrow()) || got.Fields[1].Metadata["n"] != "1" {
		t.Errorf("got %v, want %v", got.Arrow(), want.Arrow())
	}
}

func TestSchemaFromJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		unsupported    bool
	}{
		{"not json", `{`, "invalid Spark schema JSON", false},
		{"not a struct", `"integer"`, "the top level is int, not a struct", false},
		{"unknown name", `{"type":"struct","fields":[{"name":"a","type":"strin","nullable":true}]}`, `$.a: unknown type name "strin"`, false},
		{"unknown complex", `{"type":"struct","fields":[{"name":"a","type":{"type":"tuple"}}]}`, `unknown complex type "tuple"`, false},
		{"missing name", `{"type":"struct","fields":[{"type":"string"}]}`, `missing "name"`, false},
		{"varchar", `{"type":"struct","fields":[{"name":"a","type":"varchar(10)"}]}`, "use STRING", true},
		{"interval", `{"type":"struct","fields":[{"name":"a","type":"interval day to second"}]}`, "interval columns are not supported", true},
		{"bad decimal", `{"type":"struct","fields":[{"name":"a","type":"decimal(40,2)"}]}`, "Decimal precision 40 exceeds max precision 38", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SchemaFromJSON([]byte(tc.in))
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			var ute *UnsupportedTypeError
			if got := errors.As(err, &ute); got != tc.unsupported {
				t.Errorf("errors.As(*UnsupportedTypeError) = %v, want %v (%v)", got, tc.unsupported, err)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		t    DataType
		want string // "" for valid
	}{
		{"nested valid", nested(), ""},
		{"decimal too wide", DecimalType(39, 0), "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision 39 exceeds max precision 38."},
		{"decimal scale", DecimalType(5, 6), "scale must be between 0 and the precision 5"},
		{"decimal zero", DecimalType(0, 0), "precision must be between 1 and 38"},
		{"uint in array", ArrayType(arrow.PrimitiveTypes.Uint8, true), "Spark has no unsigned integers"},
		{"ntz", &arrow.TimestampType{Unit: arrow.Microsecond}, "use TIMESTAMP"},
		{"ns timestamp", arrow.FixedWidthTypes.Timestamp_ns, "convert other units first"},
		{"duration in struct", StructType(StructField("d", arrow.FixedWidthTypes.Duration_us, true)), `struct field "d": [UNSUPPORTED_DATATYPE]`},
		{"large string", arrow.BinaryTypes.LargeString, "use StringType()"},
		{"nil", nil, "needs a data type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.t)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Check = %v, want nil", err)
			case tc.want != "" && err == nil:
				t.Errorf("Check = nil, want error containing %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("Check = %q, want it to contain %q", err, tc.want)
			}
		})
	}
	bad := StructType(StructField("ok", StringType(), true), StructField("price", DecimalType(50, 2), true))
	if err := bad.Validate(); err == nil || !strings.HasPrefix(err.Error(), `field "price": `) {
		t.Errorf("Validate = %v, want an error naming field price", err)
	}
}

func TestSchemaConversions(t *testing.T) {
	s := nested()
	a := s.Arrow()
	if got := FromArrow(a); !got.Arrow().Equal(a) {
		t.Errorf("FromArrow(Arrow()) = %v, want %v", got.Arrow(), a)
	}
	if got, want := strings.Join(s.FieldNames()[:3], ","), "name,age,id"; got != want {
		t.Errorf("FieldNames = %q, want %q", got, want)
	}
	added := StructType(StructField("a", StringType(), true)).Add("b", LongType(), false)
	want := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "b", Type: arrow.PrimitiveTypes.Int64}}, nil)
	if !added.Arrow().Equal(want) {
		t.Errorf("Add: got %v, want %v", added.Arrow(), want)
	}
	// A Schema nested as a type becomes an Arrow struct everywhere.
	inner := StructType(StructField("x", IntegerType(), true))
	for name, dt := range map[string]DataType{
		"field": StructField("s", inner, true).Type,
		"array": ArrayType(inner, true).(*arrow.ListType).Elem(),
		"map":   MapType(StringType(), inner, true).(*arrow.MapType).ItemType(),
	} {
		if _, ok := dt.(*arrow.StructType); !ok {
			t.Errorf("%s: nested Schema is %T, want *arrow.StructType", name, dt)
		}
	}
	if !arrow.TypeEqual(Normalize(inner), arrow.StructOf(arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Int32, Nullable: true})) {
		t.Errorf("Normalize(Schema) = %v", Normalize(inner))
	}
	if inner.ID() != arrow.STRUCT || inner.Fingerprint() != Normalize(inner).Fingerprint() {
		t.Errorf("Schema as DataType: ID %v, fingerprint %q", inner.ID(), inner.Fingerprint())
	}
}
