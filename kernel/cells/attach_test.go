package cells

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/kernel"
)

// TestAttach calls interpreted callbacks from a goroutine of compiled code,
// as a streaming query calls a foreachBatch function, while another cell
// runs: attached, their output goes to the cell they are attached to.
func TestAttach(t *testing.T) {
	s := newSession(t, Options{})
	_, first := s.run(`import "fmt"
import "log"
log.SetFlags(0)
release := make(chan bool)
childDone := make(chan bool)
cb := func(i int) {
	fmt.Println("fmt", i)
	println("println", i)
	log.Print("log ", i)
}
spawn := func() {
	go func() {
		fmt.Println("child of the callback")
		childDone <- true
	}()
}
crash := func() {
	go func() {
		defer func() { childDone <- true }()
		panic("boom in a callback's goroutine")
	}()
}`)
	g := s.e.globals()
	cb := g["cb"].Interface().(func(int))
	spawn := g["spawn"].Interface().(func())
	crash := g["crash"].Interface().(func())
	release := g["release"].Interface().(chan bool)
	childDone := g["childDone"].Interface().(chan bool)

	// The second cell blocks until the callbacks have run.
	second := newRecorder()
	done := make(chan kernel.ExecuteResult, 1)
	go func() {
		res, _ := s.runCtx(context.Background(), "<-release\nfmt.Println(\"cell 2 done\")", second)
		done <- res
	}()
	waitRunning(t, s.e, "cell2")

	other := newRecorder() // outputs no cell has
	// Attached to cell 1.
	func() { defer s.e.Attach(first)(); cb(1) }()
	// Not attached: the running cell.
	cb(2)
	// Nested attachments; a second detach changes nothing.
	func() {
		detach := s.e.Attach(first)
		defer detach()
		inner := s.e.Attach(other)
		cb(3)
		inner()
		inner()
		cb(4)
	}()
	// A goroutine started by an attached callback stays with its cell.
	detach := s.e.Attach(first)
	spawn()
	detach()
	<-childDone
	// Outputs that wrap cell 1's take its name.
	wrapped := wrapOutputs{newRecorder(), first}
	detach = s.e.Attach(wrapped)
	crash()
	detach()
	<-childDone
	if got := wrapped.waitStream(t, "stderr", "boom"); !strings.HasPrefix(got, "panic in a goroutine started by cell1: boom in a callback's goroutine\n") {
		t.Errorf("wrapped outputs stderr got %q, want the panic reported for cell1", got)
	}
	waitGoroutines(t, s.e)

	release <- true
	if res := <-done; res.Error != nil {
		t.Fatalf("cell 2: %s: %s", res.Error.EName, res.Error.EValue)
	}

	tests := []struct {
		name   string
		out    *recorder
		stream string
		want   string
	}{
		{"cell 1 stdout", first, "stdout", "fmt 1\nfmt 4\nchild of the callback\n"},
		{"cell 1 stderr", first, "stderr", "println 1\nlog 1\nprintln 4\nlog 4\n"},
		{"cell 2 stdout", second, "stdout", "fmt 2\ncell 2 done\n"},
		{"cell 2 stderr", second, "stderr", "println 2\nlog 2\n"},
		{"other stdout", other, "stdout", "fmt 3\n"},
		{"other stderr", other, "stderr", "println 3\nlog 3\n"},
	}

	for _, tc := range tests {
		if got := tc.out.stream(tc.stream); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if n := s.e.rt.nAttached.Load(); n != 0 {
		t.Errorf("%d goroutines still attached after every detach", n)
	}
}

// wrapOutputs is a kernel.Outputs of its own that wraps a cell's.
type wrapOutputs struct {
	*recorder
	inner kernel.Outputs
}

func (w wrapOutputs) Unwrap() kernel.Outputs { return w.inner }

// waitRunning waits until cell name runs.
func waitRunning(t *testing.T, e *Executor, name string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if c := e.rt.fallback(); c != nil && c.name == name {
			e.rt.mu.RLock()
			running := e.rt.current == c
			e.rt.mu.RUnlock()
			if running {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never started", name)
		}
		time.Sleep(time.Millisecond)
	}
}
