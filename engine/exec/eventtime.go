package exec

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// EventTimeStats summarises the event times of one epoch.
type EventTimeStats struct {
	Min, Max time.Time
	Avg      time.Time
	Count    int64
}

// EventTime passes rows through unchanged while it tracks the event-time
// column of a withWatermark: the epoch's min, max and average, and the
// largest event time ever seen, from which the next watermark follows.
type EventTime struct {
	forward
	col   int
	delay time.Duration

	// This epoch, in microseconds; sum adds v-base to stay far from
	// overflow.
	min, max, base, sum int64
	count               int64
	maxSeen             int64
	seen                bool
}

// NewEventTime tracks column col (a timestamp in microseconds) with the
// given lateness delay.
func NewEventTime(schema *arrow.Schema, col int, delay time.Duration, next Operator) (*EventTime, error) {
	if col < 0 || col >= schema.NumFields() {
		return nil, fmt.Errorf("exec: event-time column %d out of range", col)
	}
	ts, ok := schema.Field(col).Type.(*arrow.TimestampType)
	if !ok || ts.Unit != arrow.Microsecond {
		return nil, fmt.Errorf("exec: event-time column %s is of type %s, want timestamp", schema.Field(col).Name, schema.Field(col).Type)
	}
	e := &EventTime{forward: forward{next}, col: col, delay: delay}
	e.resetEpoch()
	return e, nil
}

func (e *EventTime) resetEpoch() {
	e.min, e.max, e.base, e.sum, e.count = math.MaxInt64, math.MinInt64, 0, 0, 0
}

func (e *EventTime) Process(ctx context.Context, rec arrow.Record) error {
	c := rec.Column(e.col).(*array.Timestamp)
	vals := c.TimestampValues()
	if c.NullN() == 0 {
		for _, v := range vals {
			e.add(int64(v))
		}
	} else {
		for i, v := range vals {
			if c.IsValid(i) {
				e.add(int64(v))
			}
		}
	}
	return e.next.Process(ctx, rec)
}

func (e *EventTime) add(v int64) {
	if v < e.min {
		e.min = v
	}
	if v > e.max {
		e.max = v
	}
	if e.count == 0 {
		e.base = v
	}
	e.sum += v - e.base
	e.count++
}

// Finish folds the epoch into the largest event time seen, unless the
// epoch failed.
func (e *EventTime) Finish(ctx context.Context, err error) error {
	if err == nil && e.count > 0 && (!e.seen || e.max > e.maxSeen) {
		e.maxSeen, e.seen = e.max, true
	}
	return e.next.Finish(ctx, err)
}

// TakeStats returns the event-time summary of the epoch and starts a new
// one. ok is false when the epoch had no event times.
func (e *EventTime) TakeStats() (s EventTimeStats, ok bool) {
	defer e.resetEpoch()
	if e.count == 0 {
		return s, false
	}
	return EventTimeStats{
		Min:   time.UnixMicro(e.min).UTC(),
		Max:   time.UnixMicro(e.max).UTC(),
		Avg:   time.UnixMicro(e.base + e.sum/e.count).UTC(),
		Count: e.count,
	}, true
}

// NextWatermark is the watermark this operator proposes: the largest event time seen minus the delay, or the
// epoch (zero Unix time) when no row has been seen yet.
func (e *EventTime) NextWatermark() time.Time {
	if !e.seen {
		return time.UnixMilli(0).UTC()
	}
	return time.UnixMicro(e.maxSeen).Add(-e.delay).UTC()
}
