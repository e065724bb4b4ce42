package nexmark

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow/array"
)

func newGen(t testing.TB, mod func(*Config)) *Generator {
	t.Helper()
	cfg := DefaultConfig()
	if mod != nil {
		mod(&cfg)
	}
	g, err := NewGenerator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// line renders event e as testdata/NexmarkReference.java prints it.
func line(e Event) string {
	ms := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	switch e.Kind {
	case PersonEvent:
		p := e.Person
		return fmt.Sprintf("%d|person|%d|%s|%s|%s|%s|%s|%s|%s", e.Number, p.ID, p.Name, p.EmailAddress, p.CreditCard, p.City, p.State, ms(p.DateTime), p.Extra)
	case AuctionEvent:
		a := e.Auction
		return fmt.Sprintf("%d|auction|%d|%s|%s|%d|%d|%s|%s|%d|%d|%s", e.Number, a.ID, a.ItemName, a.Description, a.InitialBid, a.Reserve, ms(a.DateTime), ms(a.Expires), a.Seller, a.Category, a.Extra)
	}
	b := e.Bid
	return fmt.Sprintf("%d|bid|%d|%d|%d|%s|%s", e.Number, b.Auction, b.Bidder, b.Price, ms(b.DateTime), b.Extra)
}

// TestJavaReference compares events with the ones the JDK computes from
// the same rules (testdata/NexmarkReference.java): java.util.Random,
// Math.pow and Math.round, String.trim and Java's char arithmetic.
func TestJavaReference(t *testing.T) {
	f, err := os.Open("testdata/reference.golden")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := newGen(t, nil)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		want := sc.Text()
		n, err := strconv.ParseInt(want[:strings.IndexByte(want, '|')], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := line(g.Events(n, n+1)[0]); got != want {
			t.Errorf("event %d:\ngot  %s\nwant %s", n, got, want)
		}
		lines++
	}
	if lines != 450 {
		t.Fatalf("read %d reference events, want 450", lines)
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		name     string
		from, to int64
		want     [3]int64 // persons, auctions, bids
	}{
		{"empty", 7, 7, [3]int64{}},
		{"first epoch", 0, 50, [3]int64{1, 3, 46}},
		{"person only", 100, 101, [3]int64{1, 0, 0}},
		{"auctions only", 51, 54, [3]int64{0, 3, 0}},
		{"bids of an epoch", 54, 100, [3]int64{0, 0, 46}},
		{"straddling epochs", 48, 155, [3]int64{3, 9, 95}},
		{"large", 1_000_000, 1_000_000 + 5000, [3]int64{100, 300, 4600}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var loop [3]int64
			for n := tc.from; n < tc.to; n++ {
				loop[KindOf(n)]++
			}
			if loop != tc.want {
				t.Fatalf("KindOf over the range counts %v, want %v", loop, tc.want)
			}
			for k := PersonEvent; k <= BidEvent; k++ {
				if got := CountKind(k, tc.from, tc.to); got != tc.want[k] {
					t.Errorf("CountKind(%s) = %d, want %d", k, got, tc.want[k])
				}
				var seen int64
				eachOfKind(k, tc.from, tc.to, func(n int64) {
					if KindOf(n) != k {
						t.Errorf("eachOfKind(%s) visited event %d of kind %s", k, n, KindOf(n))
					}
					seen++
				})
				if seen != tc.want[k] {
					t.Errorf("eachOfKind(%s) visited %d events, want %d", k, seen, tc.want[k])
				}
			}
		})
	}
}

