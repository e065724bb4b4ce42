package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/kafkalocal"
)

func startKafka(t *testing.T, cfg kafkalocal.Config) *kafkalocal.Cluster {
	t.Helper()
	c, err := kafkalocal.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// produceTo writes values round-robin over the first parts partitions of
// topic.
func produceTo(t *testing.T, c *kafkalocal.Cluster, topic string, parts int32, values ...string) {
	t.Helper()
	recs := make([]kafkalocal.Record, len(values))
	for i, v := range values {
		recs[i] = kafkalocal.Record{Topic: topic, Value: []byte(v), Partition: int32(i) % parts, PartitionSet: true}
	}
	if err := c.Produce(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
}

func numbered(prefix string, from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, from+i)
	}
	return out
}

// batchLog is a foreachBatch sink that keeps every call, so tests can tell
// replays from new batches.
type batchLog struct {
	mu    sync.Mutex
	calls []batchCall
}

type batchCall struct {
	id   int64
	rows []string
}

func (l *batchLog) fn(df *engine.DataFrame, id int64) error {
	rows, err := df.Collect()
	if err != nil {
		return err
	}
	var vs []string
	for _, r := range rows {
		vs = append(vs, fmt.Sprint(r.At(0)))
	}
	l.mu.Lock()
	l.calls = append(l.calls, batchCall{id, vs})
	l.mu.Unlock()
	return nil
}

// committed is what an idempotent sink holds: the rows of each batch id,
// written once.
func (l *batchLog) committed() (map[int64][]string, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	byID := map[int64][]string{}
	var all []string
	for _, c := range l.calls {
		if _, ok := byID[c.id]; ok {
			continue
		}
		byID[c.id] = c.rows
		all = append(all, c.rows...)
	}
	sort.Strings(all)
	return byID, all
}

func kafkaStream(s *engine.Session, c *kafkalocal.Cluster, kv ...string) *engine.DataFrame {
	r := s.ReadStream().Format("kafka").Option("kafka.bootstrap.servers", c.Bootstrap())
	for i := 0; i < len(kv); i += 2 {
		r.Option(kv[i], kv[i+1])
	}
	return r.Load()
}

func mustStart(t *testing.T, w *engine.DataStreamWriter) *engine.StreamingQuery {
	t.Helper()
	q, err := w.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Stop() })
	return q
}

func processAll(t *testing.T, q *engine.StreamingQuery) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestKafkaQueryRestartFromCheckpoint(t *testing.T) {
	c := startKafka(t, kafkalocal.Config{Brokers: 3, Partitions: 3, Topics: []string{"ticks"}})
	produceTo(t, c, "ticks", 3, numbered("a", 0, 90)...)
	cp := t.TempDir()
	log := &batchLog{}
	run := func() *engine.StreamingQuery {
		s := engine.NewSession()
		df := kafkaStream(s, c, "subscribe", "ticks", "startingOffsets", "earliest", "maxOffsetsPerTrigger", "20").
			SelectExpr("cast(value as string) as v")
		return mustStart(t, df.WriteStream().ForeachBatch(log.fn).Option("checkpointLocation", cp))
	}
	q := run()
	processAll(t, q)
	if err := q.Stop(); err != nil {
		t.Fatal(err)
	}
	firstRun := len(log.calls)

	// A crash after the sink wrote the last batch but before its commit:
	// the restarted query must run it again with the same rows.
	last := log.calls[firstRun-1]
	if err := os.Remove(filepath.Join(cp, "commits", fmt.Sprint(last.id))); err != nil {
		t.Fatal(err)
	}
	produceTo(t, c, "ticks", 3, numbered("b", 0, 30)...)
	q = run()
	processAll(t, q)
	q.Stop()

	replay := log.calls[firstRun]
	if replay.id != last.id || strings.Join(replay.rows, ",") != strings.Join(last.rows, ",") {
		t.Errorf("replayed batch %d with %v; want batch %d with %v", replay.id, replay.rows, last.id, last.rows)
	}
	byID, all := log.committed()
	want := append(numbered("a", 0, 90), numbered("b", 0, 30)...)
	sort.Strings(want)
	if strings.Join(all, ",") != strings.Join(want, ",") {
		t.Errorf("committed %d rows across the restart; want each of %d exactly once:\n%v", len(all), len(want), all)
	}
	for id := int64(0); id < int64(len(byID)); id++ {
		if len(byID[id]) > 20 {
			t.Errorf("batch %d has %d rows; maxOffsetsPerTrigger is 20", id, len(byID[id]))
		}
		if _, ok := byID[id]; !ok {
			t.Errorf("batch ids skip %d", id)
		}
	}
}

