package format

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func boolp(v bool) *bool    { return &v }
func strp(v string) *string { return &v }

var csvTypesSchema = schemaOf(field("name", strType), field("n", i32Type), field("price", f64Type), field("ok", boolType),
	field("t", tsType), field("d", dateType), field("dec", &arrow.Decimal128Type{Precision: 5, Scale: 2}))

func TestDecodeCSV(t *testing.T) {
	two := schemaOf(field("a", strType), field("b", strType))
	tests := []struct {
		name   string
		schema *arrow.Schema
		opts   CSVOptions
		input  string
		want   []string
	}{
		{
			name:   "all types",
			schema: csvTypesSchema,
			input:  "a,1,1.5,true,2024-05-01 10:00:03,2024-05-01,40.5\nb,-2,1e10,FALSE,2024-05-01T10:00:03.5Z,2024-5-1,-0.005\n",
			want: []string{"{a, 1, 1.5, true, 2024-05-01 10:00:03, 2024-05-01, 40.50}",
				"{b, -2, 1.0E10, false, 2024-05-01 10:00:03.5, 2024-05-01, -0.01}"},
		},
		{
			name:   "empty values are null by default, quoted or not",
			schema: csvTypesSchema,
			input:  ",,,,,,\n\"\",\"\",\"\",\"\",\"\",\"\",\"\"",
			want:   []string{"{null, null, null, null, null, null, null}", "{null, null, null, null, null, null, null}"},
		},
		{
			name:   "header line is skipped",
			schema: two,
			opts:   CSVOptions{Header: true},
			input:  "x,y\n1,2\n",
			want:   []string{"{1, 2}"},
		},
		{
			name:   "quotes, escaped and doubled quotes",
			schema: schemaOf(field("a", strType), field("b", strType), field("c", strType)),
			input:  `"a,b","say \"hi\"","x""y"` + "\n" + `plain,"",'q'`,
			want:   []string{`{a,b, say "hi", x"y}`, "{plain, null, 'q'}"},
		},
		{
			name:   "tab delimiter",
			schema: two,
			opts:   CSVOptions{Sep: `\t`},
			input:  "1\t2\n3,4\t5",
			want:   []string{"{1, 2}", "{3,4, 5}"},
		},
		{
			name:   "multi-character delimiter",
			schema: two,
			opts:   CSVOptions{Sep: "||"},
			input:  "1||2\na|b||c",
			want:   []string{"{1, 2}", "{a|b, c}"},
		},
		{
			name:   "nullValue and emptyValue",
			schema: two,
			opts:   CSVOptions{NullValue: "NA", EmptyValue: strp("EMPTY")},
			input:  "NA,\"\"\n,x",
			want:   []string{"{null, EMPTY}", "{null, x}"},
		},
		{
			name:   "comments and blank lines",
			schema: two,
			opts:   CSVOptions{Comment: "#"},
			input:  "# a comment\n1,2\n\n#3,4\r\n5,6",
			want:   []string{"{1, 2}", "{5, 6}"},
		},
		{
			name:   "whitespace trimming",
			schema: schemaOf(field("a", strType), field("n", i64Type)),
			opts:   CSVOptions{IgnoreLeadingWhiteSpace: boolp(true), IgnoreTrailingWhiteSpace: boolp(true)},
			input:  "  a b  ,  7  \n \"q \" , 8",
			want:   []string{"{a b, 7}", "{q , 8}"},
		},
		{
			name:   "multiLine quoted values",
			schema: two,
			opts:   CSVOptions{MultiLine: true},
			input:  "\"line1\nline2\",x\r\ny,\"a\r\nb\"",
			want:   []string{"{line1\nline2, x}", "{y, a\r\nb}"},
		},
		{
			name:   "special doubles",
			schema: schemaOf(field("d", f64Type)),
			input:  "NaN\nInf\n-Inf\n1.0E-4",
			want:   []string{"{NaN}", "{Infinity}", "{-Infinity}", "{1.0E-4}"},
		},
		{
			name:   "custom special doubles",
			schema: schemaOf(field("d", f64Type)),
			opts:   CSVOptions{NaNValue: "nan", PositiveInf: "+inf", NegativeInf: "-inf"},
			input:  "nan\n+inf\n-inf",
			want:   []string{"{NaN}", "{Infinity}", "{-Infinity}"},
		},
		{
			name:   "timestampFormat and dateFormat",
			schema: schemaOf(field("t", tsType), field("d", dateType)),
			opts:   CSVOptions{TimestampFormat: "dd/MM/yyyy HH:mm", DateFormat: "dd/MM/yyyy"},
			input:  "01/05/2024 10:07,02/05/2024",
			want:   []string{"{2024-05-01 10:07:00, 2024-05-02}"},
		},
		{
			name:   "no quoting",
			schema: two,
			opts:   CSVOptions{Quote: NoQuote},
			input:  `"a,b"`,
			want:   []string{`{"a, b"}`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			tc.opts.Mode = FailFast
			rec, stats, err := DecodeCSV([]byte(tc.input), tc.schema, tc.opts, mem, "test.csv")
			if err != nil {
				t.Fatalf("DecodeCSV: %v", err)
			}
			defer rec.Release()
			if got := rowStrings(rec); !equalStrings(got, tc.want) {
				t.Errorf("rows:\n got %q\nwant %q", got, tc.want)
			}
			if stats.Rows != int64(len(tc.want)) || stats.Bytes != int64(len(tc.input)) {
				t.Errorf("stats = %+v, want %d rows and %d bytes", stats, len(tc.want), len(tc.input))
			}
		})
	}
}

