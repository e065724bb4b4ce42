package format

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func inferCSV(t *testing.T, opts map[string]string, inputs ...string) *arrow.Schema {
	t.Helper()
	o, err := CSVInferOptionsFromMap(opts)
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewCSVInferrer(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range inputs {
		in.Add([]byte(data))
	}
	return in.Schema()
}

func TestCSVInferHeader(t *testing.T) {
	tests := []struct {
		name   string
		opts   map[string]string
		inputs []string
		want   string
	}{
		{"no header: _c names, strings", nil, []string{"a,b\n1,2\n"}, "struct<_c0:string,_c1:string>"},
		{"header names, strings", map[string]string{"header": "true"}, []string{"name,age\nann,30\n"}, "struct<name:string,age:string>"},
		{"first non-empty input and line", map[string]string{"header": "true", "comment": "#"},
			[]string{"", "\n# a comment\n\nx,y\n1,2\n", "p,q,r\n"}, "struct<x:string,y:string>"},
		{"empty and null names get positions", map[string]string{"header": "true", "nullValue": "NA"}, []string{`,b,NA,""` + "\n"},
			"struct<_c0:string,b:string,_c2:string,_c3:string>"},
		{"duplicates get positions, ignoring case", map[string]string{"header": "true"}, []string{"a,A,b,c,b\n"},
			"struct<a0:string,A1:string,b2:string,c:string,b4:string>"},
		{"quoted names and sep", map[string]string{"header": "true", "sep": ";"}, []string{`"first;name";age` + "\n"},
			"struct<first;name:string,age:string>"},
		{"no records", map[string]string{"header": "true"}, []string{"", "\n\n"}, "struct<>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := inferCSV(t, tc.opts, tc.inputs...)
			if got := catalog(sc); got != tc.want {
				t.Errorf("schema\n got %s\nwant %s", got, tc.want)
			}
			checkNullable(t, sc)
		})
	}
}

