package source

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// KafkaDescription describes a Kafka read in plans: KafkaV2[Subscribe[t]].
func KafkaDescription(opts Options) string {
	s, err := parseKafkaStrategy(opts)
	if err != nil {
		return "KafkaV2[?]"
	}
	return "KafkaV2[" + s.String() + "]"
}

// ReadKafka reads the records between startingOffsets (default earliest)
// and endingOffsets (default latest) of the partitions the options
// subscribe to or assign, as spark.read.format("kafka") does. The offsets
// are resolved when it is called.
func ReadKafka(ctx context.Context, opts Options, mem memory.Allocator) ([]arrow.Record, error) {
	o, err := parseKafkaSourceOptions(opts, false)
	if err != nil {
		return nil, err
	}
	cl, err := newKafkaClient(o.conf)
	if err != nil {
		return nil, err
	}
	defer cl.close()
	var from, until PartitionOffsets
	err = kafkaRetry(ctx, o, "resolving Kafka offsets", func(ctx context.Context) error {
		var err error
		if from, err = resolveSpec(ctx, cl, o.strategy, o.starting, true); err != nil {
			return err
		}
		until, err = resolveSpec(ctx, cl, o.strategy, o.ending, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !sameTPs(from, until) {
		return nil, fmt.Errorf("different topic partitions for starting offsets topics%s and ending offsets topics%s: partitions were created or deleted while the offsets were looked up; run the read again",
			tpList(from.Sorted()), tpList(until.Sorted()))
	}
	var ranges []kafkaRange
	for _, tp := range until.Sorted() {
		f, u := from[tp], until[tp]
		if f > u {
			return nil, fmt.Errorf("[RESOLVED_START_OFFSET_GREATER_THAN_END_OFFSET] The resolved start offset %d is greater than the resolved end offset %d for topic %s partition %d.", f, u, tp.Topic, tp.Partition)
		}
		ranges = append(ranges, kafkaRange{tp: tp, from: f, until: u})
	}
	loss := func(e *DataLossError) error {
		if o.failOnDataLoss {
			return e
		}
		slog.Default().Warn("Kafka data loss skipped (failOnDataLoss=false)", "read", "KafkaV2["+o.strategy.String()+"]",
			"reason", e.Reason, "detail", e.Detail, "skippedOffsets", e.Skipped)
		return nil
	}
	return cl.readRanges(ctx, ranges, kafkaReadConf{pollTimeout: o.pollTimeout, includeHeaders: o.includeHeaders, mem: mem}, loss)
}
