package notebook

import (
	"context"
	"fmt"
	"strings"

	"github.com/gostream/gostream/engine/kafkalocal"
	"github.com/gostream/gostream/kernel/notebook/host"
)

// LocalKafka is a Kafka cluster running inside the kernel, for trying Kafka
// queries in a notebook without a broker. It is franz-go's kfake, which
// speaks the real Kafka protocol on local TCP ports, so the kafka source and
// sink use it exactly as they use a real cluster:
//
//	k := StartKafka(1, "ticks")
//	k.Produce("ticks", `{"sym":"ACME","price":12.5}`)
//	ticks := spark.ReadStream().Format("kafka").
//		Option("kafka.bootstrap.servers", k.Bootstrap()).
//		Option("subscribe", "ticks").Option("startingOffsets", "earliest").Load()
//
// Its data lives in memory and goes away with Stop or the kernel.
type LocalKafka struct {
	c *kafkalocal.Cluster
}

// StartKafka starts a local cluster of brokers brokers (at least 1) with
// the topics given, 3 partitions each. Producing to another topic creates
// it.
func StartKafka(brokers int, topics ...string) *LocalKafka {
	c, err := kafkalocal.Start(kafkalocal.Config{Brokers: brokers, Topics: topics})
	raise(err)
	return &LocalKafka{c: c}
}

// Bootstrap is the value for the kafka.bootstrap.servers option.
func (k *LocalKafka) Bootstrap() string { return k.c.Bootstrap() }

// Produce writes one record per value to topic, without keys, and waits
// until the cluster has them.
func (k *LocalKafka) Produce(topic string, values ...string) {
	raise(k.c.ProduceValues(host.Default.Current().Ctx, topic, values...))
}

// ProduceKeyed writes one record with a key; records with the same key go
// to the same partition.
func (k *LocalKafka) ProduceKeyed(topic, key, value string) {
	raise(k.c.Produce(host.Default.Current().Ctx, kafkalocal.Record{Topic: topic, Key: []byte(key), Value: []byte(value)}))
}

// CreateTopic creates a topic with partitions partitions.
func (k *LocalKafka) CreateTopic(topic string, partitions int) {
	raise(k.c.CreateTopic(host.Default.Current().Ctx, topic, int32(partitions)))
}

// DeleteTopic deletes a topic.
func (k *LocalKafka) DeleteTopic(topic string) {
	raise(k.c.DeleteTopic(host.Default.Current().Ctx, topic))
}

// EndOffsets returns the end offset (the next offset to be written) of
// each partition of topic.
func (k *LocalKafka) EndOffsets(topic string) map[int32]int64 {
	_, end, err := k.c.Offsets(host.Default.Current().Ctx, topic)
	raise(err)
	return end
}

// Stop shuts the cluster down; queries reading it fail once they time out.
func (k *LocalKafka) Stop() { k.c.Stop() }

// String describes the cluster.
func (k *LocalKafka) String() string {
	addrs := k.c.Addrs()
	return fmt.Sprintf("LocalKafka[%d broker(s) at %s]", len(addrs), strings.Join(addrs, ","))
}

// WriteKafka writes the rows of a batch DataFrame (or of a micro-batch
// inside ForeachBatch) to Kafka: a value column, optional key, topic (or
// the "topic" option), headers and partition columns, and kafka.* options.
// It returns once Kafka has acknowledged every record. In a cell the stop
// button cancels the write; inside ForeachBatch the write belongs to the
// query, not to whichever cell runs.
func (d *DataFrame) WriteKafka(opts map[string]string) {
	s := d.s
	ctx := context.Background()
	if d.out == nil {
		ctx = s.ctx()
	}
	err := d.df.WriteKafka(ctx, opts)
	if err != nil && ctx.Err() != nil {
		s.checkWait(ctx, nil)
	}
	raise(err)
}
