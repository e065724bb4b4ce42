package engine

import (
	"context"
	"time"

	"github.com/gostream/gostream/engine/stream"
)

// Progress and status types of streaming queries, with Spark's fields.
type (
	StreamingQueryProgress = stream.Progress
	StreamingQueryStatus   = stream.Status
	SourceProgress         = stream.SourceProgress
	SinkProgress           = stream.SinkProgress
	StateOperatorProgress  = stream.StateOperatorProgress
	// StreamingQueryException is the error of a failed query: Exception,
	// AwaitTermination and ProcessAllAvailable return one.
	StreamingQueryException = stream.QueryError
)

// StreamingQuery is the handle of a started streaming query.
type StreamingQuery struct {
	q  *stream.Query
	df *DataFrame
}

// ID is the query's id, kept across restarts from the same checkpoint.
func (sq *StreamingQuery) ID() string { return sq.q.ID() }

// RunID is the id of this run of the query, new on every start.
func (sq *StreamingQuery) RunID() string { return sq.q.RunID() }

// Name is the query name, "" when it has none.
func (sq *StreamingQuery) Name() string { return sq.q.Name() }

// IsActive reports whether the query is running.
func (sq *StreamingQuery) IsActive() bool { return sq.q.IsActive() }

// Status returns what the query is doing now.
func (sq *StreamingQuery) Status() StreamingQueryStatus { return sq.q.Status() }

// LastProgress returns the progress of the latest batch, nil before the
// first.
func (sq *StreamingQuery) LastProgress() *StreamingQueryProgress { return sq.q.LastProgress() }

// RecentProgress returns the progress of the latest batches (up to 100),
// oldest first.
func (sq *StreamingQuery) RecentProgress() []*StreamingQueryProgress { return sq.q.RecentProgress() }

// Stop stops the query after the batch under way and waits until its
// sources, sink and checkpoint are released. Calling it again does nothing.
func (sq *StreamingQuery) Stop() error { return sq.q.Stop() }

// AwaitTermination waits for the query to end and returns its exception
// (a *StreamingQueryException), or ctx's error if ctx ends first.
func (sq *StreamingQuery) AwaitTermination(ctx context.Context) error {
	return sq.q.AwaitTermination(ctx)
}

// AwaitTerminationTimeout waits at most timeout; it reports whether the
// query ended, with its exception.
func (sq *StreamingQuery) AwaitTerminationTimeout(ctx context.Context, timeout time.Duration) (bool, error) {
	return sq.q.AwaitTerminationTimeout(ctx, timeout)
}

// ProcessAllAvailable waits until all data available in the sources now
// has been processed and written to the sink, or the query ends (its
// exception is returned), or ctx ends.
func (sq *StreamingQuery) ProcessAllAvailable(ctx context.Context) error {
	return sq.q.ProcessAllAvailable(ctx)
}

// Exception returns the error that ended the query, nil otherwise.
func (sq *StreamingQuery) Exception() error { return sq.q.Exception() }

// ExplainString returns the query's plan as Explain prints it.
func (sq *StreamingQuery) ExplainString(extended ...bool) string {
	return explain(sq.q.Plan(), len(extended) > 0 && extended[0])
}

// Explain prints the query's plan to the session's output.
func (sq *StreamingQuery) Explain(extended ...bool) error {
	_, err := sq.df.s.Output().Write([]byte(sq.ExplainString(extended...)))
	return err
}

// String describes the query as PySpark prints the handle.
func (sq *StreamingQuery) String() string {
	return "StreamingQuery[id=" + sq.ID() + ", runId=" + sq.RunID() + ", name=" + sq.Name() + "]"
}