const malformedCSV = "1,u\nx,v\n2\n3,w,extra\n4,z\n"

func TestDecodeCSVModes(t *testing.T) {
	withCorrupt := schemaOf(field("a", i32Type), field("b", strType), field("_corrupt_record", strType))
	tests := []struct {
		name   string
		schema *arrow.Schema
		opts   CSVOptions
		want   []string
	}{
		{
			name:   "permissive keeps partial rows and the raw record",
			schema: withCorrupt,
			want:   []string{"{1, u, null}", "{null, v, x,v}", "{2, null, 2}", "{3, w, 3,w,extra}", "{4, z, null}"},
		},
		{
			name:   "permissive without a corrupt column",
			schema: schemaOf(field("a", i32Type), field("b", strType)),
			want:   []string{"{1, u}", "{null, v}", "{2, null}", "{3, w}", "{4, z}"},
		},
		{
			name:   "dropmalformed",
			schema: withCorrupt,
			opts:   CSVOptions{Mode: DropMalformed},
			want:   []string{"{1, u, null}", "{4, z, null}"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			rec, stats, err := DecodeCSV([]byte(malformedCSV), tc.schema, tc.opts, mem, "data.csv")
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			if got := rowStrings(rec); !equalStrings(got, tc.want) {
				t.Errorf("rows:\n got %q\nwant %q", got, tc.want)
			}
			if stats.Malformed != 3 {
				t.Errorf("malformed = %d, want 3", stats.Malformed)
			}
		})
	}
}

func TestDecodeCSVFailFast(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		opts       CSVOptions
		wantLine   int
		wantOffset int64
		wantInMsg  string
	}{
		{"bad value", "1,u\n\n# c\nx,v\n", CSVOptions{Comment: "#"}, 4, 9, `column "a": cannot parse "x" as int`},
		{"too few values", "a,b\n1,u\n2\n", CSVOptions{Header: true}, 3, 8, "Malformed CSV record: 1 values for 2 columns"},
		{"after a multi-line value", "1,\"a\nb\"\nz,q", CSVOptions{MultiLine: true}, 3, 8, `cannot parse "z" as int`},
	}
	schema := schemaOf(field("a", i32Type), field("b", strType))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			tc.opts.Mode = FailFast
			rec, _, err := DecodeCSV([]byte(tc.input), schema, tc.opts, mem, "data.csv")
			if rec != nil {
				rec.Release()
				t.Fatal("got a record, want none")
			}
			var me *MalformedError
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want a *MalformedError", err)
			}
			if me.Line != tc.wantLine || me.Offset != tc.wantOffset {
				t.Errorf("line %d offset %d, want line %d offset %d", me.Line, me.Offset, tc.wantLine, tc.wantOffset)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "Malformed records are detected in record parsing. Parse Mode: FAILFAST.") || !strings.Contains(msg, tc.wantInMsg) {
				t.Errorf("error %q: want Spark's text and %q", msg, tc.wantInMsg)
			}
		})
	}
}

