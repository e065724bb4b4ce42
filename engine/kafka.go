package engine

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sink"
	"github.com/gostream/gostream/engine/source"
)

// kafkaStream is readStream.format("kafka").
type kafkaStream struct {
	opts source.Options
	mem  memory.Allocator
}

func (k kafkaStream) String() string { return source.KafkaDescription(k.opts) }

func (k kafkaStream) open(_ context.Context, dir string) (source.Source, error) {
	return source.NewKafka(k.opts, dir, k.mem)
}

// kafkaScan is read.format("kafka"): the records between startingOffsets
// and endingOffsets, looked up when an action runs.
type kafkaScan struct {
	opts source.Options
	mem  memory.Allocator
}

func (k kafkaScan) String() string { return source.KafkaDescription(k.opts) }

func (k kafkaScan) Records(ctx context.Context) ([]arrow.Record, error) {
	return source.ReadKafka(ctx, k.opts, k.mem)
}

// kafkaSchema checks the options of a Kafka read and returns its schema.
func (r *readerConfig) kafkaSchema(streaming bool) (*arrow.Schema, error) {
	if r.schema != nil {
		return nil, fmt.Errorf("Kafka source has a fixed schema and cannot be set with a custom one")
	}
	opts := r.options()
	if err := source.ValidateKafkaOptions(opts, streaming); err != nil {
		return nil, err
	}
	b, _ := opts.Bool("includeHeaders", false)
	return source.KafkaSchema(b), nil
}

// kafka is readStream.format("kafka").load().
func (r *DataStreamReader) kafka() (*DataFrame, error) {
	schema, err := r.kafkaSchema(true)
	if err != nil {
		return nil, err
	}
	src := kafkaStream{opts: r.options(), mem: r.s.mem}
	return &DataFrame{s: r.s, plan: &plan.Relation{Source: src, Out: schema, Streaming: true}}, nil
}

// kafka is read.format("kafka").load().
func (r *DataFrameReader) kafka() (*DataFrame, error) {
	schema, err := r.kafkaSchema(false)
	if err != nil {
		return nil, err
	}
	src := kafkaScan{opts: r.options(), mem: r.s.mem}
	return &DataFrame{s: r.s, plan: &plan.Relation{Source: src, Out: schema}}, nil
}

// openKafkaSink is writeStream.format("kafka").
func (w *DataStreamWriter) openKafkaSink(opts source.Options) (sink.Sink, error) {
	return sink.NewKafka(w.df.plan.Schema(), opts)
}

// WriteKafka writes the rows of a batch DataFrame to Kafka, as
// df.write.format("kafka").options(opts).save() does in Spark: a value
// column (string or binary), optional key, topic (or the "topic" option),
// headers, partition and timestamp columns, and kafka.* producer options.
// It returns once Kafka has acknowledged every record. Inside foreachBatch
// it writes each micro-batch; a replayed batch is written again
// (at-least-once).
func (df *DataFrame) WriteKafka(ctx context.Context, opts map[string]string) error {
	if df.err != nil {
		return df.err
	}
	if df.IsStreaming() {
		return fmt.Errorf("writeKafka: %w", plan.ErrNotStreamingAction)
	}
	o := source.NewOptions(opts)
	schema := df.plan.Schema()
	if err := sink.ValidateKafkaWrite(schema, o); err != nil {
		return fmt.Errorf("writeKafka: %w", err)
	}
	recs, err := df.execute(ctx, "writeKafka", df.plan)
	if err != nil {
		return err
	}
	defer exec.Release(recs)
	if err := sink.WriteKafka(ctx, schema, recs, o); err != nil {
		return fmt.Errorf("writeKafka: %w", err)
	}
	return nil
}
