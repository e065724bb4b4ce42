package notebook

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/kernel"
	"github.com/gostream/gostream/kernel/notebook/host"
)

// DataStreamWriter starts a streaming query (df.writeStream).
type DataStreamWriter struct {
	w        *engine.DataStreamWriter
	s        *Session
	name     string
	callback bool
	replace  bool
	// qout is the started query's output: the cell that ran Start.
	qout io.Writer
	// qcell is qout as the outputs that what the foreachBatch function
	// prints goes to (host.QueryOutput.Outputs).
	qcell kernel.Outputs
}

// Format sets the sink: console, memory, csv, json, parquet.
func (w *DataStreamWriter) Format(sink string) *DataStreamWriter { w.w.Format(sink); return w }

// OutputMode sets append (default), update or complete.
func (w *DataStreamWriter) OutputMode(mode string) *DataStreamWriter { w.w.OutputMode(mode); return w }

// Option sets one sink option (path, checkpointLocation, numRows, ...).
func (w *DataStreamWriter) Option(key string, value any) *DataStreamWriter {
	w.w.Option(key, value)
	return w
}

// Options sets several sink options.
func (w *DataStreamWriter) Options(opts map[string]string) *DataStreamWriter {
	w.w.Options(opts)
	return w
}

// QueryName names the query; a memory sink's table takes this name.
func (w *DataStreamWriter) QueryName(name string) *DataStreamWriter {
	w.name = name
	w.w.QueryName(name)
	return w
}

// Replace makes Start stop an active query of the same name first (after
// its batch under way commits) instead of failing as Spark does with
// "Cannot start query with name X as a query with that name is already
// active".
func (w *DataStreamWriter) Replace() *DataStreamWriter { w.replace = true; return w }

// Trigger sets when batches run: ProcessingTime("2 seconds"), Once(),
// AvailableNow().
func (w *DataStreamWriter) Trigger(t Trigger) *DataStreamWriter { w.w.Trigger(t); return w }

// ForeachBatch calls fn with every micro-batch as a batch DataFrame and its
// batch id (a replayed batch comes again with the same id). A panic in fn
// fails the query with that error. What fn prints (fmt, println, log, Show)
// goes to the cell that started the query, whichever cell runs when the
// batch does, and what it writes (Write, WriteKafka) belongs to the query:
// interrupting a cell does not cancel it.
func (w *DataStreamWriter) ForeachBatch(fn func(df *DataFrame, batchID int64)) *DataStreamWriter {
	w.callback = true
	w.w.ForeachBatch(func(df *engine.DataFrame, batchID int64) (err error) {
		defer w.s.h.AttachOutput(w.qcell)()
		defer func() {
			if r := recover(); r != nil {
				if e, ok := r.(error); ok {
					err = fmt.Errorf("foreachBatch function failed on batch %d: %w", batchID, e)
				} else {
					err = fmt.Errorf("foreachBatch function panicked on batch %d: %v", batchID, r)
				}
			}
		}()
		fn(&DataFrame{df: df, s: w.s, out: w.qout}, batchID)
		return nil
	})
	return w
}

// Start starts the query in the background and returns its handle; path,
// when given, is the file sink's output folder.
//
// Re-running the cell that started a query stops that query first (a cell
// is known by its notebook cell id, or by its code when the front end sends
// no id) and the cell says so, so that no invisible
// duplicate keeps running. A query's own output (console sink, Show in
// foreachBatch) goes to the output area of the cell that started it.
func (w *DataStreamWriter) Start(path ...string) *StreamingQuery {
	return w.start(false, path...)
}

// start starts the query; ownDisplay says a live display of its results
// stands for it in the cell.
func (w *DataStreamWriter) start(ownDisplay bool, path ...string) *StreamingQuery {
	h := w.s.h
	cell := h.Current()
	h.ReplaceRerun(cell)
	if w.replace {
		raise(h.StopActiveNamed(cell, w.name))
	}
	out := h.NewQueryOutput(cell)
	w.qout, w.qcell = out, out.Outputs()
	w.w.Output(out)
	q, err := w.w.Start(path...)
	if err != nil && strings.Contains(err.Error(), "as a query with that name is already active") {
		err = fmt.Errorf("%w; stop it first (q.Stop() or %%stop %s) or let this one replace it: WriteStream()...Replace().Start()", err, w.name)
	}
	raise(err)
	h.Track(&host.Query{Q: q, Cell: cell.ID, Key: cell.Key, Callback: w.callback, Started: time.Now(),
		Out: cell.Out, Output: out, OwnDisplay: ownDisplay})
	return &StreamingQuery{q: q, s: w.s}
}

// StreamingQuery is the handle of a running query.
type StreamingQuery struct {
	q *engine.StreamingQuery
	s *Session
}

// Engine returns the engine query handle.
func (q *StreamingQuery) Engine() *engine.StreamingQuery { return q.q }

// ID is the query's id, kept across restarts from the same checkpoint.
func (q *StreamingQuery) ID() string { return q.q.ID() }

// RunID is new on every start.
func (q *StreamingQuery) RunID() string { return q.q.RunID() }

// Name is the query name, empty when none was given.
func (q *StreamingQuery) Name() string { return q.q.Name() }

