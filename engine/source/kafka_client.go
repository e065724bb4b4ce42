package source

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// kafkaClient is the Kafka source's view of a cluster: metadata, offset
// listings and fetches of exact offset ranges. It issues every request
// itself (no consumer group, no background prefetch), so what a batch reads
// depends only on its offsets.
type kafkaClient struct {
	cl    *kgo.Client
	conf  *KafkaConf
	decom kgo.Decompressor
	pools []kgo.Pool
}

// fetchPool reuses the memory franz-go decodes fetched records into: the
// record slabs and the decompressed batches. A batch's records are copied
// into Arrow and recycled at once, so the same few slabs serve a whole
// read. Slabs are kept by power-of-two size class.
type fetchPool struct {
	recs   [32]sync.Pool
	decomp sync.Pool
}

func sizeClass(n int) int { return bits.Len(uint(max(n, 64) - 1)) }

func (p *fetchPool) GetRecords(n int) []kgo.Record {
	c := sizeClass(n)
	if v, ok := p.recs[c].Get().(*[]kgo.Record); ok {
		return (*v)[:0]
	}
	return make([]kgo.Record, 0, 1<<c)
}

func (p *fetchPool) PutRecords(s []kgo.Record) {
	if c := sizeClass(cap(s)); cap(s) == 1<<c {
		p.recs[c].Put(&s)
	}
}

func (p *fetchPool) GetDecompressBytes(compressed []byte, _ kgo.CompressionCodecType) []byte {
	if v, ok := p.decomp.Get().(*[]byte); ok && cap(*v) >= 4*len(compressed) {
		return (*v)[:0]
	}
	return make([]byte, 0, 4*len(compressed))
}

func (p *fetchPool) PutDecompressBytes(b []byte) { p.decomp.Put(&b) }

func newKafkaClient(conf *KafkaConf) (*kafkaClient, error) {
	cl, err := kgo.NewClient(conf.Opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the Kafka client: %w", err)
	}
	pool := new(fetchPool)
	return &kafkaClient{cl: cl, conf: conf, decom: kgo.DefaultDecompressor(pool), pools: []kgo.Pool{pool}}, nil
}

func (c *kafkaClient) close() { c.cl.Close() }

// topicMeta is one topic of a metadata response.
type topicMeta struct {
	id       [16]byte
	internal bool
	parts    map[int32]partMeta
}

type partMeta struct {
	leader int32
	err    error
}

// metadata describes topics (all of them when topics is nil). Topics that
// do not exist are absent from the result; topics are never auto-created.
func (c *kafkaClient) metadata(ctx context.Context, topics []string) (map[string]topicMeta, error) {
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = false
	if topics != nil {
		req.Topics = make([]kmsg.MetadataRequestTopic, 0, len(topics))
		for _, t := range topics {
			rt := kmsg.NewMetadataRequestTopic()
			rt.Topic = kmsg.StringPtr(t)
			req.Topics = append(req.Topics, rt)
		}
	}
	resp, err := req.RequestWith(ctx, c.cl)
	if err != nil {
		return nil, fmt.Errorf("Kafka metadata request to %s: %w", strings.Join(c.conf.Brokers, ","), err)
	}
	out := make(map[string]topicMeta, len(resp.Topics))
	for _, t := range resp.Topics {
		if t.Topic == nil {
			continue
		}
		name := *t.Topic
		if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
			if errors.Is(err, kerr.UnknownTopicOrPartition) || errors.Is(err, kerr.UnknownTopicID) {
				continue
			}
			return nil, fmt.Errorf("Kafka metadata of topic %s: %w", name, err)
		}
		tm := topicMeta{id: t.TopicID, internal: t.IsInternal, parts: make(map[int32]partMeta, len(t.Partitions))}
		for _, p := range t.Partitions {
			tm.parts[p.Partition] = partMeta{leader: p.Leader, err: kerr.ErrorForCode(p.ErrorCode)}
		}
		out[name] = tm
	}
	return out, nil
}