func TestKafkaQueryDataLoss(t *testing.T) {
	c := startKafka(t, kafkalocal.Config{Brokers: 2, Partitions: 1, Topics: []string{"t"}})
	produceTo(t, c, "t", 1, numbered("v", 0, 5)...)
	cp := t.TempDir()
	log := &batchLog{}
	start := func(failOnDataLoss string) *engine.StreamingQuery {
		s := engine.NewSession()
		df := kafkaStream(s, c, "subscribe", "t", "startingOffsets", "earliest", "failOnDataLoss", failOnDataLoss).
			SelectExpr("cast(value as string) as v")
		return mustStart(t, df.WriteStream().ForeachBatch(log.fn).Option("checkpointLocation", cp))
	}
	q := start("true")
	processAll(t, q)
	q.Stop()

	produceTo(t, c, "t", 1, numbered("v", 5, 10)...)
	if err := c.DeleteRecords(context.Background(), "t", 0, 12); err != nil {
		t.Fatal(err)
	}
	q = start("true")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := q.AwaitTermination(ctx)
	for _, want := range []string{"[KAFKA_DATA_LOSS.COULD_NOT_READ_OFFSET_RANGE]", "Could not read records in offset [5, 12) for topic partition t-0", `option("failOnDataLoss", "false")`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("query error = %v; want it to contain %s", err, want)
		}
	}

	q = start("false")
	processAll(t, q)
	p := q.LastProgress()
	if p == nil || len(p.Sources) != 1 {
		t.Fatalf("progress = %+v", p)
	}
	if m := p.Sources[0].Metrics; m["dataLoss"] != "1" || m["offsetOutOfRange"] != "7" {
		t.Errorf("source metrics = %v; want dataLoss 1, offsetOutOfRange 7", m)
	}
	_, all := log.committed()
	want := append(numbered("v", 0, 5), numbered("v", 12, 3)...)
	if strings.Join(all, ",") != strings.Join(want, ",") {
		t.Errorf("rows = %v; want %v", all, want)
	}
}

func TestKafkaQueryBrokersDown(t *testing.T) {
	c := startKafka(t, kafkalocal.Config{Brokers: 2, Partitions: 2, Topics: []string{"t"}, DataDir: t.TempDir()})
	produceTo(t, c, "t", 2, numbered("a", 0, 10)...)
	cp := t.TempDir()
	log := &batchLog{}
	start := func() *engine.StreamingQuery {
		s := engine.NewSession()
		df := kafkaStream(s, c, "subscribe", "t", "startingOffsets", "earliest",
			"kafkaConsumer.pollTimeoutMs", "300", "fetchOffset.numRetries", "1").SelectExpr("cast(value as string) as v")
		return mustStart(t, df.WriteStream().ForeachBatch(log.fn).Option("checkpointLocation", cp))
	}
	q := start()
	processAll(t, q)
	c.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := q.AwaitTermination(ctx)
	if err == nil || !strings.Contains(err.Error(), "check that the brokers in kafka.bootstrap.servers are up and reachable") {
		t.Fatalf("query error with the brokers down = %v; want one that names the brokers", err)
	}
	if err := c.Resume(); err != nil {
		t.Fatal(err)
	}
	produceTo(t, c, "t", 2, numbered("b", 0, 10)...)
	q = start()
	processAll(t, q)
	q.Stop()
	_, all := log.committed()
	want := append(numbered("a", 0, 10), numbered("b", 0, 10)...)
	if strings.Join(all, ",") != strings.Join(want, ",") {
		t.Errorf("rows across the outage = %v; want %v", all, want)
	}
}

