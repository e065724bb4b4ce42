package format

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func TestDecodeJSONTypes(t *testing.T) {
	tests := []struct {
		name   string
		schema *arrow.Schema
		input  string
		want   []string
	}{
		{
			name:   "tutorial record",
			schema: tutorialSchema,
			input:  `{"Analytics":{"Clicks":5,"Impressions":20},"Sales":{"Quantity":2,"Total_Price":40.5},"Datetime":"2024-05-01 10:00:03"}`,
			want:   []string{"{{5, 20}, {2, 40.5}, 2024-05-01 10:00:03}"},
		},
		{
			name:   "missing, unknown and differently cased fields",
			schema: tutorialSchema,
			input:  `{"Analytics":{"clicks":5,"Extra":[1,{"x":null}]},"Other":"x"}`,
			want:   []string{"{{null, null}, null, null}"},
		},
		{
			name:   "explicit nulls",
			schema: tutorialSchema,
			input:  `{"Analytics":null,"Sales":{"Quantity":null,"Total_Price":1},"Datetime":null}`,
			want:   []string{"{null, {null, 1.0}, null}"},
		},
		{
			name:   "string column keeps the text of other JSON values",
			schema: schemaOf(field("s", strType)),
			input:  "{\"s\":1.50}\n{\"s\":true}\n{\"s\": {\"a\": 1, \"b\": [1, 2], \"c\": \"x y\"}}\n{\"s\":\"a\\\"b\\u00e9\\n\"}\n{\"s\":-0}",
			want:   []string{"{1.50}", "{true}", `{{"a":1,"b":[1,2],"c":"x y"}}`, "{a\"bé\n}", "{-0}"},
		},
		{
			name:   "integers",
			schema: schemaOf(field("a", arrow.PrimitiveTypes.Int8), field("b", arrow.PrimitiveTypes.Int16), field("c", i32Type), field("d", i64Type)),
			input:  `{"a":-128,"b":32767,"c":-2147483648,"d":9223372036854775807}`,
			want:   []string{"{-128, 32767, -2147483648, 9223372036854775807}"},
		},
		{
			name:   "floating point",
			schema: schemaOf(field("f", arrow.PrimitiveTypes.Float32), field("d", f64Type)),
			input:  "{\"f\":1.1,\"d\":1}\n{\"f\":1e10,\"d\":1e-5}\n{\"f\":\"NaN\",\"d\":\"-Infinity\"}\n{\"f\":0.001,\"d\":12345678.9}",
			want:   []string{"{1.1, 1.0}", "{1.0E10, 1.0E-5}", "{NaN, -Infinity}", "{0.001, 1.23456789E7}"},
		},
		{
			name:   "decimals round half up to the scale",
			schema: schemaOf(field("p", &arrow.Decimal128Type{Precision: 5, Scale: 2})),
			input:  "{\"p\":40.5}\n{\"p\":\"12.345\"}\n{\"p\":-0.005}\n{\"p\":1.5e2}\n{\"p\":0}",
			want:   []string{"{40.50}", "{12.35}", "{-0.01}", "{150.00}", "{0.00}"},
		},
		{
			name:   "booleans",
			schema: schemaOf(field("b", boolType)),
			input:  "{\"b\":true}\n{\"b\":false}\n{\"b\":null}",
			want:   []string{"{true}", "{false}", "{null}"},
		},
		{
			name:   "timestamps in Spark's lenient syntax",
			schema: schemaOf(field("t", tsType)),
			input: strings.Join([]string{
				`{"t":"2024-05-01 10:00:03"}`, `{"t":"2024-05-01T10:00:03Z"}`,
				`{"t":"2024-05-01T10:00:03.123+02:00"}`, `{"t":"2024-05-01"}`,
				`{"t":1714557603}`, `{"t":"2024-05-01 10:00:03.000001 UTC"}`, `{"t":"2024-5-1 9:05"}`,
			}, "\n"),
			want: []string{"{2024-05-01 10:00:03}", "{2024-05-01 10:00:03}", "{2024-05-01 08:00:03.123}",
				"{2024-05-01 00:00:00}", "{2024-05-01 10:00:03}", "{2024-05-01 10:00:03.000001}", "{2024-05-01 09:05:00}"},
		},
		{
			name:   "dates",
			schema: schemaOf(field("d", dateType)),
			input:  "{\"d\":\"2024-05-01\"}\n{\"d\":\"2024-5-1\"}\n{\"d\":\"1969-12-31T23:00\"}",
			want:   []string{"{2024-05-01}", "{2024-05-01}", "{1969-12-31}"},
		},
		{
			name:   "binary from base64",
			schema: schemaOf(field("b", arrow.BinaryTypes.Binary)),
			input:  `{"b":"AP8K"}`,
			want:   []string{"{[00 FF 0A]}"},
		},
		{
			name:   "arrays",
			schema: schemaOf(field("a", arrow.ListOf(i64Type)), field("s", arrow.ListOf(arrow.StructOf(field("x", strType))))),
			input:  "{\"a\":[1,null,3],\"s\":[{\"x\":\"p\"},{},null]}\n{\"a\":[],\"s\":null}",
			want:   []string{"{[1, null, 3], [{p}, {null}, null]}", "{[], null}"},
		},
		{
			name:   "maps",
			schema: schemaOf(field("m", arrow.MapOf(strType, i64Type))),
			input:  "{\"m\":{\"a\":1,\"b\":null}}\n{\"m\":{}}",
			want:   []string{"{{a -> 1, b -> null}}", "{{}}"},
		},
		{
			name:   "duplicate keys: the last value wins",
			schema: schemaOf(field("a", i64Type), field("s", arrow.StructOf(field("x", i64Type)))),
			input:  `{"a":1,"s":{"x":1,"x":2},"a":3}`,
			want:   []string{"{3, {2}}"},
		},
		{
			name:   "top-level array gives one row per object",
			schema: schemaOf(field("a", i64Type)),
			input:  `[{"a":1},{"a":2}]` + "\n[]",
			want:   []string{"{1}", "{2}"},
		},
		{
			name:   "blank lines and CRLF",
			schema: schemaOf(field("a", i64Type)),
			input:  "\n{\"a\":1}\r\n   \r\n{\"a\":2}\n\n",
			want:   []string{"{1}", "{2}"},
		},
		{
			name:   "empty input",
			schema: schemaOf(field("a", i64Type)),
			input:  "",
			want:   []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			rec, stats, err := DecodeJSON([]byte(tc.input), tc.schema, JSONOptions{Mode: FailFast}, mem, "test.json")
			if err != nil {
				t.Fatalf("DecodeJSON: %v", err)
			}
			defer rec.Release()
			if got := rowStrings(rec); !equalStrings(got, tc.want) {
				t.Errorf("rows:\n got %q\nwant %q", got, tc.want)
			}
			if stats.Rows != int64(len(tc.want)) || stats.Bytes != int64(len(tc.input)) || stats.Malformed != 0 {
				t.Errorf("stats = %+v, want %d rows, %d bytes, 0 malformed", stats, len(tc.want), len(tc.input))
			}
		})
	}
}