// IsActive reports whether the query is running.
func (q *StreamingQuery) IsActive() bool { return q.q.IsActive() }

// Status is what the query is doing now.
func (q *StreamingQuery) Status() StreamingQueryStatus { return q.q.Status() }

// LastProgress is the progress of the last batch, nil before the first.
func (q *StreamingQuery) LastProgress() *StreamingQueryProgress { return q.q.LastProgress() }

// RecentProgress is the progress of the last batches (up to 100).
func (q *StreamingQuery) RecentProgress() []*StreamingQueryProgress { return q.q.RecentProgress() }

// Exception is the error that ended the query, nil when it did not fail.
func (q *StreamingQuery) Exception() error { return q.q.Exception() }

// Stop stops the query after the batch under way commits; its displays
// show the final state before Stop returns.
func (q *StreamingQuery) Stop() { raise(q.s.h.StopQuery(q.q)) }

// Explain prints the query's plan.
func (q *StreamingQuery) Explain(extended ...bool) {
	fmt.Fprint(q.s.output(), q.q.ExplainString(extended...))
}

// AwaitTermination waits until the query ends, raising its error if it
// failed. With a timeout in seconds it returns whether the query ended in
// time. Interrupting the cell ends the wait and leaves the query running.
// The query's live displays show the state it waited for.
func (q *StreamingQuery) AwaitTermination(timeoutSeconds ...float64) bool {
	ctx := q.s.ctx()
	if len(timeoutSeconds) > 0 {
		done, err := q.q.AwaitTerminationTimeout(ctx, seconds(timeoutSeconds[0]))
		q.s.h.SyncQuery(q.q)
		q.s.checkWait(ctx, q.q)
		raise(err)
		return done
	}
	err := q.q.AwaitTermination(ctx)
	q.s.h.SyncQuery(q.q)
	q.s.checkWait(ctx, q.q)
	raise(err)
	return true
}

// ProcessAllAvailable waits until all data available now is processed;
// the query's live displays then show it.
func (q *StreamingQuery) ProcessAllAvailable() {
	ctx := q.s.ctx()
	err := q.q.ProcessAllAvailable(ctx)
	q.s.h.SyncQuery(q.q)
	q.s.checkWait(ctx, q.q)
	raise(err)
}

// String describes the query.
func (q *StreamingQuery) String() string { return q.q.String() }

// checkWait, after a wait ended by an interrupt, says that the query is
// still running and raises KeyboardInterrupt.
func (s *Session) checkWait(ctx context.Context, q *engine.StreamingQuery) {
	if ctx.Err() == nil {
		return
	}
	if q != nil && q.IsActive() {
		v := display.QueryView{Name: q.Name(), ID: q.ID()}
		fmt.Fprintf(host.StreamWriter(s.h.Current().Out, "stderr"),
			"interrupted the wait; query %s keeps running: stop it with q.Stop() or %%stop %s\n",
			v.Label(), v.StopKey())
	}
	panic(&Exception{Class: "KeyboardInterrupt", Err: fmt.Errorf("the wait was interrupted")})
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// StreamingQueryManager lists and waits on the session's queries
// (spark.streams).
type StreamingQueryManager struct{ s *Session }

func (m *StreamingQueryManager) engine() *engine.StreamingQueryManager {
	return m.s.engine().Streams()
}

// Active returns the running queries.
func (m *StreamingQueryManager) Active() []*StreamingQuery {
	var qs []*StreamingQuery
	for _, q := range m.engine().Active() {
		qs = append(qs, &StreamingQuery{q: q, s: m.s})
	}
	return qs
}

// Get returns the active query with this id, or nil.
func (m *StreamingQueryManager) Get(id string) *StreamingQuery {
	if q := m.engine().Get(id); q != nil {
		return &StreamingQuery{q: q, s: m.s}
	}
	return nil
}

// AwaitAnyTermination waits until any query ends (since the last
// ResetTerminated); with a timeout in seconds it returns whether one did.
func (m *StreamingQueryManager) AwaitAnyTermination(timeoutSeconds ...float64) bool {
	ctx := m.s.ctx()
	if len(timeoutSeconds) > 0 {
		done, err := m.engine().AwaitAnyTerminationTimeout(ctx, seconds(timeoutSeconds[0]))
		m.s.checkWait(ctx, nil)
		raise(err)
		return done
	}
	err := m.engine().AwaitAnyTermination(ctx)
	m.s.checkWait(ctx, nil)
	raise(err)
	return true
}

// ResetTerminated forgets terminated queries for AwaitAnyTermination.
func (m *StreamingQueryManager) ResetTerminated() { m.engine().ResetTerminated() }

// StopAll stops every active query of the session.
func (m *StreamingQueryManager) StopAll() {
	for _, q := range m.engine().Active() {
		raise(m.s.h.StopQuery(q))
	}
}

// ByName returns the latest query of the session with this name, active or
// not, or nil: the handle of a query started by Display, say.
func (m *StreamingQueryManager) ByName(name string) *StreamingQuery {
	qs := m.s.h.Queries()
	for i := len(qs) - 1; i >= 0; i-- {
		if qs[i].Q.Name() == name {
			return &StreamingQuery{q: qs[i].Q, s: m.s}
		}
	}
	return nil
}
