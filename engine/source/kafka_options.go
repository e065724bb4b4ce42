package source

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// kafkaSourceOptions are the parsed options of a Kafka source or batch
// read.
type kafkaSourceOptions struct {
	conf            *KafkaConf
	strategy        *kafkaStrategy
	starting        offsetSpec
	ending          offsetSpec // batch reads
	maxOffsets      int64      // 0: no limit
	minOffsets      int64      // 0: no minimum
	maxTriggerDelay time.Duration
	failOnDataLoss  bool
	includeHeaders  bool
	pollTimeout     time.Duration
	numRetries      int
	retryInterval   time.Duration
}

// kafkaUnsupported are Spark Kafka source options gostream does not
// implement, with what to use instead.
var kafkaUnsupported = map[string]string{
	"startingtimestamp":                  "startingOffsets",
	"startingoffsetsbytimestamp":         "startingOffsets",
	"startingoffsetsbytimestampstrategy": "startingOffsets",
	"endingtimestamp":                    "endingOffsets",
	"endingoffsetsbytimestamp":           "endingOffsets",
}

// ValidateKafkaOptions checks the options of a Kafka source (streaming) or
// of a batch read without connecting to Kafka, so that a bad option fails
// where the DataFrame is made.
func ValidateKafkaOptions(opts Options, streaming bool) error {
	_, err := parseKafkaSourceOptions(opts, streaming)
	return err
}

func parseKafkaSourceOptions(opts Options, streaming bool) (*kafkaSourceOptions, error) {
	for k, instead := range kafkaUnsupported {
		if _, ok := opts.Get(k); ok {
			return nil, fmt.Errorf("Kafka source option '%s' is not supported: use %s with a JSON of offsets (see docs/kafka.md)", k, instead)
		}
	}
	o := &kafkaSourceOptions{maxTriggerDelay: 15 * time.Minute}
	if streaming {
		if _, ok := opts.Get("endingOffsets"); ok {
			return nil, fmt.Errorf("ending offset not valid in streaming queries")
		}
	}
	var err error
	if o.strategy, err = parseKafkaStrategy(opts); err != nil {
		return nil, err
	}
	if o.conf, err = ParseKafkaConf(opts, KafkaConsumer); err != nil {
		return nil, err
	}
	o.starting = offsetSpec{kind: "latest"}
	if !streaming {
		o.starting = offsetSpec{kind: "earliest"}
	}
	if v, ok := opts.Get("startingOffsets"); ok {
		if o.starting, err = parseOffsetSpec(v); err != nil {
			return nil, err
		}
	}
	o.ending = offsetSpec{kind: "latest"}
	if v, ok := opts.Get("endingOffsets"); ok {
		if o.ending, err = parseOffsetSpec(v); err != nil {
			return nil, err
		}
	}
	if !streaming {
		if err := checkBatchOffsets(o.starting, o.ending); err != nil {
			return nil, err
		}
	}
	if o.maxOffsets, err = opts.Int("maxOffsetsPerTrigger", 0); err != nil {
		return nil, err
	}
	if _, ok := opts.Get("maxOffsetsPerTrigger"); ok && o.maxOffsets <= 0 {
		return nil, fmt.Errorf("Invalid value '%d' for option 'maxOffsetsPerTrigger', must be positive", o.maxOffsets)
	}
	if o.minOffsets, err = opts.Int("minOffsetsPerTrigger", 0); err != nil {
		return nil, err
	}
	if _, ok := opts.Get("minOffsetsPerTrigger"); ok && o.minOffsets <= 0 {
		return nil, fmt.Errorf("Invalid value '%d' for option 'minOffsetsPerTrigger', must be positive", o.minOffsets)
	}
	if o.minOffsets > 0 && o.maxOffsets > 0 && o.minOffsets > o.maxOffsets {
		return nil, fmt.Errorf("The value of minOffsetPerTrigger(%d) is higher than the maxOffsetsPerTrigger(%d).", o.minOffsets, o.maxOffsets)
	}
	if v, ok := opts.Get("maxTriggerDelay"); ok {
		if o.maxTriggerDelay, err = parseTimeString(v); err != nil {
			return nil, fmt.Errorf("Invalid value '%s' for option 'maxTriggerDelay': %v; use e.g. \"15m\", \"30s\" or \"500ms\"", v, err)
		}
	}
	if o.failOnDataLoss, err = opts.Bool("failOnDataLoss", true); err != nil {
		return nil, err
	}
	if o.includeHeaders, err = opts.Bool("includeHeaders", false); err != nil {
		return nil, err
	}
	ms, err := opts.Int("kafkaConsumer.pollTimeoutMs", 120000)
	if err != nil {
		return nil, err
	}
	if ms <= 0 {
		return nil, fmt.Errorf("Invalid value '%d' for option 'kafkaConsumer.pollTimeoutMs', must be positive", ms)
	}
	o.pollTimeout = time.Duration(ms) * time.Millisecond
	n, err := opts.Int("fetchOffset.numRetries", 3)
	if err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("Invalid value '%d' for option 'fetchOffset.numRetries', must be at least 1", n)
	}
	o.numRetries = int(n)
	if ms, err = opts.Int("fetchOffset.retryIntervalMs", 1000); err != nil {
		return nil, err
	}
	if ms < 0 {
		return nil, fmt.Errorf("Invalid value '%d' for option 'fetchOffset.retryIntervalMs', must not be negative", ms)
	}
	o.retryInterval = time.Duration(ms) * time.Millisecond
	return o, nil
}