// TestRangesCompose checks that generating a range in pieces gives the
// same rows as generating it at once, that the seed changes the rows and
// that the same seed repeats them.
func TestRangesCompose(t *testing.T) {
	g := newGen(t, nil)
	whole := g.Events(0, 3000)
	var pieces []Event
	for _, cut := range [][2]int64{{0, 1}, {1, 77}, {77, 1234}, {1234, 3000}} {
		pieces = append(pieces, g.Events(cut[0], cut[1])...)
	}
	for i := range whole {
		if a, b := line(whole[i]), line(pieces[i]); a != b {
			t.Fatalf("event %d differs when generated in pieces:\n%s\n%s", i, a, b)
		}
	}
	seeded := newGen(t, func(c *Config) { c.Seed = 7 })
	again := newGen(t, func(c *Config) { c.Seed = 7 })
	same, differ := 0, 0
	for n := int64(0); n < 500; n++ {
		a, b := line(seeded.Events(n, n+1)[0]), line(again.Events(n, n+1)[0])
		if a != b {
			t.Fatalf("seed 7 gives two different events %d", n)
		}
		if a == line(whole[n]) {
			same++
		} else {
			differ++
		}
	}
	if differ < 490 {
		t.Errorf("seed 7 changed only %d of 500 events", differ)
	}
}

// TestDistribution checks the published rates on 500,000 events: hot
// auctions, bidders and sellers, categories, id ranges, sizes and event
// times.
func TestDistribution(t *testing.T) {
	g := newGen(t, nil)
	const events = 500_000
	bids := Bids(g.Record(BidEvent, 0, events))
	auctions := Auctions(g.Record(AuctionEvent, 0, events))
	persons := Persons(g.Record(PersonEvent, 0, events))

	var hotAuction, hotBidder, extra int
	var logPrice float64
	for i, b := range bids {
		n := eventNumberOf(BidEvent, i)
		if b.Auction-FirstAuctionID == lastBase0AuctionID(n)/hotBatch*hotBatch {
			hotAuction++
		}
		if b.Bidder-FirstPersonID == lastBase0PersonID(n)/hotBatch*hotBatch+1 {
			hotBidder++
		}
		if maxA := lastBase0AuctionID(n) + FirstAuctionID; b.Auction < max(maxA-100, FirstAuctionID) || b.Auction > maxA+auctionIDLead {
			t.Fatalf("bid %d names auction %d outside [%d-100, %d+10]", n, b.Auction, maxA, maxA)
		}
		if want := g.TimestampMs(n); b.DateTime.UnixMilli() != want {
			t.Fatalf("bid %d at %v, want %d ms", n, b.DateTime, want)
		}
		extra += len(b.Extra)
		logPrice += math.Log10(float64(b.Price) / 100)
	}
	var hotSeller int
	categories := map[int64]int{}
	for i, a := range auctions {
		n := eventNumberOf(AuctionEvent, i)
		if a.ID != lastBase0AuctionID(n)+FirstAuctionID {
			t.Fatalf("auction event %d has id %d", n, a.ID)
		}
		if a.Seller-FirstPersonID == lastBase0PersonID(n)/hotBatch*hotBatch {
			hotSeller++
		}
		if !a.Expires.After(a.DateTime) || a.Reserve < a.InitialBid {
			t.Fatalf("auction %d: expires %v at %v, reserve %d below initial bid %d", a.ID, a.Expires, a.DateTime, a.Reserve, a.InitialBid)
		}
		categories[a.Category]++
	}
	for i, p := range persons {
		if want := int64(i) + FirstPersonID; p.ID != want {
			t.Fatalf("person %d has id %d", i, p.ID)
		}
	}
	rate := func(n, of int) float64 { return float64(n) / float64(of) }
	checks := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"bids", float64(len(bids)), events * 46 / 50, 0},
		{"auctions", float64(len(auctions)), events * 3 / 50, 0},
		{"persons", float64(len(persons)), events / 50, 0},
		// Random picks land on the hot key now and then, hence >.
		{"hot auction share", rate(hotAuction, len(bids)), 0.5 + 0.5/110, 0.01},
		{"hot bidder share", rate(hotBidder, len(bids)), 0.75, 0.01},
		{"hot seller share", rate(hotSeller, len(auctions)), 0.75, 0.01},
		{"categories", float64(len(categories)), NumCategories, 0},
		{"bid extra length", rate(extra, len(bids)), 100 - 32 - 0.5, 0.5},
		{"mean log10 price in dollars", logPrice / float64(len(bids)), 3, 0.02},
		{"event time of the last event", float64(g.TimestampMs(events - 1)), float64(g.baseMs + (events-1)/10), 0},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s = %v, want %v ± %v", c.name, c.got, c.want, c.tol)
		}
	}
}

