package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/gostream/gostream/engine/kafkalocal"
)

// krow is one record read by the Kafka source.
type krow struct {
	topic   string
	part    int32
	off     int64
	key     string // "<null>" for a null key
	value   string
	headers string // "k=v;..." or "<null>"
}

func (r krow) String() string {
	return fmt.Sprintf("%s-%d@%d %s=%s %s", r.topic, r.part, r.off, r.key, r.value, r.headers)
}

func rowsOf(t *testing.T, recs []arrow.Record) []krow {
	t.Helper()
	var out []krow
	for _, rec := range recs {
		key := rec.Column(0).(*array.Binary)
		val := rec.Column(1).(*array.Binary)
		topic := rec.Column(2).(*array.String)
		part := rec.Column(3).(*array.Int32)
		off := rec.Column(4).(*array.Int64)
		var hdr *array.List
		if rec.NumCols() > 7 {
			hdr = rec.Column(7).(*array.List)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			r := krow{topic: topic.Value(i), part: part.Value(i), off: off.Value(i), key: "<null>", value: string(val.Value(i)), headers: "<null>"}
			if key.IsValid(i) {
				r.key = string(key.Value(i))
			}
			if hdr != nil && hdr.IsValid(i) {
				st := hdr.ListValues().(*array.Struct)
				s, e := hdr.ValueOffsets(i)
				var hs []string
				for j := int(s); j < int(e); j++ {
					hs = append(hs, st.Field(0).(*array.String).Value(j)+"="+string(st.Field(1).(*array.Binary).Value(j)))
				}
				r.headers = strings.Join(hs, ";")
			}
			out = append(out, r)
		}
	}
	return out
}

func startCluster(t *testing.T, cfg kafkalocal.Config) *kafkalocal.Cluster {
	t.Helper()
	c, err := kafkalocal.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// produce writes values to one partition of topic.
func produce(t *testing.T, c *kafkalocal.Cluster, topic string, part int32, values ...string) {
	t.Helper()
	recs := make([]kafkalocal.Record, len(values))
	for i, v := range values {
		recs[i] = kafkalocal.Record{Topic: topic, Value: []byte(v), Partition: part, PartitionSet: true}
	}
	if err := c.Produce(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
}

// seq returns prefix0 .. prefix(n-1).
func seq(prefix string, from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, from+i)
	}
	return out
}

func newSource(t *testing.T, c *kafkalocal.Cluster, dir string, kv ...string) *Kafka {
	t.Helper()
	opts := map[string]string{"kafka.bootstrap.servers": c.Bootstrap(), "kafkaConsumer.pollTimeoutMs": "5000"}
	for i := 0; i < len(kv); i += 2 {
		opts[kv[i]] = kv[i+1]
	}
	k, err := NewKafka(NewOptions(opts), dir, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	k.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Cleanup(func() { k.Stop() })
	return k
}

// trigger runs one batch from start; it returns the end offset and the rows
// (nil when the source had nothing new).
func trigger(t *testing.T, k *Kafka, start Offset) (Offset, []krow) {
	t.Helper()
	ctx := context.Background()
	end, err := k.LatestOffset(ctx, start)
	if err != nil {
		t.Fatalf("LatestOffset(%s): %v", start, err)
	}
	if end == start {
		return end, nil
	}
	recs, err := k.Batch(ctx, start, end)
	if err != nil {
		t.Fatalf("Batch(%s, %s): %v", start, end, err)
	}
	defer release(recs)
	return end, rowsOf(t, recs)
}

// drain runs batches until the source has nothing new.
func drain(t *testing.T, k *Kafka, start Offset) (Offset, [][]krow) {
	t.Helper()
	var batches [][]krow
	for i := 0; i < 1000; i++ {
		end, rows := trigger(t, k, start)
		if end == start {
			return end, batches
		}
		batches = append(batches, rows)
		start = end
	}
	t.Fatal("the source never ran out of data")
	return "", nil
}

func release(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

func flat(batches [][]krow) []krow {
	var out []krow
	for _, b := range batches {
		out = append(out, b...)
	}
	return out
}

func values(rows []krow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.value
	}
	sort.Strings(out)
	return out
}

func sorted(vs ...[]string) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v...)
	}
	sort.Strings(out)
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkOrdered fails unless every partition's rows come in increasing
// offset order without repeats.
func checkOrdered(t *testing.T, rows []krow) {
	t.Helper()
	last := map[string]int64{}
	for _, r := range rows {
		k := fmt.Sprintf("%s-%d", r.topic, r.part)
		if o, ok := last[k]; ok && r.off <= o {
			t.Fatalf("%s: offset %d after %d", k, r.off, o)
		}
		last[k] = r.off
	}
}

