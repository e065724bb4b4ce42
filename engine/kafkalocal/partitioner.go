package kafkalocal

import (
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// partitioner sends a record with a partition set (>= 0) there, and any
// other record where Kafka's default partitioner would (murmur2 of the key,
// sticky batches without one).
func partitioner() kgo.Partitioner {
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

func mechanism(u User) sasl.Mechanism {
	switch u.Mechanism {
	case "SCRAM-SHA-256":
		return scram.Auth{User: u.Name, Pass: u.Password}.AsSha256Mechanism()
	case "SCRAM-SHA-512":
		return scram.Auth{User: u.Name, Pass: u.Password}.AsSha512Mechanism()
	}
	return plain.Auth{User: u.Name, Pass: u.Password}.AsMechanism()
}
