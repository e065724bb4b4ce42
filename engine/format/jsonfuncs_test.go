package format

import (
	"errors"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func stringArray(mem memory.Allocator, vals ...*string) *array.String {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(*v)
		}
	}
	return b.NewStringArray()
}

func ptr(s string) *string { return &s }

func TestJSONValuesDecoder(t *testing.T) {
	row := arrow.StructOf(field("a", i32Type), field("b", arrow.ListOf(i64Type)), field("t", tsType))
	tests := []struct {
		name string
		typ  arrow.DataType
		in   *string
		want string
	}{
		{"struct", row, ptr(`{"a": 1, "b": [1, 2], "t": "2024-05-01 10:00:00"}`), "{1, [1, 2], 2024-05-01 10:00:00}"},
		{"struct keeps the fields that fit", row, ptr(`{"a": "x", "b": [3]}`), "{null, [3], null}"},
		{"struct field with a bad element", row, ptr(`{"a": 1, "b": [1, "x"]}`), "{1, null, null}"},
		{"struct from malformed text", row, ptr(`not json`), "{null, null, null}"},
		{"struct from an array", row, ptr(`[1, 2]`), "{null, null, null}"},
		{"struct text after the value", row, ptr(`{"a": 1} {"a": 2}`), "{1, null, null}"},
		{"struct from null", row, ptr(`null`), "null"},
		{"struct from blank", row, ptr("  "), "null"},
		{"struct from a null string", row, nil, "null"},
		{"array", arrow.ListOf(i32Type), ptr(`[1, null, 3]`), "[1, null, 3]"},
		{"array with a bad element", arrow.ListOf(i32Type), ptr(`[1, "x"]`), "null"},
		{"array from an object", arrow.ListOf(i32Type), ptr(`{"a": 1}`), "null"},
		{"map", arrow.MapOf(strType, f64Type), ptr(`{"x": 1.5, "y": "NaN"}`), "{x -> 1.5, y -> NaN}"},
		{"map with a bad value", arrow.MapOf(strType, f64Type), ptr(`{"x": true}`), "null"},
		{"string", strType, ptr(`{"nested": [1, 2]}`), `{"nested":[1,2]}`},
		{"date", dateType, ptr(`"2024-02-29"`), "2024-02-29"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			d, err := NewJSONValuesDecoder(tc.typ, JSONOptions{})
			if err != nil {
				t.Fatal(err)
			}
			in := stringArray(mem, tc.in, ptr(`{}`))
			defer in.Release()
			out := d.Decode(in, mem)
			defer out.Release()
			if out.Len() != 2 {
				t.Fatalf("got %d values, want 2", out.Len())
			}
			if got := FormatValue(out, 0); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestJSONValuesDecoderReuse(t *testing.T) {
	mem := checkedMem(t)
	d, err := NewJSONValuesDecoder(arrow.StructOf(field("a", i64Type)), JSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range [][]string{{`{"a": 1}`, `{"a": 2}`}, {`{"a": 3}`}} {
		vals := make([]*string, len(batch))
		for i := range batch {
			vals[i] = &batch[i]
		}
		in := stringArray(mem, vals...)
		out := d.Decode(in, mem)
		var got []string
		for i := 0; i < out.Len(); i++ {
			got = append(got, FormatValue(out, i))
		}
		in.Release()
		out.Release()
		want := make([]string, len(batch))
		for i := range batch {
			want[i] = "{" + batch[i][6:7] + "}"
		}
		if !equalStrings(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	}
}

func TestJSONValuesDecoderErrors(t *testing.T) {
	tests := []struct {
		name string
		typ  arrow.DataType
		opts JSONOptions
	}{
		{"map keys", arrow.MapOf(i32Type, strType), JSONOptions{}},
		{"type", arrow.ListOf(arrow.PrimitiveTypes.Uint16), JSONOptions{}},
		{"pattern", strType, JSONOptions{TimestampFormat: "yyyy-ww"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewJSONValuesDecoder(tc.typ, tc.opts); err == nil {
				t.Error("got no error")
			}
		})
	}
	if _, err := NewJSONValuesDecoder(arrow.MapOf(i32Type, strType), JSONOptions{}); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("map keys: err = %v, want ErrUnsupportedType", err)
	}
}

func TestJSONValueAppender(t *testing.T) {
	mem := checkedMem(t)
	schema := schemaOf(
		field("s", arrow.StructOf(field("x", i64Type), field("y", strType), field("t", tsType),
			field("f", f64Type), field("b", arrow.BinaryTypes.Binary))),
		field("l", arrow.ListOf(i32Type)),
		field("m", arrow.MapOf(strType, i64Type)),
	)
	data := []byte(`{"s": {"x": 1, "y": null, "t": "2024-05-01T10:00:03.5Z", "f": "NaN", "b": "AQI="}, "l": [1, null], "m": {"k": null, "q\"": 2}}` + "\n")
	rec, _, err := DecodeJSON(data, schema, JSONOptions{}, mem, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	tests := []struct {
		col  int
		opts JSONOptions
		want string
	}{
		{0, JSONOptions{}, `{"x":1,"t":"2024-05-01T10:00:03.500Z","f":"NaN","b":"AQI="}`},
		{0, JSONOptions{WriteNullFields: true, TimestampFormat: "yyyy-MM-dd HH:mm"}, `{"x":1,"y":null,"t":"2024-05-01 10:00","f":"NaN","b":"AQI="}`},
		{1, JSONOptions{}, `[1,null]`},
		{2, JSONOptions{}, `{"k":null,"q\"":2}`},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			appendJSON, err := JSONValueAppender(rec.Column(tc.col), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(appendJSON(nil, 0)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestJSONValueAppenderNullField(t *testing.T) {
	mem := checkedMem(t)
	b := array.NewStructBuilder(mem, arrow.StructOf(field("n", arrow.Null), field("i", i64Type)))
	defer b.Release()
	b.Append(true)
	b.FieldBuilder(0).AppendNull()
	b.FieldBuilder(1).(*array.Int64Builder).Append(5)
	arr := b.NewArray()
	defer arr.Release()
	appendJSON, err := JSONValueAppender(arr, JSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(appendJSON(nil, 0)), `{"i":5}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestJSONPath(t *testing.T) {
	doc := `{"a": {"b": [10, 20]}, "c": "x\"y", "d": null, "e": {"a b": true}, "c": "second"}`
	tests := []struct {
		path, doc string
		want      string
		ok        bool
	}{
		{"$.a.b[1]", doc, "20", true},
		{"$.a", doc, `{"b":[10,20]}`, true},
		{"$.c", doc, `x"y`, true},
		{"$['c']", doc, `x"y`, true},
		{"$.e['a b']", doc, "true", true},
		{"$", `[1, {"x": " a b "}]`, `[1,{"x":" a b "}]`, true},
		{"$[1].x", `[1, {"x": " a b "}]`, " a b ", true},
		{"$.d", doc, "", false},
		{"$.zz", doc, "", false},
		{"$.a.b[5]", doc, "", false},
		{"$.a[0]", doc, "", false},
		{"$.a", "not json", "", false},
		{"$.a", `{"a": tru}`, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.path+" in "+tc.doc, func(t *testing.T) {
			p, ok := ParseJSONPath(tc.path)
			if !ok {
				t.Fatalf("ParseJSONPath(%q) refused", tc.path)
			}
			got, ok := p.AppendValue([]byte("prefix:"), []byte(tc.doc))
			if ok != tc.ok || (ok && string(got) != "prefix:"+tc.want) {
				t.Errorf("got %q %v, want %q %v", got, ok, "prefix:"+tc.want, tc.ok)
			}
		})
	}
	for _, bad := range []string{"a.b", "$.", "$[x]", "$[-1]", "$[0", "$a"} {
		if _, ok := ParseJSONPath(bad); ok {
			t.Errorf("ParseJSONPath(%q) accepted", bad)
		}
	}
}
