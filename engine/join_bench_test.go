package engine_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

// BenchmarkStreamStaticJoinQuery runs a streaming query joining a memory
// stream of events (user BIGINT, amount DOUBLE) with a static table of
// 100 000 users (id BIGINT, name STRING) into a foreachBatch sink that
// counts rows: 16 records of 64K events per iteration, every event
// matching one user. It reports events joined per second, micro-batch
// overhead included.
func BenchmarkStreamStaticJoinQuery(b *testing.B) {
	const users, recRows, recs = 100_000, 64 << 10, 16
	mem := memory.DefaultAllocator
	s := engine.NewSession()
	defer s.Close()
	ub := array.NewRecordBuilder(mem, arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String},
	}, nil))
	for i := 0; i < users; i++ {
		ub.Field(0).(*array.Int64Builder).Append(int64(i))
		ub.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("user-%d", i))
	}
	table := s.CreateDataFrame([]arrow.Record{ub.NewRecord()}, nil)
	ub.Release()
	events := s.MemoryStream("user BIGINT, amount DOUBLE")
	var data []arrow.Record
	x := uint64(88172645463325252)
	for r := 0; r < recs; r++ {
		eb := array.NewRecordBuilder(mem, events.ToDF().ArrowSchema())
		for i := 0; i < recRows; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			eb.Field(0).(*array.Int64Builder).Append(int64(x % users))
			eb.Field(1).(*array.Float64Builder).Append(float64(i))
		}
		data = append(data, eb.NewRecord())
		eb.Release()
	}
	var joined atomic.Int64
	q, err := events.ToDF().Join(table, F.Col("user").EqualTo(F.Col("id"))).WriteStream().
		ForeachBatch(func(df *engine.DataFrame, _ int64) error {
			n, err := df.Count()
			joined.Add(n)
			return err
		}).Start()
	if err != nil {
		b.Fatal(err)
	}
	defer q.Stop()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, r := range data {
			if err := events.AddRecord(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := q.ProcessAllAvailable(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if got, want := joined.Load(), int64(b.N*recs*recRows); got != want {
		b.Fatalf("joined %d rows, want %d", got, want)
	}
	b.ReportMetric(float64(b.N*recs*recRows)/b.Elapsed().Seconds(), "rows/s")
}
