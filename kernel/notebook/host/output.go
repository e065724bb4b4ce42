package host

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/kernel"
)

// QueryOutput is where a query prints: its console sink, and Show inside
// its foreachBatch function. While the cell that started the query runs,
// the text goes to that cell as stream output, as a cell's own prints do.
// From the end of that cell on it goes into a live display that the cell
// gets when it ends (or at the first late write), with the query's status
// line under it: the display is updated in place, so the output stays in
// the starting cell in every front end, nbclient included, and a failure
// of the query shows there too.
type QueryOutput struct {
	h     *Host
	start kernel.Outputs

	mu   sync.Mutex
	late bool

	q        atomic.Pointer[Query]
	log      display.TextLog
	live     atomic.Pointer[display.Live]
	showOnce sync.Once
}

// NewQueryOutput returns the output of a query that cell starts.
func (h *Host) NewQueryOutput(cell Cell) *QueryOutput {
	return &QueryOutput{h: h, start: cell.Out}
}

// Write prints p in the starting cell.
func (o *QueryOutput) Write(p []byte) (int, error) {
	o.stream("stdout", string(p))
	return len(p), nil
}

// stream prints text in the starting cell: on stream name while the cell
// runs, then into the display.
func (o *QueryOutput) stream(name, text string) {
	o.mu.Lock()
	if !o.late {
		if o.start != nil {
			o.start.Stream(name, text)
		}
		o.mu.Unlock()
		return
	}
	o.mu.Unlock()
	_, _ = o.log.Write([]byte(text))
	if l := o.live.Load(); l != nil {
		l.Mark()
	} else {
		o.show()
	}
}

// bind attaches the query the output belongs to.
func (o *QueryOutput) bind(q *Query) { o.q.Store(q) }

// endCell is called when the starting cell ends: from now on text goes to
// the display, which is added now for a query still running.
func (o *QueryOutput) endCell(q *Query) {
	o.mu.Lock()
	o.late = true
	o.mu.Unlock()
	if q.Q.IsActive() && !q.OwnDisplay {
		o.show()
	}
}

// show adds the live display to the starting cell, once.
func (o *QueryOutput) show() {
	o.showOnce.Do(func() {
		l := display.Show(target{h: o.h, start: o.start}, display.LiveConfig{
			Render:  o.render,
			Version: o.version,
		})
		o.live.Store(l)
		if q := o.q.Load(); q != nil && !q.Q.IsActive() {
			// It ended meanwhile: its terminated event may have come
			// before the display existed.
			ctx, cancel := context.WithTimeout(context.Background(), finalTimeout)
			l.Close(ctx)
			cancel()
		}
	})
}

func (o *QueryOutput) mark() {
	if l := o.live.Load(); l != nil {
		l.Mark()
	}
}

func (o *QueryOutput) liveDisplay() *display.Live { return o.live.Load() }

func (o *QueryOutput) version() string {
	v := fmt.Sprint(o.log.Len())
	if q := o.q.Load(); q != nil {
		v += " " + QueryVersion(q.Q)
	}
	return v
}

// render is the printed text with the status line under it.
func (o *QueryOutput) render(bool) (display.Bundle, display.Bundle) {
	text := o.log.String()
	if q := o.q.Load(); q != nil {
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		text += o.h.View(q).StatusLine()
	}
	return display.Bundle{display.MIMEText: text}, nil
}
