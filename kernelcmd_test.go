package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gostream/gostream/kernel"
)

// echoExecutor answers every request with what it was asked.
type echoExecutor struct{ shutdown bool }

func (e *echoExecutor) Execute(_ context.Context, req kernel.ExecuteRequest, _ kernel.Outputs) kernel.ExecuteResult {
	return kernel.ExecuteResult{Data: kernel.MIMEBundle{"text/plain": req.Code}}
}
func (e *echoExecutor) Complete(code string, pos int) kernel.CompleteReply {
	return kernel.CompleteReply{Matches: []string{code}, CursorStart: 0, CursorEnd: pos}
}
func (e *echoExecutor) Inspect(string, int, int) kernel.InspectReply {
	return kernel.InspectReply{Found: true}
}
func (e *echoExecutor) IsComplete(string) kernel.IsCompleteReply {
	return kernel.IsCompleteReply{Status: "complete"}
}
func (e *echoExecutor) Shutdown(context.Context, bool) { e.shutdown = true }

func TestBackgroundExecutorWaitsForTheInterpreter(t *testing.T) {
	release := make(chan struct{})
	inner := &echoExecutor{}
	b := startExecutor(func() (kernel.Executor, error) {
		<-release
		return inner, nil
	})
	done := make(chan kernel.ExecuteResult, 1)
	go func() { done <- b.Execute(context.Background(), kernel.ExecuteRequest{Code: "1+1"}, nil) }()
	select {
	case <-done:
		t.Fatal("Execute returned before the interpreter was built")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if got := (<-done).Data["text/plain"]; got != "1+1" {
		t.Errorf("Execute result = %v, want the built executor's", got)
	}
	if got := b.IsComplete("x").Status; got != "complete" {
		t.Errorf("IsComplete = %q, want the built executor's answer", got)
	}
	b.Shutdown(context.Background(), false)
	if !inner.shutdown {
		t.Error("Shutdown did not reach the built executor")
	}
}

func TestBackgroundExecutorReportsAFailedStart(t *testing.T) {
	b := startExecutor(func() (kernel.Executor, error) { return nil, errors.New("no symbols") })
	res := b.Execute(context.Background(), kernel.ExecuteRequest{Code: "1"}, nil)
	if res.Error == nil || res.Error.EName != "KernelError" || res.Error.EValue != "the cell interpreter did not start: no symbols" {
		t.Errorf("Execute error = %+v, want KernelError saying why the interpreter did not start", res.Error)
	}
	if c := b.Complete("fm", 2); len(c.Matches) != 0 || c.CursorStart != 2 || c.CursorEnd != 2 {
		t.Errorf("Complete = %+v, want no matches at the cursor", c)
	}
	if got := b.IsComplete("x").Status; got != "unknown" {
		t.Errorf("IsComplete = %q, want unknown", got)
	}
	if b.Inspect("x", 0, 0).Found {
		t.Error("Inspect found something without an interpreter")
	}
	b.Shutdown(context.Background(), false) // must not block or panic
}
