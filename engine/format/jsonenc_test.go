package format

import (
	"bytes"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func TestEncodeJSON(t *testing.T) {
	mem := checkedMem(t)
	schema := schemaOf(
		field("s", strType), field("n", i64Type), field("f", f64Type), field("t", tsType), field("d", dateType),
		field("st", arrow.StructOf(field("x", i64Type), field("y", strType))), field("l", arrow.ListOf(i64Type)),
		field("m", arrow.MapOf(strType, f64Type)), field("b", arrow.BinaryTypes.Binary), field("dec", &arrow.Decimal128Type{Precision: 10, Scale: 3}),
		field("ok", boolType))
	rec := jsonRecord(t, mem, schema,
		`{"s":"say \"hi\"\n\u0001é","n":5,"f":40.5,"t":"2024-05-01 10:00:03","d":"2024-05-01","st":{"x":1},"l":[1,null],"m":{"k":1.5,"z":null},"b":"AP8=","dec":1.5,"ok":true}`,
		`{"f":1e10}`,
		`{"f":"NaN","t":"2024-05-01 10:00:03.123456"}`,
	)
	defer rec.Release()
	tests := []struct {
		name string
		opts JSONOptions
		want string
	}{
		{"spark defaults", JSONOptions{},
			`{"s":"say \"hi\"\n\u0001é","n":5,"f":40.5,"t":"2024-05-01T10:00:03.000Z","d":"2024-05-01","st":{"x":1},"l":[1,null],"m":{"k":1.5,"z":null},"b":"AP8=","dec":1.500,"ok":true}` + "\n" +
				`{"f":1.0E10}` + "\n" +
				`{"f":"NaN","t":"2024-05-01T10:00:03.123Z"}` + "\n"},
		{"null fields and formats", JSONOptions{WriteNullFields: true, TimestampFormat: "yyyy-MM-dd HH:mm:ss.SSSSSS", DateFormat: "dd/MM/yyyy", TimeZone: "+02:00"},
			`{"s":"say \"hi\"\n\u0001é","n":5,"f":40.5,"t":"2024-05-01 12:00:03.000000","d":"01/05/2024","st":{"x":1,"y":null},"l":[1,null],"m":{"k":1.5,"z":null},"b":"AP8=","dec":1.500,"ok":true}` + "\n" +
				`{"s":null,"n":null,"f":1.0E10,"t":null,"d":null,"st":null,"l":null,"m":null,"b":null,"dec":null,"ok":null}` + "\n" +
				`{"s":null,"n":null,"f":"NaN","t":"2024-05-01 12:00:03.123456","d":null,"st":null,"l":null,"m":null,"b":null,"dec":null,"ok":null}` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := EncodeJSON(&buf, rec, tc.opts); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	mem := checkedMem(t)
	schema := schemaOf(
		field("s", strType), field("n", i64Type), field("f", f64Type), field("t", tsType), field("d", dateType),
		field("st", arrow.StructOf(field("x", i64Type), field("y", arrow.ListOf(strType)))),
		field("m", arrow.MapOf(strType, arrow.ListOf(f64Type))), field("b", arrow.BinaryTypes.Binary),
		field("dec", &arrow.Decimal128Type{Precision: 38, Scale: 10}), field("ok", boolType), field("i8", arrow.PrimitiveTypes.Int8),
		field("f32", arrow.PrimitiveTypes.Float32))
	lines := []string{
		`{"s":"tab\there \"q\" \\ ü","n":-9223372036854775808,"f":1.0E-300,"t":"2024-05-01T10:00:03.123Z","d":"1900-02-28","st":{"x":1,"y":["a",null]},"m":{"k":[1.5,null]},"b":"AAECAwQ=","dec":1234567890123456789012345678.0123456789,"ok":false,"i8":-128,"f32":0.1}`,
		`{"st":{"y":[]},"m":{},"f":"-Infinity"}`,
		`{}`,
	}
	rec := jsonRecord(t, mem, schema, lines...)
	defer rec.Release()
	var buf bytes.Buffer
	if err := EncodeJSON(&buf, rec, JSONOptions{}); err != nil {
		t.Fatal(err)
	}
	back, _, err := DecodeJSON(buf.Bytes(), schema, JSONOptions{Mode: FailFast}, mem, "out.json")
	if err != nil {
		t.Fatalf("decoding %s: %v", buf.String(), err)
	}
	defer back.Release()
	if got, want := rowStrings(back), rowStrings(rec); !equalStrings(got, want) {
		t.Errorf("round trip:\n got %q\nwant %q", got, want)
	}
	if !strings.Contains(buf.String(), `"t":"2024-05-01T10:00:03.123Z"`) {
		t.Errorf("timestamp not in Spark's write format: %s", buf.String())
	}
}
