package source

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// KafkaRole says which side of Kafka a client configuration is for: some
// kafka.* options only make sense for a consumer, others for a producer.
type KafkaRole int

const (
	KafkaConsumer KafkaRole = iota
	KafkaProducer
)

func (r KafkaRole) String() string {
	if r == KafkaProducer {
		return "producer"
	}
	return "consumer"
}

// KafkaConf is the franz-go configuration built from the kafka.* options of
// a Kafka source or sink, named as the Java client names them
// (kafka.bootstrap.servers, kafka.security.protocol, kafka.sasl.jaas.config,
// ...). Consumer fetch settings are kept as fields: the Kafka source issues
// its own fetch requests for exact offset ranges.
type KafkaConf struct {
	Brokers []string
	// Secured is set with SASL or TLS.
	Secured bool
	// Opts configure the franz-go client: seeds, identity, SASL, TLS,
	// timeouts and, for a producer, the producer settings.
	Opts []kgo.Opt

	IsolationLevel    kgo.IsolationLevel
	ReadCommitted     bool
	FetchMaxBytes     int32
	PartitionMaxBytes int32
	FetchMaxWait      time.Duration
}

// kafkaConfBuild is the state of ParseKafkaConf while it reads options.
type kafkaConfBuild struct {
	conf     *KafkaConf
	opts     Options
	protocol string
}

// kafkaOption handles one kafka.* option (without the prefix).
type kafkaOption struct {
	roles []KafkaRole // nil: both
	apply func(b *kafkaConfBuild, v string) error
	// unsupported, when set, is the error for setting the option at all.
	unsupported string
}

func forRoles(roles ...KafkaRole) []KafkaRole { return roles }

// kafkaIgnored are Java client options that franz-go has no use for; they
// are accepted so that option sets written for Spark keep working.
var kafkaIgnored = map[string]KafkaRole{
	"group.id":                 -1,
	"session.timeout.ms":       KafkaConsumer,
	"heartbeat.interval.ms":    KafkaConsumer,
	"fetch.min.bytes":          KafkaConsumer,
	"max.poll.records":         KafkaConsumer,
	"max.poll.interval.ms":     KafkaConsumer,
	"send.buffer.bytes":        -1,
	"receive.buffer.bytes":     -1,
	"reconnect.backoff.ms":     -1,
	"reconnect.backoff.max.ms": -1,
	"default.api.timeout.ms":   -1,
	"batch.size":               KafkaProducer,
	"ssl.truststore.password":  -1,
	"ssl.keystore.password":    -1,
}

