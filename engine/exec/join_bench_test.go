package exec

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// discard counts and drops the rows it receives.
type discard struct{ rows int64 }

func (d *discard) Process(_ context.Context, rec arrow.Record) error {
	d.rows += rec.NumRows()
	return nil
}
func (d *discard) Watermark(context.Context, time.Time) error { return nil }
func (d *discard) Finish(context.Context, error) error        { return nil }

// BenchmarkStreamStaticJoin probes a 100 000-row static table (id BIGINT,
// name STRING) with stream records of 64K rows (user BIGINT, amount
// DOUBLE) whose keys all match, as in enriching events with a dimension
// table; it reports stream rows joined per second.
func BenchmarkStreamStaticJoin(b *testing.B) {
	const tableRows, recRows, recs = 100_000, 64 << 10, 16
	mem := memory.DefaultAllocator
	static := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String},
	}, nil)
	events := arrow.NewSchema([]arrow.Field{
		{Name: "user", Type: arrow.PrimitiveTypes.Int64},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	tb := array.NewRecordBuilder(mem, static)
	for i := 0; i < tableRows; i++ {
		tb.Field(0).(*array.Int64Builder).Append(int64(i))
		tb.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("user-%d", i))
	}
	table := tb.NewRecord()
	tb.Release()
	var stream []arrow.Record
	x := uint64(88172645463325252)
	for r := 0; r < recs; r++ {
		eb := array.NewRecordBuilder(mem, events)
		for i := 0; i < recRows; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			eb.Field(0).(*array.Int64Builder).Append(int64(x % tableRows))
			eb.Field(1).(*array.Float64Builder).Append(float64(i))
		}
		stream = append(stream, eb.NewRecord())
		eb.Release()
	}
	pair := arrow.NewSchema(append(append([]arrow.Field(nil), events.Fields()...), static.Fields()...), nil)
	for _, typ := range []JoinType{JoinInner, JoinLeftOuter} {
		b.Run(typ.String(), func(b *testing.B) {
			userKey, _ := expr.Bind(&expr.ColumnRef{Parts: []string{"user"}}, events)
			idKey, _ := expr.Bind(&expr.ColumnRef{Parts: []string{"id"}}, static)
			cfg := JoinConfig{Type: typ, Left: events, Right: static, Pair: pair,
				LeftKeys: []expr.Bound{userKey}, RightKeys: []expr.Bound{idKey}, NullSafe: []bool{false}}
			out := &discard{}
			load := func(context.Context) ([]arrow.Record, error) { table.Retain(); return []arrow.Record{table}, nil }
			j, err := NewStreamStaticJoin(cfg, true, load, out)
			if err != nil {
				b.Fatal(err)
			}
			defer j.Close()
			ctx := context.Background()
			if err := j.ensureBuilt(ctx); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, r := range stream {
					if err := j.Process(ctx, r); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			if out.rows != int64(b.N*recs*recRows) {
				b.Fatalf("joined %d rows, want %d", out.rows, b.N*recs*recRows)
			}
			b.ReportMetric(float64(b.N*recs*recRows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