// listOffsets lists an offset of every partition: ts is -1 for the end
// (the last stable offset under read_committed), -2 for the start.
// Partitions that do not exist are returned in missing.
func (c *kafkaClient) listOffsets(ctx context.Context, tps []TopicPartition, ts int64) (PartitionOffsets, []TopicPartition, error) {
	out := PartitionOffsets{}
	if len(tps) == 0 {
		return out, nil, nil
	}
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	if c.conf.ReadCommitted {
		req.IsolationLevel = 1
	}
	byTopic := map[string]int{}
	for _, tp := range tps {
		i, ok := byTopic[tp.Topic]
		if !ok {
			rt := kmsg.NewListOffsetsRequestTopic()
			rt.Topic = tp.Topic
			req.Topics = append(req.Topics, rt)
			i = len(req.Topics) - 1
			byTopic[tp.Topic] = i
		}
		rp := kmsg.NewListOffsetsRequestTopicPartition()
		rp.Partition = tp.Partition
		rp.Timestamp = ts
		rp.CurrentLeaderEpoch = -1
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, rp)
	}
	var missing []TopicPartition
	var firstErr error
	for _, shard := range c.cl.RequestSharded(ctx, req) {
		if shard.Err != nil {
			sreq, _ := shard.Req.(*kmsg.ListOffsetsRequest)
			unknown := errors.Is(shard.Err, kerr.UnknownTopicOrPartition)
			if sreq != nil && unknown {
				for _, t := range sreq.Topics {
					for _, p := range t.Partitions {
						missing = append(missing, TopicPartition{t.Topic, p.Partition})
					}
				}
				continue
			}
			if firstErr == nil {
				firstErr = shard.Err
			}
			continue
		}
		resp := shard.Resp.(*kmsg.ListOffsetsResponse)
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				tp := TopicPartition{t.Topic, p.Partition}
				if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
					if errors.Is(err, kerr.UnknownTopicOrPartition) {
						missing = append(missing, tp)
					} else if firstErr == nil {
						firstErr = fmt.Errorf("%s: %w", tp, err)
					}
					continue
				}
				out[tp] = p.Offset
			}
		}
	}
	if firstErr != nil {
		return nil, nil, fmt.Errorf("listing Kafka offsets: %w", firstErr)
	}
	return out, sortTPs(missing), nil
}

// fetch issues one fetch request to broker leader for the partitions of
// states, each from its next offset.
func (c *kafkaClient) fetch(ctx context.Context, leader int32, states []*kafkaPartState, ids map[string][16]byte) (*kmsg.FetchResponse, error) {
	req := kmsg.NewPtrFetchRequest()
	req.ReplicaID = -1
	req.MaxWaitMillis = int32(c.conf.FetchMaxWait / time.Millisecond)
	req.MinBytes = 1
	req.MaxBytes = c.conf.FetchMaxBytes
	if c.conf.ReadCommitted {
		req.IsolationLevel = 1
	}
	req.SessionID = 0
	req.SessionEpoch = -1
	byTopic := map[string]int{}
	for _, st := range states {
		i, ok := byTopic[st.tp.Topic]
		if !ok {
			rt := kmsg.NewFetchRequestTopic()
			rt.Topic = st.tp.Topic
			rt.TopicID = ids[st.tp.Topic]
			req.Topics = append(req.Topics, rt)
			i = len(req.Topics) - 1
			byTopic[st.tp.Topic] = i
		}
		rp := kmsg.NewFetchRequestTopicPartition()
		rp.Partition = st.tp.Partition
		rp.CurrentLeaderEpoch = -1
		rp.FetchOffset = st.next
		rp.LastFetchedEpoch = -1
		rp.LogStartOffset = -1
		rp.PartitionMaxBytes = c.conf.PartitionMaxBytes
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, rp)
	}
	b := c.cl.Broker(int(leader))
	resp, err := b.Request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("fetching from Kafka broker %d: %w", leader, err)
	}
	return resp.(*kmsg.FetchResponse), nil
}

// permanentError marks an error that asking again cannot cure: a
// configuration mistake, offsets that do not match the topics.
type permanentError struct{ error }

func (p permanentError) Unwrap() error { return p.error }

func permanent(err error) error { return permanentError{err} }

// retriableKafka reports whether err is one that a new metadata lookup and
// a retry can cure: leadership moves, brokers restarting, connections
// dropped, timeouts of one attempt.
func retriableKafka(err error) bool {
	if err == nil {
		return false
	}
	var p permanentError
	var dl *DataLossError
	if errors.As(err, &p) || errors.As(err, &dl) {
		return false
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke.Retriable || errors.Is(err, kerr.UnknownTopicOrPartition) || errors.Is(err, kerr.UnknownTopicID) ||
			errors.Is(err, kerr.NotLeaderForPartition) || errors.Is(err, kerr.FencedLeaderEpoch) ||
			errors.Is(err, kerr.UnknownLeaderEpoch) || errors.Is(err, kerr.LeaderNotAvailable)
	}
	return true
}
