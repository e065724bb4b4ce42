package nexmark

import (
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// Person is a new person event.
type Person struct {
	ID                                          int64
	Name, EmailAddress, CreditCard, City, State string
	DateTime                                    time.Time
	Extra                                       string
}

// Auction is a new auction event; InitialBid and Reserve are in cents.
type Auction struct {
	ID                    int64
	ItemName, Description string
	InitialBid, Reserve   int64
	DateTime, Expires     time.Time
	Seller, Category      int64
	Extra                 string
}

// Bid is a bid event; Price is in cents.
type Bid struct {
	Auction, Bidder, Price int64
	DateTime               time.Time
	Extra                  string
}

// Event is one event of the sequence: exactly one of Person, Auction and
// Bid is set, as Kind says.
type Event struct {
	Number  int64 // the event's position in the sequence, from 0
	Kind    EventKind
	Person  *Person
	Auction *Auction
	Bid     *Bid
}

// Events returns events [from, to) as Go values. It is meant for tests
// and reference computations; streaming queries read the Arrow records
// of Record or the source, which are built without per-event values.
func (g *Generator) Events(from, to int64) []Event {
	if to <= from {
		return nil
	}
	var ps []Person
	var as []Auction
	var bs []Bid
	if rec := g.Record(PersonEvent, from, to); rec != nil {
		ps = Persons(rec)
		rec.Release()
	}
	if rec := g.Record(AuctionEvent, from, to); rec != nil {
		as = Auctions(rec)
		rec.Release()
	}
	if rec := g.Record(BidEvent, from, to); rec != nil {
		bs = Bids(rec)
		rec.Release()
	}
	out := make([]Event, 0, to-from)
	for n := from; n < to; n++ {
		e := Event{Number: n, Kind: KindOf(n)}
		switch e.Kind {
		case PersonEvent:
			e.Person, ps = &ps[0], ps[1:]
		case AuctionEvent:
			e.Auction, as = &as[0], as[1:]
		default:
			e.Bid, bs = &bs[0], bs[1:]
		}
		out = append(out, e)
	}
	return out
}

func col[T any](rec arrow.Record, name string) T {
	idx := rec.Schema().FieldIndices(name)
	return rec.Column(idx[0]).(T)
}

func tsOf(a *array.Timestamp, i int) time.Time {
	return time.UnixMicro(int64(a.Value(i))).UTC()
}

// Persons reads a record of PersonSchema.
func Persons(rec arrow.Record) []Person {
	id := col[*array.Int64](rec, "id")
	name, email := col[*array.String](rec, "name"), col[*array.String](rec, "emailAddress")
	cc, city, state := col[*array.String](rec, "creditCard"), col[*array.String](rec, "city"), col[*array.String](rec, "state")
	ts, extra := col[*array.Timestamp](rec, "dateTime"), col[*array.String](rec, "extra")
	out := make([]Person, rec.NumRows())
	for i := range out {
		out[i] = Person{ID: id.Value(i), Name: name.Value(i), EmailAddress: email.Value(i), CreditCard: cc.Value(i),
			City: city.Value(i), State: state.Value(i), DateTime: tsOf(ts, i), Extra: extra.Value(i)}
	}
	return out
}

// Auctions reads a record of AuctionSchema.
func Auctions(rec arrow.Record) []Auction {
	id, name, desc := col[*array.Int64](rec, "id"), col[*array.String](rec, "itemName"), col[*array.String](rec, "description")
	initial, reserve := col[*array.Int64](rec, "initialBid"), col[*array.Int64](rec, "reserve")
	ts, expires := col[*array.Timestamp](rec, "dateTime"), col[*array.Timestamp](rec, "expires")
	seller, category, extra := col[*array.Int64](rec, "seller"), col[*array.Int64](rec, "category"), col[*array.String](rec, "extra")
	out := make([]Auction, rec.NumRows())
	for i := range out {
		out[i] = Auction{ID: id.Value(i), ItemName: name.Value(i), Description: desc.Value(i), InitialBid: initial.Value(i),
			Reserve: reserve.Value(i), DateTime: tsOf(ts, i), Expires: tsOf(expires, i), Seller: seller.Value(i),
			Category: category.Value(i), Extra: extra.Value(i)}
	}
	return out
}

// Bids reads a record of BidSchema.
func Bids(rec arrow.Record) []Bid {
	auction, bidder, price := col[*array.Int64](rec, "auction"), col[*array.Int64](rec, "bidder"), col[*array.Int64](rec, "price")
	ts, extra := col[*array.Timestamp](rec, "dateTime"), col[*array.String](rec, "extra")
	out := make([]Bid, rec.NumRows())
	for i := range out {
		out[i] = Bid{Auction: auction.Value(i), Bidder: bidder.Value(i), Price: price.Value(i), DateTime: tsOf(ts, i), Extra: extra.Value(i)}
	}
	return out
}

// Time is the event's event time.
func (e Event) Time() time.Time {
	switch {
	case e.Person != nil:
		return e.Person.DateTime
	case e.Auction != nil:
		return e.Auction.DateTime
	case e.Bid != nil:
		return e.Bid.DateTime
	}
	return time.Time{}
}
