package cells

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gostream/gostream/kernel"
)

// recorder is a kernel.Outputs that keeps what was published.
type recorder struct {
	mu       sync.Mutex
	streams  map[string]*strings.Builder
	displays []kernel.MIMEBundle
	prompts  []string
	// answers are returned by Input in order; inputErr when set instead.
	answers  []string
	inputErr error
}

func newRecorder(answers ...string) *recorder {
	return &recorder{streams: map[string]*strings.Builder{"stdout": {}, "stderr": {}}, answers: answers}
}

func (r *recorder) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.streams[name].WriteString(text)
}

func (r *recorder) Display(data, _ kernel.MIMEBundle, _ string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.displays = append(r.displays, data)
}

func (r *recorder) UpdateDisplay(data, _ kernel.MIMEBundle, _ string) {}
func (r *recorder) ClearOutput(bool)                                  {}

func (r *recorder) Input(ctx context.Context, prompt string, _ bool) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prompts = append(r.prompts, prompt)
	if r.inputErr != nil {
		return "", r.inputErr
	}
	if len(r.answers) == 0 {
		return "", context.Canceled
	}
	a := r.answers[0]
	r.answers = r.answers[1:]
	return a, nil
}

func (r *recorder) stream(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.streams[name].String()
}

// waitStream waits until stream name contains want.
func (r *recorder) waitStream(t *testing.T, name, want string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if s := r.stream(name); strings.Contains(s, want) {
			return s
		}
		time.Sleep(5 * time.Millisecond)
	}
	got := r.stream(name)
	t.Fatalf("%s never contained %q; got %q", name, want, got)
	return got
}

// session runs cells on one executor, numbering them from 1.
type testSession struct {
	t *testing.T
	e *Executor
	n int
}

func newSession(t *testing.T, opts Options) *testSession {
	t.Helper()
	e, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		e.Shutdown(ctx, false)
	})
	return &testSession{t: t, e: e}
}

func (s *testSession) run(code string) (kernel.ExecuteResult, *recorder) {
	return s.runCtx(context.Background(), code, newRecorder())
}

func (s *testSession) runCtx(ctx context.Context, code string, out *recorder) (kernel.ExecuteResult, *recorder) {
	s.n++
	res := s.e.Execute(ctx, kernel.ExecuteRequest{Code: code, ExecutionCount: s.n, StoreHistory: true}, out)
	return res, out
}

// ok runs code and fails the test when the cell errs; it returns the
// result's text/plain ("" when there is none).
func (s *testSession) ok(code string) string {
	s.t.Helper()
	res, _ := s.run(code)
	if res.Error != nil {
		s.t.Fatalf("cell %d %q: %s: %s\n%s", s.n, code, res.Error.EName, res.Error.EValue, strings.Join(res.Error.Traceback, "\n"))
	}
	if res.Data == nil {
		return ""
	}
	p, _ := res.Data["text/plain"].(string)
	return p
}

// waitGoroutines waits until every goroutine started by cells has returned,
// so that no interpreted frame unwinds while the interpreter compiles next
// (see race_test.go).
func waitGoroutines(t *testing.T, e *Executor) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for e.rt.live.Load() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines started by cells still run", e.rt.live.Load())
		}
		time.Sleep(time.Millisecond)
	}
}
