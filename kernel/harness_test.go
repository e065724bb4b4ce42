package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/gostream/gostream/kernel/kerneltest"
	"github.com/gostream/gostream/kernel/wire"
)

// funcExecutor is an Executor made of functions; nil ones answer trivially.
type funcExecutor struct {
	execute  func(ctx context.Context, req ExecuteRequest, out Outputs) ExecuteResult
	complete func(code string, cursorPos int) CompleteReply

	mu        sync.Mutex
	executed  []ExecuteRequest
	shutdowns []bool
}

func (f *funcExecutor) Execute(ctx context.Context, req ExecuteRequest, out Outputs) ExecuteResult {
	f.mu.Lock()
	f.executed = append(f.executed, req)
	f.mu.Unlock()
	if f.execute == nil {
		return ExecuteResult{Data: MIMEBundle{"text/plain": req.Code}}
	}
	return f.execute(ctx, req, out)
}

func (f *funcExecutor) Complete(code string, cursorPos int) CompleteReply {
	if f.complete == nil {
		return CompleteReply{CursorStart: cursorPos, CursorEnd: cursorPos}
	}
	return f.complete(code, cursorPos)
}

func (f *funcExecutor) Inspect(code string, cursorPos, detailLevel int) InspectReply {
	return InspectReply{Found: true, Data: MIMEBundle{"text/plain": code[:cursorPos]}}
}

func (f *funcExecutor) IsComplete(code string) IsCompleteReply {
	if bytes.Count([]byte(code), []byte("{")) > bytes.Count([]byte(code), []byte("}")) {
		return IsCompleteReply{Status: "incomplete", Indent: "\t"}
	}
	return IsCompleteReply{Status: "complete"}
}

func (f *funcExecutor) Shutdown(ctx context.Context, restart bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shutdowns = append(f.shutdowns, restart)
}

func (f *funcExecutor) codes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.executed {
		out = append(out, r.Code)
	}
	return out
}

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type runResult struct {
	restart bool
	err     error
}

// harness is a running kernel and a connected client.
type harness struct {
	k      *Kernel
	c      *kerneltest.Client
	ex     *funcExecutor
	log    *syncBuffer
	done   chan runResult
	cancel context.CancelFunc
}

func startKernel(t *testing.T, ex *funcExecutor, opts Options) *harness {
	t.Helper()
	return startKernelOn(t, "tcp", ex, opts)
}

func startKernelOn(t *testing.T, transport string, ex *funcExecutor, opts Options) *harness {
	t.Helper()
	path, info, err := kerneltest.WriteConnectionFile(t.TempDir(), transport)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	opts.Logger = NewLogger(logs)
	k, err := New(path, ex, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{k: k, ex: ex, log: logs, done: make(chan runResult, 1), cancel: cancel}
	go func() {
		restart, err := k.Run(ctx)
		h.done <- runResult{restart, err}
	}()
	c, err := kerneltest.Dial(info)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h.c = c
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after its context ended")
		}
		c.Close()
		if d := c.Dropped(); len(d) > 0 {
			t.Errorf("client could not decode kernel messages: %v", d)
		}
		if t.Failed() {
			t.Logf("kernel log:\n%s", logs.String())
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := c.WaitReady(wctx); err != nil {
		t.Fatal(err)
	}
	return h
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// content decodes m's content into a map.
func content(t *testing.T, m wire.Message) map[string]any {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(m.Content, &c); err != nil {
		t.Fatalf("%s content: %v", m.Header.MsgType, err)
	}
	return c
}

// kinds lists msg types, with status messages as status:state.
func kinds(t *testing.T, msgs []wire.Message) []string {
	t.Helper()
	var out []string
	for _, m := range msgs {
		if m.Header.MsgType == "status" {
			out = append(out, "status:"+content(t, m)["execution_state"].(string))
			continue
		}
		out = append(out, m.Header.MsgType)
	}
	return out
}

// streamText concatenates the text of the stream messages named name.
func streamText(t *testing.T, msgs []wire.Message, name string) (text string, n int) {
	t.Helper()
	var b bytes.Buffer
	for _, m := range msgs {
		if m.Header.MsgType != "stream" {
			continue
		}
		c := content(t, m)
		if c["name"] == name {
			b.WriteString(c["text"].(string))
			n++
		}
	}
	return b.String(), n
}
