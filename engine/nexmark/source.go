package nexmark

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/source"
)

// DefaultChunkEvents is how many events one record of a source covers.
const DefaultChunkEvents = 1 << 16

// SourceConfig configures a streaming source of one Nexmark table.
type SourceConfig struct {
	Table EventKind
	Config
	// BaseTimeSet tells whether Config.BaseTime was chosen; when not, the
	// source takes the wall clock at its first start (kept in its offsets).
	BaseTimeSet bool
	// Unbounded serves events as fast as the query takes them, up to
	// MaxEventsPerTrigger a batch, instead of pacing them at
	// EventsPerSecond of wall-clock time.
	Unbounded bool
	// MaxEvents ends the stream after that many events; 0 is endless.
	MaxEvents int64
	// MaxEventsPerTrigger bounds one batch; 0 is no bound when paced and
	// DefaultMaxEventsPerTrigger when unbounded.
	MaxEventsPerTrigger int64
	// ChunkEvents is how many events one record covers
	// (DefaultChunkEvents when 0).
	ChunkEvents int64
}

// DefaultMaxEventsPerTrigger is the batch size of an unbounded source
// without maxEventsPerTrigger.
const DefaultMaxEventsPerTrigger = 1 << 20

// The source options, lower-cased as source.Options keeps them.
var sourceOptions = []string{
	"table", "eventspersecond", "unbounded", "maxevents", "maxeventspertrigger", "seed",
	"basetime", "chunkevents", "hotauctionratio", "hotsellersratio", "hotbiddersratio",
	"numinflightauctions", "numactivepeople", "avgpersonbytesize", "avgauctionbytesize",
	"avgbidbytesize",
}

// ParseSourceOptions reads the options of format("nexmark"):
//
//	table                person, auction or bid (default bid)
//	eventsPerSecond      event-time rate and, unless unbounded, the pace (default 10000)
//	unbounded            true: no pacing, maxEventsPerTrigger events per batch
//	maxEvents            stop after that many events (default: endless)
//	maxEventsPerTrigger  events per batch at most
//	seed                 varies the events (default 0, the reference events)
//	chunkEvents          events per generated record (default 65536)
//	baseTime             event time of the first event: milliseconds since the
//	                     epoch or "2015-07-15T00:00:00Z" (default: the first start)
//	hotAuctionRatio, hotSellersRatio, hotBiddersRatio, numInFlightAuctions,
//	numActivePeople, avgPersonByteSize, avgAuctionByteSize, avgBidByteSize
//	                     the generator's knobs (see Config)
func ParseSourceOptions(opts source.Options) (SourceConfig, error) {
	sc := SourceConfig{Table: BidEvent, Config: DefaultConfig()}
	for k := range opts {
		known := false
		for _, o := range sourceOptions {
			known = known || k == o
		}
		if !known {
			return sc, fmt.Errorf("nexmark source: unknown option %q; the options are table, eventsPerSecond, unbounded, maxEvents, maxEventsPerTrigger, seed, baseTime and the generator's knobs (hotAuctionRatio, numActivePeople, ...)", k)
		}
	}
	var err error
	if v, ok := opts.Get("table"); ok {
		if sc.Table, err = ParseKind(v); err != nil {
			return sc, err
		}
	}
	if v, ok := opts.Get("eventsPerSecond"); ok {
		f, perr := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if perr != nil || !(f > 0) {
			return sc, fmt.Errorf("Invalid value '%s' for option 'eventsPerSecond', must be a positive number", v)
		}
		sc.EventsPerSecond = f
	}
	if sc.Unbounded, err = opts.Bool("unbounded", false); err != nil {
		return sc, err
	}
	ints := []struct {
		key string
		dst *int64
	}{
		{"maxEvents", &sc.MaxEvents}, {"maxEventsPerTrigger", &sc.MaxEventsPerTrigger},
		{"seed", &sc.Seed}, {"chunkEvents", &sc.ChunkEvents},
	}
	for _, o := range ints {
		if *o.dst, err = opts.Int(o.key, *o.dst); err != nil {
			return sc, err
		}
		if o.key != "seed" && *o.dst < 0 {
			return sc, fmt.Errorf("Invalid value '%d' for option '%s', must not be negative", *o.dst, o.key)
		}
	}
	knobs := []struct {
		key string
		dst *int
	}{
		{"hotAuctionRatio", &sc.HotAuctionRatio}, {"hotSellersRatio", &sc.HotSellersRatio},
		{"hotBiddersRatio", &sc.HotBiddersRatio}, {"numInFlightAuctions", &sc.NumInFlightAuctions},
		{"numActivePeople", &sc.NumActivePeople}, {"avgPersonByteSize", &sc.AvgPersonByteSize},
		{"avgAuctionByteSize", &sc.AvgAuctionByteSize}, {"avgBidByteSize", &sc.AvgBidByteSize},
	}
	for _, o := range knobs {
		v, err := opts.Int(o.key, int64(*o.dst))
		if err != nil {
			return sc, err
		}
		if v < 0 || v > 1<<30 {
			return sc, fmt.Errorf("Invalid value '%d' for option '%s', must be between 0 and 2^30", v, o.key)
		}
		*o.dst = int(v)
	}
	if v, ok := opts.Get("baseTime"); ok {
		t, err := parseBaseTime(v)
		if err != nil {
			return sc, err
		}
		sc.BaseTime, sc.BaseTimeSet = t, true
	}
	return sc, sc.Validate()
}

func parseBaseTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("Invalid value '%s' for option 'baseTime': use milliseconds since the epoch or a timestamp such as 2015-07-15T00:00:00Z", v)
}

// Source is a streaming source of one Nexmark table (format("nexmark")).
// Its offsets count the events of the whole Nexmark sequence consumed so
// far, so sources of different tables with the same options walk the same
// sequence: persons and auctions read by two sources join as they would
// in one stream. Offsets also keep the base time, so a restarted query
// regenerates exactly the rows it had planned.
type Source struct {
	cfg   SourceConfig
	now   func() time.Time
	start time.Time // wall clock at construction

	mu  sync.Mutex
	gen *Generator // built once the base time is known
	// capNow is the wall clock a paced source was frozen at by
	// PrepareAvailableNow (zero when not).
	capNow time.Time
}

type offset struct {
	Events     int64 `json:"events"`
	BaseTimeMs int64 `json:"baseTimeMs"`
	// PaceStartMs is the wall-clock time of event 0 for a paced source.
	PaceStartMs int64 `json:"paceStartMs,omitempty"`
}

// NewSource returns a source; now is the clock (time.Now when nil).
func NewSource(sc SourceConfig, now func() time.Time) (*Source, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	if sc.ChunkEvents == 0 {
		sc.ChunkEvents = DefaultChunkEvents
	}
	if sc.Unbounded && sc.MaxEventsPerTrigger == 0 {
		sc.MaxEventsPerTrigger = DefaultMaxEventsPerTrigger
	}
	return &Source{cfg: sc, now: now, start: now()}, nil
}

// Schema implements source.Source.
func (s *Source) Schema() *arrow.Schema { return SchemaOf(s.cfg.Table) }

func (s *Source) parse(o source.Offset) (offset, error) {
	if o == "" {
		startMs := s.start.UnixMilli()
		base := startMs
		if s.cfg.BaseTimeSet {
			base = s.cfg.BaseTime.UnixMilli()
		}
		off := offset{BaseTimeMs: base}
		if !s.cfg.Unbounded {
			off.PaceStartMs = startMs
		}
		return off, nil
	}
	var off offset
	if err := json.Unmarshal([]byte(o), &off); err != nil {
		return off, fmt.Errorf("nexmark source: invalid offset %s: %w", o, err)
	}
	return off, nil
}

func (s *Source) generator(baseMs int64) (*Generator, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != nil && s.gen.baseMs == baseMs {
		return s.gen, nil
	}
	cfg := s.cfg.Config
	cfg.BaseTime = time.UnixMilli(baseMs).UTC()
	g, err := NewGenerator(cfg)
	if err != nil {
		return nil, err
	}
	s.gen = g
	return g, nil
}

