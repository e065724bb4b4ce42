// Package kafkalocal runs a Kafka cluster inside the process: franz-go's
// kfake, which speaks the real Kafka protocol on real TCP ports, so the
// Kafka source and sink, tests, benchmarks and notebooks talk to it exactly
// as they talk to a Kafka deployment. It adds what they need around kfake:
// topics, producing records, deleting records and topics, stopping brokers
// and restarting the cluster from its data directory.
//
// It is a development and test tool: kfake keeps data in memory (and in
// DataDir when set) and is not a production broker.
package kafkalocal

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/gostream/gostream/engine/internal/kafkapart"
)

// Config describes a local cluster.
type Config struct {
	// Brokers is the number of brokers (default 1).
	Brokers int
	// Partitions is the partition count of Topics and of topics created by
	// producing to them (default 3).
	Partitions int32
	// Topics are created at start.
	Topics []string
	// DataDir, when set, keeps the cluster's data on disk so that Restart
	// (or a new cluster on the same DataDir and Ports) finds it again.
	DataDir string
	// Ports are the brokers' ports; random free ports when empty.
	Ports []int
	// SASL adds users (SASL/PLAIN or SCRAM) and makes the brokers require
	// authentication.
	SASL []User
	// TLS makes the brokers listen with TLS; ClientTLS is then what the
	// cluster's own client (Produce, admin calls) dials with.
	TLS, ClientTLS *tls.Config
	// Opts are extra kfake options.
	Opts []kfake.Opt
}

// User is a SASL user of the cluster.
type User struct {
	Mechanism string // PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
	Name      string
	Password  string
}

// Cluster is a running local Kafka cluster.
type Cluster struct {
	cfg Config

	mu    sync.Mutex
	fake  *kfake.Cluster
	cl    *kgo.Client
	adm   *kadm.Client
	addrs []string
}

// Start starts a cluster.
func Start(cfg Config) (*Cluster, error) {
	if cfg.Brokers <= 0 {
		cfg.Brokers = 1
	}
	if len(cfg.Ports) > 0 {
		cfg.Brokers = len(cfg.Ports)
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 3
	}
	c := &Cluster{cfg: cfg}
	if err := c.start(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cluster) start() error {
	opts := []kfake.Opt{
		kfake.NumBrokers(c.cfg.Brokers),
		kfake.DefaultNumPartitions(int(c.cfg.Partitions)),
		kfake.AllowAutoTopicCreation(),
	}
	if len(c.cfg.Ports) > 0 {
		opts = append(opts, kfake.Ports(c.cfg.Ports...))
	}
	if c.cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(c.cfg.DataDir))
	}
	if len(c.cfg.Topics) > 0 {
		opts = append(opts, kfake.SeedTopics(c.cfg.Partitions, c.cfg.Topics...))
	}
	if len(c.cfg.SASL) > 0 {
		opts = append(opts, kfake.EnableSASL())
		for _, u := range c.cfg.SASL {
			opts = append(opts, kfake.Superuser(u.Mechanism, u.Name, u.Password))
		}
	}
	if c.cfg.TLS != nil {
		opts = append(opts, kfake.TLS(c.cfg.TLS))
	}
	opts = append(opts, c.cfg.Opts...)
	fake, err := kfake.NewCluster(opts...)
	if err != nil {
		return fmt.Errorf("starting the local Kafka cluster: %w", err)
	}
	addrs := fake.ListenAddrs()
	copts := []kgo.Opt{kgo.SeedBrokers(addrs...), kgo.AllowAutoTopicCreation(), kgo.RecordPartitioner(kafkapart.Explicit())}
	if len(c.cfg.SASL) > 0 {
		copts = append(copts, kgo.SASL(mechanism(c.cfg.SASL[0])))
	}
	if c.cfg.ClientTLS != nil {
		copts = append(copts, kgo.DialTLSConfig(c.cfg.ClientTLS))
	}
	cl, err := kgo.NewClient(copts...)
	if err != nil {
		fake.Close()
		return fmt.Errorf("connecting to the local Kafka cluster: %w", err)
	}
	if len(c.cfg.Ports) == 0 {
		// Restart keeps the ports, so that clients find the cluster again.
		for _, a := range addrs {
			_, p, _ := net.SplitHostPort(a)
			n, _ := strconv.Atoi(p)
			c.cfg.Ports = append(c.cfg.Ports, n)
		}
	}
	c.mu.Lock()
	c.fake, c.cl, c.adm, c.addrs = fake, cl, kadm.NewClient(cl), addrs
	c.mu.Unlock()
	return nil
}

// Bootstrap is the value for kafka.bootstrap.servers: the brokers'
// host:port list, comma-separated.
func (c *Cluster) Bootstrap() string { return strings.Join(c.Addrs(), ",") }

// Addrs are the brokers' host:port addresses.
func (c *Cluster) Addrs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.addrs...)
}

// Fake is the kfake cluster, for what this package does not wrap.
func (c *Cluster) Fake() *kfake.Cluster {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fake
}

// Admin is an admin client of the cluster.
func (c *Cluster) Admin() *kadm.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.adm
}

// Client is the cluster's own franz-go client (it auto-creates topics).
func (c *Cluster) Client() *kgo.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cl
}

// Record is a record to produce. Partition -1 (or unset with
// PartitionSet false) lets Kafka's default partitioner choose from the key.
type Record struct {
	Topic     string
	Key       []byte
	Value     []byte
	Headers   []Header
	Timestamp time.Time
	// Partition is used when PartitionSet is true.
	Partition    int32
	PartitionSet bool
}

