package nexmark

import (
	"context"
	"io"
	"testing"
)

// BenchmarkRecord generates one table's rows of 64K events at a time and
// reports events of the sequence per second.
func BenchmarkRecord(b *testing.B) {
	g := newGen(b, nil)
	for k := PersonEvent; k <= BidEvent; k++ {
		b.Run(k.String(), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				lo := int64(i) * DefaultChunkEvents
				if rec := g.Record(k, lo, lo+DefaultChunkEvents); rec != nil {
					rec.Release()
				}
			}
			b.ReportMetric(float64(b.N)*DefaultChunkEvents/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkWriteJSON writes events as JSON lines and reports bytes/s.
func BenchmarkWriteJSON(b *testing.B) {
	g := newGen(b, nil)
	var n int64
	for i := 0; i < b.N; i++ {
		w, err := g.WriteJSON(context.Background(), io.Discard, int64(i)*DefaultChunkEvents, int64(i+1)*DefaultChunkEvents)
		if err != nil {
			b.Fatal(err)
		}
		n += w
	}
	b.SetBytes(n / int64(b.N))
}