var kafkaOptions = map[string]kafkaOption{
	"bootstrap.servers": {apply: func(b *kafkaConfBuild, v string) error {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				b.conf.Brokers = append(b.conf.Brokers, s)
			}
		}
		return nil
	}},
	"client.id": {apply: func(b *kafkaConfBuild, v string) error {
		b.conf.Opts = append(b.conf.Opts, kgo.ClientID(v))
		return nil
	}},
	"security.protocol": {apply: func(b *kafkaConfBuild, v string) error {
		switch p := strings.ToUpper(strings.TrimSpace(v)); p {
		case "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL":
			b.protocol = p
			return nil
		}
		return fmt.Errorf("Invalid value '%s' for Kafka option 'kafka.security.protocol': use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL", v)
	}},
	// SASL and TLS settings are read together in finish.
	"sasl.mechanism":                        {apply: nop},
	"sasl.jaas.config":                      {apply: nop},
	"ssl.truststore.type":                   {apply: nop},
	"ssl.truststore.location":               {apply: nop},
	"ssl.truststore.certificates":           {apply: nop},
	"ssl.keystore.type":                     {apply: nop},
	"ssl.keystore.location":                 {apply: nop},
	"ssl.keystore.key":                      {apply: nop},
	"ssl.keystore.certificate.chain":        {apply: nop},
	"ssl.endpoint.identification.algorithm": {apply: nop},
	"ssl.protocol":                          {apply: nop},
	"ssl.enabled.protocols":                 {apply: nop},
	"ssl.key.password":                      {unsupported: "Kafka option 'kafka.ssl.key.password' is not supported: encrypted private keys cannot be read; decrypt the key (openssl pkey -in key.pem -out plain.pem) and pass it in kafka.ssl.keystore.location or kafka.ssl.keystore.key"},
	"request.timeout.ms": {apply: func(b *kafkaConfBuild, v string) error {
		d, err := kafkaMillis("request.timeout.ms", v)
		b.conf.Opts = append(b.conf.Opts, kgo.RequestTimeoutOverhead(d))
		return err
	}},
	"socket.connection.setup.timeout.ms": {apply: func(b *kafkaConfBuild, v string) error {
		d, err := kafkaMillis("socket.connection.setup.timeout.ms", v)
		b.conf.Opts = append(b.conf.Opts, kgo.DialTimeout(d))
		return err
	}},
	"connections.max.idle.ms": {apply: func(b *kafkaConfBuild, v string) error {
		d, err := kafkaMillis("connections.max.idle.ms", v)
		b.conf.Opts = append(b.conf.Opts, kgo.ConnIdleTimeout(d))
		return err
	}},
	"metadata.max.age.ms": {apply: func(b *kafkaConfBuild, v string) error {
		d, err := kafkaMillis("metadata.max.age.ms", v)
		b.conf.Opts = append(b.conf.Opts, kgo.MetadataMaxAge(d))
		return err
	}},
	"retry.backoff.ms": {apply: func(b *kafkaConfBuild, v string) error {
		d, err := kafkaMillis("retry.backoff.ms", v)
		b.conf.Opts = append(b.conf.Opts, kgo.RetryBackoffFn(func(int) time.Duration { return d }))
		return err
	}},

	// Consumer.
	"isolation.level": {roles: forRoles(KafkaConsumer), apply: func(b *kafkaConfBuild, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "read_uncommitted":
			b.conf.IsolationLevel, b.conf.ReadCommitted = kgo.ReadUncommitted(), false
		case "read_committed":
			b.conf.IsolationLevel, b.conf.ReadCommitted = kgo.ReadCommitted(), true
		default:
			return fmt.Errorf("Invalid value '%s' for Kafka option 'kafka.isolation.level': use read_uncommitted or read_committed", v)
		}
		return nil
	}},
	"fetch.max.bytes": {roles: forRoles(KafkaConsumer), apply: func(b *kafkaConfBuild, v string) error {
		n, err := kafkaInt32("fetch.max.bytes", v)
		b.conf.FetchMaxBytes = n
		return err
	}},
	"max.partition.fetch.bytes": {roles: forRoles(KafkaConsumer), apply: func(b *kafkaConfBuild, v string) error {
		n, err := kafkaInt32("max.partition.fetch.bytes", v)
		b.conf.PartitionMaxBytes = n
		return err
	}},
	"fetch.max.wait.ms": {roles: forRoles(KafkaConsumer), apply: func(b *kafkaConfBuild, v string) error {
		d, err := kafkaMillis("fetch.max.wait.ms", v)
		b.conf.FetchMaxWait = d
		return err
	}},
	"auto.offset.reset": {roles: forRoles(KafkaConsumer), unsupported: "Kafka option 'auto.offset.reset' is not supported.\n" +
		"Instead set the source option 'startingoffsets' to 'earliest' or 'latest'\n" +
		"to specify where to start. Structured Streaming manages which offsets are consumed\n" +
		"internally, rather than relying on the kafkaConsumer to do it. This will ensure that no\n" +
		"data is missed when new topics/partitions are dynamically subscribed. Note that\n" +
		"'startingoffsets' only applies when a new Streaming query is started, and\n" +
		"that resuming will always pick up from where the query left off. See the docs for more\n" +
		"details."},
	"key.deserializer":    {roles: forRoles(KafkaConsumer), unsupported: "Kafka option 'key.deserializer' is not supported as keys are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the keys."},
	"value.deserializer":  {roles: forRoles(KafkaConsumer), unsupported: "Kafka option 'value.deserializer' is not supported as values are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the values."},
	"enable.auto.commit":  {roles: forRoles(KafkaConsumer), unsupported: "Kafka option 'enable.auto.commit' is not supported"},
	"interceptor.classes": {unsupported: "Kafka option 'interceptor.classes' is not supported"},

	// Producer.
	"acks": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "all", "-1":
			b.conf.Opts = append(b.conf.Opts, kgo.RequiredAcks(kgo.AllISRAcks()))
		case "1":
			b.conf.Opts = append(b.conf.Opts, kgo.RequiredAcks(kgo.LeaderAck()), kgo.DisableIdempotentWrite())
		case "0":
			b.conf.Opts = append(b.conf.Opts, kgo.RequiredAcks(kgo.NoAck()), kgo.DisableIdempotentWrite())
		default:
			return fmt.Errorf("Invalid value '%s' for Kafka option 'kafka.acks': use all, -1, 1 or 0", v)
		}
		return nil
	}},
	"enable.idempotence": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		on, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("Invalid value '%s' for Kafka option 'kafka.enable.idempotence', must be true or false", v)
		}
		if !on {
			b.conf.Opts = append(b.conf.Opts, kgo.DisableIdempotentWrite())
		}
		return nil
	}},
	"compression.type": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		codecs := map[string]kgo.CompressionCodec{
			"none": kgo.NoCompression(), "gzip": kgo.GzipCompression(), "snappy": kgo.SnappyCompression(),
			"lz4": kgo.Lz4Compression(), "zstd": kgo.ZstdCompression(),
		}
		c, ok := codecs[strings.ToLower(strings.TrimSpace(v))]
		if !ok {
			return fmt.Errorf("Invalid value '%s' for Kafka option 'kafka.compression.type': use none, gzip, snappy, lz4 or zstd", v)
		}
		b.conf.Opts = append(b.conf.Opts, kgo.ProducerBatchCompression(c))
		return nil
	}},
	"linger.ms": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		d, err := kafkaMillis("linger.ms", v)
		b.conf.Opts = append(b.conf.Opts, kgo.ProducerLinger(d))
		return err
	}},
	"max.request.size": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		n, err := kafkaInt32("max.request.size", v)
		b.conf.Opts = append(b.conf.Opts, kgo.ProducerBatchMaxBytes(n))
		return err
	}},
	"delivery.timeout.ms": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		d, err := kafkaMillis("delivery.timeout.ms", v)
		b.conf.Opts = append(b.conf.Opts, kgo.RecordDeliveryTimeout(d))
		return err
	}},
	"retries": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		n, err := kafkaInt32("retries", v)
		b.conf.Opts = append(b.conf.Opts, kgo.RecordRetries(int(n)))
		return err
	}},
	"max.in.flight.requests.per.connection": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		n, err := kafkaInt32("max.in.flight.requests.per.connection", v)
		b.conf.Opts = append(b.conf.Opts, kgo.MaxProduceRequestsInflightPerBroker(int(n)))
		return err
	}},
	"buffer.memory": {roles: forRoles(KafkaProducer), apply: func(b *kafkaConfBuild, v string) error {
		n, err := kafkaInt32("buffer.memory", v)
		b.conf.Opts = append(b.conf.Opts, kgo.MaxBufferedBytes(int(n)))
		return err
	}},
	"key.serializer":    {roles: forRoles(KafkaProducer), unsupported: "Kafka option 'key.serializer' is not supported as keys are serialized with ByteArraySerializer."},
	"value.serializer":  {roles: forRoles(KafkaProducer), unsupported: "Kafka option 'value.serializer' is not supported as value are serialized with ByteArraySerializer."},
	"transactional.id":  {roles: forRoles(KafkaProducer), unsupported: "Kafka option 'transactional.id' is not supported: the Kafka sink writes each batch with an idempotent producer and gives at-least-once delivery (see docs/kafka.md)"},
	"partitioner.class": {roles: forRoles(KafkaProducer), unsupported: "Kafka option 'partitioner.class' is not supported: records with a key go to the partition Kafka's default partitioner picks (murmur2 of the key); set a 'partition' column to choose one yourself"},
}

