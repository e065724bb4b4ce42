package queries

import (
	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

// WindowSize is the window of q5, q7 and q8, and Slide q5's slide, as in
// the reference suites (which shortened the original hour and minute).
const (
	WindowSize = "10 seconds"
	Slide      = "2 seconds"
)

// Q0 passes every bid through unchanged: the cost of reading and writing.
func Q0(bids *engine.DataFrame) *engine.DataFrame {
	return bids.Select("auction", "bidder", "price", "dateTime", "extra")
}

// Q1 converts bid prices from dollars to euros (× 0.908).
func Q1(bids *engine.DataFrame) *engine.DataFrame {
	return bids.Select(F.Col("auction"), F.Col("bidder"), F.Col("price").Multiply(0.908).Alias("price"),
		F.Col("dateTime"), F.Col("extra"))
}

// Q2 selects the bids on every 123rd auction, with their price.
func Q2(bids *engine.DataFrame) *engine.DataFrame {
	return bids.Filter(F.Col("auction").Mod(123).EqualTo(0)).Select("auction", "price")
}

// Q3 lists who sells in category 10 from Oregon, Idaho or California, and
// which auctions: a stream-stream inner join of auctions and persons on
// seller = id (Append mode; the join keeps every person and auction).
func Q3(persons, auctions *engine.DataFrame) *engine.DataFrame {
	p := persons.Filter(F.Col("state").IsIn("OR", "ID", "CA")).
		Select(F.Col("id").Alias("person"), F.Col("name"), F.Col("city"), F.Col("state"))
	a := auctions.Filter(F.Col("category").EqualTo(10)).Select("id", "seller")
	return a.Join(p, F.Col("seller").EqualTo(F.Col("person"))).Select("name", "city", "state", "id")
}
