package host

import (
	"context"

	"github.com/gostream/gostream/kernel"
)

// attachFunc routes the output cell code writes on the calling goroutine to
// out until detach is called.
type attachFunc func(out kernel.Outputs) (detach func())

// SetAttach sets how AttachOutput routes output: the cell executor's Attach
// (kernel/cells), which the kernel hands over when it starts the executor.
func (h *Host) SetAttach(attach func(out kernel.Outputs) (detach func())) {
	h.mu.Lock()
	h.attach = attach
	h.mu.Unlock()
}

// AttachOutput makes what cell code prints on the calling goroutine (fmt,
// println, log, and goroutines it starts) go to out until detach is called,
// whichever cell runs meanwhile. Compiled code that calls back into cell
// code on its own goroutine, such as a query running its foreachBatch
// function, attaches the outputs of the cell that started it around each
// call. Without a router set by SetAttach it does nothing.
func (h *Host) AttachOutput(out kernel.Outputs) (detach func()) {
	h.mu.Lock()
	attach := h.attach
	h.mu.Unlock()
	if attach == nil || out == nil {
		return func() {}
	}
	return attach(out)
}

// Outputs returns the query's output as the kernel.Outputs to attach
// around a callback of the query (see AttachOutput): streams go where the
// query prints, into the starting cell, as stream output while that cell
// runs and into its live display after, so that the text stays in the
// starting cell in every front end (nbclient reads only the messages of the
// cell it runs); anything else goes to the starting cell's outputs.
func (o *QueryOutput) Outputs() kernel.Outputs { return queryOutputs{o} }

// queryOutputs is QueryOutput.Outputs.
type queryOutputs struct{ o *QueryOutput }

func (q queryOutputs) Stream(name, text string) { q.o.stream(name, text) }

func (q queryOutputs) Display(data, metadata kernel.MIMEBundle, displayID string) {
	if q.o.start != nil {
		q.o.start.Display(data, metadata, displayID)
	}
}

func (q queryOutputs) UpdateDisplay(data, metadata kernel.MIMEBundle, displayID string) {
	if q.o.start != nil {
		q.o.start.UpdateDisplay(data, metadata, displayID)
	}
}

func (q queryOutputs) ClearOutput(wait bool) {
	if q.o.start != nil {
		q.o.start.ClearOutput(wait)
	}
}

func (q queryOutputs) Input(ctx context.Context, prompt string, password bool) (string, error) {
	if q.o.start == nil {
		return "", kernel.ErrStdinNotAllowed
	}
	return q.o.start.Input(ctx, prompt, password)
}

// Unwrap returns the outputs of the starting cell.
func (q queryOutputs) Unwrap() kernel.Outputs { return q.o.start }
