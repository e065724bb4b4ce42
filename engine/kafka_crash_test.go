package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/checkpoint"
	"github.com/gostream/gostream/engine/kafkalocal"
	"github.com/gostream/gostream/engine/source"
)

const kafkaCrashEnv = "GOSTREAM_KAFKA_CRASH_CHILD"

// TestKafkaCrashChild is the child process of TestKafkaCrashRecovery: a
// Kafka-to-Kafka query with Trigger.AvailableNow, killed at random.
func TestKafkaCrashChild(t *testing.T) {
	args := crashChildArgs(t, kafkaCrashEnv)
	bootstrap, cp := args[0], args[1]
	s := engine.NewSession()
	q, err := s.ReadStream().Format("kafka").Option("kafka.bootstrap.servers", bootstrap).
		Option("subscribe", "in").Option("startingOffsets", "earliest").Option("maxOffsetsPerTrigger", 30).Load().
		SelectExpr("value").
		WriteStream().Format("kafka").Option("kafka.bootstrap.servers", bootstrap).Option("topic", "out").
		Option("checkpointLocation", cp).Trigger(engine.AvailableNow()).Start()
	runToEnd(t, q, err)
}

// TestKafkaCrashRecovery kills a Kafka-to-Kafka query with SIGKILL at random
// moments and restarts it from its checkpoint. The sink is at-least-once:
// every input record must reach the output, and a record may appear more
// than once only if it belongs to a batch that was running when the query
// was killed.
func TestKafkaCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	c := startKafka(t, kafkalocal.Config{Brokers: 3, Partitions: 3, Topics: []string{"in", "out"}})
	const n = 9000
	produceTo(t, c, "in", 3, numbered("r", 0, n)...)
	cp := t.TempDir()
	kills := killAndRestart(t, crashChild{test: "TestKafkaCrashChild", env: kafkaCrashEnv, args: []string{c.Bootstrap(), cp},
		kills: 6, delay: 50 * time.Millisecond, jitter: 600 * time.Millisecond})

	ctx := context.Background()
	read := func(topic string) []arrowRow {
		recs, err := source.ReadKafka(ctx, source.NewOptions(map[string]string{"kafka.bootstrap.servers": c.Bootstrap(), "subscribe": topic}), nil)
		if err != nil {
			t.Fatal(err)
		}
		return kafkaRows(recs)
	}
	in, out := read("in"), read("out")
	count := map[string]int{}
	for _, r := range out {
		count[r.value]++
	}
	// The batch of every input record, from the offset log.
	batchOf := batchesOf(t, cp, in)
	dupBatches := map[int64]bool{}
	for _, r := range in {
		switch k := count[r.value]; {
		case k == 0:
			t.Fatalf("record %s (in-%d@%d) was lost", r.value, r.part, r.off)
		case k > 1:
			dupBatches[batchOf[r.value]] = true
		}
	}
	if len(out) > n && len(dupBatches) == 0 {
		t.Errorf("%d output records for %d inputs but no duplicate", len(out), n)
	}
	if len(dupBatches) > kills {
		t.Errorf("duplicates in %d batches %v after %d kills; want only batches that were running at a kill", len(dupBatches), dupBatches, kills)
	}
	t.Logf("killed %d times; %d output records for %d inputs; batches written twice: %v", kills, len(out), n, dupBatches)
}

type arrowRow struct {
	part  int32
	off   int64
	value string
}

func kafkaRows(recs []arrow.Record) []arrowRow {
	var out []arrowRow
	for _, rec := range recs {
		val := rec.Column(1).(*array.Binary)
		part := rec.Column(3).(*array.Int32)
		off := rec.Column(4).(*array.Int64)
		for i := 0; i < int(rec.NumRows()); i++ {
			out = append(out, arrowRow{part: part.Value(i), off: off.Value(i), value: string(val.Value(i))})
		}
		rec.Release()
	}
	return out
}

// batchesOf maps each input value to the batch id whose offset range holds
// it, reading offsets/N of the checkpoint.
func batchesOf(t *testing.T, cp string, in []arrowRow) map[string]int64 {
	t.Helper()
	log, err := checkpoint.OpenOffsetLog(filepath.Join(cp, "offsets"))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := log.List()
	if err != nil {
		t.Fatal(err)
	}
	type bound struct {
		id  int64
		end source.PartitionOffsets
	}
	var bounds []bound
	for _, id := range ids {
		seq, ok, err := log.Get(id)
		if err != nil || !ok {
			t.Fatalf("offsets/%d: %v", id, err)
		}
		end, err := source.ParsePartitionOffsets(string(seq.Offsets[0]))
		if err != nil {
			t.Fatal(err)
		}
		bounds = append(bounds, bound{id, end})
	}
	out := map[string]int64{}
	for _, r := range in {
		for _, b := range bounds {
			if r.off < b.end[source.TopicPartition{Topic: "in", Partition: r.part}] {
				out[r.value] = b.id
				break
			}
		}
	}
	return out
}
