package queries

import (
	"fmt"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
)

// delay is the watermark delay of the stateful tests. The generated
// events come in event-time order, so no row is ever late.
const delay = "1 second"

// finalWatermark is the watermark after the whole input: the last event
// time less the delay. Windows (and auctions) ending at or before it are
// emitted; later ones stay open when the input ends.
func finalWatermark() time.Time {
	return input[len(input)-1].Time().Add(-time.Second)
}

// windowsOf lists the starts of the windows of size and slide holding t.
func windowsOf(t time.Time, size, slide time.Duration) []time.Time {
	var out []time.Time
	last := t.Truncate(slide)
	for s := last; s.After(t.Add(-size)); s = s.Add(-slide) {
		out = append(out, s)
	}
	return out
}

func TestQ4(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	first, stage := Q4(table(s, "auction"), table(s, "bid"), delay)
	perBatch := runForeach(t, first, stage)
	// Fold the per-batch sums into averages, as a caller of Q4 does.
	totals := map[string][2]float64{}
	for _, r := range perBatch {
		var total, n float64
		parts := splitRow(r)
		cat := parts[0]
		if _, err := fmt.Sscan(parts[1], &total); err != nil {
			t.Fatal(err)
		}
		if _, err := fmt.Sscan(parts[2], &n); err != nil {
			t.Fatal(err)
		}
		v := totals[cat]
		totals[cat] = [2]float64{v[0] + total, v[1] + n}
	}
	var got []string
	for cat, v := range totals {
		got = append(got, row(cat, v[0]/v[1], v[1]))
	}

	wm := finalWatermark()
	bidsOf := map[int64][]int{}
	bs := bids()
	for i, b := range bs {
		bidsOf[b.Auction] = append(bidsOf[b.Auction], i)
	}
	type acc struct{ total, n float64 }
	perCat := map[int64]*acc{}
	for _, a := range auctions() {
		if a.Expires.After(wm) {
			continue // still open when the input ends
		}
		best, found := int64(0), false
		for _, i := range bidsOf[a.ID] {
			b := bs[i]
			if !b.DateTime.Before(a.DateTime) && !b.DateTime.After(a.Expires) && (!found || b.Price > best) {
				best, found = b.Price, true
			}
		}
		if !found {
			continue
		}
		c := perCat[a.Category]
		if c == nil {
			c = &acc{}
			perCat[a.Category] = c
		}
		c.total += float64(best)
		c.n++
	}
	var want []string
	for cat, c := range perCat {
		want = append(want, row(cat, c.total/c.n, c.n))
	}
	compare(t, sorted(got), sorted(want))
}

func TestQ5(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	first, stage := Q5(table(s, "bid"), delay)
	got := runForeach(t, first, stage)

	wm := finalWatermark()
	counts := map[time.Time]map[int64]int64{}
	for _, b := range bids() {
		for _, w := range windowsOf(b.DateTime, 10*time.Second, 2*time.Second) {
			if w.Add(10 * time.Second).After(wm) {
				continue
			}
			if counts[w] == nil {
				counts[w] = map[int64]int64{}
			}
			counts[w][b.Auction]++
		}
	}
	var want []string
	for w, per := range counts {
		var top int64
		for _, n := range per {
			top = max(top, n)
		}
		for auction, n := range per {
			if n == top {
				want = append(want, row(auction, n, w))
			}
		}
	}
	compare(t, got, sorted(want))
}

func TestQ7(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	got := runStream(t, s, Q7(table(s, "bid"), delay), "append")

	wm := finalWatermark()
	top := map[time.Time]int64{}
	bs := bids()
	for _, b := range bs {
		w := b.DateTime.Truncate(10 * time.Second)
		if w.Add(10 * time.Second).After(wm) {
			continue
		}
		top[w] = max(top[w], b.Price)
	}
	var want []string
	for _, b := range bs {
		if p, ok := top[b.DateTime.Truncate(10*time.Second)]; ok && p == b.Price {
			want = append(want, row(b.Auction, b.Bidder, b.Price, b.DateTime, b.Extra))
		}
	}
	compare(t, got, sorted(want))
}

func TestQ8(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	got := runStream(t, s, Q8(table(s, "person"), table(s, "auction"), delay), "append")

	type key struct {
		id int64
		w  time.Time
	}
	sellers := map[key]bool{}
	for _, a := range auctions() {
		sellers[key{a.Seller, a.DateTime.Truncate(10 * time.Second)}] = true
	}
	var want []string
	for _, p := range persons() {
		w := p.DateTime.Truncate(10 * time.Second)
		if sellers[key{p.ID, w}] {
			want = append(want, row(p.ID, p.Name, w))
		}
	}
	compare(t, got, sorted(want))
}

func splitRow(r string) []string {
	var out []string
	start := 0
	for i := 0; i < len(r); i++ {
		if r[i] == '|' {
			out = append(out, r[start:i])
			start = i + 1
		}
	}
	return append(out, r[start:])
}
