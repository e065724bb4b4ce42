package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// TopicPartition names one Kafka partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// String is Kafka's topic-partition form: "ticks-0".
func (tp TopicPartition) String() string { return tp.Topic + "-" + strconv.Itoa(int(tp.Partition)) }

func lessTP(a, b TopicPartition) bool {
	if a.Topic != b.Topic {
		return a.Topic < b.Topic
	}
	return a.Partition < b.Partition
}

func sortTPs(tps []TopicPartition) []TopicPartition {
	sort.Slice(tps, func(i, j int) bool { return lessTP(tps[i], tps[j]) })
	return tps
}

func tpList(tps []TopicPartition) string {
	parts := make([]string, len(tps))
	for i, tp := range sortTPs(append([]TopicPartition(nil), tps...)) {
		parts[i] = tp.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Special offsets of startingOffsets / endingOffsets JSON, as in Spark.
const (
	OffsetLatest   = -1
	OffsetEarliest = -2
)

// PartitionOffsets maps partitions to offsets: the Kafka source's offset
// (Spark's KafkaSourceOffset), where each offset is the next one to read.
type PartitionOffsets map[TopicPartition]int64

// Sorted returns the partitions by topic, then partition number.
func (p PartitionOffsets) Sorted() []TopicPartition {
	tps := make([]TopicPartition, 0, len(p))
	for tp := range p {
		tps = append(tps, tp)
	}
	return sortTPs(tps)
}

// JSON is Spark's offset JSON, {"topic":{"0":23,"1":42}}, with topics and
// partitions in order.
func (p PartitionOffsets) JSON() string {
	var b bytes.Buffer
	b.WriteByte('{')
	last := ""
	for i, tp := range p.Sorted() {
		if i == 0 || tp.Topic != last {
			if i > 0 {
				b.WriteString("},")
			}
			t, _ := json.Marshal(tp.Topic)
			b.Write(t)
			b.WriteString(":{")
			last = tp.Topic
		} else {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\"%d\":%d", tp.Partition, p[tp])
	}
	if len(p) > 0 {
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.String()
}

// ParsePartitionOffsets reads Spark's offset JSON.
func ParsePartitionOffsets(s string) (PartitionOffsets, error) {
	var m map[string]map[string]int64
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got %s`, s)
	}
	out := PartitionOffsets{}
	for t, ps := range m {
		for p, o := range ps {
			n, err := strconv.ParseInt(p, 10, 32)
			if err != nil || n < 0 {
				return nil, fmt.Errorf(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got %s`, s)
			}
			out[TopicPartition{t, int32(n)}] = o
		}
	}
	return out, nil
}

// offsetSpec is a startingOffsets or endingOffsets option.
type offsetSpec struct {
	kind     string // "earliest", "latest" or "specific"
	specific PartitionOffsets
}

func parseOffsetSpec(v string) (offsetSpec, error) {
	switch t := strings.TrimSpace(v); strings.ToLower(t) {
	case "earliest", "latest":
		return offsetSpec{kind: strings.ToLower(t)}, nil
	default:
		po, err := ParsePartitionOffsets(t)
		if err != nil {
			return offsetSpec{}, err
		}
		return offsetSpec{kind: "specific", specific: po}, nil
	}
}

// kafkaStrategy is how a Kafka source picks its partitions: subscribe,
// subscribePattern or assign.
type kafkaStrategy struct {
	kind    string // "subscribe", "subscribePattern", "assign"
	topics  []string
	pattern *regexp.Regexp
	raw     string
	assign  []TopicPartition
}

func (s *kafkaStrategy) String() string {
	switch s.kind {
	case "subscribe":
		return "Subscribe[" + strings.Join(s.topics, ",") + "]"
	case "subscribePattern":
		return "SubscribePattern[" + s.raw + "]"
	}
	parts := make([]string, len(s.assign))
	for i, tp := range s.assign {
		parts[i] = tp.String()
	}
	return "Assign[" + strings.Join(parts, ", ") + "]"
}

// topicsToDescribe is the topics a metadata request asks for; nil asks
// for all (subscribePattern).
func (s *kafkaStrategy) topicsToDescribe() []string {
	switch s.kind {
	case "subscribe":
		return s.topics
	case "assign":
		seen := map[string]bool{}
		var ts []string
		for _, tp := range s.assign {
			if !seen[tp.Topic] {
				seen[tp.Topic] = true
				ts = append(ts, tp.Topic)
			}
		}
		return ts
	}
	return nil
}

// wants reports whether the strategy reads partition tp of a topic that
// exists.
func (s *kafkaStrategy) wants(tp TopicPartition, internal bool) bool {
	switch s.kind {
	case "subscribe":
		for _, t := range s.topics {
			if t == tp.Topic {
				return true
			}
		}
		return false
	case "subscribePattern":
		return !internal && s.pattern.MatchString(tp.Topic)
	}
	for _, a := range s.assign {
		if a == tp {
			return true
		}
	}
	return false
}

// parseKafkaStrategy reads the one of subscribe, subscribePattern and
// assign that must be set, with Spark's errors.
func parseKafkaStrategy(opts Options) (*kafkaStrategy, error) {
	keys := []string{"subscribe", "subscribepattern", "assign"}
	var set []string
	for _, k := range keys {
		if _, ok := opts.Get(k); ok {
			set = append(set, k)
		}
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.")
	}
	if len(set) > 1 {
		return nil, fmt.Errorf("Only one of the following options can be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.")
	}
	v, _ := opts.Get(set[0])
	switch set[0] {
	case "subscribe":
		var topics []string
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				topics = append(topics, t)
			}
		}
		if len(topics) == 0 {
			return nil, fmt.Errorf("No topics to subscribe to as specified value for option 'subscribe' is '%s'", v)
		}
		return &kafkaStrategy{kind: "subscribe", topics: topics}, nil
	case "subscribepattern":
		p := strings.TrimSpace(v)
		if p == "" {
			return nil, fmt.Errorf("Pattern to subscribe is empty as specified value for option 'subscribePattern' is '%s'", v)
		}
		// Java's Pattern.matches: the whole topic name must match.
		re, err := regexp.Compile("^(?:" + p + ")$")
		if err != nil {
			return nil, fmt.Errorf("Invalid value '%s' for option 'subscribePattern': %v (Go regexp syntax, RE2: no look-around or back-references)", v, err)
		}
		return &kafkaStrategy{kind: "subscribePattern", pattern: re, raw: p}, nil
	}
	if !strings.HasPrefix(strings.TrimSpace(v), "{") {
		return nil, fmt.Errorf("No topicpartitions to assign as specified value for option 'assign' is '%s'", v)
	}
	var m map[string][]int32
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return nil, fmt.Errorf(`Expected e.g. {"topicA":[0,1],"topicB":[0,1]}, got %s`, v)
	}
	var tps []TopicPartition
	for t, ps := range m {
		for _, p := range ps {
			tps = append(tps, TopicPartition{t, p})
		}
	}
	if len(tps) == 0 {
		return nil, fmt.Errorf("No topicpartitions to assign as specified value for option 'assign' is '%s'", v)
	}
	return &kafkaStrategy{kind: "assign", assign: sortTPs(tps)}, nil
}