// TestCSVInferTypes gives each column's values, one per row, and the type
// Spark's CSVInferSchema gives the column.
func TestCSVInferTypes(t *testing.T) {
	big := "12345678901234567890"
	tests := []struct {
		name   string
		opts   map[string]string
		values []string
		want   string
	}{
		{"int", nil, []string{"1", "-2", "+3"}, "int"},
		{"int then bigint", nil, []string{"1", "3000000000"}, "bigint"},
		{"bigint then int", nil, []string{"3000000000", "1"}, "bigint"},
		{"int then double", nil, []string{"1", "1.5"}, "double"},
		{"double then int", nil, []string{"1.5", "1"}, "double"},
		{"exponent is double", nil, []string{"1e5"}, "double"},
		{"integer past 64 bits", nil, []string{big}, "decimal(20,0)"},
		{"int then large integer", nil, []string{"7", big}, "decimal(20,0)"},
		{"large integer then double", nil, []string{big, "0.5"}, "double"},
		{"integer past 38 digits", nil, []string{strings.Repeat("9", 39)}, "double"},
		{"exponent leaving no fraction is decimal", nil, []string{"1.5e1"}, "decimal(2,0)"},
		{"negative scale is double", nil, []string{"12345678901234567890e1"}, "double"},
		{"special doubles", nil, []string{"NaN", "Inf", "-Inf", "2"}, "double"},
		{"Java infinity", nil, []string{"Infinity", "1"}, "double"},
		{"custom nanValue", map[string]string{"nanValue": "nope"}, []string{"1.5", "nope"}, "double"},
		{"boolean", nil, []string{"true", "FALSE"}, "boolean"},
		{"boolean then int", nil, []string{"true", "1"}, "string"},
		{"int then boolean", nil, []string{"1", "true"}, "string"},
		{"date", nil, []string{"2024-05-01", "2024-12-31"}, "date"},
		{"timestamp", nil, []string{"2024-05-01 10:00:00", "2024-05-01T10:00:00.5Z"}, "timestamp"},
		{"date then timestamp", nil, []string{"2024-05-01", "2024-05-01 10:00:00"}, "string"},
		// A timestamp column tries the timestamp syntax first, which takes
		// a date: the order matters, as in Spark.
		{"timestamp then date", nil, []string{"2024-05-01 10:00:00", "2024-05-01"}, "timestamp"},
		{"preferDate off", map[string]string{"preferDate": "false"}, []string{"2024-05-01"}, "timestamp"},
		{"dateFormat", map[string]string{"dateFormat": "dd.MM.yyyy"}, []string{"01.05.2024"}, "date"},
		{"timestampFormat", map[string]string{"timestampFormat": "dd/MM/yyyy HH:mm"}, []string{"01/05/2024 10:00"}, "timestamp"},
		{"timestampFormat refuses other text", map[string]string{"timestampFormat": "dd/MM/yyyy HH:mm"}, []string{"2024-05-01 10:00:00"}, "string"},
		{"timestamp then int", nil, []string{"2024-05-01 10:00:00", "5"}, "string"},
		{"text", nil, []string{"1", "x", "2"}, "string"},
		{"nulls do not count", nil, []string{"", "1", ""}, "int"},
		{"nullValue does not count", map[string]string{"nullValue": "-"}, []string{"-", "1.5"}, "double"},
		{"only nulls", nil, []string{"", ""}, "string"},
		{"suffixed double is text", nil, []string{"1.5d"}, "string"},
		{"spaces are text", nil, []string{" 1"}, "string"},
		{"spaces trimmed", map[string]string{"ignoreLeadingWhiteSpace": "true", "ignoreTrailingWhiteSpace": "true"}, []string{" 1 "}, "int"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := map[string]string{"header": "true", "inferSchema": "true"}
			for k, v := range tc.opts {
				opts[k] = v
			}
			var b strings.Builder
			b.WriteString("v,other\n")
			for _, v := range tc.values {
				fmt.Fprintf(&b, "%s,x\n", v)
			}
			sc := inferCSV(t, opts, b.String())
			if want := "struct<v:" + tc.want + ",other:string>"; catalog(sc) != want {
				t.Errorf("schema\n got %s\nwant %s", catalog(sc), want)
			}
		})
	}
}