func TestKafkaSinkQuery(t *testing.T) {
	c := startKafka(t, kafkalocal.Config{Partitions: 2, Topics: []string{"out"}})
	s := engine.NewSession()
	in := s.MemoryStream("k STRING, v STRING")
	if err := in.AddRows([]any{"a", "1"}, []any{"b", "2"}, []any{nil, "3"}); err != nil {
		t.Fatal(err)
	}
	df := in.ToDF().SelectExpr("k as key", "concat('value-', v) as value")
	q := mustStart(t, df.WriteStream().Format("kafka").
		Option("kafka.bootstrap.servers", c.Bootstrap()).Option("topic", "out").
		Option("checkpointLocation", t.TempDir()))
	processAll(t, q)
	if err := in.AddRows([]any{"a", "4"}); err != nil {
		t.Fatal(err)
	}
	processAll(t, q)
	if got := q.LastProgress().Sink.Description; got != "KafkaSink[out]" {
		t.Errorf("sink description = %s", got)
	}

	back := s.Read().Format("kafka").Option("kafka.bootstrap.servers", c.Bootstrap()).Option("subscribe", "out").Load().
		SelectExpr("cast(key as string) as k", "cast(value as string) as v")
	rows, err := back.Collect()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%v=%v", r.At(0), r.At(1)))
	}
	sort.Strings(got)
	if want := []string{"<nil>=value-3", "a=value-1", "a=value-4", "b=value-2"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("read back %v; want %v", got, want)
	}
}

func TestKafkaForeachBatchWrite(t *testing.T) {
	c := startKafka(t, kafkalocal.Config{Partitions: 1, Topics: []string{"in", "out"}})
	produceTo(t, c, "in", 1, "x", "y")
	s := engine.NewSession()
	df := kafkaStream(s, c, "subscribe", "in", "startingOffsets", "earliest").SelectExpr("upper(cast(value as string)) as value")
	q := mustStart(t, df.WriteStream().ForeachBatch(func(b *engine.DataFrame, id int64) error {
		return b.WriteKafka(context.Background(), map[string]string{"kafka.bootstrap.servers": c.Bootstrap(), "topic": "out"})
	}))
	processAll(t, q)
	n, err := s.Read().Format("kafka").Option("kafka.bootstrap.servers", c.Bootstrap()).Option("subscribe", "out").Load().
		Where("cast(value as string) in ('X', 'Y')").Count()
	if err != nil || n != 2 {
		t.Errorf("out holds %d of X, Y (%v); want 2", n, err)
	}
}

func TestKafkaLoadErrors(t *testing.T) {
	s := engine.NewSession()
	tests := []struct {
		name string
		df   *engine.DataFrame
		want string
	}{
		{"schema given", s.ReadStream().Format("kafka").Schema("value STRING").Option("kafka.bootstrap.servers", "h:1").Option("subscribe", "t").Load(),
			"Kafka source has a fixed schema and cannot be set with a custom one"},
		{"ending offsets in a stream", s.ReadStream().Format("kafka").Option("kafka.bootstrap.servers", "h:1").Option("subscribe", "t").Option("endingOffsets", "latest").Load(),
			"ending offset not valid in streaming queries"},
		{"batch from latest", s.Read().Format("kafka").Option("kafka.bootstrap.servers", "h:1").Option("subscribe", "t").Option("startingOffsets", "latest").Load(),
			"starting offset can't be latest for batch queries on Kafka"},
		{"no strategy", s.ReadStream().Format("kafka").Option("kafka.bootstrap.servers", "h:1").Load(),
			"One of the following options must be specified for Kafka source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.df.Err(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v; want %s", err, tt.want)
			}
		})
	}
	t.Run("sink without value", func(t *testing.T) {
		in := s.MemoryStream("k STRING")
		_, err := in.ToDF().WriteStream().Format("kafka").Option("kafka.bootstrap.servers", "h:1").Option("topic", "t").Start()
		if err == nil || !strings.Contains(err.Error(), "Required attribute 'value' not found") {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("schema", func(t *testing.T) {
		df := s.ReadStream().Format("kafka").Option("kafka.bootstrap.servers", "h:1").Option("subscribe", "t").Option("includeHeaders", "true").Load()
		got := fmt.Sprint(df.DTypes())
		want := "[[key binary] [value binary] [topic string] [partition int] [offset bigint] [timestamp timestamp] [timestampType int] [headers array<struct<key:string,value:binary>>]]"
		if got != want {
			t.Errorf("dtypes = %s; want %s", got, want)
		}
	})
}
