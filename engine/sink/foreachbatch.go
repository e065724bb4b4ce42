package sink

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/apache/arrow/go/v15/arrow"
)

// BatchFunc receives the rows of one micro-batch and its id.
type BatchFunc func(ctx context.Context, batchID int64, recs []arrow.Record) error

// ForeachBatch hands every micro-batch to a function (foreachBatch). A
// replayed batch arrives again with the same id. An error or a panic in the
// function fails the batch; the panic is recovered and reported as an
// error with its stack.
type ForeachBatch struct {
	fn BatchFunc
}

// NewForeachBatch returns a sink calling fn.
func NewForeachBatch(fn BatchFunc) *ForeachBatch { return &ForeachBatch{fn: fn} }

func (f *ForeachBatch) AddBatch(ctx context.Context, batchID int64, recs []arrow.Record) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("foreachBatch function panicked: %v\n%s", p, debug.Stack())
		}
	}()
	if err := f.fn(ctx, batchID, recs); err != nil {
		return fmt.Errorf("foreachBatch function: %w", err)
	}
	return nil
}

func (f *ForeachBatch) String() string { return "ForeachBatchSink" }
