package source

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestPartitionOffsetsJSON(t *testing.T) {
	tests := []struct {
		name string
		in   PartitionOffsets
		want string
	}{
		{"empty", PartitionOffsets{}, "{}"},
		{"one", PartitionOffsets{{"t", 0}: 23}, `{"t":{"0":23}}`},
		{"sorted numerically", PartitionOffsets{{"t", 10}: 1, {"t", 2}: 2, {"t", 0}: 3}, `{"t":{"0":3,"2":2,"10":1}}`},
		{"topics sorted", PartitionOffsets{{"b", 0}: 1, {"a", 1}: 2, {"a", 0}: 3}, `{"a":{"0":3,"1":2},"b":{"0":1}}`},
		{"quoted topic", PartitionOffsets{{`we"ird`, 0}: 5}, `{"we\"ird":{"0":5}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.JSON()
			if got != tt.want {
				t.Fatalf("JSON() = %s; want %s", got, tt.want)
			}
			back, err := ParsePartitionOffsets(got)
			if err != nil {
				t.Fatal(err)
			}
			if !equalOffsets(back, tt.in) {
				t.Errorf("ParsePartitionOffsets(%s) = %v; want %v", got, back, tt.in)
			}
		})
	}
}

func TestParsePartitionOffsetsErrors(t *testing.T) {
	for _, in := range []string{`{"t":[0,1]}`, `{"t":{"x":1}}`, `{"t":{"-1":1}}`, `earliest`, `{`} {
		t.Run(in, func(t *testing.T) {
			_, err := ParsePartitionOffsets(in)
			want := `Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ` + in
			if err == nil || err.Error() != want {
				t.Errorf("error = %v; want %s", err, want)
			}
		})
	}
}

func TestParseKafkaStrategy(t *testing.T) {
	tests := []struct {
		name    string
		opts    map[string]string
		want    string // String() of the strategy
		wantErr string
	}{
		{"subscribe", map[string]string{"subscribe": " a, b ,,"}, "Subscribe[a,b]", ""},
		{"pattern", map[string]string{"subscribePattern": "tick.*"}, "SubscribePattern[tick.*]", ""},
		{"assign", map[string]string{"assign": `{"t":[1,0],"a":[2]}`}, "Assign[a-2, t-0, t-1]", ""},
		{"none", map[string]string{}, "", "One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details."},
		{"two", map[string]string{"subscribe": "a", "assign": `{"a":[0]}`}, "", "Only one of the following options can be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details."},
		{"empty subscribe", map[string]string{"subscribe": " , "}, "", "No topics to subscribe to as specified value for option 'subscribe' is ' , '"},
		{"empty pattern", map[string]string{"subscribePattern": " "}, "", "Pattern to subscribe is empty as specified value for option 'subscribePattern' is ' '"},
		{"assign not json", map[string]string{"assign": "t-0"}, "", "No topicpartitions to assign as specified value for option 'assign' is 't-0'"},
		{"assign bad json", map[string]string{"assign": `{"t":0}`}, "", `Expected e.g. {"topicA":[0,1],"topicB":[0,1]}, got {"t":0}`},
		{"bad regexp", map[string]string{"subscribePattern": "a(?=b)"}, "", "Invalid value 'a(?=b)' for option 'subscribePattern'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseKafkaStrategy(NewOptions(tt.opts))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v; want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.String(); got != tt.want {
				t.Errorf("String() = %s; want %s", got, tt.want)
			}
		})
	}
}

func TestKafkaPatternMatchesWholeName(t *testing.T) {
	s, err := parseKafkaStrategy(NewOptions(map[string]string{"subscribePattern": "tick|quote"}))
	if err != nil {
		t.Fatal(err)
	}
	for topic, want := range map[string]bool{"tick": true, "quote": true, "ticks": false, "xquote": false} {
		if got := s.wants(TopicPartition{topic, 0}, false); got != want {
			t.Errorf("wants(%s) = %v; want %v", topic, got, want)
		}
	}
	if s.wants(TopicPartition{"tick", 0}, true) {
		t.Errorf("an internal topic matched the pattern")
	}
}

func TestParseKafkaSourceOptions(t *testing.T) {
	base := func(kv ...string) map[string]string {
		m := map[string]string{"kafka.bootstrap.servers": "localhost:9092", "subscribe": "t"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name      string
		opts      map[string]string
		streaming bool
		wantErr   string
	}{
		{"defaults", base(), true, ""},
		{"no bootstrap", map[string]string{"subscribe": "t"}, true, "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer"},
		{"ending offsets in a stream", base("endingOffsets", "latest"), true, "ending offset not valid in streaming queries"},
		{"min above max", base("minOffsetsPerTrigger", "10", "maxOffsetsPerTrigger", "5"), true, "The value of minOffsetPerTrigger(10) is higher than the maxOffsetsPerTrigger(5)."},
		{"max not positive", base("maxOffsetsPerTrigger", "0"), true, "Invalid value '0' for option 'maxOffsetsPerTrigger', must be positive"},
		{"max not a number", base("maxOffsetsPerTrigger", "many"), true, "Invalid value 'many' for option 'maxOffsetsPerTrigger', must be an integer"},
		{"bad delay", base("maxTriggerDelay", "soon"), true, "Invalid value 'soon' for option 'maxTriggerDelay'"},
		{"bad starting offsets", base("startingOffsets", "first"), true, `Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got first`},
		{"timestamps", base("startingTimestamp", "1000"), true, "Kafka source option 'startingtimestamp' is not supported: use startingOffsets"},
		{"bad failOnDataLoss", base("failOnDataLoss", "maybe"), true, "Invalid value 'maybe' for option 'failOnDataLoss', must be true or false"},
		{"batch defaults", base(), false, ""},
		{"batch from latest", base("startingOffsets", "latest"), false, "starting offset can't be latest for batch queries on Kafka"},
		{"batch to earliest", base("endingOffsets", "earliest"), false, "ending offset can't be earliest for batch queries on Kafka"},
		{"batch partition from latest", base("startingOffsets", `{"t":{"0":-1}}`), false, "startingOffsets for t-0 can't be latest for batch queries on Kafka"},
		{"batch partition to earliest", base("endingOffsets", `{"t":{"0":-2}}`), false, "ending offset for t-0 can't be earliest for batch queries on Kafka"},
		{"batch mismatched partitions", base("startingOffsets", `{"t":{"0":1}}`, "endingOffsets", `{"t":{"1":5}}`), false, "[MISMATCHED_TOPIC_PARTITIONS_BETWEEN_START_OFFSET_AND_END_OFFSET] The specified start offset and end offset should have the same topic-partitions. Topic-partitions for start offset: [t-0], topic-partitions for end offset: [t-1]."},
		{"batch start after end", base("startingOffsets", `{"t":{"0":9}}`, "endingOffsets", `{"t":{"0":5}}`), false, "[UNRESOLVED_START_OFFSET_GREATER_THAN_END_OFFSET] The specified start offset 9 is greater than the end offset 5 for topic t partition 0."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateKafkaOptions(NewOptions(tt.opts), tt.streaming)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("error = %v; want none", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v; want %s", err, tt.wantErr)
			}
		})
	}
}

func TestParseKafkaConf(t *testing.T) {
	base := func(kv ...string) map[string]string {
		m := map[string]string{"kafka.bootstrap.servers": "h1:9092, h2:9093"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	plainJAAS := `org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cret";`
	tests := []struct {
		name    string
		opts    map[string]string
		role    KafkaRole
		wantErr string
	}{
		{"plaintext", base(), KafkaConsumer, ""},
		{"ignored java options", base("kafka.group.id", "g", "kafka.session.timeout.ms", "100"), KafkaConsumer, ""},
		{"unknown option", base("kafka.frobnicate", "1"), KafkaConsumer, "Kafka option 'kafka.frobnicate' is not supported for a Kafka consumer. Supported: kafka.bootstrap.servers, "},
		{"producer option on a consumer", base("kafka.acks", "all"), KafkaConsumer, "Kafka option 'kafka.acks' is not supported for a Kafka consumer."},
		{"consumer option on a producer", base("kafka.isolation.level", "read_committed"), KafkaProducer, "Kafka option 'kafka.isolation.level' is not supported for a Kafka producer."},
		{"auto offset reset", base("kafka.auto.offset.reset", "earliest"), KafkaConsumer, "Kafka option 'auto.offset.reset' is not supported.\nInstead set the source option 'startingoffsets'"},
		{"deserializer", base("kafka.value.deserializer", "x"), KafkaConsumer, "Kafka option 'value.deserializer' is not supported as values are deserialized as byte arrays with ByteArrayDeserializer."},
		{"serializer", base("kafka.key.serializer", "x"), KafkaProducer, "Kafka option 'key.serializer' is not supported as keys are serialized with ByteArraySerializer."},
		{"transactions", base("kafka.transactional.id", "x"), KafkaProducer, "Kafka option 'transactional.id' is not supported"},
		{"bad isolation", base("kafka.isolation.level", "dirty"), KafkaConsumer, "Invalid value 'dirty' for Kafka option 'kafka.isolation.level'"},
		{"bad acks", base("kafka.acks", "2"), KafkaProducer, "Invalid value '2' for Kafka option 'kafka.acks'"},
		{"producer settings", base("kafka.acks", "1", "kafka.compression.type", "zstd", "kafka.linger.ms", "5", "kafka.max.request.size", "2000000"), KafkaProducer, ""},
		{"bad compression", base("kafka.compression.type", "brotli"), KafkaProducer, "Invalid value 'brotli' for Kafka option 'kafka.compression.type'"},
		{"bad millis", base("kafka.request.timeout.ms", "-1"), KafkaConsumer, "Invalid value '-1' for Kafka option 'kafka.request.timeout.ms'"},
		{"bad protocol", base("kafka.security.protocol", "TLS"), KafkaConsumer, "Invalid value 'TLS' for Kafka option 'kafka.security.protocol'"},
		{"sasl plain", base("kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN", "kafka.sasl.jaas.config", plainJAAS), KafkaConsumer, ""},
		{"sasl without mechanism", base("kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.jaas.config", plainJAAS), KafkaConsumer, "Kafka option 'kafka.sasl.mechanism' must be set with a SASL security protocol"},
		{"gssapi", base("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "GSSAPI"), KafkaConsumer, "Kafka SASL mechanism 'GSSAPI' is not supported"},
		{"sasl without jaas", base("kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "SCRAM-SHA-256"), KafkaConsumer, "Kafka option 'kafka.sasl.jaas.config' must be set for SASL SCRAM-SHA-256"},
		{"scram with plain module", base("kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "SCRAM-SHA-512", "kafka.sasl.jaas.config", plainJAAS), KafkaConsumer, "Kafka option 'kafka.sasl.jaas.config' names login module org.apache.kafka.common.security.plain.PlainLoginModule, but SASL SCRAM-SHA-512 needs org.apache.kafka.common.security.scram.ScramLoginModule"},
		{"sasl options on plaintext", base("kafka.sasl.mechanism", "PLAIN"), KafkaConsumer, "Kafka option 'kafka.sasl.mechanism' is set but kafka.security.protocol is PLAINTEXT"},
		{"jks truststore", base("kafka.security.protocol", "SSL", "kafka.ssl.truststore.location", "/etc/ts.jks", "kafka.ssl.truststore.type", "JKS"), KafkaConsumer, "Kafka truststore type JKS is not supported: convert it to PEM"},
		{"missing truststore", base("kafka.security.protocol", "SSL", "kafka.ssl.truststore.location", "/nonexistent/ts.pem"), KafkaConsumer, "Kafka option 'kafka.ssl.truststore.location': open /nonexistent/ts.pem"},
		{"bad PEM truststore", base("kafka.security.protocol", "SSL", "kafka.ssl.truststore.certificates", "not a certificate"), KafkaConsumer, "Kafka TLS truststore holds no PEM certificate"},
		{"encrypted key", base("kafka.security.protocol", "SSL", "kafka.ssl.key.password", "x"), KafkaConsumer, "Kafka option 'kafka.ssl.key.password' is not supported"},
		{"ssl with system roots", base("kafka.security.protocol", "SSL"), KafkaConsumer, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conf, err := ParseKafkaConf(NewOptions(tt.opts), tt.role)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v; want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(conf.Brokers, " "), "h1:9092 h2:9093"; got != want {
				t.Errorf("brokers = %s; want %s", got, want)
			}
		})
	}
}

func TestParseJAAS(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		wantModule string
		want       map[string]string
		wantErr    string
	}{
		{"spark docs form", `org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";`,
			"org.apache.kafka.common.security.plain.PlainLoginModule", map[string]string{"username": "alice", "password": "alice-secret"}, ""},
		{"escapes and spaces", "org.apache.kafka.common.security.scram.ScramLoginModule required\n  username=\"bob\"\n  password=\"p\\\"w d;=\" ;",
			"org.apache.kafka.common.security.scram.ScramLoginModule", map[string]string{"username": "bob", "password": `p"w d;=`}, ""},
		{"bare words", `m optional username=u password=p;`, "m", map[string]string{"username": "u", "password": "p"}, ""},
		{"no flag", `m username="u";`, "", nil, `control flag "username"`},
		{"no semicolon", `m required username="u"`, "", nil, "missing the closing ';'"},
		{"unterminated", `m required username="u;`, "", nil, "unterminated value for username"},
		{"two modules", `m required a=b; n required c=d;`, "", nil, "text after ';'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			module, kv, err := ParseJAAS(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v; want it to contain %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if module != tt.wantModule {
				t.Errorf("module = %s; want %s", module, tt.wantModule)
			}
			if len(kv) != len(tt.want) {
				t.Errorf("options = %v; want %v", kv, tt.want)
			}
			for k, v := range tt.want {
				if kv[k] != v {
					t.Errorf("options[%s] = %q; want %q", k, kv[k], v)
				}
			}
		})
	}
}

func TestParseTimeString(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"15m", 15 * time.Minute}, {"30s", 30 * time.Second}, {"500", 500 * time.Millisecond},
		{"250ms", 250 * time.Millisecond}, {"2h", 2 * time.Hour}, {"1d", 24 * time.Hour}, {"3min", 3 * time.Minute},
	}
	for _, tt := range tests {
		got, err := parseTimeString(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseTimeString(%s) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "m", "5 fortnights"} {
		if _, err := parseTimeString(bad); err == nil {
			t.Errorf("parseTimeString(%q) succeeded", bad)
		}
	}
}

func TestKafkaRateLimit(t *testing.T) {
	tp := func(p int32) TopicPartition { return TopicPartition{"t", p} }
	tests := []struct {
		name        string
		limit       int64
		from, until PartitionOffsets
		want        PartitionOffsets
	}{
		{"proportional", 10, PartitionOffsets{tp(0): 0, tp(1): 0}, PartitionOffsets{tp(0): 100, tp(1): 300},
			PartitionOffsets{tp(0): 2, tp(1): 7}},
		{"small partition not starved", 10, PartitionOffsets{tp(0): 0, tp(1): 0}, PartitionOffsets{tp(0): 1000, tp(1): 1},
			PartitionOffsets{tp(0): 9, tp(1): 1}},
		{"under the limit", 100, PartitionOffsets{tp(0): 5, tp(1): 7}, PartitionOffsets{tp(0): 10, tp(1): 9},
			PartitionOffsets{tp(0): 10, tp(1): 9}},
		{"nothing new", 10, PartitionOffsets{tp(0): 5}, PartitionOffsets{tp(0): 5}, PartitionOffsets{tp(0): 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &Kafka{o: &kafkaSourceOptions{numRetries: 1}}
			got, err := k.rateLimit(context.Background(), tt.limit, tt.from, tt.until)
			if err != nil {
				t.Fatal(err)
			}
			if got.JSON() != tt.want.JSON() {
				t.Errorf("rateLimit = %s; want %s", got.JSON(), tt.want.JSON())
			}
		})
	}
}

func TestKafkaDelayBatch(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	k := &Kafka{o: &kafkaSourceOptions{minOffsets: 10, maxTriggerDelay: time.Minute}, Now: func() time.Time { return now }}
	steps := []struct {
		advance      time.Duration
		from, latest int64
		want         bool
	}{
		{0, 0, 3, false},                 // the first trigger is never delayed
		{time.Second, 3, 5, true},        // 2 new offsets < 10, delay not passed
		{time.Second, 0, 10, false},      // 10 new offsets
		{30 * time.Second, 10, 12, true}, // 2 new offsets, 30s since the last batch
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got := k.delayBatch(PartitionOffsets{{"t", 0}: s.latest}, PartitionOffsets{{"t", 0}: s.from}); got != s.want {
			t.Fatalf("step %d: delayBatch = %v; want %v", i, got, s.want)
		}
	}
	now = now.Add(time.Minute)
	if k.delayBatch(PartitionOffsets{{"t", 0}: 12}, PartitionOffsets{{"t", 0}: 10}) {
		t.Errorf("a batch is still delayed after maxTriggerDelay")
	}
}