// malformedJSON mixes good records with each kind of bad one.
const malformedJSON = `{"a":1,"b":"u"}
{"a":"x","b":"v"}
{"a":2,
5
{"a":99999999999,"b":"w"}
{"a":3,"b":"z"}`

func TestDecodeJSONModes(t *testing.T) {
	withCorrupt := schemaOf(field("a", i32Type), field("b", strType), field("_corrupt_record", strType))
	plain := schemaOf(field("a", i32Type), field("b", strType))
	custom := schemaOf(field("a", i32Type), field("b", strType), field("bad", strType))
	tests := []struct {
		name   string
		schema *arrow.Schema
		opts   JSONOptions
		want   []string
	}{
		{
			name:   "permissive keeps partial rows and the raw record",
			schema: withCorrupt,
			opts:   JSONOptions{},
			want: []string{
				"{1, u, null}",
				`{null, v, {"a":"x","b":"v"}}`,
				`{null, null, {"a":2,}`,
				"{null, null, 5}",
				`{null, w, {"a":99999999999,"b":"w"}}`,
				"{3, z, null}",
			},
		},
		{
			name:   "permissive without a corrupt column",
			schema: plain,
			opts:   JSONOptions{Mode: Permissive},
			want:   []string{"{1, u}", "{null, v}", "{null, null}", "{null, null}", "{null, w}", "{3, z}"},
		},
		{
			name:   "permissive with a renamed corrupt column",
			schema: custom,
			opts:   JSONOptions{CorruptColumn: "bad"},
			want: []string{"{1, u, null}", `{null, v, {"a":"x","b":"v"}}`, `{null, null, {"a":2,}`, "{null, null, 5}",
				`{null, w, {"a":99999999999,"b":"w"}}`, "{3, z, null}"},
		},
		{
			name:   "dropmalformed skips bad records",
			schema: withCorrupt,
			opts:   JSONOptions{Mode: DropMalformed},
			want:   []string{"{1, u, null}", "{3, z, null}"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			rec, stats, err := DecodeJSON([]byte(malformedJSON), tc.schema, tc.opts, mem, "data.json")
			if err != nil {
				t.Fatalf("DecodeJSON: %v", err)
			}
			defer rec.Release()
			if got := rowStrings(rec); !equalStrings(got, tc.want) {
				t.Errorf("rows:\n got %q\nwant %q", got, tc.want)
			}
			if stats.Malformed != 4 || stats.Rows != int64(len(tc.want)) {
				t.Errorf("stats = %+v, want 4 malformed and %d rows", stats, len(tc.want))
			}
		})
	}
}

