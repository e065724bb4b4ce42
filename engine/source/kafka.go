package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/checkpoint"
)

// Kafka reads Kafka topics as a stream, as Spark's Kafka source does.
//
// An offset is Spark's KafkaSourceOffset JSON, {"topic":{"0":n}}, where n
// is the next offset to read of each partition; a batch reads exactly the
// records between its start and end offsets, so a re-run batch reads the
// same records while Kafka still has them. The offsets the query starts
// from (startingOffsets, resolved once) are kept in the source's checkpoint
// directory as sources/<i>/0, so a restart resumes from the checkpoint and
// never from a consumer group: the source uses none.
//
// Partitions that appear while the query runs (new partitions, new topics
// matching subscribePattern) are read from their earliest offset. With
// failOnDataLoss (the default) a deleted topic or partition, or offsets
// removed by retention, fail the query with a *DataLossError; without it
// they are skipped, logged and counted in the source's progress metrics.
type Kafka struct {
	o   *kafkaSourceOptions
	cl  *kafkaClient
	dir string
	mem memory.Allocator

	// Now is the clock of maxTriggerDelay; time.Now when nil.
	Now func() time.Time
	// Logger receives a warning for every data loss skipped with
	// failOnDataLoss=false; slog.Default() when nil.
	Logger *slog.Logger

	mu           sync.Mutex
	initial      PartitionOffsets
	latest       PartitionOffsets
	availableNow bool
	unlimited    bool // per-trigger limits lifted (Trigger.Once)
	allAvailable PartitionOffsets
	lastTrigger  time.Time
	lossEvents   int64 // data losses skipped by the last batch
	lossOffsets  int64 // offsets skipped by the last batch
}