func TestKafkaStartingOffsets(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Brokers: 3, Partitions: 3})
	tests := []struct {
		name     string
		starting string // %s is the topic
		first    []string
	}{
		{"earliest", "earliest", sorted(seq("p0-", 0, 5), seq("p1-", 0, 5), seq("p2-", 0, 5))},
		{"latest", "latest", nil},
		{"per partition", `{"%s":{"0":-2,"1":3,"2":-1}}`, sorted(seq("p0-", 0, 5), seq("p1-", 3, 2))},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topic := fmt.Sprintf("start%d", i)
			if err := c.CreateTopic(context.Background(), topic, 3); err != nil {
				t.Fatal(err)
			}
			for p := int32(0); p < 3; p++ {
				produce(t, c, topic, p, seq(fmt.Sprintf("p%d-", p), 0, 5)...)
			}
			starting := tt.starting
			if strings.Contains(starting, "%s") {
				starting = fmt.Sprintf(starting, topic)
			}
			k := newSource(t, c, t.TempDir(), "subscribe", topic, "startingOffsets", starting)
			end, rows := trigger(t, k, "")
			if got := values(rows); !equalStrings(got, tt.first) {
				t.Fatalf("first batch = %v; want %v", got, tt.first)
			}
			// Then exactly what is written next.
			var want []string
			for p := int32(0); p < 3; p++ {
				v := fmt.Sprintf("more-%d", p)
				produce(t, c, topic, p, v)
				want = append(want, v)
			}
			_, rows = trigger(t, k, end)
			if got := values(rows); !equalStrings(got, want) {
				t.Errorf("next batch = %v; want %v", got, want)
			}
		})
	}
	t.Run("partitions must match", func(t *testing.T) {
		if err := c.CreateTopic(context.Background(), "partial", 3); err != nil {
			t.Fatal(err)
		}
		k := newSource(t, c, t.TempDir(), "subscribe", "partial", "startingOffsets", `{"partial":{"0":1}}`)
		_, err := k.LatestOffset(context.Background(), "")
		want := "[KAFKA_START_OFFSET_DOES_NOT_MATCH_ASSIGNED] Partitions specified for Kafka start offsets don't match what are assigned. Maybe topic partitions are created or deleted while the query is running. Use -1 for latest, -2 for earliest. Specified: [partial-0] Assigned: [partial-0, partial-1, partial-2]"
		if err == nil || err.Error() != want {
			t.Errorf("error = %v; want %s", err, want)
		}
	})
}

func TestKafkaMaxOffsetsPerTrigger(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Brokers: 2, Partitions: 3, Topics: []string{"t"}})
	var all []string
	for p := int32(0); p < 3; p++ {
		vs := seq(fmt.Sprintf("p%d-", p), 0, 100)
		produce(t, c, "t", p, vs...)
		all = append(all, vs...)
	}
	k := newSource(t, c, t.TempDir(), "subscribe", "t", "startingOffsets", "earliest", "maxOffsetsPerTrigger", "30")
	_, batches := drain(t, k, "")
	if len(batches) != 10 {
		t.Errorf("%d batches; want 10 of 30 records", len(batches))
	}
	for i, b := range batches {
		if len(b) > 30 {
			t.Errorf("batch %d has %d records; maxOffsetsPerTrigger is 30", i, len(b))
		}
	}
	rows := flat(batches)
	checkOrdered(t, rows)
	if got := values(rows); !equalStrings(got, sorted(all)) {
		t.Errorf("read %d records; want each of the %d once", len(got), len(all))
	}
}

