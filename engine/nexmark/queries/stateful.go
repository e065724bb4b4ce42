package queries

import (
	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

// Stage is a second stage applied to each micro-batch of a first stage
// (in foreachBatch): a batch DataFrame in, a batch DataFrame out.
type Stage func(batch *engine.DataFrame) *engine.DataFrame

// Q4 is the average closing price per category. The first stage, a
// stream-stream join of auctions and their bids placed while they were
// open, keeps the highest bid of each auction and emits it once the
// watermark passes the auction's expiry (Append mode): the closing price.
// The second stage sums closing prices and counts auctions per category
// in each batch; the caller adds those up into the running averages.
// delay is the watermark delay of both inputs ("1 second").
func Q4(auctions, bids *engine.DataFrame, delay string) (*engine.DataFrame, Stage) {
	a := auctions.WithWatermark("expires", delay).
		Select(F.Col("id"), F.Col("category"), F.Col("dateTime").Alias("opened"), F.Col("expires"))
	b := bids.WithWatermark("dateTime", delay).
		Select(F.Col("auction"), F.Col("price"), F.Col("dateTime").Alias("placed"))
	closing := a.Join(b, F.Col("id").EqualTo(F.Col("auction")).
		And(F.Col("placed").Between(F.Col("opened"), F.Col("expires")))).
		GroupBy("id", "category", "expires").
		Agg(F.Max("price").Alias("final"))
	return closing, func(batch *engine.DataFrame) *engine.DataFrame {
		return batch.GroupBy("category").Agg(F.Sum("final").Alias("total"), F.Count("*").Alias("auctions"))
	}
}

// Q5 finds the hot items: per sliding window of 10 seconds every 2
// seconds, the auctions with the most bids. The first stage counts bids
// per auction and window and emits each window once closed (Append), so
// a batch holds every count of its windows; the second stage keeps, per
// window, the auctions whose count is the window's highest. Output:
// auction, num, starttime.
func Q5(bids *engine.DataFrame, delay string) (*engine.DataFrame, Stage) {
	counts := bids.WithWatermark("dateTime", delay).
		GroupBy(F.Window(F.Col("dateTime"), WindowSize, Slide), F.Col("auction")).
		Count().
		Select(F.Col("auction"), F.Col("count").Alias("num"), F.Col("window.start").Alias("starttime"))
	return counts, func(batch *engine.DataFrame) *engine.DataFrame {
		top := batch.GroupBy("starttime").Agg(F.Max("num").Alias("maxn"))
		return batch.Join(top, "starttime").
			Filter(F.Col("num").Geq(F.Col("maxn"))).
			Select("auction", "num", "starttime")
	}
}

// Q7 finds the highest bids per 10-second tumbling window: the maximum
// price per window (an aggregation emitted when the window closes), joined
// back to the bids of that window at that price. Both sides are keyed on
// the window, whose end carries the watermark, so the join forgets a
// window's bids once it has closed. Output: auction, bidder, price,
// dateTime, extra.
func Q7(bids *engine.DataFrame, delay string) *engine.DataFrame {
	b := bids.WithWatermark("dateTime", delay).
		Select(F.Col("auction"), F.Col("bidder"), F.Col("price"), F.Col("dateTime"), F.Col("extra"),
			F.Window(F.Col("dateTime"), WindowSize).Alias("window"))
	maxes := b.GroupBy(F.Window(F.Col("dateTime"), WindowSize)).Agg(F.Max("price").Alias("price"))
	return b.Join(maxes, []string{"window", "price"}).
		Select("auction", "bidder", "price", "dateTime", "extra")
}

// Q8 monitors new users: the persons who created auctions in the same
// 10-second tumbling window as they registered. Both sides are keyed on
// the window (whose end carries the watermark, so the join state is
// evicted as windows close); a seller's several auctions in one window
// count once. Output: id, name, starttime.
func Q8(persons, auctions *engine.DataFrame, delay string) *engine.DataFrame {
	p := persons.WithWatermark("dateTime", delay).
		Select(F.Col("id"), F.Col("name"), F.Window(F.Col("dateTime"), WindowSize).Alias("window"))
	a := auctions.WithWatermark("dateTime", delay).
		Select(F.Col("seller").Alias("id"), F.Window(F.Col("dateTime"), WindowSize).Alias("window")).
		DropDuplicates("id", "window")
	return p.Join(a, []string{"id", "window"}).
		Select(F.Col("id"), F.Col("name"), F.Col("window.start").Alias("starttime"))
}
