package engine_test

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

// BenchmarkFilterProject runs filter + projection through the DataFrame
// API over 8 in-memory records of 128K rows; it reports rows/s.
func BenchmarkFilterProject(b *testing.B) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	const recs, rows = 8, 128 << 10
	var data []arrow.Record
	for r := 0; r < recs; r++ {
		bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		ids, xs := bld.Field(0).(*array.Int64Builder), bld.Field(1).(*array.Float64Builder)
		for i := 0; i < rows; i++ {
			ids.Append(int64(r*rows + i))
			xs.Append(float64(i%1000) / 10)
		}
		data = append(data, bld.NewRecord())
		bld.Release()
	}
	s := engine.NewSession()
	df := s.CreateDataFrame(data, nil).
		Filter(F.Col("x").Gt(50)).
		Select(F.Col("id"), F.Col("x").Multiply(2).Alias("x2"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := df.ToArrow()
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range out {
			r.Release()
		}
	}
	b.ReportMetric(float64(recs*rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkMicroBatchOverhead measures one micro-batch of one row from a
// memory stream to a memory sink, the time from AddRows until the query
// has processed it.
func BenchmarkMicroBatchOverhead(b *testing.B) {
	for _, withCheckpoint := range []bool{false, true} {
		name := "memory-log"
		if withCheckpoint {
			name = "checkpoint"
		}
		b.Run(name, func(b *testing.B) {
			s := engine.NewSession()
			defer s.Close()
			in := s.MemoryStream("v BIGINT")
			w := in.ToDF().WriteStream().Format("memory").QueryName("bench")
			if withCheckpoint {
				w = w.Option("checkpointLocation", b.TempDir())
			}
			q, err := w.Start()
			if err != nil {
				b.Fatal(err)
			}
			defer q.Stop()
			ctx := context.Background()
			row := []any{int64(1)}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in.AddRows(row)
				if err := q.ProcessAllAvailable(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if p := q.LastProgress(); p == nil || p.BatchID < int64(b.N)/2 {
				b.Fatalf("only %v batches for %d rows", p, b.N)
			}
		})
	}
}
