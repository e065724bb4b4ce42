package format

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/types"
)

// catalog renders a schema as Spark's catalogString of its struct:
// struct<a:bigint,b:struct<c:string>>.
func catalog(s *arrow.Schema) string {
	return types.CatalogString(arrow.StructOf(s.Fields()...))
}

// checkNullable fails the test when a field, list element or map value of
// s is not nullable: inferred schemas are nullable all the way down.
func checkNullable(t *testing.T, s *arrow.Schema) {
	t.Helper()
	var walk func(path string, dt arrow.DataType, nullable bool)
	walk = func(path string, dt arrow.DataType, nullable bool) {
		if !nullable {
			t.Errorf("%s is not nullable", path)
		}
		switch dt := dt.(type) {
		case *arrow.StructType:
			for _, f := range dt.Fields() {
				walk(path+"."+f.Name, f.Type, f.Nullable)
			}
		case *arrow.ListType:
			walk(path+".element", dt.Elem(), dt.ElemField().Nullable)
		case *arrow.MapType:
			walk(path+".value", dt.ItemType(), dt.ItemField().Nullable)
		}
	}
	for _, f := range s.Fields() {
		walk(f.Name, f.Type, f.Nullable)
	}
}

func inferJSON(t *testing.T, opts map[string]string, inputs ...string) (*arrow.Schema, error) {
	t.Helper()
	o, err := JSONInferOptionsFromMap(opts)
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewJSONInferrer(o)
	if err != nil {
		t.Fatal(err)
	}
	for i, data := range inputs {
		if err := in.Add([]byte(data), fmt.Sprintf("part-%d.json", i)); err != nil {
			return nil, err
		}
	}
	return in.Schema(), nil
}

