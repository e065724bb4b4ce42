package queries

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/nexmark"
)

// The test input: events at 200 per second of event time, so that 30,000
// events span 150 seconds (fifteen 10-second windows), read in batches of
// at most batchEvents.
const (
	events      = 30_000
	batchEvents = 4_000
	eps         = 200
)

var base = time.Date(2015, 7, 15, 0, 0, 0, 0, time.UTC)

// input is the generated sequence the reference computations loop over.
var input = func() []nexmark.Event {
	cfg := nexmark.DefaultConfig()
	cfg.EventsPerSecond, cfg.BaseTime = eps, base
	g, err := nexmark.NewGenerator(cfg)
	if err != nil {
		panic(err)
	}
	return g.Events(0, events)
}()

func persons() (out []nexmark.Person) {
	for _, e := range input {
		if e.Person != nil {
			out = append(out, *e.Person)
		}
	}
	return out
}

func auctions() (out []nexmark.Auction) {
	for _, e := range input {
		if e.Auction != nil {
			out = append(out, *e.Auction)
		}
	}
	return out
}

func bids() (out []nexmark.Bid) {
	for _, e := range input {
		if e.Bid != nil {
			out = append(out, *e.Bid)
		}
	}
	return out
}

// table is format("nexmark") over the test input.
func table(s *engine.Session, name string) *engine.DataFrame {
	return s.ReadStream().Format("nexmark").
		Option("table", name).
		Option("eventsPerSecond", eps).
		Option("baseTime", base.UnixMilli()).
		Option("unbounded", true).
		Option("maxEvents", events).
		Option("maxEventsPerTrigger", batchEvents).
		Load()
}

// row renders values as the tests compare them.
func row(vals ...any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format("2006-01-02 15:04:05.000")
		}
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, "|")
}

func sorted(rows []string) []string {
	sort.Strings(rows)
	return rows
}

// runStream runs df to a memory sink until the input is consumed and
// returns its rows.
func runStream(t *testing.T, s *engine.Session, df *engine.DataFrame, mode string) []string {
	t.Helper()
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	q, err := df.WriteStream().Format("memory").QueryName(name).OutputMode(mode).Start()
	if err != nil {
		t.Fatal(err)
	}
	defer q.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Table(name).Collect()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = row(r.Values()...)
	}
	return sorted(out)
}

// runForeach runs df with foreachBatch, applying stage to every batch,
// and returns the rows stage returned.
func runForeach(t *testing.T, df *engine.DataFrame, stage func(*engine.DataFrame) *engine.DataFrame) []string {
	t.Helper()
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	var out []string
	q, err := df.WriteStream().OutputMode("append").ForeachBatch(func(b *engine.DataFrame, _ int64) error {
		rows, err := stage(b).Collect()
		for _, r := range rows {
			out = append(out, row(r.Values()...))
		}
		return err
	}).Start()
	if err != nil {
		t.Fatal(err)
	}
	defer q.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	return sorted(out)
}

func compare(t *testing.T, got, want []string) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("the reference result is empty: the test input does not exercise the query")
	}
	if len(got) != len(want) {
		t.Errorf("%d rows, want %d", len(got), len(want))
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			t.Fatalf("row %d (sorted):\ngot  %s\nwant %s", i, got[i], want[i])
		}
	}
}

func TestStateless(t *testing.T) {
	tests := []struct {
		name  string
		query func(*engine.DataFrame) *engine.DataFrame
		want  func() []string
	}{
		{"q0 passthrough", Q0, func() (out []string) {
			for _, b := range bids() {
				out = append(out, row(b.Auction, b.Bidder, b.Price, b.DateTime, b.Extra))
			}
			return out
		}},
		{"q1 currency conversion", Q1, func() (out []string) {
			for _, b := range bids() {
				out = append(out, row(b.Auction, b.Bidder, float64(b.Price)*0.908, b.DateTime, b.Extra))
			}
			return out
		}},
		{"q2 selection", Q2, func() (out []string) {
			for _, b := range bids() {
				if b.Auction%123 == 0 {
					out = append(out, row(b.Auction, b.Price))
				}
			}
			return out
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := engine.NewSession()
			defer s.Close()
			compare(t, runStream(t, s, tc.query(table(s, "bid")), "append"), sorted(tc.want()))
		})
	}
}

func TestQ3(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	got := runStream(t, s, Q3(table(s, "person"), table(s, "auction")), "append")
	people := map[int64]nexmark.Person{}
	for _, p := range persons() {
		people[p.ID] = p
	}
	var want []string
	for _, a := range auctions() {
		p, ok := people[a.Seller]
		if ok && a.Category == 10 && (p.State == "OR" || p.State == "ID" || p.State == "CA") {
			want = append(want, row(p.Name, p.City, p.State, a.ID))
		}
	}
	compare(t, got, sorted(want))
}
