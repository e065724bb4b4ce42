// Package sink owns the streaming sinks of the engine, one file per kind:
// console, memory, file, foreachBatch and kafka. A sink receives the output of
// each micro-batch with its batch id and must be idempotent per batch id:
// after a restart the runtime may hand it a batch it already wrote, and
// the sink either skips it (memory, file) or passes the same id on
// (foreachBatch, console) so that the user can.
//
// Sinks know nothing of plans, operators or sources.
package sink

import (
	"context"

	"github.com/apache/arrow/go/v15/arrow"
)

// Sink writes the output rows of micro-batches.
type Sink interface {
	// AddBatch writes the rows of batch batchID. recs are borrowed for the
	// call.
	AddBatch(ctx context.Context, batchID int64, recs []arrow.Record) error
	// String describes the sink in progress reports.
	String() string
}

// Stopper is implemented by sinks that hold resources until the query
// stops.
type Stopper interface {
	Stop() error
}