func TestJSONInferTypes(t *testing.T) {
	big := "12345678901234567890"   // past int64: decimal(20,0)
	huge := strings.Repeat("9", 39) // past 38 digits: double
	tests := []struct {
		name  string
		opts  map[string]string
		lines []string
		want  string
	}{
		{"primitives", nil, []string{`{"s":"x","i":1,"f":1.5,"b":true,"e":1e3}`},
			"struct<b:boolean,e:double,f:double,i:bigint,s:string>"},
		{"fields sorted by name at every level", nil, []string{`{"z":1,"a":{"y":1,"b":[{"q":1,"c":2}]},"m":null}`},
			"struct<a:struct<b:array<struct<c:bigint,q:bigint>>,y:bigint>,m:string,z:bigint>"},
		{"bigint and double widen to double", nil, []string{`{"a":1}`, `{"a":2.5}`}, "struct<a:double>"},
		{"double then bigint stays double", nil, []string{`{"a":2.5}`, `{"a":1}`}, "struct<a:double>"},
		{"bigint and string give string", nil, []string{`{"a":1}`, `{"a":"x"}`}, "struct<a:string>"},
		{"boolean and bigint give string", nil, []string{`{"a":true}`, `{"a":1}`}, "struct<a:string>"},
		{"struct and bigint give string", nil, []string{`{"a":{"x":1}}`, `{"a":1}`}, "struct<a:string>"},
		{"array and struct give string", nil, []string{`{"a":[1]}`, `{"a":{"x":1}}`}, "struct<a:string>"},
		{"string absorbs later values", nil, []string{`{"a":"x"}`, `{"a":{"x":1}}`, `{"a":[1]}`}, "struct<a:string>"},
		{"null and empty string alone give string", nil, []string{`{"a":null}`, `{"a":""}`}, "struct<a:string>"},
		{"null then a value", nil, []string{`{"a":null}`, `{"a":""}`, `{"a":3}`}, "struct<a:bigint>"},
		{"structs merge their fields", nil, []string{`{"a":{"x":1}}`, `{"a":{"y":"s","x":2.5}}`},
			"struct<a:struct<x:double,y:string>>"},
		{"array elements merge", nil, []string{`{"a":[1,2.5]}`}, "struct<a:array<double>>"},
		{"empty array then elements", nil, []string{`{"a":[]}`, `{"a":[1]}`}, "struct<a:array<bigint>>"},
		{"empty array alone", nil, []string{`{"a":[]}`}, "struct<a:array<string>>"},
		{"array of objects", nil, []string{`{"a":[{"x":1},{"y":"s"}]}`}, "struct<a:array<struct<x:bigint,y:string>>>"},
		{"nested arrays", nil, []string{`{"a":[[1],[2.5,null]]}`}, "struct<a:array<array<double>>>"},
		{"empty struct dropped", nil, []string{`{"a":{},"b":1,"c":{"d":{}}}`}, "struct<b:bigint>"},
		{"empty field name dropped", nil, []string{`{"":1,"b":1}`}, "struct<b:bigint>"},
		{"integer past 64 bits is a decimal", nil, []string{`{"a":` + big + `}`}, "struct<a:decimal(20,0)>"},
		{"bigint and large integer", nil, []string{`{"a":5}`, `{"a":` + big + `}`}, "struct<a:decimal(20,0)>"},
		{"large integer and double", nil, []string{`{"a":` + big + `}`, `{"a":0.5}`}, "struct<a:double>"},
		{"integer past 38 digits is a double", nil, []string{`{"a":` + huge + `}`}, "struct<a:double>"},
		{"duplicate key widens", nil, []string{`{"a":1,"a":"x"}`}, "struct<a:string>"},
		{"blank lines skipped", nil, []string{"\n  \n{\"a\":1}\r\n\n"}, "struct<a:bigint>"},
		{"no records", nil, []string{"", "\n\n"}, "struct<>"},
		{"top-level array of objects", nil, []string{`[{"a":1},{"b":"x"}]`, `[]`, `null`}, "struct<a:bigint,b:string>"},
		{"multiLine object", map[string]string{"multiLine": "true"}, []string{"{\n \"a\": 1,\n \"b\": [true]\n}"},
			"struct<a:bigint,b:array<boolean>>"},
		{"multiLine array of objects", map[string]string{"multiLine": "true"}, []string{"[\n {\"a\": 1},\n {\"a\": 2.5}\n]", "{\"c\":null}"},
			"struct<a:double,c:string>"},

		{"primitivesAsString", map[string]string{"primitivesAsString": "true"}, []string{`{"a":1,"b":true,"c":1.5,"d":[1],"e":{"f":2}}`},
			"struct<a:string,b:string,c:string,d:array<string>,e:struct<f:string>>"},
		{"prefersDecimal fractions", map[string]string{"prefersDecimal": "true"}, []string{`{"a":1.5}`, `{"a":12.25}`, `{"b":0.05}`},
			"struct<a:decimal(4,2),b:decimal(2,2)>"},
		{"prefersDecimal with bigint", map[string]string{"prefersDecimal": "true"}, []string{`{"a":1.5}`, `{"a":7}`},
			"struct<a:decimal(21,1)>"},
		{"prefersDecimal numeric strings", map[string]string{"prefersDecimal": "true"}, []string{`{"a":"1.50","b":"x","c":"0.05"}`},
			"struct<a:decimal(3,2),b:string,c:string>"},
		{"prefersDecimal past 38 digits", map[string]string{"prefersDecimal": "true"}, []string{`{"a":0.` + huge + `}`},
			"struct<a:double>"},
		{"timestamps are strings by default", nil, []string{`{"t":"2024-05-01 10:00:00"}`}, "struct<t:string>"},
		{"inferTimestamp", map[string]string{"inferTimestamp": "true"}, []string{`{"t":"2024-05-01 10:00:00","u":"2024-05-01T10:00:00Z","s":"soon"}`},
			"struct<s:string,t:timestamp,u:timestamp>"},
		{"inferTimestamp and string", map[string]string{"inferTimestamp": "true"}, []string{`{"t":"2024-05-01 10:00:00"}`, `{"t":"later"}`},
			"struct<t:string>"},
		{"inferTimestamp with timestampFormat", map[string]string{"inferTimestamp": "true", "timestampFormat": "dd/MM/yyyy HH:mm"},
			[]string{`{"t":"01/05/2024 10:00","u":"2024-05-01 10:00:00"}`}, "struct<t:timestamp,u:string>"},
		{"dropFieldIfAllNull", map[string]string{"dropFieldIfAllNull": "true"}, []string{`{"a":null,"b":1,"c":[],"d":{"e":null},"f":[null]}`},
			"struct<b:bigint>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inputs := []string{strings.Join(tc.lines, "\n")}
			if tc.opts["multiLine"] == "true" { // one input per line
				inputs = tc.lines
			}
			sc, err := inferJSON(t, tc.opts, inputs...)
			if err != nil {
				t.Fatal(err)
			}
			if got := catalog(sc); got != tc.want {
				t.Errorf("schema\n got %s\nwant %s", got, tc.want)
			}
			checkNullable(t, sc)
		})
	}
}