func nop(*kafkaConfBuild, string) error { return nil }

func kafkaMillis(key, v string) (time.Duration, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("Invalid value '%s' for Kafka option 'kafka.%s', must be a non-negative number of milliseconds", v, key)
	}
	return time.Duration(n) * time.Millisecond, nil
}

func kafkaInt32(key, v string) (int32, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("Invalid value '%s' for Kafka option 'kafka.%s', must be a non-negative integer", v, key)
	}
	return int32(n), nil
}

// KafkaOptionNames lists the kafka.* options ParseKafkaConf accepts for
// role, sorted.
func KafkaOptionNames(role KafkaRole) []string {
	var out []string
	for k, o := range kafkaOptions {
		if o.unsupported == "" && o.allows(role) {
			out = append(out, "kafka."+k)
		}
	}
	for k, r := range kafkaIgnored {
		if r == -1 || r == role {
			out = append(out, "kafka."+k)
		}
	}
	sort.Strings(out)
	return out
}

func (o kafkaOption) allows(role KafkaRole) bool {
	if o.roles == nil {
		return true
	}
	for _, r := range o.roles {
		if r == role {
			return true
		}
	}
	return false
}

// ParseKafkaConf reads the kafka.* options for a consumer or a producer.
// Unknown kafka.* options, and options of the other role, are errors that
// list what is supported; options Spark refuses are refused with Spark's
// words.
func ParseKafkaConf(opts Options, role KafkaRole) (*KafkaConf, error) {
	b := &kafkaConfBuild{conf: &KafkaConf{
		FetchMaxBytes:     64 << 20,
		PartitionMaxBytes: 8 << 20,
		FetchMaxWait:      500 * time.Millisecond,
	}, opts: opts}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		if strings.HasPrefix(k, "kafka.") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := strings.TrimPrefix(k, "kafka.")
		if r, ok := kafkaIgnored[name]; ok && (r == -1 || r == role) {
			continue
		}
		o, ok := kafkaOptions[name]
		if !ok || !o.allows(role) {
			return nil, fmt.Errorf("Kafka option '%s' is not supported for a Kafka %s. Supported: %s (see docs/kafka.md)", k, role, strings.Join(KafkaOptionNames(role), ", "))
		}
		if o.unsupported != "" {
			return nil, fmt.Errorf("%s", o.unsupported)
		}
		if err := o.apply(b, opts[k]); err != nil {
			return nil, err
		}
	}
	if len(b.conf.Brokers) == 0 {
		return nil, fmt.Errorf("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka %s", role)
	}
	b.conf.Opts = append([]kgo.Opt{kgo.SeedBrokers(b.conf.Brokers...)}, b.conf.Opts...)
	if err := b.security(); err != nil {
		return nil, err
	}
	return b.conf, nil
}