// Header is a record header.
type Header struct {
	Key   string
	Value []byte
}

// Produce writes records and waits until the cluster has them all.
func (c *Cluster) Produce(ctx context.Context, recs ...Record) error {
	krs := make([]*kgo.Record, len(recs))
	for i, r := range recs {
		kr := &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value, Timestamp: r.Timestamp, Partition: -1}
		if r.PartitionSet {
			kr.Partition = r.Partition
		}
		for _, h := range r.Headers {
			kr.Headers = append(kr.Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
		}
		krs[i] = kr
	}
	cl := c.Client()
	for attempt := 0; ; attempt++ {
		var retry []*kgo.Record
		var firstErr error
		for _, r := range cl.ProduceSync(ctx, krs...) {
			if r.Err == nil {
				continue
			}
			// A partition added since the client last loaded metadata.
			if attempt < 40 && strings.Contains(r.Err.Error(), "invalid record partitioning choice") {
				retry = append(retry, r.Record)
			} else if firstErr == nil {
				firstErr = r.Err
			}
		}
		if firstErr != nil || len(retry) == 0 {
			return firstErr
		}
		cl.ForceMetadataRefresh()
		time.Sleep(50 * time.Millisecond)
		krs = retry
	}
}

// ProduceValues writes one record per value to topic, without keys.
func (c *Cluster) ProduceValues(ctx context.Context, topic string, values ...string) error {
	recs := make([]Record, len(values))
	for i, v := range values {
		recs[i] = Record{Topic: topic, Value: []byte(v)}
	}
	return c.Produce(ctx, recs...)
}

// CreateTopic creates topic with partitions partitions (the cluster's
// default when 0 or less).
func (c *Cluster) CreateTopic(ctx context.Context, topic string, partitions int32) error {
	if partitions <= 0 {
		partitions = c.cfg.Partitions
	}
	resp, err := c.Admin().CreateTopic(ctx, partitions, 1, nil, topic)
	if err != nil {
		return err
	}
	return resp.Err
}

// DeleteTopic deletes topic.
func (c *Cluster) DeleteTopic(ctx context.Context, topic string) error {
	resps, err := c.Admin().DeleteTopics(ctx, topic)
	if err != nil {
		return err
	}
	return resps.Error()
}

// AddPartitions adds n partitions to topic.
func (c *Cluster) AddPartitions(ctx context.Context, topic string, n int) error {
	resps, err := c.Admin().CreatePartitions(ctx, n, topic)
	if err != nil {
		return err
	}
	return resps.Error()
}

// DeleteRecords removes the records of topic's partition before offset,
// as retention would: the partition then starts at offset.
func (c *Cluster) DeleteRecords(ctx context.Context, topic string, partition int32, before int64) error {
	var os kadm.Offsets
	os.Add(kadm.Offset{Topic: topic, Partition: partition, At: before})
	resps, err := c.Admin().DeleteRecords(ctx, os)
	if err != nil {
		return err
	}
	return resps.Error()
}

// Offsets returns the start and end offsets of topic's partitions.
func (c *Cluster) Offsets(ctx context.Context, topic string) (start, end map[int32]int64, err error) {
	conv := func(l kadm.ListedOffsets, err error) (map[int32]int64, error) {
		if err != nil {
			return nil, err
		}
		if err := l.Error(); err != nil {
			return nil, err
		}
		out := map[int32]int64{}
		l.Each(func(o kadm.ListedOffset) { out[o.Partition] = o.Offset })
		return out, nil
	}
	if start, err = conv(c.Admin().ListStartOffsets(ctx, topic)); err != nil {
		return nil, nil, err
	}
	end, err = conv(c.Admin().ListEndOffsets(ctx, topic))
	return start, end, err
}

// RemoveBroker takes broker node out of the cluster: it stops listening
// and its partitions move to the other brokers.
func (c *Cluster) RemoveBroker(node int32) error { return c.Fake().RemoveNode(node) }

// LeaderOf returns the broker leading a partition.
func (c *Cluster) LeaderOf(topic string, partition int32) int32 {
	return c.Fake().LeaderFor(topic, partition)
}

// Stop shuts the cluster down; with a DataDir its data stays there.
func (c *Cluster) Stop() {
	c.mu.Lock()
	fake, cl := c.fake, c.cl
	c.fake, c.cl = nil, nil
	c.mu.Unlock()
	if cl != nil {
		cl.Close()
	}
	if fake != nil {
		fake.Close()
	}
}

// Restart stops the cluster and starts it again on the same ports from
// its DataDir.
func (c *Cluster) Restart() error {
	if c.cfg.DataDir == "" {
		return errors.New("kafkalocal: Restart needs Config.DataDir: without it the cluster's data lives only in memory")
	}
	c.Stop()
	return c.Resume()
}

// Resume starts a cluster stopped with Stop again (same ports, same
// DataDir if any).
func (c *Cluster) Resume() error {
	c.mu.Lock()
	running := c.fake != nil
	c.mu.Unlock()
	if running {
		return errors.New("kafkalocal: the cluster is running")
	}
	var err error
	for i := 0; i < 50; i++ {
		// The old listeners may take a moment to release the ports.
		if err = c.start(); err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}

// TempDataDir makes a temporary data directory for Config.DataDir; the
// caller removes it.
func TempDataDir() (string, error) { return os.MkdirTemp("", "gostream-kafka-") }