// eventNumberOf is the event number of the i-th event of kind k.
func eventNumberOf(k EventKind, i int) int64 {
	per := map[EventKind][2]int64{PersonEvent: {0, 1}, AuctionEvent: {1, 3}, BidEvent: {4, 46}}[k]
	return int64(i)/per[1]*ProportionDenominator + per[0] + int64(i)%per[1]
}

func TestEventsBefore(t *testing.T) {
	tests := []struct {
		name string
		eps  float64
	}{{"default rate", 10000}, {"fractional delay", 3}, {"fast", 7_000_000}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newGen(t, func(c *Config) { c.EventsPerSecond = tc.eps })
			base := g.Config().BaseTime
			for _, d := range []time.Duration{-time.Second, 0, time.Millisecond, 1234 * time.Millisecond, time.Hour} {
				at := base.Add(d)
				n := g.EventsBefore(at)
				if n > 0 && !g.Timestamp(n-1).Before(at) {
					t.Errorf("at %v: event %d (before the boundary) is at %v", d, n-1, g.Timestamp(n-1))
				}
				if g.Timestamp(n).Before(at) {
					t.Errorf("at %v: event %d (after the boundary) is at %v", d, n, g.Timestamp(n))
				}
			}
		})
	}
}

func TestRecordColumns(t *testing.T) {
	g := newGen(t, nil)
	for k := PersonEvent; k <= BidEvent; k++ {
		rec := g.Record(k, 0, 1000)
		if !rec.Schema().Equal(SchemaOf(k)) {
			t.Errorf("%s record schema %s", k, rec.Schema())
		}
		for i, c := range rec.Columns() {
			if c.Len() != int(rec.NumRows()) || c.NullN() != 0 {
				t.Errorf("%s column %d: %d values, %d nulls, want %d and 0", k, i, c.Len(), c.NullN(), rec.NumRows())
			}
			if s, ok := c.(*array.String); ok {
				offs := s.ValueOffsets()
				for j := 1; j < len(offs); j++ {
					if offs[j] < offs[j-1] {
						t.Fatalf("%s column %d: offsets go back at %d", k, i, j)
					}
				}
				if int(offs[len(offs)-1]) != len(s.ValueBytes()) {
					t.Errorf("%s column %d: last offset %d, %d bytes", k, i, offs[len(offs)-1], len(s.ValueBytes()))
				}
			}
		}
		rec.Release()
	}
	if rec := g.Record(PersonEvent, 1, 50); rec != nil {
		t.Errorf("events 1..49 hold %d persons, want none (nil record)", rec.NumRows())
	}
}

// TestPow10 checks the price curve against math.Pow: a relative error far
// below a cent's worth, and the same prices on 500,000 draws.
func TestPow10(t *testing.T) {
	r := newJRand(99)
	worst, differ := 0.0, 0
	for i := 0; i < 500_000; i++ {
		u := r.nextDouble()
		if i < 2 {
			u = float64(i) * (1 - 1.0/(1<<53)) // both ends
		}
		want := math.Pow(10, u*6)
		got := pow10x6(u)
		worst = max(worst, math.Abs(got-want)/want)
		if math.Floor(got*100+0.5) != math.Floor(want*100+0.5) {
			differ++
		}
	}
	if worst > 1e-14 || differ > 0 {
		t.Errorf("largest relative error %g (want < 1e-14), %d prices differ from math.Pow's (want 0)", worst, differ)
	}
}
