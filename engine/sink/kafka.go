package sink

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/internal/kafkapart"
	"github.com/gostream/gostream/engine/source"
	"github.com/gostream/gostream/engine/types"
)

// Kafka writes the rows of each micro-batch to Kafka, as Spark's Kafka sink:
// the value column (string or binary) is required; key (string or binary),
// topic (string; the topic option overrides it), headers
// (array<struct<key:string,value:binary>>), partition (int) and timestamp
// are optional.
//
// Records are written by an idempotent producer (acks=all), and AddBatch
// returns once Kafka has acknowledged every record of the batch. A batch
// that is replayed after a crash is written again: the sink is
// at-least-once, and only a batch that was being written when the query
// stopped can appear twice (see docs/kafka.md).
type Kafka struct {
	cl   *kgo.Client
	cols kafkaColumns
	desc string
}

// kafkaColumns are the positions of the sink's columns in the input, -1
// when absent, and the topic option.
type kafkaColumns struct {
	topicOpt                                         string
	hasTopicOpt                                      bool
	value, key, topic, headers, partition, timestamp int
}

// kafkaWriteError is an analysis error of the rows a Kafka write gets.
func kafkaWriteError(msg string) error {
	return &expr.AnalysisError{Message: msg}
}

// checkKafkaColumns validates schema for a Kafka write, with Spark's
// messages (KafkaWriter.validateQuery).
func checkKafkaColumns(schema *arrow.Schema, opts source.Options) (kafkaColumns, error) {
	c := kafkaColumns{value: -1, key: -1, topic: -1, headers: -1, partition: -1, timestamp: -1}
	if t, ok := opts.Get("topic"); ok {
		c.topicOpt, c.hasTopicOpt = strings.TrimSpace(t), true
	}
	find := func(name string) int {
		for i, f := range schema.Fields() {
			if f.Name == name {
				return i
			}
		}
		return -1
	}
	unsupported := func(name string, t arrow.DataType, want string) error {
		return kafkaWriteError(fmt.Sprintf("%s attribute unsupported type %s. %s must be a(n) %s", name, types.CatalogString(t), name, want))
	}
	isStringOrBinary := func(t arrow.DataType) bool {
		return arrow.TypeEqual(t, arrow.BinaryTypes.String) || arrow.TypeEqual(t, arrow.BinaryTypes.Binary)
	}
	if !c.hasTopicOpt {
		c.topic = find("topic")
		if c.topic < 0 {
			return c, kafkaWriteError("topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.")
		}
		if t := schema.Field(c.topic).Type; !arrow.TypeEqual(t, arrow.BinaryTypes.String) {
			return c, unsupported("topic", t, "string")
		}
	}
	if c.key = find("key"); c.key >= 0 && !isStringOrBinary(schema.Field(c.key).Type) {
		return c, unsupported("key", schema.Field(c.key).Type, "string or binary")
	}
	if c.value = find("value"); c.value < 0 {
		return c, kafkaWriteError("Required attribute 'value' not found")
	}
	if t := schema.Field(c.value).Type; !isStringOrBinary(t) {
		return c, unsupported("value", t, "string or binary")
	}
	if c.headers = find("headers"); c.headers >= 0 && !arrow.TypeEqual(schema.Field(c.headers).Type, source.KafkaHeadersType) {
		return c, unsupported("headers", schema.Field(c.headers).Type, "array<struct<key:string,value:binary>>")
	}
	if c.partition = find("partition"); c.partition >= 0 && !arrow.TypeEqual(schema.Field(c.partition).Type, arrow.PrimitiveTypes.Int32) {
		return c, unsupported("partition", schema.Field(c.partition).Type, "int")
	}
	if c.timestamp = find("timestamp"); c.timestamp >= 0 {
		if _, ok := schema.Field(c.timestamp).Type.(*arrow.TimestampType); !ok {
			return c, unsupported("timestamp", schema.Field(c.timestamp).Type, "timestamp")
		}
	}
	return c, nil
}

// ValidateKafkaWrite checks that rows of schema can be written to Kafka
// with opts, without connecting.
func ValidateKafkaWrite(schema *arrow.Schema, opts source.Options) error {
	if _, err := checkKafkaColumns(schema, opts); err != nil {
		return err
	}
	_, err := source.ParseKafkaConf(opts, source.KafkaProducer)
	return err
}

// NewKafka returns a Kafka sink for rows of schema; opts are the kafka.*
// producer options and topic.
func NewKafka(schema *arrow.Schema, opts source.Options) (*Kafka, error) {
	cols, err := checkKafkaColumns(schema, opts)
	if err != nil {
		return nil, err
	}
	conf, err := source.ParseKafkaConf(opts, source.KafkaProducer)
	if err != nil {
		return nil, err
	}
	cl, err := kgo.NewClient(append(conf.Opts, kgo.RecordPartitioner(kafkapart.Explicit()))...)
	if err != nil {
		return nil, fmt.Errorf("creating the Kafka producer: %w", err)
	}
	desc := "KafkaSink[topic column]"
	if cols.hasTopicOpt {
		desc = "KafkaSink[" + cols.topicOpt + "]"
	}
	return &Kafka{cl: cl, cols: cols, desc: desc}, nil
}