func TestDecodeJSONFailFast(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		opts       JSONOptions
		wantLine   int
		wantOffset int64
		wantInMsg  []string
	}{
		{
			name:       "type mismatch",
			input:      "{\"a\":1}\n{\"a\":2}\n{\"a\":\"two\"}\n",
			wantLine:   3,
			wantOffset: 16,
			wantInMsg: []string{
				"Malformed records are detected in record parsing. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.",
				`data.json, line 3, byte offset 16`, `cannot read JSON string "two" into field "a" of type int`,
			},
		},
		{
			name:       "syntax error",
			input:      "{\"a\":1}\n\n{\"a\":1,,}\n",
			wantLine:   3,
			wantOffset: 9,
			wantInMsg:  []string{"line 3, byte offset 9", "invalid JSON at byte 7 of the record: expected a field name"},
		},
		{
			name:       "multiLine reports the line of the error",
			input:      "{\n  \"a\": 1,\n  \"b\" 2\n}",
			opts:       JSONOptions{MultiLine: true},
			wantLine:   3,
			wantOffset: 18,
			wantInMsg:  []string{"line 3, byte offset 18", "expected ':' after a field name"},
		},
	}
	schema := schemaOf(field("a", i32Type), field("b", i32Type), field("_corrupt_record", strType))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			tc.opts.Mode = FailFast
			rec, stats, err := DecodeJSON([]byte(tc.input), schema, tc.opts, mem, "data.json")
			if rec != nil {
				rec.Release()
				t.Fatal("got a record, want none")
			}
			var me *MalformedError
			if !errors.As(err, &me) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want a *MalformedError", err)
			}
			if me.Line != tc.wantLine || me.Offset != tc.wantOffset || me.Source != "data.json" {
				t.Errorf("at %s line %d offset %d, want data.json line %d offset %d", me.Source, me.Line, me.Offset, tc.wantLine, tc.wantOffset)
			}
			for _, s := range tc.wantInMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if stats.Malformed != 1 {
				t.Errorf("malformed = %d, want 1", stats.Malformed)
			}
		})
	}
}

