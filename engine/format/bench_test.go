package format

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// tutorialSchema is the click-stream record shape of the reference tutorial.
var tutorialSchema = arrow.NewSchema([]arrow.Field{
	{Name: "Analytics", Type: arrow.StructOf(
		arrow.Field{Name: "Clicks", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "Impressions", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	), Nullable: true},
	{Name: "Sales", Type: arrow.StructOf(
		arrow.Field{Name: "Quantity", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "Total_Price", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	), Nullable: true},
	{Name: "Datetime", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
}, nil)

// tutorialJSON generates about size bytes of tutorial records.
func tutorialJSON(size int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `{"Analytics":{"Clicks":%d,"Impressions":%d},"Sales":{"Quantity":%d,"Total_Price":%d.%d},"Datetime":"2024-05-01 %02d:%02d:%02d"}`+"\n",
			i%97, i%1013, i%7, i%500, i%10, (i/3600)%24, (i/60)%60, i%60)
	}
	return b.Bytes()
}

func BenchmarkDecodeJSON(b *testing.B) {
	data := tutorialJSON(1 << 20)
	d, err := NewJSONDecoder(tutorialSchema, JSONOptions{}, memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec, _, err := d.Decode(data, "bench.json")
		if err != nil {
			b.Fatal(err)
		}
		rec.Release()
	}
}

// flatSchema is the tutorial record flattened, as the CSV exercises use it.
var flatSchema = arrow.NewSchema([]arrow.Field{
	{Name: "Clicks", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "Impressions", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "Quantity", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "Total_Price", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "Datetime", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
}, nil)

func tutorialCSV(size int) []byte {
	var b bytes.Buffer
	b.WriteString("Clicks,Impressions,Quantity,Total_Price,Datetime\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d,%d,%d,%d.%d,2024-05-01 %02d:%02d:%02d\n",
			i%97, i%1013, i%7, i%500, i%10, (i/3600)%24, (i/60)%60, i%60)
	}
	return b.Bytes()
}

func BenchmarkDecodeCSV(b *testing.B) {
	data := tutorialCSV(1 << 20)
	d, err := NewCSVDecoder(flatSchema, CSVOptions{Header: true}, memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec, _, err := d.Decode(data, "bench.csv")
		if err != nil {
			b.Fatal(err)
		}
		rec.Release()
	}
}

func BenchmarkEncodeJSON(b *testing.B) {
	data := tutorialJSON(1 << 20)
	rec, _, err := DecodeJSON(data, tutorialSchema, JSONOptions{}, memory.DefaultAllocator, "bench.json")
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Release()
	var out bytes.Buffer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out.Reset()
		if err := EncodeJSON(&out, rec, JSONOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(out.Len()))
}

func BenchmarkShow1000Rows(b *testing.B) {
	rec, _, err := DecodeJSON(tutorialJSON(1<<20), tutorialSchema, JSONOptions{}, memory.DefaultAllocator, "bench.json")
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Release()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if s := ShowString(rec, 1000, 20, false); len(s) == 0 {
			b.Fatal("empty table")
		}
	}
}