func TestDecodeCSVHeaderCheck(t *testing.T) {
	schema := schemaOf(field("a", strType), field("b", strType))
	tests := []struct {
		name    string
		enforce *bool
		input   string
		wantErr string
	}{
		{"enforced schema ignores names", nil, "x,y\n1,2", ""},
		{"matching names, any case", boolp(false), "A,b\n1,2", ""},
		{"different name", boolp(false), "a,c\n1,2", "CSV header does not conform to the schema.\n Header: a, c\n Schema: a, b\nExpected: b but found: c\nCSV file: h.csv"},
		{"different count", boolp(false), "a\n1,2", "Number of column in CSV header is not equal to number of fields in the schema:\n Header length: 1, schema size: 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			rec, _, err := DecodeCSV([]byte(tc.input), schema, CSVOptions{Header: true, EnforceSchema: tc.enforce}, mem, "h.csv")
			if rec != nil {
				defer rec.Release()
			}
			if tc.wantErr == "" {
				if err != nil || rec.NumRows() != 1 {
					t.Fatalf("err = %v, want one row", err)
				}
				return
			}
			if !errors.Is(err, ErrCSVHeader) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want ErrCSVHeader containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestCSVOptionsErrors(t *testing.T) {
	tests := []struct {
		name   string
		schema *arrow.Schema
		opts   CSVOptions
		want   string
	}{
		{"struct column", schemaOf(field("s", arrow.StructOf(field("x", i64Type)))), CSVOptions{}, "CSV data source does not support struct<x: int64> data type"},
		{"binary column", schemaOf(field("b", arrow.BinaryTypes.Binary)), CSVOptions{}, "CSV data source does not support binary data type"},
		{"long quote", schemaOf(field("a", strType)), CSVOptions{Quote: "''"}, "option quote must be a single character"},
		{"line break delimiter", schemaOf(field("a", strType)), CSVOptions{Sep: "\n"}, "may not contain a line break"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewCSVDecoder(tc.schema, tc.opts, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCSVOptionsFromMap(t *testing.T) {
	o, err := CSVOptionsFromMap(map[string]string{"HEADER": "true", "delimiter": ";", "quote": "", "enforceSchema": "false", "emptyValue": "E"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.Header || o.Sep != ";" || o.Quote != NoQuote || o.EnforceSchema == nil || *o.EnforceSchema || o.EmptyValue == nil || *o.EmptyValue != "E" {
		t.Errorf("got %+v", o)
	}
	if _, err := CSVOptionsFromMap(map[string]string{"header": "yes"}); err == nil {
		t.Error("header=yes: want an error")
	}
}

func TestEncodeCSV(t *testing.T) {
	mem := checkedMem(t)
	schema := schemaOf(field("name", strType), field("n", i32Type), field("price", f64Type), field("t", tsType), field("d", dateType))
	rec, _, err := DecodeJSON([]byte(strings.Join([]string{
		`{"name":"a","n":1,"price":1.5,"t":"2024-05-01 10:00:03","d":"2024-05-01"}`,
		`{"name":"b,c","price":1e10}`,
		`{"name":"say \"hi\"","n":3,"price":"NaN","t":"2024-05-01 10:00:03.25"}`,
		`{"name":"","n":4}`,
		`{"name":"  padded  ","n":5}`,
		`{"name":"two\nlines"}`,
	}, "\n")), schema, JSONOptions{Mode: FailFast}, mem, "in.json")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	tests := []struct {
		name string
		opts CSVOptions
		want string
	}{
		{"spark defaults with header", CSVOptions{Header: true}, "name,n,price,t,d\n" +
			"a,1,1.5,2024-05-01T10:00:03.000Z,2024-05-01\n" +
			"\"b,c\",,1.0E10,,\n" +
			"\"say \\\"hi\\\"\",3,NaN,2024-05-01T10:00:03.250Z,\n" +
			"\"\",4,,,\n" +
			"padded,5,,,\n" +
			"\"two\nlines\",,,,\n"},
		{"options", CSVOptions{Sep: ";", NullValue: "NULL", EmptyValue: strp(""), TimestampFormat: "yyyy-MM-dd HH:mm:ss", DateFormat: "dd/MM/yyyy",
			IgnoreLeadingWhiteSpace: boolp(false), IgnoreTrailingWhiteSpace: boolp(false), Quote: "'", Escape: "'"},
			"a;1;1.5;2024-05-01 10:00:03;01/05/2024\n" +
				"b,c;NULL;1.0E10;NULL;NULL\n" +
				"say \"hi\";3;NaN;2024-05-01 10:00:03;NULL\n" +
				";4;NULL;NULL;NULL\n" +
				"'  padded  ';5;NULL;NULL;NULL\n" +
				"'two\nlines';NULL;NULL;NULL;NULL\n"},
		{"quoteAll", CSVOptions{QuoteAll: true}, "\"a\",\"1\",\"1.5\",\"2024-05-01T10:00:03.000Z\",\"2024-05-01\"\n" +
			"\"b,c\",,\"1.0E10\",,\n" +
			"\"say \\\"hi\\\"\",\"3\",\"NaN\",\"2024-05-01T10:00:03.250Z\",\n" +
			"\"\",\"4\",,,\n" +
			"\"padded\",\"5\",,,\n" +
			"\"two\nlines\",,,,\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := EncodeCSV(&buf, rec, tc.opts); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestCSVRoundTrip(t *testing.T) {
	mem := checkedMem(t)
	in := "a,1,1.5,true,2024-05-01T10:00:03.123Z,2024-05-01,40.50\n" +
		"\"x,\\\"y\\\"\",-7,1.0E-4,false,1969-12-31T23:59:59.999Z,1969-12-31,-0.01\n" +
		",,,,,,\n"
	opts := CSVOptions{Mode: FailFast}
	rec, _, err := DecodeCSV([]byte(in), csvTypesSchema, opts, mem, "in.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	var buf bytes.Buffer
	if err := EncodeCSV(&buf, rec, opts); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != in {
		t.Errorf("encoded:\n%s\nwant:\n%s", got, in)
	}
	back, _, err := DecodeCSV(buf.Bytes(), csvTypesSchema, opts, mem, "out.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if got, want := rowStrings(back), rowStrings(rec); !equalStrings(got, want) {
		t.Errorf("round trip:\n got %q\nwant %q", got, want)
	}
}
