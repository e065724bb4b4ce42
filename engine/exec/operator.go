package exec

import (
	"context"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
)

// Operator receives the messages of one micro-batch (an epoch): any number
// of Process calls, at most one Watermark before them, and one Finish that
// ends the epoch. An operator may keep state from one epoch to the next.
type Operator interface {
	// Process handles one batch of rows. rec is borrowed for the call.
	Process(ctx context.Context, rec arrow.Record) error
	// Watermark announces the event-time watermark that holds for the
	// epoch: rows with an event time at or before it are late.
	Watermark(ctx context.Context, wm time.Time) error
	// Finish ends the epoch. A non-nil err means the epoch's input failed
	// and its partial results must be dropped.
	Finish(ctx context.Context, err error) error
}

// forward is embedded by operators that pass Watermark and Finish through
// unchanged.
type forward struct {
	next Operator
}

func (f forward) Watermark(ctx context.Context, wm time.Time) error {
	return f.next.Watermark(ctx, wm)
}

func (f forward) Finish(ctx context.Context, err error) error {
	return f.next.Finish(ctx, err)
}

// Tee sends every message to each of its operators in turn: one input
// feeding several branches of a plan (df.union(df)).
type Tee []Operator

func (t Tee) Process(ctx context.Context, rec arrow.Record) error {
	for _, o := range t {
		if err := o.Process(ctx, rec); err != nil {
			return err
		}
	}
	return nil
}

func (t Tee) Watermark(ctx context.Context, wm time.Time) error {
	for _, o := range t {
		if err := o.Watermark(ctx, wm); err != nil {
			return err
		}
	}
	return nil
}

func (t Tee) Finish(ctx context.Context, err error) error {
	var first error
	for _, o := range t {
		if e := o.Finish(ctx, err); e != nil && first == nil {
			first = e
		}
	}
	return first
}
