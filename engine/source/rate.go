package source

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// RateSchema is the schema of the rate source: timestamp, value.
var RateSchema = arrow.NewSchema([]arrow.Field{
	{Name: "timestamp", Type: arrow.FixedWidthTypes.Timestamp_us},
	{Name: "value", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// Rate generates rowsPerSecond rows per second, as Spark's rate source:
// value counts from 0 and timestamp spreads each second's rows evenly over
// that second. During rampUpTime the rate grows linearly to rowsPerSecond.
// An offset names the source's start time and a whole number of seconds
// since it, so the same offsets always give the same rows.
type Rate struct {
	rowsPerSecond int64
	rampUpSeconds int64
	partitions    int64
	now           func() time.Time
	startMs       int64
}

type rateOffset struct {
	StartTimeMs int64 `json:"startTimeMs"`
	Seconds     int64 `json:"seconds"`
}

// NewRate makes a rate source from the options rowsPerSecond (default
// 1), rampUpTime (seconds, or a duration such as "5s"; default 0) and
// numPartitions (default 1). now is the clock (time.Now when nil).
func NewRate(opts Options, now func() time.Time) (*Rate, error) {
	if now == nil {
		now = time.Now
	}
	rps, err := opts.Int("rowsPerSecond", 1)
	if err != nil {
		return nil, err
	}
	if rps <= 0 {
		return nil, fmt.Errorf("Invalid value '%d' for option 'rowsPerSecond', must be positive", rps)
	}
	parts, err := opts.Int("numPartitions", 1)
	if err != nil {
		return nil, err
	}
	if parts <= 0 {
		return nil, fmt.Errorf("Invalid value '%d' for option 'numPartitions', must be positive", parts)
	}
	ramp := int64(0)
	if v, ok := opts.Get("rampUpTime"); ok {
		ramp, err = parseSeconds(v)
		if err != nil || ramp < 0 {
			return nil, fmt.Errorf("Invalid value '%s' for option 'rampUpTime', must not be negative: use seconds (\"5\") or a duration (\"5s\", \"1m\")", v)
		}
	}
	if ramp > 0 && rps < ramp {
		return nil, fmt.Errorf("Invalid value '%d' for option 'rowsPerSecond', must be at least rampUpTime (%d seconds) so that the rate can grow every second", rps, ramp)
	}
	return &Rate{rowsPerSecond: rps, rampUpSeconds: ramp, partitions: parts, now: now, startMs: now().UnixMilli()}, nil
}

func parseSeconds(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, err
	}
	return int64(d / time.Second), nil
}

func (r *Rate) Schema() *arrow.Schema { return RateSchema }

func (r *Rate) parse(o Offset) (rateOffset, error) {
	if o == "" {
		return rateOffset{StartTimeMs: r.startMs}, nil
	}
	var ro rateOffset
	if err := json.Unmarshal([]byte(o), &ro); err != nil {
		return ro, fmt.Errorf("rate source: invalid offset %s: %w", o, err)
	}
	return ro, nil
}

func (r *Rate) LatestOffset(_ context.Context, start Offset) (Offset, error) {
	s, err := r.parse(start)
	if err != nil {
		return "", err
	}
	secs := (r.now().UnixMilli() - s.StartTimeMs) / 1000
	if secs <= s.Seconds {
		return start, nil
	}
	b, _ := json.Marshal(rateOffset{StartTimeMs: s.StartTimeMs, Seconds: secs})
	return Offset(b), nil
}

// valueAtSecond is the number of rows generated in the first seconds
// seconds, ramp-up included (Spark's RateStreamProvider.valueAtSecond).
func (r *Rate) valueAtSecond(seconds int64) int64 {
	delta := r.rowsPerSecond / (r.rampUpSeconds + 1)
	if seconds <= r.rampUpSeconds {
		if seconds%2 == 1 {
			return (seconds + 1) / 2 * delta * seconds
		}
		return seconds / 2 * delta * (seconds + 1)
	}
	ramp := int64(0)
	if r.rampUpSeconds > 0 {
		if r.rampUpSeconds%2 == 1 {
			ramp = (r.rampUpSeconds + 1) / 2 * delta * r.rampUpSeconds
		} else {
			ramp = r.rampUpSeconds / 2 * delta * (r.rampUpSeconds + 1)
		}
	}
	return ramp + (seconds-r.rampUpSeconds)*r.rowsPerSecond
}

// Batch returns one record per partition; partition p holds the values
// congruent to p modulo numPartitions, as Spark distributes them.
func (r *Rate) Batch(_ context.Context, start, end Offset) ([]arrow.Record, error) {
	s, err := r.parse(start)
	if err != nil {
		return nil, err
	}
	e, err := r.parse(end)
	if err != nil {
		return nil, err
	}
	if start == "" {
		s.StartTimeMs = e.StartTimeMs
	}
	lo, hi := r.valueAtSecond(s.Seconds), r.valueAtSecond(e.Seconds)
	if hi <= lo {
		return nil, nil
	}
	localStart := float64(e.StartTimeMs + s.Seconds*1000)
	msPerValue := float64((e.Seconds-s.Seconds)*1000) / float64(hi-lo)
	out := make([]arrow.Record, 0, r.partitions)
	for p := int64(0); p < r.partitions; p++ {
		b := array.NewRecordBuilder(memory.DefaultAllocator, RateSchema)
		ts := b.Field(0).(*array.TimestampBuilder)
		vals := b.Field(1).(*array.Int64Builder)
		n := int((hi - lo - p + r.partitions - 1) / r.partitions)
		ts.Reserve(n)
		vals.Reserve(n)
		for v := lo + p; v < hi; v += r.partitions {
			ms := int64(msPerValue*float64(v-lo) + localStart)
			ts.UnsafeAppend(arrow.Timestamp(ms * 1000))
			vals.UnsafeAppend(v)
		}
		rec := b.NewRecord()
		b.Release()
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		out = append(out, rec)
	}
	return out, nil
}

func (r *Rate) Commit(context.Context, Offset) error { return nil }
func (r *Rate) Stop() error                          { return nil }

func (r *Rate) String() string {
	return fmt.Sprintf("RateStreamV2[rowsPerSecond=%d, rampUpTimeSeconds=%d, numPartitions=%d]", r.rowsPerSecond, r.rampUpSeconds, r.partitions)
}
