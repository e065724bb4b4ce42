package format

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// jsonRecord decodes JSON lines for a test table.
func jsonRecord(t *testing.T, mem memory.Allocator, schema *arrow.Schema, lines ...string) arrow.Record {
	t.Helper()
	rec, _, err := DecodeJSON([]byte(strings.Join(lines, "\n")), schema, JSONOptions{Mode: FailFast}, mem, "show.json")
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestShowStringGolden(t *testing.T) {
	mem := checkedMem(t)
	people := jsonRecord(t, mem, schemaOf(field("age", i64Type), field("name", strType)),
		`{"name":"Michael"}`, `{"age":30,"name":"Andy"}`, `{"age":19,"name":"Justin"}`)
	defer people.Release()
	long := jsonRecord(t, mem, schemaOf(field("id", i64Type), field("text", strType)),
		`{"id":1,"text":"short"}`, `{"id":2,"text":"exactly twenty chars"}`, `{"id":3,"text":"this text is longer than twenty characters"}`,
		`{"id":4,"text":"line one\nline\ttwo"}`)
	defer long.Release()
	nested := jsonRecord(t, mem, schemaOf(
		field("window", arrow.StructOf(field("start", tsType), field("end", tsType))),
		field("tags", arrow.ListOf(strType)), field("attrs", arrow.MapOf(strType, i64Type)),
		field("price", f64Type), field("amount", &arrow.Decimal128Type{Precision: 10, Scale: 2}), field("ok", boolType), field("day", dateType)),
		`{"window":{"start":"2024-05-01 10:00:00","end":"2024-05-01 10:05:00"},"tags":["a","b"],"attrs":{"x":1},"price":40.5,"amount":40.5,"ok":true,"day":"2024-05-01"}`,
		`{"window":{"start":"2024-05-01 10:00:00.5"},"tags":[],"attrs":{},"price":1e10,"amount":0,"ok":false}`,
		`{"tags":[null],"price":"NaN"}`)
	defer nested.Release()
	wide := jsonRecord(t, mem, schemaOf(field("city", strType), field("n", i64Type)),
		`{"city":"東京","n":1}`, `{"city":"Zürich","n":22}`)
	defer wide.Release()
	empty := jsonRecord(t, mem, schemaOf(field("a", i64Type), field("b", strType)))
	defer empty.Release()
	noCols := array.NewRecord(arrow.NewSchema(nil, nil), nil, 0)
	defer noCols.Release()
	bin := jsonRecord(t, mem, schemaOf(field("key", arrow.BinaryTypes.Binary), field("value", arrow.BinaryTypes.Binary)),
		`{"key":"AAr/","value":"aGVsbG8="}`, `{"value":""}`)
	defer bin.Release()

	tests := []struct {
		name     string
		rec      arrow.Record
		numRows  int
		truncate int
		vertical bool
	}{
		{"people", people, 20, 20, false},
		{"people_top2", people, 2, 20, false},
		{"people_top1", people, 1, 20, false},
		{"people_top0", people, 0, 20, false},
		{"truncate20", long, 20, 20, false},
		{"truncate0", long, 20, 0, false},
		{"truncate3", long, 20, 3, false},
		{"truncate10", long, 20, 10, false},
		{"nested", nested, 20, 20, false},
		{"nested_full", nested, 20, 0, false},
		{"full_width", wide, 20, 20, false},
		{"binary", bin, 20, 20, false},
		{"no_rows", empty, 20, 20, false},
		{"no_columns", noCols, 20, 20, false},
		{"vertical", people, 20, 20, true},
		{"vertical_top1_truncate10", long, 1, 10, true},
		{"vertical_no_rows", empty, 20, 20, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ShowString(tc.rec, tc.numRows, tc.truncate, tc.vertical)
			path := filepath.Join("testdata", "show", tc.name+".golden")
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
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("show(%d, %d, %v):\n got:\n%s\nwant:\n%s", tc.numRows, tc.truncate, tc.vertical, got, want)
			}
		})
	}
}

func TestShowRecordsSpansBatches(t *testing.T) {
	mem := checkedMem(t)
	schema := schemaOf(field("v", i64Type))
	a := jsonRecord(t, mem, schema, `{"v":1}`, `{"v":2}`)
	defer a.Release()
	b := jsonRecord(t, mem, schema, `{"v":3}`)
	defer b.Release()
	got := Formatter{}.ShowRecords(schema, []arrow.Record{a, b}, 3, 20, false)
	want := "+---+\n|  v|\n+---+\n|  1|\n|  2|\n|  3|\n+---+\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	got = Formatter{}.ShowRecords(schema, []arrow.Record{a, b}, 2, 20, false)
	want = "+---+\n|  v|\n+---+\n|  1|\n|  2|\n+---+\nonly showing top 2 rows\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
