package nexmark

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var (
	int64T = arrow.PrimitiveTypes.Int64
	tsT    = arrow.FixedWidthTypes.Timestamp_us
	strT   = arrow.BinaryTypes.String
)

func fields(nameTypes ...any) []arrow.Field {
	out := make([]arrow.Field, 0, len(nameTypes)/2)
	for i := 0; i < len(nameTypes); i += 2 {
		out = append(out, arrow.Field{Name: nameTypes[i].(string), Type: nameTypes[i+1].(arrow.DataType), Nullable: true})
	}
	return out
}

// The schemas of the three event tables, with the reference suites'
// column names; dateTime is the event time (timestamp, microseconds, UTC,
// whole milliseconds) and prices are in cents.
var (
	PersonSchema = arrow.NewSchema(fields(
		"id", int64T, "name", strT, "emailAddress", strT, "creditCard", strT,
		"city", strT, "state", strT, "dateTime", tsT, "extra", strT), nil)
	AuctionSchema = arrow.NewSchema(fields(
		"id", int64T, "itemName", strT, "description", strT, "initialBid", int64T,
		"reserve", int64T, "dateTime", tsT, "expires", tsT, "seller", int64T,
		"category", int64T, "extra", strT), nil)
	BidSchema = arrow.NewSchema(fields(
		"auction", int64T, "bidder", int64T, "price", int64T, "dateTime", tsT, "extra", strT), nil)
)

// SchemaOf returns the schema of the table of kind k.
func SchemaOf(k EventKind) *arrow.Schema {
	switch k {
	case PersonEvent:
		return PersonSchema
	case AuctionEvent:
		return AuctionSchema
	}
	return BidSchema
}

// ParseKind parses a table name: person, auction or bid (any case, plural
// allowed).
func ParseKind(s string) (EventKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person", "persons", "people":
		return PersonEvent, nil
	case "auction", "auctions":
		return AuctionEvent, nil
	case "bid", "bids":
		return BidEvent, nil
	}
	return 0, fmt.Errorf("nexmark: unknown table %q: use person, auction or bid", s)
}

// Record returns the events of kind k among events [from, to) as one
// record of SchemaOf(k), nil when there are none. The columns are
// generated straight into the record's buffers.
func (g *Generator) Record(k EventKind, from, to int64) arrow.Record {
	rows := int(CountKind(k, from, to))
	if rows == 0 {
		return nil
	}
	switch k {
	case PersonEvent:
		c := newPersonCols(rows)
		eachOfKind(PersonEvent, from, to, func(n int64) { g.appendPerson(c, n) })
		return newRecord(PersonSchema, []arrow.Array{
			int64Array(int64T, c.id), stringArray(c.name), stringArray(c.emailAddress),
			stringArray(c.creditCard), stringArray(c.city), stringArray(c.state),
			int64Array(tsT, c.dateTime), stringArray(c.extra),
		}, int64(rows))
	case AuctionEvent:
		c := newAuctionCols(rows)
		eachOfKind(AuctionEvent, from, to, func(n int64) { g.appendAuction(c, n) })
		return newRecord(AuctionSchema, []arrow.Array{
			int64Array(int64T, c.id), stringArray(c.itemName), stringArray(c.description),
			int64Array(int64T, c.initialBid), int64Array(int64T, c.reserve), int64Array(tsT, c.dateTime),
			int64Array(tsT, c.expires), int64Array(int64T, c.seller), int64Array(int64T, c.category),
			stringArray(c.extra),
		}, int64(rows))
	}
	c := newBidCols(rows)
	g.appendBids(c, from, to)
	return newRecord(BidSchema, []arrow.Array{
		int64Array(int64T, c.auction), int64Array(int64T, c.bidder), int64Array(int64T, c.price),
		int64Array(tsT, c.dateTime), stringArray(c.extra),
	}, int64(rows))
}

// appendBids generates the bids among events [from, to); it walks the
// 50-event epochs directly rather than testing every event's kind.
func (g *Generator) appendBids(c *bidCols, from, to int64) {
	const first = PersonProportion + AuctionProportion
	for n := from; n < to; {
		off := n % ProportionDenominator
		if off < first {
			n += first - off
			continue
		}
		end := min(to, n+ProportionDenominator-off)
		for ; n < end; n++ {
			g.appendBid(c, n)
		}
	}
}

// eachOfKind calls fn for every event of kind k in [from, to), in order.
func eachOfKind(k EventKind, from, to int64, fn func(n int64)) {
	lo, hi := int64(0), int64(PersonProportion)
	if k == AuctionEvent {
		lo, hi = PersonProportion, PersonProportion+AuctionProportion
	} else if k == BidEvent {
		lo, hi = PersonProportion+AuctionProportion, ProportionDenominator
	}
	for n := from; n < to; {
		off := n % ProportionDenominator
		switch {
		case off < lo:
			n += lo - off
		case off >= hi:
			n += ProportionDenominator - off + lo
		default:
			fn(n)
			n++
		}
	}
}

// newRecord makes a record of cols and hands their references to it.
func newRecord(schema *arrow.Schema, cols []arrow.Array, rows int64) arrow.Record {
	rec := array.NewRecord(schema, cols, rows)
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// int64Array wraps v, without copying, as an array of t (int64 or
// timestamp).
func int64Array(t arrow.DataType, v []int64) arrow.Array {
	data := array.NewData(t, len(v), []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int64Traits.CastToBytes(v))}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// stringArray wraps s, without copying, as a string array.
func stringArray(s strCol) arrow.Array {
	data := array.NewData(strT, len(s.offs)-1, []*memory.Buffer{
		nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(s.offs)), memory.NewBufferBytes(s.data),
	}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}