// checkBatchOffsets refuses offsets a batch read cannot use, with Spark's
// words.
func checkBatchOffsets(start, end offsetSpec) error {
	if start.kind == "latest" {
		return fmt.Errorf("starting offset can't be latest for batch queries on Kafka")
	}
	if end.kind == "earliest" {
		return fmt.Errorf("ending offset can't be earliest for batch queries on Kafka")
	}
	for _, tp := range start.specific.Sorted() {
		if start.specific[tp] == OffsetLatest {
			return fmt.Errorf("startingOffsets for %s can't be latest for batch queries on Kafka", tp)
		}
	}
	for _, tp := range end.specific.Sorted() {
		if end.specific[tp] == OffsetEarliest {
			return fmt.Errorf("ending offset for %s can't be earliest for batch queries on Kafka", tp)
		}
	}
	if start.kind == "specific" && end.kind == "specific" {
		if !sameTPs(start.specific, end.specific) {
			return fmt.Errorf("[MISMATCHED_TOPIC_PARTITIONS_BETWEEN_START_OFFSET_AND_END_OFFSET] The specified start offset and end offset should have the same topic-partitions. Topic-partitions for start offset: %s, topic-partitions for end offset: %s.",
				tpList(start.specific.Sorted()), tpList(end.specific.Sorted()))
		}
		for _, tp := range start.specific.Sorted() {
			s, e := start.specific[tp], end.specific[tp]
			if s >= 0 && e >= 0 && s > e {
				return fmt.Errorf("[UNRESOLVED_START_OFFSET_GREATER_THAN_END_OFFSET] The specified start offset %d is greater than the end offset %d for topic %s partition %d.", s, e, tp.Topic, tp.Partition)
			}
		}
	}
	return nil
}

func sameTPs(a, b PartitionOffsets) bool {
	if len(a) != len(b) {
		return false
	}
	for tp := range a {
		if _, ok := b[tp]; !ok {
			return false
		}
	}
	return true
}

// parseTimeString reads a duration as Spark's timeStringAsMs does: a
// number with an optional unit (ms, s, m or min, h, d); no unit means
// milliseconds.
func parseTimeString(v string) (time.Duration, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("not a duration")
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, err
	}
	units := map[string]time.Duration{
		"": time.Millisecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute, "min": time.Minute,
		"h": time.Hour, "d": 24 * time.Hour,
	}
	u, ok := units[strings.TrimSpace(s[i:])]
	if !ok {
		return 0, fmt.Errorf("unknown unit %q", s[i:])
	}
	return time.Duration(n) * u, nil
}
