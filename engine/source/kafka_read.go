package source

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DataLossError reports Kafka data that a query expected but that is gone:
// a deleted topic or partition, or offsets removed by retention or
// DeleteRecords. Its text is Spark's KAFKA_DATA_LOSS message.
type DataLossError struct {
	// Reason is Spark's sub-class: PARTITIONS_DELETED,
	// COULD_NOT_READ_OFFSET_RANGE, PARTITION_OFFSET_CHANGED,
	// ADDED_PARTITION_DOES_NOT_START_FROM_OFFSET_ZERO,
	// INITIAL_OFFSET_NOT_FOUND_FOR_PARTITIONS.
	Reason string
	// Detail says what is gone.
	Detail string
	// Partitions are the partitions concerned.
	Partitions []TopicPartition
	// Skipped is how many offsets are lost, when known (0 otherwise).
	Skipped int64
}

func (e *DataLossError) Error() string {
	return "[KAFKA_DATA_LOSS." + e.Reason + "] Some data may have been lost because they are not available in Kafka any more; " +
		"either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. " +
		"If you don't want your streaming query to fail on such cases, set the source option failOnDataLoss to false.\n" +
		"Reason: " + e.Detail + "\n" +
		"To go on: restart the query with option(\"failOnDataLoss\", \"false\") to skip what is lost (it is counted in the " +
		"progress metrics dataLoss and offsetOutOfRange), or start it with a new checkpointLocation to read from startingOffsets again."
}

// lossFunc decides what a data loss does: an error fails the read, nil
// skips the lost offsets.
type lossFunc func(*DataLossError) error

// kafkaRange is an offset range [from, until) of one partition.
type kafkaRange struct {
	tp          TopicPartition
	from, until int64
}

// kafkaPartState is the progress of reading one range.
type kafkaPartState struct {
	tp          TopicPartition
	from, until int64
	next        int64
	hwm         int64 // high watermark of the last fetch, -1 before
	stalled     bool  // the last fetch brought nothing and the log ends before until
	outOfRange  bool
	done        bool
	b           *kafkaBuilder
}

// kafkaReadConf bounds a read.
type kafkaReadConf struct {
	pollTimeout    time.Duration
	includeHeaders bool
	mem            memory.Allocator
}

