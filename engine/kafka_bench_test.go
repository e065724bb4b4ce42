package engine_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/kafkalocal"
)

// BenchmarkKafkaToMemory consumes records of 100-byte values from a
// 3-partition topic of a local (kfake) cluster into a memory sink, with an
// availableNow query reading everything from the earliest offsets.
func BenchmarkKafkaToMemory(b *testing.B) {
	const records = 1 << 20
	c, err := kafkalocal.Start(kafkalocal.Config{Brokers: 1, Topics: []string{"bench"}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Stop()
	ctx := context.Background()
	value := make([]byte, 100)
	for i := range value {
		value[i] = 'a' + byte(i%26)
	}
	batch := make([]kafkalocal.Record, 0, 10000)
	for i := 0; i < records; i++ {
		batch = append(batch, kafkalocal.Record{Topic: "bench", Key: []byte(fmt.Sprint(i % 1000)), Value: value})
		if len(batch) == cap(batch) || i == records-1 {
			if err := c.Produce(ctx, batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	s := engine.NewSession()
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		name := fmt.Sprintf("bench%d", i)
		q, err := s.ReadStream().Format("kafka").
			Option("kafka.bootstrap.servers", c.Bootstrap()).
			Option("subscribe", "bench").
			Option("startingOffsets", "earliest").
			Load().WriteStream().Format("memory").QueryName(name).Trigger(engine.AvailableNow()).Start()
		if err != nil {
			b.Fatal(err)
		}
		if err := q.AwaitTermination(ctx); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		b.StopTimer()
		if n, err := s.Table(name).Count(); err != nil || n != records {
			b.Fatalf("count = %d, %v; want %d", n, err, records)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(records)*float64(b.N)/elapsed.Seconds(), "records/s")
}
