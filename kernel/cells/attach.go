package cells

import (
	"context"
	"sync"

	"github.com/gostream/gostream/kernel"
)

// Attach routes the output that cell code writes on the calling goroutine
// (fmt.Print*, print, println, the log package, and goroutines it starts)
// to out until detach is called, whichever cell runs meanwhile. Compiled
// code that calls back into cell code on its own goroutine (a streaming
// query running its foreachBatch function, say) attaches the outputs of
// the cell that handed it the callback around each call. When out is the
// Outputs an earlier Execute got, or wraps it (an Unwrap() kernel.Outputs
// method returns it), the attached goroutine also takes that cell's name
// (in reports of panics in goroutines it starts) and context (for Input).
// Attachments nest; detach may be called from any goroutine and more than
// once.
func (e *Executor) Attach(out kernel.Outputs) (detach func()) {
	c := e.cellOf(out)
	id := goid()
	prev := e.rt.attach(id, c)
	var once sync.Once
	return func() { once.Do(func() { e.rt.detach(id, prev) }) }
}

// cellOf returns the cell that writes to out: the newest cell whose
// outputs out is or wraps, with out as its outputs, or a cell made for out.
func (e *Executor) cellOf(out kernel.Outputs) *cell {
	inner := out
	if w, ok := out.(interface{ Unwrap() kernel.Outputs }); ok {
		inner = w.Unwrap()
	}
	e.cellsMu.Lock()
	defer e.cellsMu.Unlock()
	for i := len(e.cells) - 1; i >= 0; i-- {
		if c := e.cells[i]; sameOutputs(c.out, inner) {
			return &cell{id: c.id, name: c.name, out: out, ctx: c.ctx, cancel: c.cancel}
		}
	}
	return &cell{name: "callback", out: out, ctx: context.Background(), cancel: func() {}}
}

// sameOutputs reports whether a and b are the same outputs; values of a
// type that cannot be compared are never the same.
func sameOutputs(a, b kernel.Outputs) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// attach routes goroutine id to c and returns what it was attached to
// before (nil for nothing).
func (r *router) attach(id uint64, c *cell) *cell {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev := r.attached[id]
	r.attached[id] = c
	if prev == nil {
		r.nAttached.Add(1)
	}
	return prev
}

// detach ends the attachment of goroutine id, going back to prev.
func (r *router) detach(id uint64, prev *cell) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev != nil {
		r.attached[id] = prev
		return
	}
	if _, ok := r.attached[id]; !ok {
		return
	}
	delete(r.attached, id)
	r.nAttached.Add(-1)
	if _, registered := r.byG[id]; !registered {
		delete(r.traces, id)
	}
}
