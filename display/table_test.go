package display

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/enginetest"
	"github.com/gostream/gostream/engine/format"
)

var (
	i32    = arrow.PrimitiveTypes.Int32
	i64    = arrow.PrimitiveTypes.Int64
	f64    = arrow.PrimitiveTypes.Float64
	str    = arrow.BinaryTypes.String
	boolT  = arrow.FixedWidthTypes.Boolean
	tsUTC  = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	date32 = arrow.FixedWidthTypes.Date32
)

// checkedMem is an allocator that fails the test if records made from it
// are still allocated once the test and its cleanups are done.
func checkedMem(t *testing.T) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

func schemaOf(fields ...arrow.Field) *arrow.Schema { return arrow.NewSchema(fields, nil) }

func field(name string, t arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: true}
}

// records decodes JSON lines into one record per group of lines.
func records(t testing.TB, mem memory.Allocator, schema *arrow.Schema, groups ...[]string) []arrow.Record {
	t.Helper()
	var recs []arrow.Record
	for _, lines := range groups {
		rec, _, err := format.DecodeJSON([]byte(strings.Join(lines, "\n")), schema, format.JSONOptions{Mode: format.FailFast}, mem, "test.json")
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	t.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	return recs
}

func numbered(n, from int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = `{"id":` + jsonInt(int64(from+i)) + `,"name":"row ` + jsonInt(int64(from+i)) + `"}`
	}
	return lines
}

func TestTableGolden(t *testing.T) {
	mem := checkedMem(t)
	people := schemaOf(field("age", i64), field("name", str))
	idName := schemaOf(field("id", i32), field("name", str))
	nested := schemaOf(
		field("window", arrow.StructOf(field("start", tsUTC), field("end", tsUTC))),
		field("tags", arrow.ListOf(str)), field("attrs", arrow.MapOf(str, i64)),
		field("price", f64), field("amount", &arrow.Decimal128Type{Precision: 10, Scale: 2}),
		field("ok", boolT), field("day", date32))
	// Two columns of the same name, as a join can make.
	dup := schemaOf(field("a<b>", str), field("a<b>", str))
	src := records(t, mem, schemaOf(field("a", str), field("b", str)),
		[]string{`{"a":"<script>&\"'","b":"line\nbreak \u2028 tab\t"}`})[0]
	dupRec := array.NewRecord(dup, src.Columns(), src.NumRows())
	defer dupRec.Release()
	tests := []struct {
		name  string
		table Table
	}{
		{"people", Table{Schema: people, Records: records(t, mem, people, []string{
			`{"name":"Michael"}`, `{"age":30,"name":"Andy"}`, `{"age":19,"name":"Justin"}`})}},
		{"nested", Table{Schema: nested, Records: records(t, mem, nested, []string{
			`{"window":{"start":"2024-05-01 10:00:00","end":"2024-05-01 10:05:00.5"},"tags":["a","b"],"attrs":{"x":1},"price":40.5,"amount":40.5,"ok":true,"day":"2024-05-01"}`,
			`{"window":null,"tags":[],"attrs":{},"price":"NaN","amount":-0.5,"ok":false,"day":null}`,
			`{"price":1e20}`})}},
		{"head_truncated", Table{Schema: idName, MaxRows: 3, Records: records(t, mem, idName, numbered(2, 0), numbered(3, 2))}},
		{"tail_truncated", Table{Schema: idName, MaxRows: 3, Tail: true, Title: "display_1 · append · batch 1", Error: "StreamingQueryException: <boom>",
			Records: records(t, mem, idName, numbered(2, 0), numbered(3, 2))}},
		{"more_rows_not_fetched", Table{Schema: idName, MaxRows: 2, More: true, Records: records(t, mem, idName, numbered(2, 0))}},
		{"empty", Table{Schema: idName}},
		{"escaping_and_duplicate_names", Table{Schema: dup, Records: []arrow.Record{dupRec}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.table.Bundle()
			dir := filepath.Join("testdata", "table")
			enginetest.Golden(t, filepath.Join(dir, tc.name+".txt"), b[MIMEText].(string))
			enginetest.Golden(t, filepath.Join(dir, tc.name+".html"), strings.ReplaceAll(b[MIMEHTML].(string), "<tr>", "\n<tr>")+"\n")
			raw := b[MIMEDataResource].(json.RawMessage)
			if !json.Valid(raw) {
				t.Fatalf("data resource is not valid JSON: %s", raw)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, raw, "", "  "); err != nil {
				t.Fatal(err)
			}
			enginetest.Golden(t, filepath.Join(dir, tc.name+".json"), pretty.String()+"\n")
		})
	}
}

