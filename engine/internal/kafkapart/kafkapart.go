// Package kafkapart holds the record partitioner that the Kafka sink and
// the in-process cluster of package kafkalocal both produce with, so that
// tests place records exactly where the sink does.
package kafkapart

import "github.com/twmb/franz-go/pkg/kgo"

// Explicit sends a record whose Partition is set (>= 0) to that partition,
// as Spark's Kafka sink does with a partition column, and any other record
// where Kafka's default partitioner would: murmur2 of the key, sticky
// batches without a key.
func Explicit() kgo.Partitioner {
	return explicitPartitioner{kgo.StickyKeyPartitioner(nil)}
}

type explicitPartitioner struct{ def kgo.Partitioner }

func (p explicitPartitioner) ForTopic(topic string) kgo.TopicPartitioner {
	return explicitTopicPartitioner{p.def.ForTopic(topic)}
}

type explicitTopicPartitioner struct{ def kgo.TopicPartitioner }

func (p explicitTopicPartitioner) OnNewBatch() {
	if b, ok := p.def.(kgo.TopicPartitionerOnNewBatch); ok {
		b.OnNewBatch()
	}
}

func (p explicitTopicPartitioner) RequiresConsistency(r *kgo.Record) bool {
	return r.Partition >= 0 || p.def.RequiresConsistency(r)
}

func (p explicitTopicPartitioner) Partition(r *kgo.Record, n int) int {
	if r.Partition >= 0 {
		return int(r.Partition)
	}
	return p.def.Partition(r, n)
}