// available is the number of events the source can serve after start.
func (s *Source) available(off offset) int64 {
	var n int64
	if s.cfg.Unbounded {
		n = off.Events + s.cfg.MaxEventsPerTrigger
	} else {
		now := s.now()
		s.mu.Lock()
		if !s.capNow.IsZero() {
			now = s.capNow
		}
		s.mu.Unlock()
		elapsed := now.UnixMilli() - off.PaceStartMs
		n = int64(float64(elapsed) / 1000 * s.cfg.EventsPerSecond)
		if s.cfg.MaxEventsPerTrigger > 0 {
			n = min(n, off.Events+s.cfg.MaxEventsPerTrigger)
		}
	}
	if s.cfg.MaxEvents > 0 {
		n = min(n, s.cfg.MaxEvents)
	}
	return n
}

// LatestOffset implements source.Source.
func (s *Source) LatestOffset(_ context.Context, start source.Offset) (source.Offset, error) {
	off, err := s.parse(start)
	if err != nil {
		return "", err
	}
	n := s.available(off)
	if n <= off.Events {
		return start, nil
	}
	off.Events = n
	b, _ := json.Marshal(off)
	return source.Offset(b), nil
}

// PrepareAvailableNow implements source.AvailableNow: an unbounded source
// stops at maxEvents, a paced one at the events due now.
func (s *Source) PrepareAvailableNow(context.Context) error {
	if s.cfg.Unbounded {
		if s.cfg.MaxEvents == 0 {
			return fmt.Errorf("nexmark source: an unbounded source has no end for Trigger.AvailableNow: set maxEvents")
		}
		return nil
	}
	s.mu.Lock()
	s.capNow = s.now()
	s.mu.Unlock()
	return nil
}

// Batch implements source.Source: the table's rows of events (start, end],
// one record per ChunkEvents events, generated on up to GOMAXPROCS
// goroutines.
func (s *Source) Batch(ctx context.Context, start, end source.Offset) ([]arrow.Record, error) {
	from, err := s.parse(start)
	if err != nil {
		return nil, err
	}
	to, err := s.parse(end)
	if err != nil {
		return nil, err
	}
	if start == "" {
		from.BaseTimeMs = to.BaseTimeMs
	}
	g, err := s.generator(to.BaseTimeMs)
	if err != nil {
		return nil, err
	}
	return g.Records(ctx, s.cfg.Table, from.Events, to.Events, s.cfg.ChunkEvents)
}

// Records generates the rows of kind k among events [from, to), one record
// per chunk events, on up to GOMAXPROCS goroutines; the records keep event
// order.
func (g *Generator) Records(ctx context.Context, k EventKind, from, to, chunk int64) ([]arrow.Record, error) {
	if chunk <= 0 {
		chunk = DefaultChunkEvents
	}
	if to <= from {
		return nil, nil
	}
	n := int((to - from + chunk - 1) / chunk)
	out := make([]arrow.Record, n)
	workers := min(runtime.GOMAXPROCS(0), n)
	var next sync.WaitGroup
	jobs := make(chan int)
	for w := 0; w < workers; w++ {
		next.Add(1)
		go func() {
			defer next.Done()
			for i := range jobs {
				lo := from + int64(i)*chunk
				out[i] = g.Record(k, lo, min(lo+chunk, to))
			}
		}()
	}
	var err error
	for i := 0; i < n; i++ {
		if err = ctx.Err(); err != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	next.Wait()
	recs := out[:0]
	for _, r := range out {
		if r != nil {
			if err != nil {
				r.Release()
				continue
			}
			recs = append(recs, r)
		}
	}
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// Commit implements source.Source; generated events need no bookkeeping.
func (s *Source) Commit(context.Context, source.Offset) error { return nil }

// Stop implements source.Source.
func (s *Source) Stop() error { return nil }

// String implements source.Source.
func (s *Source) String() string {
	pace := "eventsPerSecond=" + strconv.FormatFloat(s.cfg.EventsPerSecond, 'g', -1, 64)
	if s.cfg.Unbounded {
		pace += ", unbounded"
	}
	return fmt.Sprintf("NexmarkSource[table=%s, %s, seed=%d]", s.cfg.Table, pace, s.cfg.Seed)
}