func TestKafkaMinOffsetsPerTrigger(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Partitions: 1, Topics: []string{"t"}})
	k := newSource(t, c, t.TempDir(), "subscribe", "t", "startingOffsets", "earliest",
		"minOffsetsPerTrigger", "10", "maxTriggerDelay", "1m")
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	k.Now = func() time.Time { return now }
	steps := []struct {
		produce int
		advance time.Duration
		want    int // rows of the batch, -1 when delayed
	}{
		{4, 0, 4},                 // the first trigger runs with what there is
		{4, time.Second, -1},      // 4 < 10
		{6, time.Second, 10},      // 4 + 6
		{1, 30 * time.Second, -1}, // 1 < 10 and 31s < 1m
		{0, 30 * time.Second, 1},  // maxTriggerDelay passed
	}
	start := Offset("")
	n := 0
	for i, s := range steps {
		produce(t, c, "t", 0, seq("v", n, s.produce)...)
		n += s.produce
		now = now.Add(s.advance)
		end, rows := trigger(t, k, start)
		if s.want < 0 {
			if end != start {
				t.Fatalf("step %d: a batch of %d rows ran; want it delayed", i, len(rows))
			}
			continue
		}
		if end == start || len(rows) != s.want {
			t.Fatalf("step %d: %d rows (ran: %v); want %d", i, len(rows), end != start, s.want)
		}
		start = end
	}
}

func TestKafkaInitialOffsetsInCheckpoint(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Partitions: 2, Topics: []string{"t"}})
	produce(t, c, "t", 0, "old-0", "old-1")
	dir := t.TempDir()
	ctx := context.Background()
	first := newSource(t, c, dir, "subscribe", "t", "startingOffsets", "latest")
	if _, err := first.LatestOffset(ctx, ""); err != nil {
		t.Fatal(err)
	}
	first.Stop()
	// Written after the start offsets were fixed, before any batch ran:
	// a restarted query reads them, not from the new latest.
	produce(t, c, "t", 1, "new-0", "new-1")
	second := newSource(t, c, dir, "subscribe", "t", "startingOffsets", "latest")
	_, rows := trigger(t, second, "")
	if got, want := values(rows), []string{"new-0", "new-1"}; !equalStrings(got, want) {
		t.Errorf("after restart read %v; want %v", got, want)
	}
}

func TestKafkaBatchIsDeterministic(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Brokers: 3, Partitions: 3, Topics: []string{"t"}})
	for p := int32(0); p < 3; p++ {
		produce(t, c, "t", p, seq(fmt.Sprintf("p%d-", p), 0, 50)...)
	}
	k := newSource(t, c, t.TempDir(), "subscribe", "t", "startingOffsets", "earliest", "maxOffsetsPerTrigger", "30")
	ctx := context.Background()
	start, _ := trigger(t, k, "")
	end, err := k.LatestOffset(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	read := func() []krow {
		recs, err := k.Batch(ctx, start, end)
		if err != nil {
			t.Fatal(err)
		}
		defer release(recs)
		return rowsOf(t, recs)
	}
	once := read()
	for p := int32(0); p < 3; p++ {
		produce(t, c, "t", p, seq(fmt.Sprintf("later-p%d-", p), 0, 20)...)
	}
	again := read()
	if fmt.Sprint(once) != fmt.Sprint(again) {
		t.Errorf("re-reading %s..%s gave\n%v\nfirst\n%v", start, end, again, once)
	}
	if len(once) != 30 {
		t.Errorf("batch of %d records; want 30", len(once))
	}
}

