// Package host holds what the kernel knows about the notebook session that
// cell code must not touch directly: the cell that is running (its context,
// its outputs and which notebook cell it is), the engine session, every
// streaming query started in the session with the cell that started it, and
// the live displays that follow those queries.
//
// The kernel drives a Host through NextCode, BeginCell/EndCell,
// HardInterrupt and Shutdown; package notebook (the API cells see) reads it
// and registers queries and displays. Host never runs cell code and never
// blocks the engine: query events only mark displays dirty, and each live
// display renders on its own goroutine (package display).
//
// Rules it keeps:
//
//   - Live displays are created in the cell that asks for them; their
//     updates go out with the parent header of whichever cell is running
//     (front ends route update_display_data by display id, and nbclient only
//     reads messages of the cell it runs), or of the starting cell between
//     cells. Pending updates are flushed before a cell ends.
//   - A query prints (console sink, Show in foreachBatch) into the cell that
//     started it: as stream output while that cell runs, then into a live
//     display added at the end of that cell, which also carries a status
//     line and, if the query fails, its error.
//   - Re-running the cell that started a query stops that query first (a
//     cell is known by the notebook cell id the front end sends, else by its
//     code), so no invisible duplicate keeps running.
//   - Output of a foreachBatch function (fmt, println, log) goes to the cell
//     that started the query, through the router AttachOutput uses.
package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/kernel"
)

// Cell is one execution of a cell: the context the kernel cancels on
// interrupt, the outputs that route to that cell's output area, and the key
// of the notebook cell it ran.
type Cell struct {
	Ctx context.Context
	ID  int
	Out kernel.Outputs
	// Key identifies the notebook cell across runs: executions of the same
	// notebook cell (by the cell id the front end sent, else by the code)
	// have the same key. "" when neither is known.
	Key string
	// Running is false between cells.
	Running bool
}

// Query is a streaming query the session started, with where it came from.
type Query struct {
	Q *engine.StreamingQuery
	// Cell is the execution count of the cell that started the query.
	Cell int
	// Key is the key of the notebook cell that started it (Cell.Key).
	Key string
	// Callback is set when the query calls back into cell code
	// (foreachBatch): such a query cannot outlive a hard interrupt.
	Callback bool
	Started  time.Time
	// Out is the outputs of the cell that started the query.
	Out kernel.Outputs
	// Output is where the query prints; nil for none.
	Output *QueryOutput
	// OwnDisplay is set when a live display of the query's results (a
	// streaming DataFrame shown with Display) stands for it in its cell, so
	// no status display is added there.
	OwnDisplay bool

	// reported is set once the query's failure was shown in its cell.
	reported bool
}

// Host is the kernel-side state of one notebook session.
type Host struct {
	spark *engine.Session

	mu      sync.Mutex
	cur     Cell
	last    kernel.Outputs
	nextKey string
	queries []*Query
	lives   []*liveEntry
	names   int // display_N names handed out

	attach attachFunc // routes a goroutine's output; see AttachOutput
}

// New returns a Host with a fresh engine session whose default output is
// the running cell's stdout.
func New() *Host {
	h := &Host{cur: Cell{Ctx: context.Background()}}
	h.spark = engine.NewSession(engine.WithOutput(h.Stdout()))
	h.spark.Streams().AddListener(&engine.ListenerFuncs{
		Started:    func(e engine.QueryStartedEvent) { h.markQuery(e.RunID) },
		Progress:   func(e engine.QueryProgressEvent) { h.markQuery(e.Progress.RunID) },
		Idle:       func(e engine.QueryIdleEvent) { h.markQuery(e.RunID) },
		Terminated: h.onTerminated,
	})
	return h
}

// Default is the Host of this process: one kernel, one notebook session.
var Default = New()

// Spark returns the engine session that cells see as spark.
func (h *Host) Spark() *engine.Session { return h.spark }

// NextCode records the code of the cell about to run, which identifies the
// notebook cell when the front end sends no cell id (the kernel calls it
// before BeginCell).
func (h *Host) NextCode(code string) { h.NextCell("", code) }

