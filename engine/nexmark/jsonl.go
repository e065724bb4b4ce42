package nexmark

import (
	"bufio"
	"context"
	"io"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// EventDDL is the schema of the JSON lines WriteJSON writes, as a DDL
// string for schema(...): the single-stream layout of the reference
// suites, an event_type (0 person, 1 auction, 2 bid) and one struct per
// kind, of which only the event's own is present. Timestamps are written
// "yyyy-MM-dd HH:mm:ss.SSS" in UTC.
const EventDDL = "event_type INT, " +
	"person STRUCT<id: BIGINT, name: STRING, emailAddress: STRING, creditCard: STRING, city: STRING, state: STRING, dateTime: TIMESTAMP, extra: STRING>, " +
	"auction STRUCT<id: BIGINT, itemName: STRING, description: STRING, initialBid: BIGINT, reserve: BIGINT, dateTime: TIMESTAMP, expires: TIMESTAMP, seller: BIGINT, category: BIGINT, extra: STRING>, " +
	"bid STRUCT<auction: BIGINT, bidder: BIGINT, price: BIGINT, dateTime: TIMESTAMP, extra: STRING>"

// EventSchema is EventDDL as an Arrow schema.
var EventSchema = arrow.NewSchema([]arrow.Field{
	{Name: "event_type", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "person", Type: arrow.StructOf(PersonSchema.Fields()...), Nullable: true},
	{Name: "auction", Type: arrow.StructOf(AuctionSchema.Fields()...), Nullable: true},
	{Name: "bid", Type: arrow.StructOf(BidSchema.Fields()...), Nullable: true},
}, nil)

// WriteJSON writes events [from, to) to w as JSON lines in event order,
// one object per event in the EventDDL layout, and returns the bytes
// written.
func (g *Generator) WriteJSON(ctx context.Context, w io.Writer, from, to int64) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	var written int64
	var line []byte
	var ts tsFormatter
	for lo := from; lo < to; lo += DefaultChunkEvents {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		hi := min(lo+DefaultChunkEvents, to)
		var recs [3]arrow.Record
		var next [3]int
		for k := PersonEvent; k <= BidEvent; k++ {
			recs[k] = g.Record(k, lo, hi)
		}
		for n := lo; n < hi; n++ {
			k := KindOf(n)
			line = appendEventJSON(line[:0], &ts, k, recs[k], next[k])
			next[k]++
			m, err := bw.Write(line)
			written += int64(m)
			if err != nil {
				releaseAll(recs[:])
				return written, err
			}
		}
		releaseAll(recs[:])
	}
	return written, bw.Flush()
}

func releaseAll(recs []arrow.Record) {
	for _, r := range recs {
		if r != nil {
			r.Release()
		}
	}
}

// appendEventJSON appends row i of rec, an event of kind k, as one line.
func appendEventJSON(b []byte, ts *tsFormatter, k EventKind, rec arrow.Record, i int) []byte {
	b = append(b, `{"event_type":`...)
	b = strconv.AppendInt(b, int64(k), 10)
	b = append(b, `,"`...)
	b = append(b, k.String()...)
	b = append(b, `":{`...)
	for c, f := range rec.Schema().Fields() {
		if c > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, f.Name...)
		b = append(b, `":`...)
		switch a := rec.Column(c).(type) {
		case *array.Int64:
			b = strconv.AppendInt(b, a.Value(i), 10)
		case *array.Timestamp:
			b = append(b, '"')
			b = ts.append(b, int64(a.Value(i))/1000)
			b = append(b, '"')
		case *array.String:
			b = appendJSONString(b, a.Value(i))
		}
	}
	return append(b, "}}\n"...)
}

// appendJSONString appends s quoted; generated strings are ASCII, so only
// quotes, backslashes and control characters need escapes.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// tsFormatter formats milliseconds since the epoch as
// "yyyy-MM-dd HH:mm:ss.SSS" in UTC, formatting the date once per day.
type tsFormatter struct {
	day  int64
	date []byte
}

func (f *tsFormatter) append(b []byte, ms int64) []byte {
	day := ms / 86400000
	if ms < 0 && ms%86400000 != 0 {
		day--
	}
	if f.date == nil || day != f.day {
		f.day = day
		f.date = time.UnixMilli(day*86400000).UTC().AppendFormat(f.date[:0], "2006-01-02 ")
	}
	b = append(b, f.date...)
	r := ms - day*86400000
	two := func(b []byte, v int64) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }
	b = two(b, r/3600000)
	b = append(b, ':')
	b = two(b, r/60000%60)
	b = append(b, ':')
	b = two(b, r/1000%60)
	b = append(b, '.')
	ms3 := r % 1000
	return append(b, byte('0'+ms3/100), byte('0'+ms3/10%10), byte('0'+ms3%10))
}