func TestKafkaDataLoss(t *testing.T) {
	tests := []struct {
		name       string
		fail       bool
		lose       func(t *testing.T, c *kafkalocal.Cluster)
		afterPlan  bool // lose the data after the batch's offsets are planned
		wantErr    string
		wantValues []string
		wantLoss   string // metrics dataLoss/offsetOutOfRange
	}{
		{"truncated fails", true, truncate, false, "[KAFKA_DATA_LOSS.COULD_NOT_READ_OFFSET_RANGE] Some data may have been lost because they are not available in Kafka any more; " +
			"either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. " +
			"If you don't want your streaming query to fail on such cases, set the source option failOnDataLoss to false.\n" +
			"Reason: Could not read records in offset [5, 8) for topic partition a-0: the partition now starts at offset 8.\n" +
			"To go on: restart the query with option(\"failOnDataLoss\", \"false\")", nil, ""},
		{"truncated skips", false, truncate, false, "", []string{"a8", "a9", "b5", "b6"}, "1/3"},
		{"deleted fails", true, deleteTopic, false, "[KAFKA_DATA_LOSS.PARTITIONS_DELETED] Some data may have been lost", nil, ""},
		{"deleted skips", false, deleteTopic, false, "", []string{"b5", "b6"}, "1/0"},
		{"truncated while reading fails", true, truncate, true, "[KAFKA_DATA_LOSS.COULD_NOT_READ_OFFSET_RANGE]", nil, ""},
		{"truncated while reading skips", false, truncate, true, "", []string{"a8", "a9", "b5", "b6"}, "1/3"},
		{"deleted while reading fails", true, deleteTopic, true, "[KAFKA_DATA_LOSS.PARTITIONS_DELETED] Some data may have been lost because they are not available in Kafka any more; " +
			"either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. " +
			"If you don't want your streaming query to fail on such cases, set the source option failOnDataLoss to false.\n" +
			"Reason: Partitions [a-0] have been deleted.", nil, ""},
		{"deleted while reading skips", false, deleteTopic, true, "", []string{"b5", "b6"}, "1/5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := startCluster(t, kafkalocal.Config{Brokers: 2, Partitions: 1, Topics: []string{"a", "b"}})
			produce(t, c, "a", 0, seq("a", 0, 5)...)
			produce(t, c, "b", 0, seq("b", 0, 5)...)
			k := newSource(t, c, t.TempDir(), "subscribe", "a,b", "startingOffsets", `{"a":{"0":0},"b":{"0":-2}}`,
				"failOnDataLoss", fmt.Sprint(tt.fail))
			start, rows := trigger(t, k, "")
			if got := values(rows); !equalStrings(got, sorted(seq("a", 0, 5), seq("b", 0, 5))) {
				t.Fatalf("first batch = %v", got)
			}
			produce(t, c, "a", 0, seq("a", 5, 5)...)
			if !tt.afterPlan {
				tt.lose(t, c)
			}
			produce(t, c, "b", 0, "b5", "b6")
			ctx := context.Background()
			end, err := k.LatestOffset(ctx, start)
			if err != nil {
				t.Fatal(err)
			}
			if tt.afterPlan {
				tt.lose(t, c)
			}
			recs, err := k.Batch(ctx, start, end)
			defer release(recs)
			if tt.wantErr != "" {
				var dl *DataLossError
				if err == nil || !errors.As(err, &dl) || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v; want %s", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), "start it with a new checkpointLocation") {
					t.Errorf("the error does not say how to go on: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := values(rowsOf(t, recs)); !equalStrings(got, tt.wantValues) {
				t.Errorf("batch after the loss = %v; want %v", got, tt.wantValues)
			}
			m := k.Metrics(end)
			if got := m["dataLoss"] + "/" + m["offsetOutOfRange"]; got != tt.wantLoss {
				t.Errorf("metrics dataLoss/offsetOutOfRange = %s; want %s (%v)", got, tt.wantLoss, m)
			}
		})
	}
}

// truncate removes a's offsets before 8, as retention would.
func truncate(t *testing.T, c *kafkalocal.Cluster) {
	if err := c.DeleteRecords(context.Background(), "a", 0, 8); err != nil {
		t.Fatal(err)
	}
}

func deleteTopic(t *testing.T, c *kafkalocal.Cluster) {
	if err := c.DeleteTopic(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
}

func TestKafkaSubscribePatternNewTopic(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Brokers: 2, Partitions: 2, Topics: []string{"ev-a", "other"}})
	ctx := context.Background()
	produce(t, c, "ev-a", 0, "a0", "a1")
	produce(t, c, "other", 0, "x")
	k := newSource(t, c, t.TempDir(), "subscribePattern", "ev-.*", "startingOffsets", "latest")
	start, rows := trigger(t, k, "")
	if len(rows) != 0 {
		t.Fatalf("first batch = %v; want none (latest)", rows)
	}
	// A topic created later is read from its earliest offset, whatever
	// startingOffsets says.
	if err := c.CreateTopic(ctx, "ev-b", 2); err != nil {
		t.Fatal(err)
	}
	produce(t, c, "ev-b", 0, "b0", "b1")
	produce(t, c, "ev-b", 1, "b2")
	produce(t, c, "ev-a", 1, "a2")
	produce(t, c, "other", 1, "y")
	_, batches := drain(t, k, start)
	if got, want := values(flat(batches)), []string{"a2", "b0", "b1", "b2"}; !equalStrings(got, want) {
		t.Errorf("after the new topic: %v; want %v", got, want)
	}
}