// NextCell records the notebook cell id (from the execute_request's
// metadata, "" when the front end sent none) and the code of the cell about
// to run; the id identifies the notebook cell when there is one, else the
// code does (the kernel calls it before BeginCell).
func (h *Host) NextCell(cellID, code string) {
	key := cellKey(code)
	if cellID != "" {
		key = "id:" + cellID
	}
	h.mu.Lock()
	h.nextKey = key
	h.mu.Unlock()
}

// cellKey identifies a cell by its code, ignoring surrounding blank space.
func cellKey(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:8])
}

// BeginCell records the cell that starts running.
func (h *Host) BeginCell(ctx context.Context, id int, out kernel.Outputs) {
	h.mu.Lock()
	h.cur = Cell{Ctx: ctx, ID: id, Out: out, Key: h.nextKey, Running: true}
	h.nextKey = ""
	h.last = out
	h.mu.Unlock()
}

// EndCell records that cell id finished. Before that, while the cell's
// messages still reach every front end, it publishes pending live updates
// and adds the output displays of the queries the cell started.
func (h *Host) EndCell(id int) {
	h.mu.Lock()
	running := h.cur.Running && h.cur.ID == id
	h.mu.Unlock()
	if running {
		for _, q := range h.Queries() {
			if q.Cell == id && q.Output != nil {
				q.Output.endCell(q)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), endCellFlush)
		h.flushAll(ctx)
		cancel()
	}
	h.mu.Lock()
	if h.cur.ID == id {
		h.cur = Cell{Ctx: context.Background(), ID: id, Out: h.cur.Out}
	}
	h.mu.Unlock()
}

// endCellFlush bounds the wait for live updates when a cell ends.
const endCellFlush = 500 * time.Millisecond

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

// Track records a query the session started. Live listings show it from
// now on.
func (h *Host) Track(q *Query) {
	if q.Output != nil {
		q.Output.bind(q)
	}
	h.mu.Lock()
	h.queries = append(h.queries, q)
	h.mu.Unlock()
	h.markQuery(q.Q.RunID())
}

// Queries returns every query started in the session, oldest first.
func (h *Host) Queries() []*Query {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Query(nil), h.queries...)
}

// Lookup returns the tracked query of an engine query, nil if untracked.
func (h *Host) Lookup(q *engine.StreamingQuery) *Query {
	for _, t := range h.Queries() {
		if t.Q == q || t.Q.RunID() == q.RunID() {
			return t
		}
	}
	return nil
}

// DisplayName returns a query name for a displayed stream that no query of
// the session has: display_1, display_2, ...
func (h *Host) DisplayName() string {
	for {
		h.mu.Lock()
		h.names++
		name := fmt.Sprintf("display_%d", h.names)
		h.mu.Unlock()
		taken := false
		for _, q := range h.Queries() {
			taken = taken || q.Q.Name() == name
		}
		if !taken {
			return name
		}
	}
}

// find returns the tracked queries with this name, id or run id, or all of
// them for "all".
func (h *Host) find(key string) []*Query {
	var found []*Query
	for _, q := range h.Queries() {
		if key == "all" || q.Q.Name() == key || q.Q.ID() == key || q.Q.RunID() == key {
			found = append(found, q)
		}
	}
	return found
}

// onTerminated closes the displays of a query that ended, showing its
// final state; a failure with no display to show it goes to the starting
// cell's stderr.
func (h *Host) onTerminated(e engine.QueryTerminatedEvent) {
	h.markQuery(e.RunID)
	var q *Query
	for _, t := range h.Queries() {
		if t.Q.RunID() == e.RunID {
			q = t
		}
	}
	// The listener must not wait: closing renders on other goroutines.
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), finalTimeout)
		defer cancel()
		shown := h.finalize(ctx, e.RunID)
		if e.Exception == nil || q == nil {
			return
		}
		h.mu.Lock()
		done := q.reported
		q.reported = true
		h.mu.Unlock()
		if !done && !shown && q.Out != nil {
			q.Out.Stream("stderr", fmt.Sprintf("StreamingQueryException: %v\n", e.Exception))
		}
	}()
}

