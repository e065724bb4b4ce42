package sink

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/kafkalocal"
	"github.com/gostream/gostream/engine/source"
)

func TestKafkaSinkColumns(t *testing.T) {
	f := func(name string, typ arrow.DataType) arrow.Field {
		return arrow.Field{Name: name, Type: typ, Nullable: true}
	}
	str, bin := arrow.BinaryTypes.String, arrow.BinaryTypes.Binary
	tests := []struct {
		name    string
		fields  []arrow.Field
		topic   string // the topic option, "" for none
		wantErr string
	}{
		{"value and topic option", []arrow.Field{f("value", str)}, "t", ""},
		{"all columns", []arrow.Field{f("key", bin), f("value", bin), f("topic", str), f("headers", source.KafkaHeadersType), f("partition", arrow.PrimitiveTypes.Int32), f("timestamp", arrow.FixedWidthTypes.Timestamp_us)}, "", ""},
		{"no topic", []arrow.Field{f("value", str)}, "", "topic option required when no 'topic' attribute is present. Use the topic option for setting a topic."},
		{"no value", []arrow.Field{f("key", str), f("topic", str)}, "", "Required attribute 'value' not found"},
		{"int value", []arrow.Field{f("value", arrow.PrimitiveTypes.Int64)}, "t", "value attribute unsupported type bigint. value must be a(n) string or binary"},
		{"int key", []arrow.Field{f("key", arrow.PrimitiveTypes.Int32), f("value", str)}, "t", "key attribute unsupported type int. key must be a(n) string or binary"},
		{"binary topic", []arrow.Field{f("value", str), f("topic", bin)}, "", "topic attribute unsupported type binary. topic must be a(n) string"},
		{"long partition", []arrow.Field{f("value", str), f("partition", arrow.PrimitiveTypes.Int64)}, "t", "partition attribute unsupported type bigint. partition must be a(n) int"},
		{"string headers", []arrow.Field{f("value", str), f("headers", str)}, "t", "headers attribute unsupported type string. headers must be a(n) array<struct<key:string,value:binary>>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := map[string]string{"kafka.bootstrap.servers": "localhost:9092"}
			if tt.topic != "" {
				opts["topic"] = tt.topic
			}
			err := ValidateKafkaWrite(arrow.NewSchema(tt.fields, nil), source.NewOptions(opts))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("error = %v; want none", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("error = %v; want %s", err, tt.wantErr)
			}
		})
	}
	t.Run("no bootstrap servers", func(t *testing.T) {
		err := ValidateKafkaWrite(arrow.NewSchema([]arrow.Field{f("value", str)}, nil), source.NewOptions(map[string]string{"topic": "t"}))
		if want := "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka producer"; err == nil || err.Error() != want {
			t.Errorf("error = %v; want %s", err, want)
		}
	})
}

// outRow is a row written to the sink: nil pointers are nulls.
type outRow struct {
	key, value, topic *string
	headers           [][2]string
	partition         *int32
}

func sp(s string) *string { return &s }
func ip(i int32) *int32   { return &i }

var sinkSchema = arrow.NewSchema([]arrow.Field{
	{Name: "key", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "value", Type: arrow.BinaryTypes.Binary, Nullable: true},
	{Name: "topic", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "headers", Type: source.KafkaHeadersType, Nullable: true},
	{Name: "partition", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "timestamp", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
}, nil)

var sinkTime = time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)

func sinkRecord(rows ...outRow) arrow.Record {
	b := array.NewRecordBuilder(memory.DefaultAllocator, sinkSchema)
	defer b.Release()
	str := func(i int, s *string) {
		if s == nil {
			b.Field(i).AppendNull()
			return
		}
		switch fb := b.Field(i).(type) {
		case *array.StringBuilder:
			fb.Append(*s)
		case *array.BinaryBuilder:
			fb.Append([]byte(*s))
		}
	}
	for _, r := range rows {
		str(0, r.key)
		str(1, r.value)
		str(2, r.topic)
		hb := b.Field(3).(*array.ListBuilder)
		if r.headers == nil {
			hb.AppendNull()
		} else {
			hb.Append(true)
			st := hb.ValueBuilder().(*array.StructBuilder)
			for _, h := range r.headers {
				st.Append(true)
				st.FieldBuilder(0).(*array.StringBuilder).Append(h[0])
				st.FieldBuilder(1).(*array.BinaryBuilder).Append([]byte(h[1]))
			}
		}
		if r.partition == nil {
			b.Field(4).AppendNull()
		} else {
			b.Field(4).(*array.Int32Builder).Append(*r.partition)
		}
		b.Field(5).(*array.TimestampBuilder).Append(arrow.Timestamp(sinkTime.UnixMicro()))
	}
	return b.NewRecord()
}