func TestKafkaNewPartitions(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Partitions: 1, Topics: []string{"t"}})
	produce(t, c, "t", 0, "p0-0")
	k := newSource(t, c, t.TempDir(), "subscribe", "t", "startingOffsets", "earliest")
	start, _ := trigger(t, k, "")
	if err := c.AddPartitions(context.Background(), "t", 2); err != nil {
		t.Fatal(err)
	}
	produce(t, c, "t", 1, "p1-0", "p1-1")
	produce(t, c, "t", 2, "p2-0")
	_, batches := drain(t, k, start)
	if got, want := values(flat(batches)), []string{"p1-0", "p1-1", "p2-0"}; !equalStrings(got, want) {
		t.Errorf("new partitions gave %v; want %v", got, want)
	}
}

func TestKafkaKeysAndHeaders(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Partitions: 1, Topics: []string{"t"}})
	ts := time.Date(2026, 3, 4, 5, 6, 7, 8000, time.UTC)
	err := c.Produce(context.Background(),
		kafkalocal.Record{Topic: "t", Key: []byte("k1"), Value: []byte("v1"), Timestamp: ts,
			Headers: []kafkalocal.Header{{Key: "h1", Value: []byte("x")}, {Key: "h2", Value: []byte("y")}}},
		kafkalocal.Record{Topic: "t", Value: []byte("v2"), Timestamp: ts},
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		headers string
		want    []string
		cols    int
	}{
		{"without headers", "false", []string{"t-0@0 k1=v1 <null>", "t-0@1 <null>=v2 <null>"}, 7},
		{"with headers", "true", []string{"t-0@0 k1=v1 h1=x;h2=y", "t-0@1 <null>=v2 <null>"}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newSource(t, c, "", "subscribe", "t", "startingOffsets", "earliest", "includeHeaders", tt.headers)
			if got := len(k.Schema().Fields()); got != tt.cols {
				t.Errorf("%d columns; want %d", got, tt.cols)
			}
			ctx := context.Background()
			end, err := k.LatestOffset(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			recs, err := k.Batch(ctx, "", end)
			if err != nil {
				t.Fatal(err)
			}
			defer release(recs)
			rows := rowsOf(t, recs)
			var got []string
			for _, r := range rows {
				got = append(got, r.String())
			}
			if !equalStrings(got, tt.want) {
				t.Errorf("rows = %q; want %q", got, tt.want)
			}
			tsCol := recs[0].Column(5).(*array.Timestamp)
			if got := tsCol.Value(0).ToTime(arrow.Microsecond); !got.Equal(ts.Truncate(time.Millisecond)) {
				t.Errorf("timestamp = %v; want %v", got, ts.Truncate(time.Millisecond))
			}
			if got := recs[0].Column(6).(*array.Int32).Value(0); got != 0 {
				t.Errorf("timestampType = %d; want 0 (CreateTime)", got)
			}
		})
	}
}

func TestKafkaBrokerRemoved(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Brokers: 3, Partitions: 3, Topics: []string{"t"}})
	var all []string
	for p := int32(0); p < 3; p++ {
		vs := seq(fmt.Sprintf("p%d-", p), 0, 20)
		produce(t, c, "t", p, vs...)
		all = append(all, vs...)
	}
	k := newSource(t, c, t.TempDir(), "subscribe", "t", "startingOffsets", "earliest", "maxOffsetsPerTrigger", "30")
	start, first := trigger(t, k, "")
	// The leader of partition 0 goes away; its partitions move.
	if err := c.RemoveBroker(c.LeaderOf("t", 0)); err != nil {
		t.Fatal(err)
	}
	for p := int32(0); p < 3; p++ {
		vs := seq(fmt.Sprintf("p%d-", p), 20, 5)
		produce(t, c, "t", p, vs...)
		all = append(all, vs...)
	}
	_, batches := drain(t, k, start)
	rows := append(first, flat(batches)...)
	checkOrdered(t, rows)
	if got := values(rows); !equalStrings(got, sorted(all)) {
		t.Errorf("read %d records; want each of the %d once", len(got), len(all))
	}
}