// security applies kafka.security.protocol with its SASL and TLS options.
func (b *kafkaConfBuild) security() error {
	get := func(k string) (string, bool) { return b.opts.Get("kafka." + k) }
	protocol := b.protocol
	if protocol == "" {
		protocol = "PLAINTEXT"
	}
	useTLS := protocol == "SSL" || protocol == "SASL_SSL"
	useSASL := protocol == "SASL_PLAINTEXT" || protocol == "SASL_SSL"
	b.conf.Secured = useTLS || useSASL
	if !useSASL {
		for _, k := range []string{"sasl.mechanism", "sasl.jaas.config"} {
			if _, ok := get(k); ok {
				return fmt.Errorf("Kafka option 'kafka.%s' is set but kafka.security.protocol is %s: set kafka.security.protocol to SASL_PLAINTEXT or SASL_SSL", k, protocol)
			}
		}
	}
	if useSASL {
		mech, err := b.sasl()
		if err != nil {
			return err
		}
		b.conf.Opts = append(b.conf.Opts, kgo.SASL(mech))
	}
	if useTLS {
		cfg, err := kafkaTLS(get)
		if err != nil {
			return err
		}
		b.conf.Opts = append(b.conf.Opts, kgo.DialTLSConfig(cfg))
	} else {
		for _, k := range []string{"ssl.truststore.location", "ssl.truststore.certificates", "ssl.keystore.location", "ssl.keystore.key"} {
			if _, ok := get(k); ok {
				return fmt.Errorf("Kafka option 'kafka.%s' is set but kafka.security.protocol is %s: set kafka.security.protocol to SSL or SASL_SSL", k, protocol)
			}
		}
	}
	return nil
}