// NewKafka opens the Kafka source of opts. dir is the source's checkpoint
// directory, where the starting offsets are kept; "" keeps them in memory.
// No request is sent before the first LatestOffset.
func NewKafka(opts Options, dir string, mem memory.Allocator) (*Kafka, error) {
	o, err := parseKafkaSourceOptions(opts, true)
	if err != nil {
		return nil, err
	}
	cl, err := newKafkaClient(o.conf)
	if err != nil {
		return nil, err
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &Kafka{o: o, cl: cl, dir: dir, mem: mem}, nil
}

func (k *Kafka) Schema() *arrow.Schema { return KafkaSchema(k.o.includeHeaders) }

func (k *Kafka) String() string { return "KafkaV2[" + k.o.strategy.String() + "]" }

func (k *Kafka) now() time.Time {
	if k.Now != nil {
		return k.Now()
	}
	return time.Now()
}

func (k *Kafka) logger() *slog.Logger {
	if k.Logger != nil {
		return k.Logger
	}
	return slog.Default()
}

// retry runs fn up to fetchOffset.numRetries times, fetchOffset.retryIntervalMs
// apart, each attempt bounded by kafkaConsumer.pollTimeoutMs.
func (k *Kafka) retry(ctx context.Context, what string, fn func(ctx context.Context) error) error {
	return kafkaRetry(ctx, k.o, what, fn)
}

func kafkaRetry(ctx context.Context, o *kafkaSourceOptions, what string, fn func(ctx context.Context) error) error {
	var err error
	for attempt := 1; attempt <= o.numRetries; attempt++ {
		actx, cancel := context.WithTimeout(ctx, o.pollTimeout)
		err = fn(actx)
		cancel()
		if err == nil || ctx.Err() != nil || !retriableKafka(err) {
			break
		}
		if attempt < o.numRetries {
			t := time.NewTimer(o.retryInterval)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	var p permanentError
	if errors.As(err, &p) {
		return p.error
	}
	if err != nil && retriableKafka(err) && ctx.Err() == nil {
		hint := "check that the brokers in kafka.bootstrap.servers are up and reachable"
		if o.conf.Secured {
			hint += ", and the kafka.sasl.* / kafka.ssl.* settings (a broker that refuses the credentials may just close the connection)"
		}
		return fmt.Errorf("%s failed after %d attempts (fetchOffset.numRetries) with brokers %s: %w; %s",
			what, o.numRetries, strings.Join(o.conf.Brokers, ","), err, hint)
	}
	return err
}

// assigned lists the partitions the strategy reads now.
func assignedPartitions(ctx context.Context, cl *kafkaClient, s *kafkaStrategy) ([]TopicPartition, error) {
	meta, err := cl.metadata(ctx, s.topicsToDescribe())
	if err != nil {
		return nil, err
	}
	var tps []TopicPartition
	for t, tm := range meta {
		for p := range tm.parts {
			tp := TopicPartition{t, p}
			if s.wants(tp, tm.internal) {
				tps = append(tps, tp)
			}
		}
	}
	return sortTPs(tps), nil
}

// fetchOffsets lists the start (OffsetEarliest) or end (OffsetLatest)
// offsets of the partitions the strategy reads now.
func fetchOffsets(ctx context.Context, cl *kafkaClient, s *kafkaStrategy, which int64) (PartitionOffsets, error) {
	tps, err := assignedPartitions(ctx, cl, s)
	if err != nil {
		return nil, err
	}
	offs, _, err := cl.listOffsets(ctx, tps, which)
	return offs, err
}

// resolveSpec turns startingOffsets or endingOffsets into offsets of the
// partitions assigned now.
func resolveSpec(ctx context.Context, cl *kafkaClient, s *kafkaStrategy, spec offsetSpec, starting bool) (PartitionOffsets, error) {
	switch spec.kind {
	case "earliest":
		return fetchOffsets(ctx, cl, s, OffsetEarliest)
	case "latest":
		return fetchOffsets(ctx, cl, s, OffsetLatest)
	}
	tps, err := assignedPartitions(ctx, cl, s)
	if err != nil {
		return nil, err
	}
	assigned := PartitionOffsets{}
	for _, tp := range tps {
		assigned[tp] = 0
	}
	if !sameTPs(assigned, spec.specific) {
		which := "start"
		if !starting {
			which = "end"
		}
		return nil, permanent(fmt.Errorf("[KAFKA_START_OFFSET_DOES_NOT_MATCH_ASSIGNED] Partitions specified for Kafka %s offsets don't match what are assigned. Maybe topic partitions are created or deleted while the query is running. Use -1 for latest, -2 for earliest. Specified: %s Assigned: %s",
			which, tpList(spec.specific.Sorted()), tpList(tps)))
	}
	out := PartitionOffsets{}
	var early, late []TopicPartition
	for tp, o := range spec.specific {
		switch o {
		case OffsetEarliest:
			early = append(early, tp)
		case OffsetLatest:
			late = append(late, tp)
		default:
			out[tp] = o
		}
	}
	for _, l := range []struct {
		tps   []TopicPartition
		which int64
	}{{early, OffsetEarliest}, {late, OffsetLatest}} {
		offs, _, err := cl.listOffsets(ctx, l.tps, l.which)
		if err != nil {
			return nil, err
		}
		for tp, o := range offs {
			out[tp] = o
		}
	}
	return out, nil
}

// initialOffsets returns the offsets the query started from: read from the
// checkpoint, or resolved from startingOffsets and written there.
func (k *Kafka) initialOffsets(ctx context.Context) (PartitionOffsets, error) {
	if k.initial != nil {
		return k.initial, nil
	}
	var log *checkpoint.Log
	if k.dir != "" {
		var err error
		if log, err = checkpoint.OpenLog(k.dir); err != nil {
			return nil, err
		}
		lines, ok, err := log.Get(0)
		if err != nil {
			return nil, err
		}
		if ok && len(lines) > 0 {
			po, err := ParsePartitionOffsets(string(lines[0]))
			if err != nil {
				return nil, fmt.Errorf("the Kafka source's initial offsets in %s/0: %w", k.dir, err)
			}
			k.initial = po
			return po, nil
		}
	}
	var po PartitionOffsets
	err := k.retry(ctx, "resolving startingOffsets", func(ctx context.Context) error {
		var err error
		po, err = resolveSpec(ctx, k.cl, k.o.strategy, k.o.starting, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	if log != nil {
		if _, err := log.Add(0, []byte(po.JSON())); err != nil {
			return nil, fmt.Errorf("writing the Kafka source's initial offsets: %w", err)
		}
	}
	k.logger().Debug("Kafka source initial offsets", "source", k.String(), "offsets", po.JSON())
	k.initial = po
	return po, nil
}

// startOf is the offsets of start: the initial offsets for "".
func (k *Kafka) startOf(ctx context.Context, start Offset) (PartitionOffsets, error) {
	if start == "" {
		return k.initialOffsets(ctx)
	}
	return ParsePartitionOffsets(string(start))
}

func (k *Kafka) fetchLatest(ctx context.Context) (PartitionOffsets, error) {
	var po PartitionOffsets
	err := k.retry(ctx, "fetching the latest Kafka offsets", func(ctx context.Context) error {
		var err error
		po, err = fetchOffsets(ctx, k.cl, k.o.strategy, OffsetLatest)
		return err
	})
	return po, err
}

// PrepareAvailableNow implements AvailableNow: the latest offsets at the
// next LatestOffset (after the starting offsets are fixed) bound every
// later batch, and minOffsetsPerTrigger no longer delays one.
func (k *Kafka) PrepareAvailableNow(context.Context) error {
	k.mu.Lock()
	k.availableNow = true
	k.mu.Unlock()
	return nil
}

// ReadAllAvailable implements Unlimited: maxOffsetsPerTrigger and
// minOffsetsPerTrigger no longer apply.
func (k *Kafka) ReadAllAvailable() {
	k.mu.Lock()
	k.unlimited = true
	k.mu.Unlock()
}

// LatestOffset returns the end of the next batch: the latest offsets,
// within maxOffsetsPerTrigger, or start when minOffsetsPerTrigger delays
// the batch.
func (k *Kafka) LatestOffset(ctx context.Context, start Offset) (Offset, error) {
	from, err := k.startOf(ctx, start)
	if err != nil {
		return "", err
	}
	k.mu.Lock()
	latest, capped, unlimited := k.allAvailable, k.availableNow, k.unlimited
	k.mu.Unlock()
	if latest == nil {
		if latest, err = k.fetchLatest(ctx); err != nil {
			return "", err
		}
	}
	k.mu.Lock()
	k.latest = latest
	if capped {
		k.allAvailable = latest
	}
	k.mu.Unlock()
	if k.o.minOffsets > 0 && !capped && !unlimited && k.delayBatch(latest, from) {
		return start, nil
	}
	end := latest
	if k.o.maxOffsets > 0 && !unlimited {
		if end, err = k.rateLimit(ctx, k.o.maxOffsets, from, latest); err != nil {
			return "", err
		}
	}
	if len(end) == 0 || (start != "" && equalOffsets(end, from)) {
		return start, nil
	}
	return Offset(end.JSON()), nil
}

func equalOffsets(a, b PartitionOffsets) bool {
	if len(a) != len(b) {
		return false
	}
	for tp, o := range a {
		if bo, ok := b[tp]; !ok || bo != o {
			return false
		}
	}
	return true
}

// delayBatch reports whether minOffsetsPerTrigger holds the batch back:
// fewer new offsets than the minimum, and maxTriggerDelay not yet passed
// since the last batch (Spark's KafkaMicroBatchStream.delayBatch).
func (k *Kafka) delayBatch(latest, from PartitionOffsets) bool {
	now := k.now()
	if now.Sub(k.lastTrigger) >= k.o.maxTriggerDelay {
		k.lastTrigger = now
		return false
	}
	var n int64
	for tp, end := range latest {
		n += end - from[tp]
	}
	if n < k.o.minOffsets {
		return true
	}
	k.lastTrigger = now
	return false
}

// rateLimit spreads limit offsets over the partitions in proportion to
// what each has available (Spark's KafkaMicroBatchStream.rateLimit). New
// partitions count from their earliest offset.
func (k *Kafka) rateLimit(ctx context.Context, limit int64, from, until PartitionOffsets) (PartitionOffsets, error) {
	var fresh []TopicPartition
	for tp := range until {
		if _, ok := from[tp]; !ok {
			fresh = append(fresh, tp)
		}
	}
	fromNew := PartitionOffsets{}
	if len(fresh) > 0 {
		err := k.retry(ctx, "fetching the earliest offsets of new Kafka partitions", func(ctx context.Context) error {
			var err error
			fromNew, _, err = k.cl.listOffsets(ctx, fresh, OffsetEarliest)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	begin := func(tp TopicPartition) (int64, bool) {
		if b, ok := from[tp]; ok {
			return b, true
		}
		b, ok := fromNew[tp]
		return b, ok
	}
	sizes := map[TopicPartition]int64{}
	total := 0.0
	for tp, end := range until {
		if b, ok := begin(tp); ok && end-b > 0 {
			sizes[tp] = end - b
			total += float64(end - b)
		}
	}
	if total < 1 {
		return until, nil
	}
	out := PartitionOffsets{}
	for tp, end := range until {
		size, ok := sizes[tp]
		if !ok {
			out[tp] = end
			continue
		}
		b, _ := begin(tp)
		prorate := float64(limit) * (float64(size) / total)
		var n int64
		if prorate < 1 {
			n = int64(math.Ceil(prorate))
		} else {
			n = int64(math.Floor(prorate))
		}
		off := b + n
		if n > math.MaxInt64-b {
			off = math.MaxInt64
		}
		out[tp] = min(end, off)
	}
	return out, nil
}

// onLoss fails the read or, with failOnDataLoss=false, logs and counts the
// loss and lets the read skip it.
func (k *Kafka) onLoss(e *DataLossError) error {
	if k.o.failOnDataLoss {
		return e
	}
	k.mu.Lock()
	k.lossEvents++
	k.lossOffsets += e.Skipped
	k.mu.Unlock()
	k.logger().Warn("Kafka data loss skipped (failOnDataLoss=false)", "source", k.String(), "reason", e.Reason,
		"detail", e.Detail, "skippedOffsets", e.Skipped)
	return nil
}

// Batch reads the records after start up to end. Partitions in end that
// start does not have are read from their earliest offset.
func (k *Kafka) Batch(ctx context.Context, start, end Offset) ([]arrow.Record, error) {
	from, err := k.startOf(ctx, start)
	if err != nil {
		return nil, err
	}
	until, err := ParsePartitionOffsets(string(end))
	if err != nil {
		return nil, fmt.Errorf("Kafka source: invalid end offset %s: %w", end, err)
	}
	k.mu.Lock()
	k.lossEvents, k.lossOffsets = 0, 0
	k.mu.Unlock()
	ranges, err := k.ranges(ctx, from, until)
	if err != nil {
		return nil, err
	}
	return k.cl.readRanges(ctx, ranges, kafkaReadConf{pollTimeout: k.o.pollTimeout, includeHeaders: k.o.includeHeaders, mem: k.mem}, k.onLoss)
}

// ranges plans the offset ranges of a batch, reporting partitions that
// were deleted, added with missing data, or moved backwards.
func (k *Kafka) ranges(ctx context.Context, from, until PartitionOffsets) ([]kafkaRange, error) {
	var fresh []TopicPartition
	for _, tp := range until.Sorted() {
		if _, ok := from[tp]; !ok {
			fresh = append(fresh, tp)
		}
	}
	fromNew := PartitionOffsets{}
	if len(fresh) > 0 {
		var missing []TopicPartition
		err := k.retry(ctx, "fetching the earliest offsets of new Kafka partitions", func(ctx context.Context) error {
			var err error
			fromNew, missing, err = k.cl.listOffsets(ctx, fresh, OffsetEarliest)
			return err
		})
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 {
			if err := k.onLoss(&DataLossError{Reason: "INITIAL_OFFSET_NOT_FOUND_FOR_PARTITIONS", Partitions: missing,
				Detail: fmt.Sprintf("Cannot find initial offsets for partitions %s. They may have been deleted.", tpList(missing))}); err != nil {
				return nil, err
			}
		}
		for _, tp := range fromNew.Sorted() {
			if o := fromNew[tp]; o != 0 {
				if err := k.onLoss(&DataLossError{Reason: "ADDED_PARTITION_DOES_NOT_START_FROM_OFFSET_ZERO", Partitions: []TopicPartition{tp}, Skipped: o,
					Detail: fmt.Sprintf("Added partition %s starts from %d instead of 0.", tp, o)}); err != nil {
					return nil, err
				}
			}
		}
	}
	var deleted []TopicPartition
	for _, tp := range from.Sorted() {
		if _, ok := until[tp]; !ok {
			deleted = append(deleted, tp)
		}
	}
	if len(deleted) > 0 {
		if err := k.onLoss(&DataLossError{Reason: "PARTITIONS_DELETED", Partitions: deleted,
			Detail: fmt.Sprintf("Partitions %s have been deleted.", tpList(deleted))}); err != nil {
			return nil, err
		}
	}
	var ranges []kafkaRange
	for _, tp := range until.Sorted() {
		f, ok := from[tp]
		if !ok {
			if f, ok = fromNew[tp]; !ok {
				continue
			}
		}
		u := until[tp]
		if u < f {
			if err := k.onLoss(&DataLossError{Reason: "PARTITION_OFFSET_CHANGED", Partitions: []TopicPartition{tp},
				Detail: fmt.Sprintf("Partition %s offset was changed from %d to %d. This could either be a user error that the start offset is set too high and this is the first batch, or the kafka topic-partition is broken, and some data may have been missed.", tp, f, u)}); err != nil {
				return nil, err
			}
			continue
		}
		ranges = append(ranges, kafkaRange{tp: tp, from: f, until: u})
	}
	return ranges, nil
}

// Commit does nothing: the checkpoint is the only record of progress.
func (k *Kafka) Commit(context.Context, Offset) error { return nil }

// Stop closes the Kafka client.
func (k *Kafka) Stop() error {
	k.cl.close()
	return nil
}

// Metrics are the source's progress metrics for a batch that ended at end:
// Spark's minOffsetsBehindLatest, maxOffsetsBehindLatest and
// avgOffsetsBehindLatest, and the data skipped by that batch with
// failOnDataLoss=false: dataLoss (how many losses) and offsetOutOfRange
// (how many offsets, where known).
func (k *Kafka) Metrics(end Offset) map[string]string {
	k.mu.Lock()
	defer k.mu.Unlock()
	m := map[string]string{
		"dataLoss":         strconv.FormatInt(k.lossEvents, 10),
		"offsetOutOfRange": strconv.FormatInt(k.lossOffsets, 10),
	}
	consumed, err := ParsePartitionOffsets(string(end))
	if err != nil || len(k.latest) == 0 {
		return m
	}
	var sum, n int64
	minB, maxB := int64(math.MaxInt64), int64(math.MinInt64)
	for tp, l := range k.latest {
		c, ok := consumed[tp]
		if !ok {
			continue
		}
		b := l - c
		sum += b
		n++
		minB, maxB = min(minB, b), max(maxB, b)
	}
	if n > 0 {
		m["minOffsetsBehindLatest"] = strconv.FormatInt(minB, 10)
		m["maxOffsetsBehindLatest"] = strconv.FormatInt(maxB, 10)
		m["avgOffsetsBehindLatest"] = javaDouble(float64(sum) / float64(n))
	}
	return m
}

// javaDouble formats f as Java's Double.toString does for ordinary values:
// "12.0", "2.5".
func javaDouble(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return s
		}
	}
	return s + ".0"
}