// readRanges reads the ranges exactly and returns one or more records per
// range, in range order (ranges are sorted by topic and partition). Lost
// offsets go through loss.
func (c *kafkaClient) readRanges(ctx context.Context, ranges []kafkaRange, rc kafkaReadConf, loss lossFunc) (out []arrow.Record, err error) {
	if rc.mem == nil {
		rc.mem = memory.DefaultAllocator
	}
	states := make([]*kafkaPartState, 0, len(ranges))
	for _, r := range ranges {
		if r.until <= r.from {
			continue
		}
		states = append(states, &kafkaPartState{tp: r.tp, from: r.from, until: r.until, next: r.from, hwm: -1,
			b: newKafkaBuilder(rc.mem, rc.includeHeaders, r.until-r.from)})
	}
	defer func() {
		if err != nil {
			for _, st := range states {
				st.b.release()
			}
			for _, r := range out {
				r.Release()
			}
			out = nil
		}
	}()

	deadline := time.Now().Add(rc.pollTimeout)
	backoff := 20 * time.Millisecond
	var lastErr error
	for {
		var pending []*kafkaPartState
		for _, st := range states {
			if !st.done {
				pending = append(pending, st)
			}
		}
		if len(pending) == 0 {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		progressed, err := c.readRound(ctx, deadline, pending, loss)
		if err != nil {
			var dl *DataLossError
			if errors.As(err, &dl) || !retriableKafka(err) {
				return nil, err
			}
			lastErr = err
		}
		if progressed {
			deadline = time.Now().Add(rc.pollTimeout)
			backoff = 20 * time.Millisecond
			continue
		}
		if time.Now().After(deadline) {
			return nil, c.timeoutError(pending, rc.pollTimeout, lastErr)
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		backoff = min(2*backoff, time.Second)
	}
	for _, st := range states {
		out = append(out, st.b.finish()...)
	}
	return out, nil
}

func (c *kafkaClient) timeoutError(pending []*kafkaPartState, timeout time.Duration, last error) error {
	parts := make([]string, len(pending))
	for i, st := range pending {
		parts[i] = fmt.Sprintf("%s at offset %d (reading up to %d)", st.tp, st.next, st.until)
	}
	msg := fmt.Sprintf("Timeout of %v (source option kafkaConsumer.pollTimeoutMs) reached while reading Kafka %s from brokers %s",
		timeout, strings.Join(parts, ", "), strings.Join(c.conf.Brokers, ","))
	if last != nil {
		msg += "; last error: " + last.Error()
	}
	return errors.New(msg + ". Check that the brokers are reachable; a restarted query resumes from its checkpoint without losing or repeating a committed batch.")
}

// readRound looks up the leaders of the pending partitions and fetches from
// every leader in parallel until its partitions are done or a fetch brings
// nothing new. It reports whether any partition advanced.
func (c *kafkaClient) readRound(ctx context.Context, deadline time.Time, pending []*kafkaPartState, loss lossFunc) (bool, error) {
	rctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	topics := map[string]bool{}
	var names []string
	for _, st := range pending {
		if !topics[st.tp.Topic] {
			topics[st.tp.Topic] = true
			names = append(names, st.tp.Topic)
		}
	}
	meta, err := c.metadata(rctx, names)
	if err != nil {
		return false, err
	}
	ids := map[string][16]byte{}
	groups := map[int32][]*kafkaPartState{}
	var lastErr error
	var gone []*kafkaPartState
	for _, st := range pending {
		tm, ok := meta[st.tp.Topic]
		if !ok {
			gone = append(gone, st)
			continue
		}
		ids[st.tp.Topic] = tm.id
		pm, ok := tm.parts[st.tp.Partition]
		if !ok {
			gone = append(gone, st)
			continue
		}
		if pm.leader < 0 {
			lastErr = fmt.Errorf("%s has no leader: %w", st.tp, kerr.LeaderNotAvailable)
			continue
		}
		groups[pm.leader] = append(groups[pm.leader], st)
	}
	// A partition missing from the metadata is confirmed gone by the offset
	// lookup of checkLost below before it counts as deleted.
	for _, st := range gone {
		st.stalled = true
	}
	progressed := false

	var mu sync.Mutex
	var wg sync.WaitGroup
	for leader, sts := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := c.fetchAll(rctx, leader, sts, ids)
			mu.Lock()
			defer mu.Unlock()
			progressed = progressed || p
			if err != nil && (lastErr == nil || !retriableKafka(err)) {
				lastErr = err
			}
		}()
	}
	wg.Wait()
	if lastErr != nil && !retriableKafka(lastErr) {
		return progressed, lastErr
	}

	// Partitions whose fetch position is gone, or whose log now ends
	// before the range does.
	var check []*kafkaPartState
	for _, st := range pending {
		if !st.done && (st.outOfRange || st.stalled) {
			check = append(check, st)
		}
	}
	if len(check) > 0 {
		p, err := c.checkLost(rctx, check, loss)
		if err != nil {
			return progressed, err
		}
		progressed = progressed || p
	}
	return progressed, lastErr
}

// lost reports the rest of st's range as lost and ends it when loss lets
// the read go on.
func (c *kafkaClient) lost(st *kafkaPartState, loss lossFunc, detail, reason string) error {
	e := &DataLossError{Reason: reason, Detail: detail, Partitions: []TopicPartition{st.tp}, Skipped: st.until - st.next}
	if err := loss(e); err != nil {
		return err
	}
	st.next, st.done = st.until, true
	return nil
}