// finalTimeout bounds the wait for the final rendering of a display.
const finalTimeout = 2 * time.Second

// HardInterrupt is called after the interpreter had to stop a cell the
// hard way: callbacks into cell code made before it are dead from then on,
// so every active query that calls back into cell code is stopped, and its
// cell says so. Other queries keep running.
func (h *Host) HardInterrupt() {
	for _, q := range h.Queries() {
		if !q.Callback || !q.Q.IsActive() {
			continue
		}
		err := h.StopQuery(q.Q)
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
// then publishes the final state of every live display, before the kernel
// exits or restarts. It returns when all is done or ctx ends.
func (h *Host) Shutdown(ctx context.Context) {
	var wg sync.WaitGroup
	for _, q := range h.Queries() {
		if !q.Q.IsActive() {
			continue
		}
		wg.Add(1)
		go func(q *Query) {
			defer wg.Done()
			_ = q.Q.Stop()
		}(q)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return
	}
	h.closeAll(ctx)
}

// StopQuery stops q after the batch under way commits and publishes the
// final state of its displays before returning, so the cell that stops a
// query shows it stopped.
func (h *Host) StopQuery(q *engine.StreamingQuery) error {
	err := q.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), finalTimeout)
	defer cancel()
	h.finalize(ctx, q.RunID())
	h.markListings()
	h.flushAll(ctx)
	return err
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
		if err := h.StopQuery(q.Q); err != nil {
			return stopped, fmt.Errorf("stopping %s: %w", label(q.Q), err)
		}
		stopped = append(stopped, q)
	}
	return stopped, nil
}

// ReplaceRerun applies the re-run rule before cell starts a query: every
// active query started by an earlier run of the same notebook cell (same
// cell id, or same code when the front end sends no id) is stopped, and the
// cell says so. It returns the stopped queries.
func (h *Host) ReplaceRerun(cell Cell) []*Query {
	if cell.Key == "" {
		return nil
	}
	var stopped []*Query
	for _, q := range h.Queries() {
		if q.Key != cell.Key || q.Cell == cell.ID || !q.Q.IsActive() {
			continue
		}
		err := h.StopQuery(q.Q)
		msg := fmt.Sprintf("stopped query %s started by an earlier run of this cell (In [%d]): re-running a cell replaces the queries it started\n", label(q.Q), q.Cell)
		if err != nil {
			msg = fmt.Sprintf("stopping query %s started by an earlier run of this cell (In [%d]) failed: %v\n", label(q.Q), q.Cell, err)
		}
		if cell.Out != nil {
			cell.Out.Stream("stdout", msg)
		}
		stopped = append(stopped, q)
	}
	return stopped
}

// StopActiveNamed stops the active query called name, if any, so that a
// new query can take the name, and says so in cell.
func (h *Host) StopActiveNamed(cell Cell, name string) error {
	if name == "" {
		return nil
	}
	for _, q := range h.spark.Streams().Active() {
		if q.Name() != name {
			continue
		}
		if err := h.StopQuery(q); err != nil {
			return fmt.Errorf("stopping query %q to replace it: %w", name, err)
		}
		if cell.Out != nil {
			cell.Out.Stream("stdout", fmt.Sprintf("stopped query %q to replace it\n", name))
		}
	}
	return nil
}

// label names a query for messages: its quoted name, else its id.
func label(q *engine.StreamingQuery) string {
	return display.QueryView{Name: q.Name(), ID: q.ID()}.Label()
}

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

// View is what displays show of a tracked query.
func (h *Host) View(q *Query) display.QueryView {
	v := ViewOf(q.Q)
	v.Cell = q.Cell
	return v
}

// ViewOf is what displays show of an engine query.
func ViewOf(q *engine.StreamingQuery) display.QueryView {
	v := display.QueryView{
		Name: q.Name(), ID: q.ID(), RunID: q.RunID(), Active: q.IsActive(),
		Status: q.Status().Message, Recent: q.RecentProgress(),
	}
	if err := q.Exception(); err != nil {
		v.Error = "StreamingQueryException: " + err.Error()
		v.Active = false
	}
	return v
}
