package format

import (
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var fuzzJSONSchema = schemaOf(field("a", i32Type), field("s", strType), field("t", tsType),
	field("st", arrow.StructOf(field("x", f64Type), field("l", arrow.ListOf(i64Type)))),
	field("m", arrow.MapOf(strType, arrow.StructOf(field("y", boolType)))),
	field("dec", &arrow.Decimal128Type{Precision: 7, Scale: 2}), field("_corrupt_record", strType))

// FuzzDecodeJSON checks that any input decodes without panicking, into
// valid arrays, in every mode.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		malformedJSON, `{"a":1,"s":"x","t":"2024-05-01","st":{"x":1.5,"l":[1,2]},"m":{"k":{"y":true}},"dec":1.25}`,
		`[{"a":1},{"a":"x"}]`, `{"st":{"l":[1,"x",3]},"a":2}`, `{"m":{"k":{"y":1}}}`, "{\"s\":\"\\u00e9\\ud83d\\ude00\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range []Mode{Permissive, DropMalformed, FailFast} {
			for _, multi := range []bool{false, true} {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				rec, _, err := DecodeJSON(data, fuzzJSONSchema, JSONOptions{Mode: mode, MultiLine: multi}, mem, "fuzz")
				if err == nil {
					for _, col := range rec.Columns() {
						if col.Len() != int(rec.NumRows()) {
							t.Fatalf("column of %d rows in a record of %d", col.Len(), rec.NumRows())
						}
					}
					_ = rowStrings(rec)
					rec.Release()
				}
				mem.AssertSize(t, 0)
			}
		}
	})
}

// FuzzDecodeCSV checks that any input decodes without panicking.
func FuzzDecodeCSV(f *testing.F) {
	for _, seed := range []string{malformedCSV, "\"a\nb\",1\n", "x,\"y\\\"z\"\"\",3\r\n", "#c\n\n1,2,3,4"} {
		f.Add([]byte(seed))
	}
	schema := schemaOf(field("a", strType), field("n", i64Type), field("t", tsType), field("_corrupt_record", strType))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, multi := range []bool{false, true} {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			rec, _, err := DecodeCSV(data, schema, CSVOptions{MultiLine: multi, Comment: "#", Header: multi}, mem, "fuzz")
			if err != nil {
				t.Fatal(err)
			}
			for _, col := range rec.Columns() {
				if col.Len() != int(rec.NumRows()) {
					t.Fatalf("column of %d rows in a record of %d", col.Len(), rec.NumRows())
				}
			}
			_ = rowStrings(rec)
			rec.Release()
			mem.AssertSize(t, 0)
		}
	})
}