func TestJSONInferMalformed(t *testing.T) {
	var wide strings.Builder // enough fields for the lookup map
	wide.WriteString(`{`)
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&wide, `"f%d":%d,`, i, i)
	}
	wide.WriteString(`"z":1}`)
	tests := []struct {
		name  string
		opts  map[string]string
		lines []string
		want  string
	}{
		{"syntax error adds the corrupt column", nil, []string{`{"a":1}`, `{"a":`}, "struct<_corrupt_record:string,a:bigint>"},
		{"fields of a malformed record are taken back", nil, []string{`{"a":1}`, `{"a":"x","b":{"c":2},"d":[1,`},
			"struct<_corrupt_record:string,a:bigint>"},
		{"taken back then seen again", nil, []string{`{"a":1}`, `{"b":1.5,"c":}`, `{"b":true}`},
			"struct<_corrupt_record:string,a:bigint,b:boolean>"},
		{"taken back in a wide struct", nil, []string{wide.String(), `{"g":1,"f3":"x","h":`, `{"h":true,"f3":2}`},
			"struct<_corrupt_record:string,f0:bigint,f1:bigint,f2:bigint,f3:bigint,f4:bigint,f5:bigint,f6:bigint,f7:bigint,f8:bigint,f9:bigint,h:boolean,z:bigint>"},
		{"top-level value that is not an object", nil, []string{`{"a":1}`, `5`, `"text"`, `""`, `null`}, "struct<_corrupt_record:string,a:bigint>"},
		{"array with a non-object", nil, []string{`[{"a":1},5]`, `{"b":1}`}, "struct<_corrupt_record:string,b:bigint>"},
		{"trailing garbage inside an object", nil, []string{`{"a":1 x}`}, "struct<_corrupt_record:string>"},
		{"corrupt column name option", map[string]string{"columnNameOfCorruptRecord": "bad"}, []string{`{"a":1}`, `{`}, "struct<a:bigint,bad:string>"},
		{"corrupt column already a field", nil, []string{`{"_corrupt_record":1}`, `{`}, "struct<_corrupt_record:string>"},
		{"DROPMALFORMED skips them", map[string]string{"mode": "DROPMALFORMED"}, []string{`{"a":1}`, `{"b":`, `7`}, "struct<a:bigint>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := inferJSON(t, tc.opts, strings.Join(tc.lines, "\n"))
			if err != nil {
				t.Fatal(err)
			}
			if got := catalog(sc); got != tc.want {
				t.Errorf("schema\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestJSONInferFailFast(t *testing.T) {
	tests := []struct {
		name  string
		opts  map[string]string
		input string
		want  []string
	}{
		{"syntax error", nil, "{\"a\":1}\n{\"a\":\n", []string{
			"Malformed records are detected in schema inference. Parse Mode: FAILFAST.",
			"part-0.json, line 2, byte offset 8: ", `record: "{\"a\":"`, "set the option mode to PERMISSIVE"}},
		{"not an object", nil, "{\"a\":1}\n5\n", []string{
			"Malformed records are detected in schema inference. Parse Mode: FAILFAST. Reasons: Failed to infer a common schema. Struct types are expected, but `bigint` was found.",
			"part-0.json, line 2"}},
		{"multiLine position", map[string]string{"multiLine": "true"}, "{\n\"a\": 1,\n\"b\": }", []string{
			"part-0.json, line 3, byte offset 15"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := map[string]string{"mode": "FAILFAST"}
			for k, v := range tc.opts {
				opts[k] = v
			}
			_, err := inferJSON(t, opts, tc.input)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			var m *MalformedError
			if !errors.As(err, &m) || !errors.Is(err, ErrMalformed) {
				t.Errorf("error %T does not unwrap to a *MalformedError", err)
			}
		})
	}
}

func TestJSONInferSampling(t *testing.T) {
	// Every record has its own field: the fields kept count the records
	// sampled.
	var b strings.Builder
	const n = 2000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "{\"f%04d\":%d}\n", i, i)
	}
	tests := []struct {
		ratio    string
		min, max int
	}{
		{"1.0", n, n},
		{"0.995", n, n}, // above 0.99: no sampling, as Spark
		{"0.5", 0.45 * n, 0.55 * n},
		{"0.1", 0.07 * n, 0.13 * n},
		{"0.0001", 1, 5}, // the first record is always read
	}
	for _, tc := range tests {
		t.Run(tc.ratio, func(t *testing.T) {
			opts := map[string]string{"samplingRatio": tc.ratio}
			sc, err := inferJSON(t, opts, b.String())
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.NumFields(); got < tc.min || got > tc.max {
				t.Errorf("%d fields sampled, want %d..%d", got, tc.min, tc.max)
			}
			if sc.Field(0).Name != "f0000" {
				t.Errorf("first field %q, want f0000", sc.Field(0).Name)
			}
			again, _ := inferJSON(t, opts, b.String())
			if !again.Equal(sc) {
				t.Errorf("sampling is not repeatable")
			}
		})
	}
}

func TestJSONInferOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts map[string]string
		want string
	}{
		{"zero samplingRatio", map[string]string{"samplingRatio": "0"}, "requirement failed: samplingRatio (0.0) should be greater than 0"},
		{"negative samplingRatio", map[string]string{"samplingRatio": "-0.5"}, "requirement failed: samplingRatio (-0.5) should be greater than 0"},
		{"samplingRatio not a number", map[string]string{"samplingRatio": "half"}, `option samplingRatio must be a number in (0, 1], got "half"`},
		{"bad flag", map[string]string{"prefersDecimal": "yes"}, `option prefersDecimal must be true or false, got "yes"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := JSONInferOptionsFromMap(tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	o, _ := JSONInferOptionsFromMap(map[string]string{"timestampFormat": "yyyy-MM-dd'T"})
	if _, err := NewJSONInferrer(o); err == nil || !strings.Contains(err.Error(), "timestampFormat") {
		t.Errorf("bad timestampFormat: error %v", err)
	}
}

// TestJSONInferThenDecode reads records back with the schema inferred from
// them: every value lands in its column, none is malformed.
func TestJSONInferThenDecode(t *testing.T) {
	mem := checkedMem(t)
	data := strings.Join([]string{
		`{"id":1,"price":2.5,"tags":["a"],"user":{"name":"ann","age":30},"big":12345678901234567890}`,
		`{"id":2,"price":3,"tags":[],"user":{"name":"bob"},"when":"2024-05-01 10:00:00"}`,
		`{"id":3,"user":null,"extra":[{"k":1},{"k":2.5}]}`,
	}, "\n")
	opts := map[string]string{"inferTimestamp": "true"}
	sc, err := inferJSON(t, opts, data)
	if err != nil {
		t.Fatal(err)
	}
	want := "struct<big:decimal(20,0),extra:array<struct<k:double>>,id:bigint,price:double,tags:array<string>,user:struct<age:bigint,name:string>,when:timestamp>"
	if got := catalog(sc); got != want {
		t.Fatalf("schema\n got %s\nwant %s", got, want)
	}
	jo, _ := JSONOptionsFromMap(opts)
	jo.Mode = FailFast
	rec, stats, err := DecodeJSON([]byte(data), sc, jo, mem, "data.json")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	gotRows := rowStrings(rec)
	wantRows := []string{
		"{12345678901234567890, null, 1, 2.5, [a], {30, ann}, null}",
		"{null, null, 2, 3.0, [], {null, bob}, 2024-05-01 10:00:00}",
		"{null, [{1.0}, {2.5}], 3, null, null, null, null}",
	}
	if stats.Malformed != 0 || !equalStrings(gotRows, wantRows) {
		t.Errorf("rows %q (malformed %d)\nwant %q", gotRows, stats.Malformed, wantRows)
	}
}