func TestTableCountAndNote(t *testing.T) {
	mem := checkedMem(t)
	s := schemaOf(field("id", i32), field("name", str))
	five := records(t, mem, s, numbered(2, 0), numbered(3, 2))
	tests := []struct {
		name      string
		table     Table
		count     string
		note      string
		firstID   float64
		shownRows int
	}{
		{"all shown", Table{Schema: s, Records: five}, "5 rows", "", 0, 5},
		{"one row", Table{Schema: s, Records: five[:1], MaxRows: 1}, "2 rows", "showing the first 1 of 2 rows", 0, 1},
		{"first rows", Table{Schema: s, Records: five, MaxRows: 3}, "5 rows", "showing the first 3 of 5 rows", 0, 3},
		{"last rows across records", Table{Schema: s, Records: five, MaxRows: 4, Tail: true}, "5 rows", "showing the last 4 of 5 rows", 1, 4},
		{"last rows in the last record", Table{Schema: s, Records: five, MaxRows: 2, Tail: true}, "5 rows", "showing the last 2 of 5 rows", 3, 2},
		{"more not fetched", Table{Schema: s, Records: five, MaxRows: 5, More: true}, "more than 5 rows", "showing the first 5 rows; more rows were not fetched", 0, 5},
		{"no rows", Table{Schema: s}, "0 rows", "", -1, 0},
		{"tail of a longer table", Table{Schema: s, Records: five[1:], MaxRows: 2, Tail: true, Omitted: 10}, "13 rows", "showing the last 2 of 13 rows", 3, 2},
		{"head of a longer table", Table{Schema: s, Records: five[:1], MaxRows: 2, Omitted: 98}, "100 rows", "showing the first 2 of 100 rows", 0, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.table.Count(); got != tc.count {
				t.Errorf("Count() = %q, want %q", got, tc.count)
			}
			if got := tc.table.Note(); got != tc.note {
				t.Errorf("Note() = %q, want %q", got, tc.note)
			}
			var res struct {
				Data []map[string]any `json:"data"`
			}
			if err := json.Unmarshal(tc.table.DataResource(), &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Data) != tc.shownRows {
				t.Fatalf("data resource has %d rows, want %d", len(res.Data), tc.shownRows)
			}
			if tc.shownRows > 0 && res.Data[0]["id"] != tc.firstID {
				t.Errorf("first row shown has id %v, want %v", res.Data[0]["id"], tc.firstID)
			}
			if got := strings.Count(tc.table.HTML(), "<tr>") - 1; got != tc.shownRows {
				t.Errorf("HTML has %d body rows, want %d", got, tc.shownRows)
			}
		})
	}
}

func TestJSONString(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello", `"hello"`},
		{"quotes and backslash", `a"b\c`, `"a\"b\\c"`},
		{"controls", "a\nb\tc\x01", `"a\nb\tc\u0001"`},
		{"line separators", "a\u2028b\u2029", `"a\u2028b\u2029"`},
		{"invalid utf8", "a\xffb", `"a\ufffdb"`},
		{"multibyte", "héllo 世界", `"héllo 世界"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(appendJSONString(nil, tc.in))
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("%s is not valid JSON", got)
			}
		})
	}
}
