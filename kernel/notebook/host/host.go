// Package host holds what the kernel knows about the notebook session that
// cell code must not touch directly: the cell that is running (its context
// and its outputs), the engine session, and every streaming query started
// in the session with the cell that started it.
//
// The kernel drives a Host through BeginCell/EndCell, HardInterrupt and
// Shutdown; package notebook (the API cells see) reads it. Host never runs
// cell code and never blocks on it.
package host

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/kernel"
)

// Cell is one execution of a cell: the context the kernel cancels on
// interrupt and the outputs that route to that cell's output area.
type Cell struct {
	Ctx context.Context
	ID  int
	Out kernel.Outputs
}

// Query is a streaming query the session started, with where it came from.
type Query struct {
	Q *engine.StreamingQuery
	// Cell is the execution count of the cell that started the query.
	Cell int
	// Callback is set when the query calls back into cell code
	// (foreachBatch): such a query cannot outlive a hard interrupt.
	Callback bool
	Started  time.Time
	// Out routes the query's own output (console sink, prints inside
	// foreachBatch) to the cell that started it.
	Out kernel.Outputs
	// reported is set once the query's failure was shown in its cell.
	reported bool
}

// Host is the kernel-side state of one notebook session.
type Host struct {
	spark *engine.Session

	mu      sync.Mutex
	cur     Cell
	last    kernel.Outputs
	queries []*Query
}

// New returns a Host with a fresh engine session whose default output is
// the running cell's stdout.
func New() *Host {
	h := &Host{cur: Cell{Ctx: context.Background()}}
	h.spark = engine.NewSession(engine.WithOutput(h.Stdout()))
	h.spark.Streams().AddListener(&engine.ListenerFuncs{
		Terminated: h.onTerminated,
	})
	return h
}

// Default is the Host of this process: one kernel, one notebook session.
var Default = New()

// Spark returns the engine session that cells see as spark.
func (h *Host) Spark() *engine.Session { return h.spark }

// BeginCell records the cell that starts running.
func (h *Host) BeginCell(ctx context.Context, id int, out kernel.Outputs) {
	h.mu.Lock()
	h.cur = Cell{Ctx: ctx, ID: id, Out: out}
	h.last = out
	h.mu.Unlock()
}

// EndCell records that cell id finished.
func (h *Host) EndCell(id int) {
	h.mu.Lock()
	if h.cur.ID == id {
		h.cur = Cell{Ctx: context.Background(), ID: id, Out: h.cur.Out}
	}
	h.mu.Unlock()
}

// Current returns the running cell; between cells it returns a background
// context and the outputs of the last cell that ran (nil before any).
func (h *Host) Current() Cell {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.cur
	if c.Out == nil {
		c.Out = h.last
	}
	return c
}

// Stdout is a writer to the stdout stream of whichever cell runs when it is
// written to; output with no cell to go to is dropped.
func (h *Host) Stdout() io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		if out := h.Current().Out; out != nil {
			out.Stream("stdout", string(p))
		}
		return len(p), nil
	})
}

// StreamWriter writes to one stream ("stdout" or "stderr") of out.
func StreamWriter(out kernel.Outputs, name string) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		if out != nil {
			out.Stream(name, string(p))
		}
		return len(p), nil
	})
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Track records a query the session started.
func (h *Host) Track(q *Query) {
	h.mu.Lock()
	h.queries = append(h.queries, q)
	h.mu.Unlock()
}

// Queries returns every query started in the session, oldest first.
func (h *Host) Queries() []*Query {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Query(nil), h.queries...)
}

// find returns the tracked query with this name, id or run id.
func (h *Host) find(key string) []*Query {
	var found []*Query
	for _, q := range h.Queries() {
		if key == "all" || q.Q.Name() == key || q.Q.ID() == key || q.Q.RunID() == key {
			found = append(found, q)
		}
	}
	return found
}

// onTerminated shows a failed query's error in the cell that started it.
func (h *Host) onTerminated(e engine.QueryTerminatedEvent) {
	if e.Exception == nil {
		return
	}
	for _, q := range h.Queries() {
		if q.Q.RunID() != e.RunID {
			continue
		}
		h.mu.Lock()
		done := q.reported
		q.reported = true
		h.mu.Unlock()
		if !done && q.Out != nil {
			q.Out.Stream("stderr", fmt.Sprintf("StreamingQueryException: %v\n", e.Exception))
		}
	}
}

// HardInterrupt is called after the interpreter had to stop a cell the
// hard way: callbacks into cell code made before it are dead from then on,
// so every active query that calls back into cell code is stopped, and its
// cell says so. Other queries keep running.
func (h *Host) HardInterrupt() {
	for _, q := range h.Queries() {
		if !q.Callback || !q.Q.IsActive() {
			continue
		}
		err := q.Q.Stop()
		msg := fmt.Sprintf("query %s was stopped: the interrupt ended the cell code its foreachBatch function runs; start it again to resume from its checkpoint\n", label(q.Q))
		if err != nil {
			msg = fmt.Sprintf("query %s could not be stopped cleanly after the interrupt: %v\n", label(q.Q), err)
		}
		for _, out := range []kernel.Outputs{q.Out, h.Current().Out} {
			if out != nil {
				out.Stream("stderr", msg)
			}
		}
	}
}

// Shutdown stops every active query, each committing the batch under way,
// before the kernel exits or restarts.
func (h *Host) Shutdown(ctx context.Context) {
	var wg sync.WaitGroup
	for _, q := range h.Queries() {
		if !q.Q.IsActive() {
			continue
		}
		wg.Add(1)
		go func(q *Query) {
			defer wg.Done()
			q.Q.Stop()
		}(q)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// Stop stops the queries named by key: a query name, id or run id, or
// "all". It returns the queries it stopped.
func (h *Host) Stop(key string) ([]*Query, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return nil, fmt.Errorf("%%stop needs a query name, id or run id, or all")
	}
	found := h.find(key)
	if len(found) == 0 {
		return nil, fmt.Errorf("no query named %q in this session: %%streams lists them", key)
	}
	var stopped []*Query
	for _, q := range found {
		if !q.Q.IsActive() {
			continue
		}
		if err := q.Q.Stop(); err != nil {
			return stopped, fmt.Errorf("stopping %s: %w", label(q.Q), err)
		}
		stopped = append(stopped, q)
	}
	return stopped, nil
}

// label names a query for messages: its name, else its id.
func label(q *engine.StreamingQuery) string {
	if q.Name() != "" {
		return fmt.Sprintf("%q", q.Name())
	}
	return q.ID()
}

// Label names a query for messages: its name, else its id.
func Label(q *engine.StreamingQuery) string { return label(q) }

// sortQueries orders queries active first, then newest first.
func sortQueries(qs []*Query) {
	sort.SliceStable(qs, func(i, j int) bool {
		ai, aj := qs[i].Q.IsActive(), qs[j].Q.IsActive()
		if ai != aj {
			return ai
		}
		return qs[i].Started.After(qs[j].Started)
	})
}
