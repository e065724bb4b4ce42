// Package source owns the streaming sources of the engine, one file per
// kind: memory, rate, socket, file and kafka. Every source follows the shape of
// Spark's MicroBatchStream: it reports the latest offset it could serve,
// returns the rows between two offsets, learns which offsets are committed
// and stops. Offsets are JSON text that only the source interprets; the
// runtime writes them to the offset log unchanged, so a source must
// return the same rows for the same offsets after a restart wherever the
// underlying data allows it.
//
// Sources know nothing of plans, operators or sinks.
package source

import (
	"context"

	"github.com/apache/arrow/go/v15/arrow"
)

// Offset is a position in a source as JSON text. The empty Offset is the
// position before any data.
type Offset string

// Source is a streaming source read one micro-batch at a time.
type Source interface {
	// Schema is the schema of every record the source returns.
	Schema() *arrow.Schema
	// LatestOffset returns the end offset of the next batch that starts at
	// start, within the source's per-trigger limits (maxFilesPerTrigger,
	// ...). It returns start when there is nothing new.
	LatestOffset(ctx context.Context, start Offset) (Offset, error)
	// Batch returns the rows after start up to and including end. The
	// caller releases the records.
	Batch(ctx context.Context, start, end Offset) ([]arrow.Record, error)
	// Commit tells the source that every row up to end has been processed
	// and will not be asked for again.
	Commit(ctx context.Context, end Offset) error
	// Stop releases what the source holds: connections, goroutines.
	Stop() error
	// String describes the source in progress reports.
	String() string
}

// AvailableNow is implemented by sources that can bound their input to
// what exists now (Trigger.AvailableNow): after PrepareAvailableNow,
// LatestOffset never goes past the data available at the call.
type AvailableNow interface {
	PrepareAvailableNow(ctx context.Context) error
}

// Unlimited is implemented by sources with per-trigger limits
// (maxFilesPerTrigger, maxOffsetsPerTrigger, ...). After ReadAllAvailable
// they plan every batch without them: Trigger.Once reads all the data
// available in one batch, as Spark's ReadLimit.allAvailable does.
type Unlimited interface {
	ReadAllAvailable()
}

// Notifier is implemented by sources that learn of new data without being
// polled. Subscribe returns a channel that receives a value (dropped when
// one is already pending) whenever data arrives, and a function that ends
// the subscription.
type Notifier interface {
	Subscribe() (<-chan struct{}, func())
}

// MetricsReporter is implemented by sources that add metrics to the
// progress of every batch (SourceProgress.metrics, as Spark's
// ReportsSourceMetrics): end is the end offset of the batch just run.
type MetricsReporter interface {
	Metrics(end Offset) map[string]string
}