func TestCSVInferRows(t *testing.T) {
	tests := []struct {
		name   string
		opts   map[string]string
		inputs []string
		want   string
	}{
		{"inferSchema off reads strings", map[string]string{"header": "true"}, []string{"a,b\n1,2.5\n"}, "struct<a:string,b:string>"},
		{"no header: the first line is data", map[string]string{"inferSchema": "true"}, []string{"1,x\n2,y\n"}, "struct<_c0:int,_c1:string>"},
		{"each input's header is skipped", map[string]string{"header": "true", "inferSchema": "true"},
			[]string{"n,s\n1,a\n", "n,s\n2,b\n"}, "struct<n:int,s:string>"},
		{"short rows leave columns alone", map[string]string{"inferSchema": "true"}, []string{"1,2,3\n4\n5,6.5\n"}, "struct<_c0:int,_c1:double,_c2:int>"},
		{"long rows: extra values ignored", map[string]string{"inferSchema": "true"}, []string{"1,2\n3,4,x,y\n"}, "struct<_c0:int,_c1:int>"},
		{"quoted empty is emptyValue", map[string]string{"inferSchema": "true", "emptyValue": "E"}, []string{`1,""` + "\n"}, "struct<_c0:int,_c1:string>"},
		{"multiLine quoted values", map[string]string{"header": "true", "inferSchema": "true", "multiLine": "true"},
			[]string{"id,text\n1,\"two\nlines\"\n2,\"x\"\n"}, "struct<id:int,text:string>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := inferCSV(t, tc.opts, tc.inputs...)
			if got := catalog(sc); got != tc.want {
				t.Errorf("schema\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestCSVInferSamplingAndDone(t *testing.T) {
	// One row in ten thousand is text: with sampling it is usually
	// missed, without it never.
	var b strings.Builder
	b.WriteString("v\n")
	for i := 0; i < 10000; i++ {
		if i == 5000 {
			b.WriteString("text\n")
			continue
		}
		fmt.Fprintf(&b, "%d\n", i)
	}
	full := inferCSV(t, map[string]string{"header": "true", "inferSchema": "true"}, b.String())
	sampled := inferCSV(t, map[string]string{"header": "true", "inferSchema": "true", "samplingRatio": "0.01"}, b.String())
	if got := catalog(full); got != "struct<v:string>" {
		t.Errorf("full: %s, want struct<v:string>", got)
	}
	if got := catalog(sampled); got != "struct<v:int>" {
		t.Errorf("sampled: %s, want struct<v:int> (the seed misses row 5000)", got)
	}

	o, _ := CSVInferOptionsFromMap(map[string]string{"header": "true"})
	in, _ := NewCSVInferrer(o)
	if in.Done() {
		t.Error("Done before any input")
	}
	in.Add([]byte("\n"))
	if in.Done() {
		t.Error("Done after an empty input")
	}
	in.Add([]byte("a,b\n1,2\n"))
	if !in.Done() {
		t.Error("not Done after the header without inferSchema")
	}
	in.Add([]byte("c,d,e\n"))
	if got := catalog(in.Schema()); got != "struct<a:string,b:string>" {
		t.Errorf("schema %s after Done, want struct<a:string,b:string>", got)
	}
}

func TestCSVInferOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts map[string]string
		want string
	}{
		{"inferSchema not a boolean", map[string]string{"inferSchema": "maybe"}, `option inferSchema must be true or false, got "maybe"`},
		{"preferDate not a boolean", map[string]string{"preferDate": "1"}, `option preferDate must be true or false, got "1"`},
		{"zero samplingRatio", map[string]string{"samplingRatio": "0"}, "requirement failed: samplingRatio (0.0) should be greater than 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CSVInferOptionsFromMap(tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	for _, opts := range []map[string]string{{"dateFormat": "yyyy-MM-dd'"}, {"quote": "ab"}, {"timeZone": "Mars/Base"}} {
		o, err := CSVInferOptionsFromMap(opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewCSVInferrer(o); err == nil {
			t.Errorf("options %v: no error", opts)
		}
	}
}

// TestCSVInferThenDecode reads rows back with the inferred schema: no value
// is malformed.
func TestCSVInferThenDecode(t *testing.T) {
	mem := checkedMem(t)
	data := "id,price,day,at,ok,big,note\n" +
		"1,2.5,2024-05-01,2024-05-01 10:00:00,true,12345678901234567890,\n" +
		"2,3,2024-05-02,2024-05-01T11:00:00Z,false,7,hello\n"
	opts := map[string]string{"header": "true", "inferSchema": "true"}
	sc := inferCSV(t, opts, data)
	want := "struct<id:int,price:double,day:date,at:timestamp,ok:boolean,big:decimal(20,0),note:string>"
	if got := catalog(sc); got != want {
		t.Fatalf("schema\n got %s\nwant %s", got, want)
	}
	co, _ := CSVOptionsFromMap(opts)
	co.Mode = FailFast
	rec, _, err := DecodeCSV([]byte(data), sc, co, mem, "data.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	wantRows := []string{
		"{1, 2.5, 2024-05-01, 2024-05-01 10:00:00, true, 12345678901234567890, null}",
		"{2, 3.0, 2024-05-02, 2024-05-01 11:00:00, false, 7, hello}",
	}
	if got := rowStrings(rec); !equalStrings(got, wantRows) {
		t.Errorf("rows %q\nwant %q", got, wantRows)
	}
}