// checkLost compares the positions of states with the partitions' current
// start and end offsets.
func (c *kafkaClient) checkLost(ctx context.Context, states []*kafkaPartState, loss lossFunc) (bool, error) {
	tps := make([]TopicPartition, len(states))
	for i, st := range states {
		tps[i] = st.tp
	}
	starts, missing, err := c.listOffsets(ctx, tps, OffsetEarliest)
	if err != nil {
		return false, err
	}
	ends, _, err := c.listOffsets(ctx, tps, OffsetLatest)
	if err != nil {
		return false, err
	}
	gone := map[TopicPartition]bool{}
	for _, tp := range missing {
		gone[tp] = true
	}
	progressed := false
	for _, st := range states {
		st.outOfRange, st.stalled = false, false
		start, okS := starts[st.tp]
		end, okE := ends[st.tp]
		switch {
		case gone[st.tp] || !okS || !okE:
			if err := c.lost(st, loss, fmt.Sprintf("Partitions %s have been deleted.", tpList([]TopicPartition{st.tp})), "PARTITIONS_DELETED"); err != nil {
				return progressed, err
			}
			progressed = true
		case st.next < start:
			to := min(start, st.until)
			e := &DataLossError{Reason: "COULD_NOT_READ_OFFSET_RANGE", Partitions: []TopicPartition{st.tp}, Skipped: to - st.next,
				Detail: fmt.Sprintf("Could not read records in offset [%d, %d) for topic partition %s: the partition now starts at offset %d.", st.next, to, st.tp, start)}
			if err := loss(e); err != nil {
				return progressed, err
			}
			st.next = to
			st.done = st.next >= st.until
			progressed = true
		case end < st.until && st.next >= end:
			e := &DataLossError{Reason: "COULD_NOT_READ_OFFSET_RANGE", Partitions: []TopicPartition{st.tp}, Skipped: st.until - st.next,
				Detail: fmt.Sprintf("Could not read records in offset [%d, %d) for topic partition %s: the partition now ends at offset %d.", st.next, st.until, st.tp, end)}
			if err := loss(e); err != nil {
				return progressed, err
			}
			st.next, st.done = st.until, true
			progressed = true
		}
	}
	return progressed, nil
}

// fetchAll fetches from one leader until its partitions are done, a fetch
// advances none of them, or an error asks for new metadata.
func (c *kafkaClient) fetchAll(ctx context.Context, leader int32, states []*kafkaPartState, ids map[string][16]byte) (bool, error) {
	progressed := false
	for {
		var todo []*kafkaPartState
		for _, st := range states {
			if !st.done && !st.outOfRange {
				todo = append(todo, st)
			}
		}
		if len(todo) == 0 {
			return progressed, nil
		}
		resp, err := c.fetch(ctx, leader, todo, ids)
		if err != nil {
			return progressed, err
		}
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			return progressed, fmt.Errorf("fetching from Kafka broker %d: %w", leader, err)
		}
		p, err := c.process(resp, todo, ids)
		progressed = progressed || p
		if err != nil || !p {
			return progressed, err
		}
	}
}

// process decodes a fetch response into the states' builders.
func (c *kafkaClient) process(resp *kmsg.FetchResponse, todo []*kafkaPartState, ids map[string][16]byte) (bool, error) {
	byID := map[[16]byte]string{}
	for t, id := range ids {
		byID[id] = t
	}
	index := make(map[TopicPartition]*kafkaPartState, len(todo))
	for _, st := range todo {
		index[st.tp] = st
	}
	progressed := false
	var retry error
	for ti := range resp.Topics {
		rt := &resp.Topics[ti]
		topic := rt.Topic
		if topic == "" {
			topic = byID[rt.TopicID]
		}
		for pi := range rt.Partitions {
			rp := &rt.Partitions[pi]
			st := index[TopicPartition{topic, rp.Partition}]
			if st == nil {
				continue
			}
			if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
				switch {
				case errors.Is(err, kerr.OffsetOutOfRange):
					st.outOfRange = true
				case retriableKafka(err):
					retry = fmt.Errorf("%s: %w", st.tp, err)
				default:
					return progressed, fmt.Errorf("fetching Kafka %s at offset %d: %w", st.tp, st.next, err)
				}
				continue
			}
			fp, next := kgo.ProcessFetchPartition(kgo.ProcessFetchPartitionOpts{
				Offset:         st.next,
				IsolationLevel: c.conf.IsolationLevel,
				Topic:          topic,
				Partition:      rp.Partition,
				Pools:          c.pools,
			}, rp, c.decom, nil)
			if fp.Err != nil && len(fp.Records) == 0 {
				return progressed, fmt.Errorf("decoding Kafka %s at offset %d: %w", st.tp, st.next, fp.Err)
			}
			st.hwm = rp.HighWatermark
			if c.conf.ReadCommitted && rp.LastStableOffset >= 0 {
				st.hwm = rp.LastStableOffset
			}
			st.b.append(fp.Records, st.next, st.until)
			for _, r := range fp.Records {
				r.Recycle()
			}
			if next > st.next {
				st.next = min(next, st.until)
				progressed = true
			}
			if st.next >= st.until {
				st.done = true
			} else if next <= st.next && st.hwm >= 0 && st.hwm <= st.next {
				// Nothing more to read at next although the range goes
				// on: the log was truncated, or the leader lags.
				st.stalled = true
			}
		}
	}
	return progressed, retry
}