// readBack reads every record of the topics as "topic-partition key=value
// headers", sorted; with wantTime every record must carry sinkTime.
func readBack(t *testing.T, c *kafkalocal.Cluster, topics string, wantTime bool) []string {
	t.Helper()
	recs, err := source.ReadKafka(context.Background(), source.NewOptions(map[string]string{
		"kafka.bootstrap.servers": c.Bootstrap(), "subscribe": topics, "includeHeaders": "true",
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rec := range recs {
		key := rec.Column(0).(*array.Binary)
		val := rec.Column(1).(*array.Binary)
		topic := rec.Column(2).(*array.String)
		part := rec.Column(3).(*array.Int32)
		ts := rec.Column(5).(*array.Timestamp)
		hdr := rec.Column(7).(*array.List)
		for i := 0; i < int(rec.NumRows()); i++ {
			k, v := "<null>", "<null>"
			if key.IsValid(i) {
				k = string(key.Value(i))
			}
			if val.IsValid(i) {
				v = string(val.Value(i))
			}
			var hs []string
			if hdr.IsValid(i) {
				st := hdr.ListValues().(*array.Struct)
				s, e := hdr.ValueOffsets(i)
				for j := int(s); j < int(e); j++ {
					hs = append(hs, st.Field(0).(*array.String).Value(j)+":"+string(st.Field(1).(*array.Binary).Value(j)))
				}
			}
			if got := ts.Value(i).ToTime(arrow.Microsecond); wantTime && !got.Equal(sinkTime) {
				t.Errorf("record timestamp %v; want %v", got, sinkTime)
			}
			out = append(out, fmt.Sprintf("%s-%d %s=%s [%s]", topic.Value(i), part.Value(i), k, v, strings.Join(hs, ",")))
		}
		rec.Release()
	}
	sort.Strings(out)
	return out
}

func TestKafkaSinkRoundTrip(t *testing.T) {
	c, err := kafkalocal.Start(kafkalocal.Config{Brokers: 2, Partitions: 3, Topics: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	s, err := NewKafka(sinkSchema, source.NewOptions(map[string]string{"kafka.bootstrap.servers": c.Bootstrap()}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	r1 := sinkRecord(
		outRow{key: sp("k1"), value: sp("v1"), topic: sp("a"), headers: [][2]string{{"h", "1"}, {"h", "2"}}, partition: ip(2)},
		outRow{value: sp("v2"), topic: sp("b"), partition: ip(0)},
		outRow{key: sp("k3"), topic: sp("a"), partition: ip(1)},
	)
	defer r1.Release()
	r2 := sinkRecord(outRow{key: sp("k4"), value: sp(""), topic: sp("b"), headers: [][2]string{}, partition: ip(1)})
	defer r2.Release()
	if err := s.AddBatch(context.Background(), 0, []arrow.Record{r1, r2}); err != nil {
		t.Fatal(err)
	}
	got := readBack(t, c, "a,b", true)
	want := []string{
		"a-1 k3=<null> []",
		"a-2 k1=v1 [h:1,h:2]",
		"b-0 <null>=v2 []",
		"b-1 k4= []",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("read back\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestKafkaSinkKeyedPartitioning(t *testing.T) {
	c, err := kafkalocal.Start(kafkalocal.Config{Partitions: 4, Topics: []string{"k"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	schema := arrow.NewSchema([]arrow.Field{{Name: "key", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "value", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	for i := 0; i < 200; i++ {
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprintf("key%d", i%7))
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprint(i))
	}
	rec := b.NewRecord()
	b.Release()
	defer rec.Release()
	err = WriteKafka(context.Background(), schema, []arrow.Record{rec}, source.NewOptions(map[string]string{"kafka.bootstrap.servers": c.Bootstrap(), "topic": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	rows := readBack(t, c, "k", false)
	if len(rows) != 200 {
		t.Fatalf("read %d records; want 200", len(rows))
	}
	// Every key lands on one partition, as Kafka's partitioner does.
	partOf := map[string]string{}
	for _, r := range rows {
		part, rest, _ := strings.Cut(r, " ")
		key, _, _ := strings.Cut(rest, "=")
		if p, ok := partOf[key]; ok && p != part {
			t.Errorf("key %s in %s and %s", key, p, part)
		}
		partOf[key] = part
	}
}

func TestKafkaSinkNullTopic(t *testing.T) {
	c, err := kafkalocal.Start(kafkalocal.Config{Partitions: 1, Topics: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	s, err := NewKafka(sinkSchema, source.NewOptions(map[string]string{"kafka.bootstrap.servers": c.Bootstrap()}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	r := sinkRecord(outRow{value: sp("v"), topic: sp("a")}, outRow{value: sp("w")})
	defer r.Release()
	err = s.AddBatch(context.Background(), 0, []arrow.Record{r})
	want := "[KAFKA_NULL_TOPIC_IN_DATA] The Kafka message data sent to the producer contains a null topic. Use the `topic` option for setting a default topic."
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v; want %s", err, want)
	}
	if got := readBack(t, c, "a", true); len(got) != 0 {
		t.Errorf("a batch with a null topic wrote %v; want nothing", got)
	}
}

func TestKafkaSinkTopicOptionWins(t *testing.T) {
	c, err := kafkalocal.Start(kafkalocal.Config{Partitions: 1, Topics: []string{"a", "opt"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	s, err := NewKafka(sinkSchema, source.NewOptions(map[string]string{"kafka.bootstrap.servers": c.Bootstrap(), "topic": " opt "}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	r := sinkRecord(outRow{value: sp("v"), topic: sp("a"), partition: ip(0)}, outRow{value: sp("w")})
	defer r.Release()
	if err := s.AddBatch(context.Background(), 0, []arrow.Record{r}); err != nil {
		t.Fatal(err)
	}
	if got, want := readBack(t, c, "a,opt", true), []string{"opt-0 <null>=v []", "opt-0 <null>=w []"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("read back %v; want %v", got, want)
	}
	if got := s.String(); got != "KafkaSink[opt]" {
		t.Errorf("String() = %s", got)
	}
}
