package source

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/twmb/franz-go/pkg/kgo"
)

// KafkaHeadersType is the type of the headers column:
// array<struct<key:string,value:binary>>.
var KafkaHeadersType = arrow.ListOf(arrow.StructOf(
	arrow.Field{Name: "key", Type: arrow.BinaryTypes.String, Nullable: true},
	arrow.Field{Name: "value", Type: arrow.BinaryTypes.Binary, Nullable: true},
))

var kafkaFields = []arrow.Field{
	{Name: "key", Type: arrow.BinaryTypes.Binary, Nullable: true},
	{Name: "value", Type: arrow.BinaryTypes.Binary, Nullable: true},
	{Name: "topic", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "partition", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "offset", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "timestamp", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
	{Name: "timestampType", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
}

// KafkaSchema is the schema of the Kafka source, Spark's: key binary,
// value binary, topic string, partition int, offset long, timestamp
// timestamp, timestampType int, and with includeHeaders headers
// array<struct<key:string,value:binary>>.
func KafkaSchema(includeHeaders bool) *arrow.Schema {
	fs := append([]arrow.Field(nil), kafkaFields...)
	if includeHeaders {
		fs = append(fs, arrow.Field{Name: "headers", Type: KafkaHeadersType, Nullable: true})
	}
	return arrow.NewSchema(fs, nil)
}

// Records of a batch are cut at these sizes: Arrow binary arrays address
// their data with int32 offsets.
const (
	kafkaChunkRows  = 1 << 18
	kafkaChunkBytes = 1 << 28
)

// kafkaBuilder decodes fetched records straight into Arrow builders, one
// partition's offset range at a time.
type kafkaBuilder struct {
	schema  *arrow.Schema
	mem     memory.Allocator
	headers bool

	b          *array.RecordBuilder
	key, value *array.BinaryBuilder
	topic      *array.StringBuilder
	part       *array.Int32Builder
	off        *array.Int64Builder
	ts         *array.TimestampBuilder
	tsType     *array.Int32Builder
	hdr        *array.ListBuilder
	hdrStruct  *array.StructBuilder
	hk         *array.StringBuilder
	hv         *array.BinaryBuilder

	rows, bytes int
	// remain is how many more records the range can hold, to size the
	// builders once instead of growing them.
	remain int64
	sized  bool
	out    []arrow.Record
}

func newKafkaBuilder(mem memory.Allocator, includeHeaders bool, records int64) *kafkaBuilder {
	k := &kafkaBuilder{schema: KafkaSchema(includeHeaders), mem: mem, headers: includeHeaders, remain: records}
	k.reset()
	return k
}

func (k *kafkaBuilder) reset() {
	k.b = array.NewRecordBuilder(k.mem, k.schema)
	k.key = k.b.Field(0).(*array.BinaryBuilder)
	k.value = k.b.Field(1).(*array.BinaryBuilder)
	k.topic = k.b.Field(2).(*array.StringBuilder)
	k.part = k.b.Field(3).(*array.Int32Builder)
	k.off = k.b.Field(4).(*array.Int64Builder)
	k.ts = k.b.Field(5).(*array.TimestampBuilder)
	k.tsType = k.b.Field(6).(*array.Int32Builder)
	if k.headers {
		k.hdr = k.b.Field(7).(*array.ListBuilder)
		k.hdrStruct = k.hdr.ValueBuilder().(*array.StructBuilder)
		k.hk = k.hdrStruct.FieldBuilder(0).(*array.StringBuilder)
		k.hv = k.hdrStruct.FieldBuilder(1).(*array.BinaryBuilder)
	}
	k.rows, k.bytes, k.sized = 0, 0, false
}

// size reserves room for the rest of the range (within one chunk), taking
// the key and value sizes of the first records seen as typical.
func (k *kafkaBuilder) size(recs []*kgo.Record) {
	k.sized = true
	n := int(min(k.remain, kafkaChunkRows))
	if n <= len(recs) || len(recs) == 0 {
		return
	}
	var keys, vals int
	for _, r := range recs {
		keys += len(r.Key)
		vals += len(r.Value)
	}
	k.part.Reserve(n)
	k.off.Reserve(n)
	k.ts.Reserve(n)
	k.tsType.Reserve(n)
	k.key.Reserve(n)
	k.value.Reserve(n)
	k.topic.Reserve(n)
	k.key.ReserveData(int(min(int64(keys)*int64(n)/int64(len(recs)), kafkaChunkBytes)))
	k.value.ReserveData(int(min(int64(vals)*int64(n)/int64(len(recs)), kafkaChunkBytes)))
	k.topic.ReserveData(n * len(recs[0].Topic))
}

// append adds the records of recs whose offsets are in [from, until), in
// order; recs come from one partition.
func (k *kafkaBuilder) append(recs []*kgo.Record, from, until int64) {
	for len(recs) > 0 {
		n := len(recs)
		if room := kafkaChunkRows - k.rows; n > room {
			n = room
		}
		k.appendChunk(recs[:n], from, until)
		recs = recs[n:]
		if k.rows >= kafkaChunkRows || k.bytes >= kafkaChunkBytes {
			k.cut()
		}
	}
}

func (k *kafkaBuilder) appendChunk(recs []*kgo.Record, from, until int64) {
	if !k.sized {
		k.size(recs)
	}
	n := len(recs)
	k.part.Reserve(n)
	k.off.Reserve(n)
	k.ts.Reserve(n)
	k.tsType.Reserve(n)
	k.key.Reserve(n)
	k.value.Reserve(n)
	k.topic.Reserve(n)
	data := 0
	for _, r := range recs {
		data += len(r.Key) + len(r.Value)
	}
	k.value.ReserveData(data)
	for _, r := range recs {
		if r.Offset < from || r.Offset >= until {
			continue
		}
		if r.Key == nil {
			k.key.AppendNull()
		} else {
			k.key.Append(r.Key)
		}
		if r.Value == nil {
			k.value.AppendNull()
		} else {
			k.value.Append(r.Value)
		}
		k.topic.Append(r.Topic)
		k.part.UnsafeAppend(r.Partition)
		k.off.UnsafeAppend(r.Offset)
		k.ts.UnsafeAppend(arrow.Timestamp(r.Timestamp.UnixMicro()))
		k.tsType.UnsafeAppend(int32(r.Attrs.TimestampType()))
		if k.headers {
			if len(r.Headers) == 0 {
				k.hdr.AppendNull()
			} else {
				k.hdr.Append(true)
				for _, h := range r.Headers {
					k.hdrStruct.Append(true)
					k.hk.Append(h.Key)
					if h.Value == nil {
						k.hv.AppendNull()
					} else {
						k.hv.Append(h.Value)
					}
				}
			}
		}
		k.rows++
		k.remain--
		k.bytes += len(r.Key) + len(r.Value)
	}
}

// cut turns what was appended into a record.
func (k *kafkaBuilder) cut() {
	if k.rows == 0 {
		return
	}
	rec := k.b.NewRecord()
	k.b.Release()
	k.out = append(k.out, rec)
	k.reset()
}

// finish returns the records built; the caller releases them.
func (k *kafkaBuilder) finish() []arrow.Record {
	k.cut()
	k.b.Release()
	out := k.out
	k.out = nil
	return out
}

// release drops everything built.
func (k *kafkaBuilder) release() {
	k.b.Release()
	for _, r := range k.out {
		r.Release()
	}
	k.out = nil
}
