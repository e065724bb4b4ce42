package exec

import (
	"context"
	"time"

	"github.com/gostream/gostream/engine/state"
)

// Stateful is implemented by operators that keep state across the
// micro-batches of a streaming query in state stores (package state).
// The runtime calls BeginBatch before each batch's messages; the
// operator loads the state version of the batch there, and commits the
// next version in Finish, before the batch's commit is written.
type Stateful interface {
	Operator
	// BeginBatch starts micro-batch b.
	BeginBatch(ctx context.Context, b Batch) error
	// StateProgress reports the batch that ended last.
	StateProgress() StateProgress
	// NeedsNoDataBatch reports whether a batch without new data, run with
	// watermark next, would emit rows or evict state: the runtime then
	// runs one at once instead of waiting for data.
	NeedsNoDataBatch(next time.Time) bool
	// Close releases the operator's state stores.
	Close() error
}

// Batch identifies a micro-batch for stateful operators.
type Batch struct {
	// ID is the batch id, which is also the state version it starts from.
	ID int64
	// LateWatermark is the watermark of the previous batch: rows whose
	// event time (or window end) is at or before it are late and dropped.
	// The batch's own watermark, announced by Watermark, decides
	// eviction. Zero time when there is no previous batch.
	LateWatermark time.Time
}

// StateProgress is what a stateful operator reports in a query's
// progress (Spark's StateOperatorProgress).
type StateProgress struct {
	OperatorName              string
	NumRowsTotal              int64
	NumRowsUpdated            int64
	NumRowsRemoved            int64
	NumRowsDroppedByWatermark int64
	MemoryUsedBytes           int64
}

// StateConfig says where an operator keeps its state stores.
type StateConfig struct {
	// Root is the checkpoint's state folder; "" keeps state in memory.
	Root string
	// Operator is the operator's id, numbering the query's stateful
	// operators from 0 (its stores live in Root/<Operator>/<partition>).
	Operator int
	Options  state.Options
}

// OutputMode says which rows a streaming aggregation emits after each
// batch.
type OutputMode int

const (
	// EmitAppend emits a group once the watermark closes it.
	EmitAppend OutputMode = iota
	// EmitUpdate emits the groups the batch changed.
	EmitUpdate
	// EmitComplete emits every group every batch.
	EmitComplete
)