func TestKafkaClusterDown(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Brokers: 2, Partitions: 2, Topics: []string{"t"}, DataDir: t.TempDir()})
	produce(t, c, "t", 0, "a", "b")
	produce(t, c, "t", 1, "c")
	k := newSource(t, c, t.TempDir(), "subscribe", "t", "startingOffsets", "earliest",
		"kafkaConsumer.pollTimeoutMs", "500", "fetchOffset.numRetries", "2", "fetchOffset.retryIntervalMs", "10")
	start, first := trigger(t, k, "")
	produce(t, c, "t", 0, "d")
	ctx := context.Background()
	end, err := k.LatestOffset(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	c.Stop()
	if _, err := k.Batch(ctx, start, end); err == nil || !strings.Contains(err.Error(), "Timeout of 500ms (source option kafkaConsumer.pollTimeoutMs) reached while reading Kafka t-0 at offset 2") {
		t.Errorf("Batch with the cluster down: %v; want a timeout naming the partition", err)
	}
	if _, err := k.LatestOffset(ctx, end); err == nil || !strings.Contains(err.Error(), "failed after 2 attempts (fetchOffset.numRetries)") {
		t.Errorf("LatestOffset with the cluster down: %v; want the retries to give up", err)
	}
	if err := c.Resume(); err != nil {
		t.Fatal(err)
	}
	// Back up: the same batch reads the same record, then the rest.
	recs, err := k.Batch(ctx, start, end)
	if err != nil {
		t.Fatal(err)
	}
	again := rowsOf(t, recs)
	release(recs)
	produce(t, c, "t", 1, "e")
	_, batches := drain(t, k, end)
	got := values(append(append(first, again...), flat(batches)...))
	if want := []string{"a", "b", "c", "d", "e"}; !equalStrings(got, want) {
		t.Errorf("read %v across the outage; want %v", got, want)
	}
}

func TestKafkaSASL(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Partitions: 1, Topics: []string{"t"}, SASL: []kafkalocal.User{
		{Mechanism: "PLAIN", Name: "alice", Password: "alice-secret"},
		{Mechanism: "SCRAM-SHA-256", Name: "bob", Password: "bob-secret"},
		{Mechanism: "SCRAM-SHA-512", Name: "carol", Password: "carol-secret"},
	}})
	produce(t, c, "t", 0, "v")
	jaas := func(module, user, pass string) string {
		return fmt.Sprintf(`org.apache.kafka.common.security.%s required username="%s" password="%s";`, module, user, pass)
	}
	tests := []struct {
		name, mechanism, jaas string
		wantErr               string
	}{
		{"plain", "PLAIN", jaas("plain.PlainLoginModule", "alice", "alice-secret"), ""},
		{"scram-sha-256", "SCRAM-SHA-256", jaas("scram.ScramLoginModule", "bob", "bob-secret"), ""},
		{"scram-sha-512", "SCRAM-SHA-512", jaas("scram.ScramLoginModule", "carol", "carol-secret"), ""},
		{"wrong password", "PLAIN", jaas("plain.PlainLoginModule", "alice", "nope"), "and the kafka.sasl.* / kafka.ssl.* settings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newSource(t, c, "", "subscribe", "t", "startingOffsets", "earliest",
				"kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", tt.mechanism, "kafka.sasl.jaas.config", tt.jaas,
				"kafkaConsumer.pollTimeoutMs", "500", "fetchOffset.numRetries", "1")
			ctx := context.Background()
			end, err := k.LatestOffset(ctx, "")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v; want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			recs, err := k.Batch(ctx, "", end)
			if err != nil {
				t.Fatal(err)
			}
			defer release(recs)
			if got := values(rowsOf(t, recs)); !equalStrings(got, []string{"v"}) {
				t.Errorf("read %v; want [v]", got)
			}
		})
	}
}

