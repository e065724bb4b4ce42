package host

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/kernel"
)

// maxListings is how many live listings of the session's queries stay
// live; showing another one freezes the oldest.
const maxListings = 3

// liveEntry is a live display the host keeps up to date.
type liveEntry struct {
	live *display.Live
	// runID is the query the display follows; "" for a listing, which
	// follows all of them.
	runID string
}

// target publishes a live display: display_data in the cell that asked
// for it, updates with the parent of whichever cell is running so that
// every front end applies them (nbclient reads only the messages of the
// cell it runs), or of the starting cell between cells.
type target struct {
	h     *Host
	start kernel.Outputs
}

func (t target) Display(data, md display.Bundle, id string) {
	if t.start != nil {
		t.start.Display(kernel.MIMEBundle(data), kernel.MIMEBundle(md), id)
	}
}

func (t target) Update(data, md display.Bundle, id string) {
	out := t.start
	if c := t.h.Current(); c.Running && c.Out != nil {
		out = c.Out
	}
	if out != nil {
		out.UpdateDisplay(kernel.MIMEBundle(data), kernel.MIMEBundle(md), id)
	}
}

// ShowLive shows a live display in the running cell that follows the
// query with run id runID: it is marked on every event of the query,
// flushed when a cell waits on the query or ends, and closed, showing its
// final state, when the query ends.
func (h *Host) ShowLive(runID string, cfg display.LiveConfig) *display.Live {
	l := display.Show(target{h: h, start: h.Current().Out}, cfg)
	h.mu.Lock()
	h.lives = append(h.lives, &liveEntry{live: l, runID: runID})
	h.mu.Unlock()
	if !h.runActive(runID) {
		// The query ended before the display was registered.
		ctx, cancel := context.WithTimeout(context.Background(), finalTimeout)
		defer cancel()
		h.finalize(ctx, runID)
	}
	return l
}

// runActive reports whether the tracked query with run id runID is active.
func (h *Host) runActive(runID string) bool {
	for _, q := range h.Queries() {
		if q.Q.RunID() == runID {
			return q.Q.IsActive()
		}
	}
	return true // not tracked (yet): its terminated event closes the display
}

// ShowListing shows a live listing of the session's queries in the running
// cell; it updates on every query event. Only the newest few listings stay
// live.
func (h *Host) ShowListing() *display.Live {
	l := display.Show(target{h: h, start: h.Current().Out}, display.LiveConfig{
		Render:  func(bool) (display.Bundle, display.Bundle) { return h.Listing(), nil },
		Version: h.listingVersion,
	})
	var frozen []*display.Live
	h.mu.Lock()
	n := 0
	for i := len(h.lives) - 1; i >= 0; i-- {
		if h.lives[i].runID == "" {
			n++
			if n >= maxListings {
				frozen = append(frozen, h.lives[i].live)
				h.lives = append(h.lives[:i:i], h.lives[i+1:]...)
			}
		}
	}
	h.lives = append(h.lives, &liveEntry{live: l})
	h.mu.Unlock()
	for _, f := range frozen {
		ctx, cancel := context.WithTimeout(context.Background(), finalTimeout)
		f.Close(ctx)
		cancel()
	}
	return l
}

// Listing renders the session's queries, active first, newest first.
func (h *Host) Listing() display.Bundle {
	qs := h.Queries()
	sortQueries(qs)
	views := make([]display.QueryView, len(qs))
	for i, q := range qs {
		views[i] = h.View(q)
	}
	return display.Listing(views)
}

// listingVersion changes whenever a listing would show something new.
func (h *Host) listingVersion() string {
	var b strings.Builder
	for _, q := range h.Queries() {
		b.WriteString(q.Q.RunID() + " " + QueryVersion(q.Q) + "|")
	}
	return b.String()
}

// QueryVersion changes whenever a display of q would show something new:
// its state, status or latest batch.
func QueryVersion(q *engine.StreamingQuery) string {
	v := ViewOf(q)
	batch := int64(-1)
	if p := v.Last(); p != nil {
		batch = p.BatchID
	}
	return fmt.Sprintf("%s %s %d", v.State(), v.Status, batch)
}

// entries returns the live displays following runID, with the listings
// when listings is set.
func (h *Host) entries(runID string, listings bool) []*display.Live {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*display.Live
	for _, e := range h.lives {
		if (runID != "" && e.runID == runID) || (listings && e.runID == "") {
			out = append(out, e.live)
		}
	}
	return out
}

// markQuery marks the displays of a query and the listings dirty. It is
// called from the engine's listener and never blocks.
func (h *Host) markQuery(runID string) {
	for _, l := range h.entries(runID, true) {
		l.Mark()
	}
	for _, q := range h.Queries() {
		if q.Output != nil && q.Q.RunID() == runID {
			q.Output.mark()
		}
	}
}

func (h *Host) markListings() {
	for _, l := range h.entries("", true) {
		l.Mark()
	}
}

// SyncQuery brings the displays of q up to date now: a cell that waited on
// q (ProcessAllAvailable, AwaitTermination) shows the state it waited for.
func (h *Host) SyncQuery(q *engine.StreamingQuery) {
	h.markQuery(q.RunID())
	ctx, cancel := context.WithTimeout(context.Background(), finalTimeout)
	defer cancel()
	h.flushAll(ctx)
}

// flushAll publishes the pending updates of every live display.
func (h *Host) flushAll(ctx context.Context) {
	h.mu.Lock()
	lives := make([]*display.Live, 0, len(h.lives))
	for _, e := range h.lives {
		lives = append(lives, e.live)
	}
	h.mu.Unlock()
	parallel(h.outputDisplays(lives, ""), func(l *display.Live) { l.Flush(ctx) })
}

// finalize publishes the final state of the displays of a query that ended
// and stops following it. It waits until every display of the query shows
// its final state (or ctx ends), also when another caller is closing them,
// and reports whether any display showed it.
func (h *Host) finalize(ctx context.Context, runID string) bool {
	lives := h.outputDisplays(h.entries(runID, false), runID)
	parallel(lives, func(l *display.Live) { l.Close(ctx) })
	h.mu.Lock()
	kept := h.lives[:0:0]
	for _, e := range h.lives {
		if e.runID != runID {
			kept = append(kept, e)
		}
	}
	h.lives = kept
	h.mu.Unlock()
	return len(lives) > 0
}

// closeAll publishes the final state of every live display.
func (h *Host) closeAll(ctx context.Context) {
	h.mu.Lock()
	lives := make([]*display.Live, 0, len(h.lives))
	for _, e := range h.lives {
		lives = append(lives, e.live)
	}
	h.lives = nil
	h.mu.Unlock()
	parallel(h.outputDisplays(lives, ""), func(l *display.Live) { l.Close(ctx) })
}

// outputDisplays appends to lives the live displays of the queries'
// outputs: of every query, or of the one with run id runID when set.
func (h *Host) outputDisplays(lives []*display.Live, runID string) []*display.Live {
	for _, q := range h.Queries() {
		if q.Output == nil || (runID != "" && q.Q.RunID() != runID) {
			continue
		}
		if l := q.Output.liveDisplay(); l != nil {
			lives = append(lives, l)
		}
	}
	return lives
}

// parallel runs fn on every display at once and waits for all.
func parallel(lives []*display.Live, fn func(*display.Live)) {
	var wg sync.WaitGroup
	for _, l := range lives {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(l)
		}()
	}
	wg.Wait()
}
