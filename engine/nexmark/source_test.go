package nexmark

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/source"
)

func TestParseSourceOptions(t *testing.T) {
	base := time.Date(2015, 7, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		opts    map[string]string
		check   func(SourceConfig) bool
		wantErr string
	}{
		{"defaults", nil, func(c SourceConfig) bool {
			return c.Table == BidEvent && c.EventsPerSecond == 10000 && !c.Unbounded && !c.BaseTimeSet && c.HotAuctionRatio == 2
		}, ""},
		{"table and rate", map[string]string{"table": "Auctions", "eventsPerSecond": "2.5e6", "unbounded": "TRUE"}, func(c SourceConfig) bool {
			return c.Table == AuctionEvent && c.EventsPerSecond == 2.5e6 && c.Unbounded
		}, ""},
		{"base time in milliseconds", map[string]string{"baseTime": "1436918400000"}, func(c SourceConfig) bool {
			return c.BaseTimeSet && c.BaseTime.Equal(base)
		}, ""},
		{"base time as a timestamp", map[string]string{"basetime": "2015-07-15 00:00:00"}, func(c SourceConfig) bool {
			return c.BaseTime.Equal(base)
		}, ""},
		{"knobs", map[string]string{"hotBiddersRatio": "1", "numActivePeople": "5", "seed": "-3"}, func(c SourceConfig) bool {
			return c.HotBiddersRatio == 1 && c.NumActivePeople == 5 && c.Seed == -3
		}, ""},
		{"unknown table", map[string]string{"table": "bidders"}, nil, `unknown table "bidders"`},
		{"bad rate", map[string]string{"eventsPerSecond": "-1"}, nil, "Invalid value '-1' for option 'eventsPerSecond'"},
		{"bad integer", map[string]string{"maxEvents": "ten"}, nil, "Invalid value 'ten' for option 'maxEvents', must be an integer"},
		{"negative", map[string]string{"maxEventsPerTrigger": "-5"}, nil, "must not be negative"},
		{"zero ratio", map[string]string{"hotAuctionRatio": "0"}, nil, "hot ratios must be between 1"},
		{"bad time", map[string]string{"baseTime": "yesterday"}, nil, "Invalid value 'yesterday' for option 'baseTime'"},
		{"unknown option", map[string]string{"rowsPerSecond": "5"}, nil, `unknown option "rowspersecond"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSourceOptions(source.NewOptions(tc.opts))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(got) {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

// clock is a settable clock for paced sources.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func eventsOf(t *testing.T, o source.Offset) int64 {
	t.Helper()
	var off offset
	if err := json.Unmarshal([]byte(o), &off); err != nil {
		t.Fatalf("offset %q: %v", o, err)
	}
	return off.Events
}

func rowsOf(recs []arrow.Record) int64 {
	var n int64
	for _, r := range recs {
		n += r.NumRows()
	}
	return n
}

// TestSourceOffsets walks sources through their offsets: paced by a
// clock, unbounded with per-trigger and total limits, and AvailableNow.
func TestSourceOffsets(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		advance    time.Duration
		prepare    bool // PrepareAvailableNow before this step
		wantEvents int64
	}
	tests := []struct {
		name  string
		eps   float64
		cfg   SourceConfig
		steps []step
	}{
		{"paced", 1000, SourceConfig{}, []step{
			{0, false, 0}, {1500 * time.Millisecond, false, 1500}, {0, false, 1500}, {time.Second, false, 2500}}},
		{"paced with a trigger limit", 1000, SourceConfig{MaxEventsPerTrigger: 400}, []step{
			{time.Second, false, 400}, {0, false, 800}, {0, false, 1000}, {0, false, 1000}}},
		{"paced up to maxEvents", 1000, SourceConfig{MaxEvents: 1200}, []step{
			{time.Second, false, 1000}, {time.Hour, false, 1200}}},
		{"unbounded", 10, SourceConfig{Unbounded: true, MaxEventsPerTrigger: 1000, MaxEvents: 2500}, []step{
			{0, false, 1000}, {0, false, 2000}, {0, false, 2500}, {0, false, 2500}}},
		{"availableNow freezes a paced source", 100, SourceConfig{}, []step{
			{time.Second, false, 100}, {time.Second, true, 200}, {time.Hour, false, 200}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{t: start}
			cfg := tc.cfg
			cfg.Table, cfg.Config = BidEvent, DefaultConfig()
			cfg.EventsPerSecond = tc.eps
			src, err := NewSource(cfg, clk.now)
			if err != nil {
				t.Fatal(err)
			}
			var cur source.Offset
			for i, s := range tc.steps {
				clk.add(s.advance)
				if s.prepare {
					if err := src.PrepareAvailableNow(ctx); err != nil {
						t.Fatal(err)
					}
				}
				end, err := src.LatestOffset(ctx, cur)
				if err != nil {
					t.Fatal(err)
				}
				got := int64(0)
				if end != "" {
					got = eventsOf(t, end)
				}
				if got != s.wantEvents {
					t.Fatalf("step %d: offset %s, want %d events", i, end, s.wantEvents)
				}
				if got == 0 || end == cur {
					continue
				}
				recs, err := src.Batch(ctx, cur, end)
				if err != nil {
					t.Fatal(err)
				}
				from := int64(0)
				if cur != "" {
					from = eventsOf(t, cur)
				}
				if n, want := rowsOf(recs), CountKind(BidEvent, from, got); n != want {
					t.Errorf("step %d: %d rows, want the %d bids among events %d..%d", i, n, want, from, got)
				}
				for _, r := range recs {
					r.Release()
				}
				cur = end
			}
		})
	}
}

// TestSourceRestart reads the same offsets from a second source, started
// later, and expects the same rows: the base time travels in the offset.
func TestSourceRestart(t *testing.T) {
	ctx := context.Background()
	cfg := SourceConfig{Table: AuctionEvent, Config: DefaultConfig(), Unbounded: true, MaxEventsPerTrigger: 5000}
	first, _ := NewSource(cfg, func() time.Time { return time.UnixMilli(1_700_000_000_000) })
	o1, _ := first.LatestOffset(ctx, "")
	o2, _ := first.LatestOffset(ctx, o1)
	want, err := first.Batch(ctx, o1, o2)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := NewSource(cfg, func() time.Time { return time.UnixMilli(1_800_000_000_000) })
	got, err := second.Batch(ctx, o1, o2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d records after the restart, %d before", len(got), len(want))
	}
	for i := range got {
		a, b := Auctions(got[i]), Auctions(want[i])
		for j := range a {
			if a[j] != b[j] {
				t.Fatalf("record %d row %d: %+v after the restart, %+v before", i, j, a[j], b[j])
			}
		}
		if a[0].DateTime.UnixMilli() < 1_700_000_000_000 || a[0].DateTime.UnixMilli() > 1_700_000_001_000 {
			t.Errorf("event time %v does not start at the first source's start", a[0].DateTime)
		}
	}
	if err := (&Source{cfg: SourceConfig{Unbounded: true}}).PrepareAvailableNow(ctx); err == nil || !strings.Contains(err.Error(), "set maxEvents") {
		t.Errorf("availableNow on an endless unbounded source: %v, want an error naming maxEvents", err)
	}
}

// TestRecordsChunks generates a range in chunks on several goroutines and
// compares with one record of the whole range.
func TestRecordsChunks(t *testing.T) {
	g := newGen(t, nil)
	const to = 10*977 + 13
	for k := PersonEvent; k <= BidEvent; k++ {
		recs, err := g.Records(context.Background(), k, 5, to, 977)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs {
			got = append(got, rowsAsText(r)...)
			r.Release()
		}
		whole := g.Record(k, 5, to)
		want := rowsAsText(whole)
		whole.Release()
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows in chunks, %d at once", k, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s row %d: %s in chunks, %s at once", k, i, got[i], want[i])
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Records(ctx, BidEvent, 0, 1000, 10); err != context.Canceled {
		t.Errorf("cancelled context: %v, want context.Canceled", err)
	}
}

func rowsAsText(rec arrow.Record) []string {
	out := make([]string, rec.NumRows())
	for i := range out {
		var b strings.Builder
		for _, c := range rec.Columns() {
			b.WriteString(c.ValueStr(i))
			b.WriteByte('|')
		}
		out[i] = b.String()
	}
	return out
}
