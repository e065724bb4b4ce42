package format

import "testing"

// The inference benchmarks read the same data as BenchmarkDecodeJSON and
// BenchmarkDecodeCSV, so the two figures compare: inference is the extra
// pass a read without a schema makes.

func BenchmarkInferJSON(b *testing.B) {
	data := tutorialJSON(1 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		in, err := NewJSONInferrer(JSONInferOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := in.Add(data, "bench.json"); err != nil {
			b.Fatal(err)
		}
		if in.Schema().NumFields() != 3 {
			b.Fatalf("schema %s", in.Schema())
		}
	}
}

func BenchmarkInferCSV(b *testing.B) {
	data := tutorialCSV(1 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		in, err := NewCSVInferrer(CSVInferOptions{CSVOptions: CSVOptions{Header: true}, InferSchema: true, PreferDate: true})
		if err != nil {
			b.Fatal(err)
		}
		in.Add(data)
		if got := catalog(in.Schema()); got != "struct<Clicks:int,Impressions:int,Quantity:int,Total_Price:double,Datetime:timestamp>" {
			b.Fatalf("schema %s", got)
		}
	}
}