func TestDecodeJSONOptions(t *testing.T) {
	tests := []struct {
		name   string
		schema *arrow.Schema
		opts   map[string]string
		input  string
		want   []string
	}{
		{
			name:   "timestampFormat",
			schema: schemaOf(field("t", tsType), field("_corrupt_record", strType)),
			opts:   map[string]string{"timestampFormat": "dd/MM/yyyy HH:mm"},
			input:  "{\"t\":\"01/05/2024 10:07\"}\n{\"t\":\"2024-05-01 10:07:00\"}",
			want:   []string{"{2024-05-01 10:07:00, null}", `{null, {"t":"2024-05-01 10:07:00"}}`},
		},
		{
			name:   "timeZone for values without a zone",
			schema: schemaOf(field("t", tsType)),
			opts:   map[string]string{"timeZone": "America/New_York"},
			input:  "{\"t\":\"2024-05-01 10:00:03\"}\n{\"t\":\"2024-05-01T10:00:03Z\"}",
			want:   []string{"{2024-05-01 14:00:03}", "{2024-05-01 10:00:03}"},
		},
		{
			name:   "dateFormat",
			schema: schemaOf(field("d", dateType)),
			opts:   map[string]string{"DATEFORMAT": "dd.MM.yyyy"},
			input:  `{"d":"07.03.2024"}`,
			want:   []string{"{2024-03-07}"},
		},
		{
			name:   "multiLine object",
			schema: schemaOf(field("a", i64Type), field("b", arrow.ListOf(i64Type))),
			opts:   map[string]string{"multiLine": "true"},
			input:  "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n}\n",
			want:   []string{"{1, [1, 2]}"},
		},
		{
			name:   "multiLine array",
			schema: schemaOf(field("a", i64Type)),
			opts:   map[string]string{"multiline": "true"},
			input:  "[\n {\"a\": 1},\n {\"a\": 2}\n]",
			want:   []string{"{1}", "{2}"},
		},
		{
			name:   "mode option",
			schema: schemaOf(field("a", i64Type)),
			opts:   map[string]string{"mode": "dropMalformed"},
			input:  "{\"a\":1}\n{\"a\":true}",
			want:   []string{"{1}"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			opts, err := JSONOptionsFromMap(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			rec, _, err := DecodeJSON([]byte(tc.input), tc.schema, opts, mem, "test.json")
			if err != nil {
				t.Fatalf("DecodeJSON: %v", err)
			}
			defer rec.Release()
			if got := rowStrings(rec); !equalStrings(got, tc.want) {
				t.Errorf("rows:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestNewJSONDecoderErrors(t *testing.T) {
	tests := []struct {
		name   string
		schema *arrow.Schema
		opts   JSONOptions
		want   string
	}{
		{"corrupt column not a string", schemaOf(field("_corrupt_record", i64Type)), JSONOptions{},
			"The field for corrupt records must be string type and nullable"},
		{"unsupported type", schemaOf(field("u", arrow.PrimitiveTypes.Uint32)), JSONOptions{},
			`column "u" has type uint32`},
		{"map with int keys", schemaOf(field("m", arrow.MapOf(i64Type, i64Type))), JSONOptions{},
			`JSON map column "m" has int64 keys`},
		{"bad timestamp pattern", schemaOf(field("t", tsType)), JSONOptions{TimestampFormat: "yyyy-MM-dd'T"},
			"option timestampFormat: invalid datetime pattern"},
		{"bad time zone", schemaOf(field("t", tsType)), JSONOptions{TimeZone: "Mars/Olympus"},
			`option timeZone: unknown time zone "Mars/Olympus"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewJSONDecoder(tc.schema, tc.opts, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestJSONDecoderReuse(t *testing.T) {
	mem := checkedMem(t)
	d, err := NewJSONDecoder(tutorialSchema, JSONOptions{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{
		`{"Analytics":{"Clicks":1},"Datetime":"2024-05-01 10:00:00"}`,
		`{"Sales":{"Quantity":2,"Total_Price":3.5}}` + "\n" + `{"Analytics":{"Impressions":7}}`,
	}
	want := [][]string{
		{"{{1, null}, null, 2024-05-01 10:00:00}"},
		{"{null, {2, 3.5}, null}", "{{null, 7}, null, null}"},
	}
	for i, in := range inputs {
		rec, _, err := d.Decode([]byte(in), "f.json")
		if err != nil {
			t.Fatal(err)
		}
		if got := rowStrings(rec); !equalStrings(got, want[i]) {
			t.Errorf("input %d: got %q, want %q", i, got, want[i])
		}
		rec.Release()
	}
}