func TestReadKafka(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Brokers: 2, Partitions: 2, Topics: []string{"t"}})
	produce(t, c, "t", 0, seq("p0-", 0, 6)...)
	produce(t, c, "t", 1, seq("p1-", 0, 4)...)
	tests := []struct {
		name string
		opts []string
		want []string
	}{
		{"everything", nil, sorted(seq("p0-", 0, 6), seq("p1-", 0, 4))},
		{"ranges", []string{"startingOffsets", `{"t":{"0":2,"1":-2}}`, "endingOffsets", `{"t":{"0":4,"1":-1}}`}, sorted(seq("p0-", 2, 2), seq("p1-", 0, 4))},
		{"assign", []string{"assign", `{"t":[1]}`}, seq("p1-", 0, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := map[string]string{"kafka.bootstrap.servers": c.Bootstrap(), "subscribe": "t"}
			for i := 0; i < len(tt.opts); i += 2 {
				opts[tt.opts[i]] = tt.opts[i+1]
			}
			if _, ok := opts["assign"]; ok {
				delete(opts, "subscribe")
			}
			recs, err := ReadKafka(context.Background(), NewOptions(opts), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer release(recs)
			if got := values(rowsOf(t, recs)); !equalStrings(got, tt.want) {
				t.Errorf("read %v; want %v", got, tt.want)
			}
		})
	}
}

func TestKafkaTransactions(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Partitions: 1, Topics: []string{"t"}})
	ctx := context.Background()
	tx, err := kgo.NewClient(kgo.SeedBrokers(c.Addrs()...), kgo.TransactionalID("writer"))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	write := func(commit kgo.TransactionEndTry, values ...string) {
		t.Helper()
		if err := tx.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			if err := tx.ProduceSync(ctx, &kgo.Record{Topic: "t", Value: []byte(v)}).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.EndTransaction(ctx, commit); err != nil {
			t.Fatal(err)
		}
	}
	write(kgo.TryCommit, "c1", "c2")
	write(kgo.TryAbort, "a1")
	write(kgo.TryCommit, "c3")
	produce(t, c, "t", 0, "plain")
	tests := []struct {
		isolation string
		want      []string
	}{
		{"read_uncommitted", []string{"a1", "c1", "c2", "c3", "plain"}},
		{"read_committed", []string{"c1", "c2", "c3", "plain"}},
	}
	for _, tt := range tests {
		t.Run(tt.isolation, func(t *testing.T) {
			k := newSource(t, c, "", "subscribe", "t", "startingOffsets", "earliest", "kafka.isolation.level", tt.isolation)
			_, batches := drain(t, k, "")
			rows := flat(batches)
			if got := values(rows); !equalStrings(got, tt.want) {
				t.Errorf("read %v; want %v", got, tt.want)
			}
			// The transaction markers take offsets: the last record is at
			// offset 7 (c1 c2 m a1 m c3 m plain).
			if last := rows[len(rows)-1]; last.value != "plain" || last.off != 7 {
				t.Errorf("last record %v; want plain at offset 7", last)
			}
		})
	}
}

func TestKafkaAvailableNow(t *testing.T) {
	c := startCluster(t, kafkalocal.Config{Partitions: 1, Topics: []string{"t"}})
	produce(t, c, "t", 0, seq("old", 0, 50)...)
	k := newSource(t, c, t.TempDir(), "subscribe", "t", "startingOffsets", "earliest",
		"maxOffsetsPerTrigger", "20", "minOffsetsPerTrigger", "20", "maxTriggerDelay", "1h")
	if err := k.PrepareAvailableNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	start, first := trigger(t, k, "")
	// Written after the query started: not part of this run.
	produce(t, c, "t", 0, seq("new", 0, 10)...)
	_, batches := drain(t, k, start)
	batches = append([][]krow{first}, batches...)
	var sizes []int
	for _, b := range batches {
		sizes = append(sizes, len(b))
	}
	if got, want := fmt.Sprint(sizes), "[20 20 10]"; got != want {
		t.Errorf("batch sizes %s; want %s (minOffsetsPerTrigger does not hold back the last one)", got, want)
	}
	if got := values(flat(batches)); !equalStrings(got, sorted(seq("old", 0, 50))) {
		t.Errorf("read %v; want old0..old49", got)
	}
}