func (k *Kafka) AddBatch(ctx context.Context, _ int64, recs []arrow.Record) error {
	return k.write(ctx, recs)
}

func (k *Kafka) String() string { return k.desc }

// Stop closes the producer.
func (k *Kafka) Stop() error {
	k.cl.Close()
	return nil
}

// WriteKafka writes rows of schema to Kafka once, as a batch
// df.write.format("kafka").save() does: the same columns and options as
// the sink. It returns when Kafka has acknowledged every record.
func WriteKafka(ctx context.Context, schema *arrow.Schema, recs []arrow.Record, opts source.Options) error {
	k, err := NewKafka(schema, opts)
	if err != nil {
		return err
	}
	defer k.Stop()
	return k.write(ctx, recs)
}

// write produces every row of recs and waits for all acknowledgements.
func (k *Kafka) write(ctx context.Context, recs []arrow.Record) error {
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	promise := func(r *kgo.Record, err error) {
		defer wg.Done()
		if err == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = fmt.Errorf("writing to Kafka topic %s (partition %d): %w", r.Topic, r.Partition, err)
		}
	}
	for _, rec := range recs {
		if rec.NumRows() == 0 {
			continue
		}
		rows, err := k.records(rec)
		if err != nil {
			return err
		}
		for i := range rows {
			wg.Add(1)
			k.cl.Produce(ctx, &rows[i], promise)
		}
	}
	flushErr := k.cl.Flush(ctx)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if flushErr != nil {
		return fmt.Errorf("writing to Kafka: %w", flushErr)
	}
	return nil
}

// records turns one Arrow record into Kafka records. Keys and values point
// into the Arrow buffers, which stay alive until write returns.
func (k *Kafka) records(rec arrow.Record) ([]kgo.Record, error) {
	n := int(rec.NumRows())
	out := make([]kgo.Record, n)
	c := k.cols
	var topics *array.String
	if !c.hasTopicOpt {
		topics = rec.Column(c.topic).(*array.String)
		if topics.NullN() > 0 {
			return nil, kafkaWriteError("[KAFKA_NULL_TOPIC_IN_DATA] The Kafka message data sent to the producer contains a null topic. Use the `topic` option for setting a default topic.")
		}
	}
	if c.hasTopicOpt && c.topicOpt == "" {
		return nil, errors.New("the Kafka sink's topic option is empty: set option(\"topic\", name) or drop it and write a topic column")
	}
	value := bytesColumn(rec.Column(c.value))
	var key func(int) []byte
	if c.key >= 0 {
		key = bytesColumn(rec.Column(c.key))
	}
	var parts *array.Int32
	if c.partition >= 0 {
		parts = rec.Column(c.partition).(*array.Int32)
	}
	var ts *array.Timestamp
	var unit arrow.TimeUnit
	if c.timestamp >= 0 {
		ts = rec.Column(c.timestamp).(*array.Timestamp)
		unit = ts.DataType().(*arrow.TimestampType).Unit
	}
	var headers *array.List
	if c.headers >= 0 {
		headers = rec.Column(c.headers).(*array.List)
	}
	for i := 0; i < n; i++ {
		r := &out[i]
		r.Partition = -1
		if topics != nil {
			r.Topic = topics.Value(i)
		} else {
			r.Topic = c.topicOpt
		}
		r.Value = value(i)
		if key != nil {
			r.Key = key(i)
		}
		if parts != nil && parts.IsValid(i) {
			r.Partition = parts.Value(i)
		}
		if ts != nil && ts.IsValid(i) {
			r.Timestamp = ts.Value(i).ToTime(unit)
		}
		if headers != nil && headers.IsValid(i) {
			r.Headers = kafkaHeaders(headers, i)
		}
	}
	return out, nil
}

// bytesColumn reads a string or binary column as bytes, nil for null,
// without copying.
func bytesColumn(col arrow.Array) func(int) []byte {
	switch a := col.(type) {
	case *array.Binary:
		return func(i int) []byte {
			if a.IsNull(i) {
				return nil
			}
			v := a.Value(i)
			if v == nil {
				v = []byte{}
			}
			return v
		}
	case *array.String:
		return func(i int) []byte {
			if a.IsNull(i) {
				return nil
			}
			s := a.Value(i)
			if len(s) == 0 {
				return []byte{}
			}
			return unsafe.Slice(unsafe.StringData(s), len(s))
		}
	}
	return func(int) []byte { return nil }
}

func kafkaHeaders(l *array.List, i int) []kgo.RecordHeader {
	start, end := l.ValueOffsets(i)
	st := l.ListValues().(*array.Struct)
	keys := st.Field(0).(*array.String)
	vals := bytesColumn(st.Field(1))
	out := make([]kgo.RecordHeader, 0, end-start)
	for j := int(start); j < int(end); j++ {
		if st.IsNull(j) {
			continue
		}
		out = append(out, kgo.RecordHeader{Key: keys.Value(j), Value: vals(j)})
	}
	return out
}
