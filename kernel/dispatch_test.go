package kernel

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/kernel/kerneltest"
	"github.com/gostream/gostream/kernel/wire"
)

func TestKernelInfoOnEachChannel(t *testing.T) {
	h := startKernel(t, &funcExecutor{}, Options{
		LanguageInfo:          LanguageInfo{Name: "go", Version: "1.26", MIMEType: "text/x-go", FileExtension: ".go"},
		ImplementationVersion: "0.1.0",
		Banner:                "gostream",
	})
	for _, ch := range []kerneltest.Channel{kerneltest.Shell, kerneltest.Control} {
		t.Run(string(ch), func(t *testing.T) {
			ctx := testCtx(t)
			rep, iopub, err := h.c.Request(ctx, ch, "kernel_info_request", nil)
			if err != nil {
				t.Fatal(err)
			}
			c := content(t, rep)
			got := fmt.Sprint(rep.Header.MsgType, " ", c["status"], " ", c["protocol_version"], " ", c["implementation"], " ",
				c["implementation_version"], " ", c["language_info"].(map[string]any)["name"], " ", rep.Header.Session == h.k.Session())
			want := "kernel_info_reply ok 5.4 gostream 0.1.0 go true"
			if got != want {
				t.Errorf("reply = %q, want %q", got, want)
			}
			if got, want := kinds(t, iopub), []string{"status:busy", "status:idle"}; !reflect.DeepEqual(got, want) {
				t.Errorf("iopub = %v, want %v", got, want)
			}
			for _, other := range []kerneltest.Channel{kerneltest.Shell, kerneltest.Control, kerneltest.Stdin} {
				if n := h.c.Pending(other); n != 0 {
					t.Errorf("%d unexpected messages on %s", n, other)
				}
			}
		})
	}
}

func TestExecuteMessages(t *testing.T) {
	tests := []struct {
		name      string
		exec      func(ctx context.Context, req ExecuteRequest, out Outputs) ExecuteResult
		content   map[string]any
		wantIOPub []string
		wantReply map[string]any
	}{
		{
			name: "result",
			exec: func(_ context.Context, req ExecuteRequest, out Outputs) ExecuteResult {
				out.Stream("stdout", "hello\n")
				return ExecuteResult{Data: MIMEBundle{"text/plain": "42"}}
			},
			wantIOPub: []string{"status:busy", "execute_input", "stream", "execute_result", "status:idle"},
			wantReply: map[string]any{"status": "ok", "execution_count": 1.0, "user_expressions": map[string]any{}, "payload": []any{}},
		},
		{
			name:      "no result",
			exec:      func(context.Context, ExecuteRequest, Outputs) ExecuteResult { return ExecuteResult{} },
			wantIOPub: []string{"status:busy", "execute_input", "status:idle"},
			wantReply: map[string]any{"status": "ok", "execution_count": 1.0, "user_expressions": map[string]any{}, "payload": []any{}},
		},
		{
			name: "error",
			exec: func(_ context.Context, req ExecuteRequest, out Outputs) ExecuteResult {
				out.Stream("stderr", "partial\n")
				return ExecuteResult{Data: MIMEBundle{"text/plain": "ignored"},
					Error: &ErrorContent{EName: "CompileError", EValue: "cell1:1:1: undefined: x", Traceback: []string{"cell1:1:1: undefined: x"}}}
			},
			wantIOPub: []string{"status:busy", "execute_input", "stream", "error", "status:idle"},
			wantReply: map[string]any{"status": "error", "execution_count": 1.0, "ename": "CompileError", "evalue": "cell1:1:1: undefined: x",
				"traceback": []any{"cell1:1:1: undefined: x"}, "user_expressions": map[string]any{}, "payload": []any{}},
		},
		{
			name:      "panic becomes an error",
			exec:      func(context.Context, ExecuteRequest, Outputs) ExecuteResult { panic("boom") },
			wantIOPub: []string{"status:busy", "execute_input", "error", "status:idle"},
		},
		{
			name: "silent",
			exec: func(context.Context, ExecuteRequest, Outputs) ExecuteResult {
				return ExecuteResult{Data: MIMEBundle{"text/plain": "x"}}
			},
			content:   map[string]any{"code": "x", "silent": true},
			wantIOPub: []string{"status:busy", "status:idle"},
			wantReply: map[string]any{"status": "ok", "execution_count": 0.0, "user_expressions": map[string]any{}, "payload": []any{}},
		},
		{
			name: "user expressions and payload",
			exec: func(_ context.Context, req ExecuteRequest, _ Outputs) ExecuteResult {
				ue := map[string]any{}
				for k, v := range req.UserExpressions {
					ue[k] = map[string]any{"status": "ok", "data": map[string]any{"text/plain": v}}
				}
				return ExecuteResult{UserExpressions: ue, Payload: []map[string]any{{"source": "page"}}}
			},
			content:   map[string]any{"code": "", "user_expressions": map[string]any{"a": "1+1"}},
			wantIOPub: []string{"status:busy", "execute_input", "status:idle"},
			wantReply: map[string]any{"status": "ok", "execution_count": 1.0,
				"user_expressions": map[string]any{"a": map[string]any{"status": "ok", "data": map[string]any{"text/plain": "1+1"}}},
				"payload":          []any{map[string]any{"source": "page"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := startKernel(t, &funcExecutor{execute: tc.exec}, Options{})
			ctx := testCtx(t)
			req := tc.content
			if req == nil {
				req = kerneltest.ExecuteContent("x := 42")
			}
			rep, iopub, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", req)
			if err != nil {
				t.Fatal(err)
			}
			if got := kinds(t, iopub); !reflect.DeepEqual(got, tc.wantIOPub) {
				t.Errorf("iopub = %v, want %v", got, tc.wantIOPub)
			}
			got := content(t, rep)
			if tc.wantReply != nil && !reflect.DeepEqual(got, tc.wantReply) {
				t.Errorf("execute_reply content\n got %v\nwant %v", got, tc.wantReply)
			}
			if rep.Metadata["status"] != got["status"] {
				t.Errorf("reply metadata status = %v, want %v", rep.Metadata["status"], got["status"])
			}
			for _, m := range iopub {
				if m.Header.Session != h.k.Session() {
					t.Errorf("%s has session %q, want the kernel's %q", m.Header.MsgType, m.Header.Session, h.k.Session())
				}
				switch m.Header.MsgType {
				case "execute_result":
					c := content(t, m)
					if c["execution_count"] != 1.0 || c["data"].(map[string]any)["text/plain"] == nil {
						t.Errorf("execute_result = %v, want execution_count 1 and text/plain", c)
					}
				case "error":
					if c := content(t, m); c["ename"] == "" || c["traceback"] == nil {
						t.Errorf("error output = %v, want ename and traceback", c)
					}
				}
			}
		})
	}
}

func TestExecutionCount(t *testing.T) {
	ex := &funcExecutor{execute: func(_ context.Context, req ExecuteRequest, _ Outputs) ExecuteResult {
		return ExecuteResult{Data: MIMEBundle{"text/plain": fmt.Sprint(req.ExecutionCount)}}
	}}
	h := startKernel(t, ex, Options{})
	steps := []struct {
		name         string
		storeHistory bool
		silent       bool
		want         float64
	}{
		{"first stored", true, false, 1},
		{"second stored", true, false, 2},
		{"not stored", false, false, 2},
		{"silent", true, true, 2},
		{"stored again", true, false, 3},
	}
	for _, s := range steps {
		ctx := testCtx(t)
		req := kerneltest.ExecuteContent(s.name)
		req["store_history"], req["silent"] = s.storeHistory, s.silent
		rep, iopub, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", req)
		if err != nil {
			t.Fatal(err)
		}
		if got := content(t, rep)["execution_count"]; got != s.want {
			t.Errorf("%s: execution_count = %v, want %v", s.name, got, s.want)
		}
		for _, m := range iopub {
			if m.Header.MsgType == "execute_input" {
				if got := content(t, m)["execution_count"]; got != s.want {
					t.Errorf("%s: execute_input count = %v, want %v", s.name, got, s.want)
				}
			}
		}
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if got := ex.executed[3].StoreHistory; got {
		t.Errorf("silent request reached the executor with StoreHistory true")
	}
}

func TestStopOnErrorAbortsQueued(t *testing.T) {
	tests := []struct {
		name        string
		stopOnError bool
		wantStatus  []string
		wantRan     []string
	}{
		{"stop_on_error aborts what was queued", true,
			[]string{"error", "aborted", "aborted", "ok"}, []string{"fail", "after"}},
		{"without stop_on_error the queue runs", false,
			[]string{"error", "ok", "ok", "ok"}, []string{"fail", "queued 1", "queued 2", "after"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			ex := &funcExecutor{execute: func(_ context.Context, req ExecuteRequest, _ Outputs) ExecuteResult {
				if req.Code == "fail" {
					<-release
					return ExecuteResult{Error: &ErrorContent{EName: "Err", EValue: "failed"}}
				}
				return ExecuteResult{}
			}}
			h := startKernel(t, ex, Options{})
			ctx := testCtx(t)
			var ids []string
			for _, code := range []string{"fail", "queued 1", "queued 2"} {
				req := kerneltest.ExecuteContent(code)
				req["stop_on_error"] = tc.stopOnError
				m, err := h.c.Send(kerneltest.Shell, "execute_request", req)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.Header.MsgID)
			}
			// The queued requests reach the kernel before the failure.
			if _, err := h.c.WaitIOPub(ctx, func(m wire.Message) bool { return m.Header.MsgType == "execute_input" }); err != nil {
				t.Fatal(err)
			}
			for queued := 0; queued < 2; time.Sleep(time.Millisecond) {
				h.k.queue.mu.Lock()
				queued = len(h.k.queue.items)
				h.k.queue.mu.Unlock()
			}
			close(release)
			var statuses []string
			for range ids {
				rep, err := h.c.Recv(ctx, kerneltest.Shell)
				if err != nil {
					t.Fatal(err)
				}
				statuses = append(statuses, content(t, rep)["status"].(string))
			}
			for _, id := range ids {
				iopub, err := h.c.IOPubFor(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if kinds(t, iopub)[0] != "status:busy" {
					t.Errorf("request %s: iopub = %v, want busy first", id, kinds(t, iopub))
				}
			}
			rep, _, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", kerneltest.ExecuteContent("after"))
			if err != nil {
				t.Fatal(err)
			}
			statuses = append(statuses, content(t, rep)["status"].(string))
			if !reflect.DeepEqual(statuses, tc.wantStatus) {
				t.Errorf("reply statuses = %v, want %v", statuses, tc.wantStatus)
			}
			if got := ex.codes(); !reflect.DeepEqual(got, tc.wantRan) {
				t.Errorf("executor ran %v, want %v", got, tc.wantRan)
			}
		})
	}
}

func TestStdinRoundTrip(t *testing.T) {
	tests := []struct {
		name       string
		allowStdin bool
		answer     bool
		withParent bool
		want       string
	}{
		{"answered", true, true, true, "value: gopher"},
		{"answered without parent header as jupyter_client does", true, true, false, "value: gopher"},
		{"not allowed", false, false, false, "error: " + ErrStdinNotAllowed.Error()},
		{"interrupted while waiting", true, false, false, "error: context canceled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex := &funcExecutor{execute: func(ctx context.Context, req ExecuteRequest, out Outputs) ExecuteResult {
				out.Stream("stdout", "before prompt\n")
				v, err := out.Input(ctx, "name? ", false)
				if err != nil {
					return ExecuteResult{Data: MIMEBundle{"text/plain": "error: " + err.Error()}}
				}
				return ExecuteResult{Data: MIMEBundle{"text/plain": "value: " + v}}
			}}
			h := startKernel(t, ex, Options{})
			ctx := testCtx(t)
			req := kerneltest.ExecuteContent("input")
			req["allow_stdin"] = tc.allowStdin
			exec, err := h.c.Send(kerneltest.Shell, "execute_request", req)
			if err != nil {
				t.Fatal(err)
			}
			if tc.allowStdin {
				ir, err := h.c.Recv(ctx, kerneltest.Stdin)
				if err != nil {
					t.Fatal(err)
				}
				c := content(t, ir)
				if ir.Header.MsgType != "input_request" || c["prompt"] != "name? " || c["password"] != false ||
					ir.ParentHeader.MsgID != exec.Header.MsgID {
					t.Fatalf("got %s %v parent %s, want input_request prompt %q parent %s",
						ir.Header.MsgType, c, ir.ParentHeader.MsgID, "name? ", exec.Header.MsgID)
				}
				// The text printed before the prompt is already out.
				if _, err := h.c.WaitIOPub(ctx, func(m wire.Message) bool { return m.Header.MsgType == "stream" }); err != nil {
					t.Fatal(err)
				}
				if tc.answer {
					reply, _ := h.c.NewMessage("input_reply", map[string]any{"value": "gopher"})
					if tc.withParent {
						reply.ParentHeader = ir.Header
					}
					if err := h.c.SendMessage(kerneltest.Stdin, reply); err != nil {
						t.Fatal(err)
					}
				} else if _, _, err := h.c.Request(ctx, kerneltest.Control, "interrupt_request", nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := h.c.Recv(ctx, kerneltest.Shell); err != nil {
				t.Fatal(err)
			}
			iopub, err := h.c.IOPubFor(ctx, exec.Header.MsgID)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, m := range iopub {
				if m.Header.MsgType == "execute_result" {
					got = content(t, m)["data"].(map[string]any)["text/plain"].(string)
				}
			}
			if got != tc.want {
				t.Errorf("result = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInterrupt(t *testing.T) {
	tests := []struct {
		name      string
		interrupt func(h *harness, ctx context.Context) error
	}{
		{"interrupt_request on control", func(h *harness, ctx context.Context) error {
			rep, _, err := h.c.Request(ctx, kerneltest.Control, "interrupt_request", nil)
			if err == nil && (rep.Header.MsgType != "interrupt_reply" || content(t, rep)["status"] != "ok") {
				err = fmt.Errorf("got %s %s, want interrupt_reply ok", rep.Header.MsgType, rep.Content)
			}
			return err
		}},
		{"Interrupt method", func(h *harness, _ context.Context) error { h.k.Interrupt(); return nil }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			started := make(chan struct{})
			ex := &funcExecutor{execute: func(ctx context.Context, req ExecuteRequest, out Outputs) ExecuteResult {
				close(started)
				<-ctx.Done()
				return ExecuteResult{Error: &ErrorContent{EName: "KeyboardInterrupt", EValue: context.Cause(ctx).Error()}}
			}}
			h := startKernel(t, ex, Options{})
			ctx := testCtx(t)
			if _, err := h.c.Send(kerneltest.Shell, "execute_request", kerneltest.ExecuteContent("for {}")); err != nil {
				t.Fatal(err)
			}
			<-started
			begin := time.Now()
			if err := tc.interrupt(h, ctx); err != nil {
				t.Fatal(err)
			}
			rep, err := h.c.Recv(ctx, kerneltest.Shell)
			if err != nil {
				t.Fatal(err)
			}
			if c := content(t, rep); c["status"] != "error" || c["ename"] != "KeyboardInterrupt" {
				t.Errorf("execute_reply = %v, want status error, ename KeyboardInterrupt", c)
			}
			if d := time.Since(begin); d > 2*time.Second {
				t.Errorf("interrupt took %v", d)
			}
		})
	}
}

func TestShutdown(t *testing.T) {
	tests := []struct {
		name    string
		channel kerneltest.Channel
		restart bool
	}{
		{"control", kerneltest.Control, false},
		{"control restart", kerneltest.Control, true},
		{"shell (older clients)", kerneltest.Shell, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex := &funcExecutor{}
			h := startKernel(t, ex, Options{})
			ctx := testCtx(t)
			if _, err := h.c.Send(tc.channel, "shutdown_request", map[string]any{"restart": tc.restart}); err != nil {
				t.Fatal(err)
			}
			rep, err := h.c.Recv(ctx, tc.channel)
			if err != nil {
				t.Fatal(err)
			}
			if c := content(t, rep); rep.Header.MsgType != "shutdown_reply" || c["status"] != "ok" || c["restart"] != tc.restart {
				t.Errorf("reply %s %v, want shutdown_reply ok restart %v", rep.Header.MsgType, c, tc.restart)
			}
			select {
			case r := <-h.done:
				if r.err != nil || r.restart != tc.restart {
					t.Errorf("Run returned (%v, %v), want (%v, nil)", r.restart, r.err, tc.restart)
				}
				h.done <- r
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return after shutdown_request")
			}
			if want := []bool{tc.restart}; !reflect.DeepEqual(ex.shutdowns, want) {
				t.Errorf("Executor.Shutdown calls = %v, want %v", ex.shutdowns, want)
			}
		})
	}
}

func TestRejectedMessagesAreNotExecuted(t *testing.T) {
	tests := []struct {
		name    string
		frames  func(c *kerneltest.Client) [][]byte
		wantLog string
		wantRan int
	}{
		{"bad signature", func(c *kerneltest.Client) [][]byte {
			m, _ := c.NewMessage("execute_request", kerneltest.ExecuteContent("forged"))
			frames, _ := wire.NewCodec([]byte("not the key"), 0).Encode(m)
			return frames
		}, "bad signature", 0},
		{"replayed", func(c *kerneltest.Client) [][]byte {
			m, _ := c.NewMessage("execute_request", kerneltest.ExecuteContent("once"))
			frames, _ := c.Codec().Encode(m)
			c.SendFrames(kerneltest.Shell, frames)
			return frames
		}, "replayed", 1},
		{"no delimiter", func(c *kerneltest.Client) [][]byte {
			return [][]byte{[]byte("garbage"), []byte("{}")}
		}, "missing <IDS|MSG> delimiter", 0},
		{"oversize", func(c *kerneltest.Client) [][]byte {
			m, _ := c.NewMessage("execute_request", kerneltest.ExecuteContent(strings.Repeat("x", 70000)))
			frames, _ := c.Codec().Encode(m)
			return frames
		}, "message too large", 0},
		{"bad JSON", func(c *kerneltest.Client) [][]byte {
			h, p, md, ct := []byte(`{"msg_id":"1","msg_type":"execute_request"`), []byte("{}"), []byte("{}"), []byte("{}")
			return [][]byte{[]byte(wire.Delimiter), []byte(c.Codec().Sign(h, p, md, ct)), h, p, md, ct}
		}, "malformed JSON", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex := &funcExecutor{}
			h := startKernel(t, ex, Options{MaxMessageSize: 64 << 10})
			ctx := testCtx(t)
			if err := h.c.SendFrames(kerneltest.Shell, tc.frames(h.c)); err != nil {
				t.Fatal(err)
			}
			good, err := h.c.Send(kerneltest.Shell, "execute_request", kerneltest.ExecuteContent("good"))
			if err != nil {
				t.Fatal(err)
			}
			replies := 0
			for {
				rep, err := h.c.Recv(ctx, kerneltest.Shell)
				if err != nil {
					t.Fatal(err)
				}
				replies++
				if rep.ParentHeader.MsgID == good.Header.MsgID {
					break
				}
			}
			if want := tc.wantRan + 1; replies != want || len(ex.codes()) != want {
				t.Errorf("%d replies, executor ran %v; want %d of each (the good request last)", replies, ex.codes(), want)
			}
			if !strings.Contains(h.log.String(), tc.wantLog) {
				t.Errorf("log does not mention %q:\n%s", tc.wantLog, h.log.String())
			}
		})
	}
}

func TestUnknownMessageType(t *testing.T) {
	h := startKernel(t, &funcExecutor{}, Options{})
	ctx := testCtx(t)
	tests := []struct {
		name      string
		msgType   string
		wantReply string
	}{
		{"request gets an error reply", "frobnicate_request", "frobnicate_reply"},
		{"other messages are only logged", "frobnicate_event", "kernel_info_reply"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := h.c.Send(kerneltest.Control, tc.msgType, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := h.c.Send(kerneltest.Control, "kernel_info_request", nil); err != nil {
				t.Fatal(err)
			}
			rep, err := h.c.Recv(ctx, kerneltest.Control)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Header.MsgType != tc.wantReply {
				t.Fatalf("first reply %s, want %s", rep.Header.MsgType, tc.wantReply)
			}
			if tc.wantReply == "kernel_info_reply" {
				return
			}
			c := content(t, rep)
			if c["status"] != "error" || c["ename"] != "UnknownMessageType" || !strings.Contains(c["evalue"].(string), tc.msgType) {
				t.Errorf("reply content %v, want status error, ename UnknownMessageType naming %s", c, tc.msgType)
			}
			if _, err := h.c.Recv(ctx, kerneltest.Control); err != nil {
				t.Fatal(err)
			}
		})
	}
	if !strings.Contains(h.log.String(), "frobnicate_event") {
		t.Errorf("unknown message not logged:\n%s", h.log.String())
	}
}

func TestCompleteInspectIsComplete(t *testing.T) {
	ex := &funcExecutor{complete: func(code string, pos int) CompleteReply {
		return CompleteReply{Matches: []string{"Println", "Printf"}, CursorStart: pos - 5, CursorEnd: pos}
	}}
	h := startKernel(t, ex, Options{})
	tests := []struct {
		msgType string
		content map[string]any
		want    map[string]any
	}{
		{"complete_request", map[string]any{"code": "fmt.Print", "cursor_pos": 9},
			map[string]any{"status": "ok", "matches": []any{"Println", "Printf"}, "cursor_start": 4.0, "cursor_end": 9.0, "metadata": map[string]any{}}},
		{"inspect_request", map[string]any{"code": "fmt.Println", "cursor_pos": 3, "detail_level": 0},
			map[string]any{"status": "ok", "found": true, "data": map[string]any{"text/plain": "fmt"}, "metadata": map[string]any{}}},
		{"is_complete_request", map[string]any{"code": "func f() {"},
			map[string]any{"status": "incomplete", "indent": "\t"}},
		{"is_complete_request", map[string]any{"code": "x := 1"},
			map[string]any{"status": "complete"}},
	}
	for _, tc := range tests {
		t.Run(tc.msgType, func(t *testing.T) {
			rep, _, err := h.c.Request(testCtx(t), kerneltest.Shell, tc.msgType, tc.content)
			if err != nil {
				t.Fatal(err)
			}
			if got := content(t, rep); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s\n got %v\nwant %v", rep.Header.MsgType, got, tc.want)
			}
		})
	}
}

func TestHeartbeatAndIPC(t *testing.T) {
	h := startKernelOn(t, "ipc", &funcExecutor{}, Options{})
	ctx := testCtx(t)
	if err := h.c.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	rep, _, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", kerneltest.ExecuteContent("over ipc"))
	if err != nil {
		t.Fatal(err)
	}
	if c := content(t, rep); c["status"] != "ok" {
		t.Errorf("execute over ipc: %v", c)
	}
}

func TestComms(t *testing.T) {
	h := startKernel(t, &funcExecutor{}, Options{})
	opened := make(chan map[string]any, 1)
	closed := make(chan map[string]any, 1)
	h.k.RegisterCommTarget("echo", CommTargetFunc(func(c *Comm, data map[string]any) {
		opened <- data
		c.OnMsg(func(data map[string]any) { c.Send(map[string]any{"echo": data["x"]}) })
		c.OnClose(func(data map[string]any) { closed <- data })
	}))
	ctx := testCtx(t)

	// Unknown target: the kernel closes the comm.
	open, err := h.c.Send(kerneltest.Shell, "comm_open", map[string]any{"comm_id": "c0", "target_name": "nope", "data": map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	iopub, err := h.c.IOPubFor(ctx, open.Header.MsgID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kinds(t, iopub), []string{"status:busy", "comm_close", "status:idle"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("unknown target: iopub %v, want %v", got, want)
	}
	if id := content(t, iopub[1])["comm_id"]; id != "c0" {
		t.Errorf("comm_close for %v, want c0", id)
	}

	// Known target: open, message, info, close.
	if _, err := h.c.Send(kerneltest.Shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "echo", "data": map[string]any{"hello": 1}}); err != nil {
		t.Fatal(err)
	}
	if got := <-opened; got["hello"] != 1.0 {
		t.Errorf("open data = %v", got)
	}
	msg, err := h.c.Send(kerneltest.Shell, "comm_msg", map[string]any{"comm_id": "c1", "data": map[string]any{"x": "ping"}})
	if err != nil {
		t.Fatal(err)
	}
	echo, err := h.c.WaitIOPub(ctx, func(m wire.Message) bool { return m.Header.MsgType == "comm_msg" })
	if err != nil {
		t.Fatal(err)
	}
	if c := content(t, echo); c["comm_id"] != "c1" || c["data"].(map[string]any)["echo"] != "ping" || echo.ParentHeader.MsgID != msg.Header.MsgID {
		t.Errorf("echo = %v (parent %s), want comm c1 echo ping with parent %s", c, echo.ParentHeader.MsgID, msg.Header.MsgID)
	}
	for _, tc := range []struct {
		filter string
		want   map[string]any
	}{
		{"", map[string]any{"c1": map[string]any{"target_name": "echo"}}},
		{"echo", map[string]any{"c1": map[string]any{"target_name": "echo"}}},
		{"other", map[string]any{}},
	} {
		req := map[string]any{}
		if tc.filter != "" {
			req["target_name"] = tc.filter
		}
		rep, _, err := h.c.Request(ctx, kerneltest.Shell, "comm_info_request", req)
		if err != nil {
			t.Fatal(err)
		}
		if got := content(t, rep)["comms"]; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("comm_info(%q) = %v, want %v", tc.filter, got, tc.want)
		}
	}
	if _, err := h.c.Send(kerneltest.Shell, "comm_close", map[string]any{"comm_id": "c1", "data": map[string]any{"bye": true}}); err != nil {
		t.Fatal(err)
	}
	if got := <-closed; got["bye"] != true {
		t.Errorf("close data = %v", got)
	}
	// Messages for comms that do not exist are logged and ignored.
	if _, err := h.c.Send(kerneltest.Shell, "comm_msg", map[string]any{"comm_id": "c1", "data": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.c.Request(ctx, kerneltest.Shell, "kernel_info_request", nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.log.String(), "dropped comm_msg for an unknown comm") {
		t.Errorf("unknown comm_msg not logged:\n%s", h.log.String())
	}
}

func TestHistory(t *testing.T) {
	h := startKernel(t, &funcExecutor{}, Options{})
	ctx := testCtx(t)
	for _, code := range []string{"a := 1", "b := 2", "a := 1", "fmt.Println(a)"} {
		if _, _, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", kerneltest.ExecuteContent(code)); err != nil {
			t.Fatal(err)
		}
	}
	silent := kerneltest.ExecuteContent("hidden")
	silent["silent"] = true
	if _, _, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", silent); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		query map[string]any
		want  []any
	}{
		{"tail", map[string]any{"hist_access_type": "tail", "n": 2},
			[]any{[]any{1.0, 3.0, "a := 1"}, []any{1.0, 4.0, "fmt.Println(a)"}}},
		{"tail with output", map[string]any{"hist_access_type": "tail", "n": 1, "output": true},
			[]any{[]any{1.0, 4.0, []any{"fmt.Println(a)", "fmt.Println(a)"}}}},
		{"range current session", map[string]any{"hist_access_type": "range", "session": 0, "start": 2, "stop": 4},
			[]any{[]any{1.0, 2.0, "b := 2"}, []any{1.0, 3.0, "a := 1"}}},
		{"range to the end", map[string]any{"hist_access_type": "range", "session": -1, "start": 4},
			[]any{[]any{1.0, 4.0, "fmt.Println(a)"}}},
		{"range other session", map[string]any{"hist_access_type": "range", "session": 7, "start": 1}, []any{}},
		{"search", map[string]any{"hist_access_type": "search", "pattern": "a*"},
			[]any{[]any{1.0, 1.0, "a := 1"}, []any{1.0, 3.0, "a := 1"}}},
		{"search unique", map[string]any{"hist_access_type": "search", "pattern": "?:=*", "unique": true},
			[]any{}},
		{"search unique glob", map[string]any{"hist_access_type": "search", "pattern": "[ab] := *", "unique": true},
			[]any{[]any{1.0, 2.0, "b := 2"}, []any{1.0, 3.0, "a := 1"}}},
		{"search last n", map[string]any{"hist_access_type": "search", "pattern": "*", "n": 1},
			[]any{[]any{1.0, 4.0, "fmt.Println(a)"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, _, err := h.c.Request(ctx, kerneltest.Shell, "history_request", tc.query)
			if err != nil {
				t.Fatal(err)
			}
			c := content(t, rep)
			if got := c["history"]; c["status"] != "ok" || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("history = %v (status %v), want %v", got, c["status"], tc.want)
			}
		})
	}
}

func TestDisplayOutputs(t *testing.T) {
	ex := &funcExecutor{execute: func(_ context.Context, _ ExecuteRequest, out Outputs) ExecuteResult {
		out.Stream("stdout", "one\n")
		out.Display(MIMEBundle{"text/plain": "table v1", "text/html": "<table/>"}, nil, "d1")
		out.Stream("stdout", "two\n")
		out.UpdateDisplay(MIMEBundle{"text/plain": "table v2"}, nil, "d1")
		out.ClearOutput(true)
		out.Display(MIMEBundle{"text/plain": "plain"}, MIMEBundle{"isolated": true}, "")
		return ExecuteResult{}
	}}
	h := startKernel(t, ex, Options{})
	ctx := testCtx(t)
	_, iopub, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", kerneltest.ExecuteContent("display"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"status:busy", "execute_input", "stream", "display_data", "stream", "update_display_data",
		"clear_output", "display_data", "status:idle"}
	if got := kinds(t, iopub); !reflect.DeepEqual(got, want) {
		t.Fatalf("iopub = %v, want %v", got, want)
	}
	checks := []struct {
		index int
		key   string
		want  any
	}{
		{3, "transient", map[string]any{"display_id": "d1"}},
		{5, "transient", map[string]any{"display_id": "d1"}},
		{5, "data", map[string]any{"text/plain": "table v2"}},
		{6, "wait", true},
		{7, "transient", map[string]any{}},
		{7, "metadata", map[string]any{"isolated": true}},
	}
	for _, c := range checks {
		if got := content(t, iopub[c.index])[c.key]; !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s.%s = %v, want %v", iopub[c.index].Header.MsgType, c.key, got, c.want)
		}
	}
}

func TestStreams(t *testing.T) {
	tests := []struct {
		name        string
		limit       int
		write       func(out Outputs)
		wantStdout  func(string) bool
		maxMessages int
		wantNote    func(stdout string) string
		maxTime     time.Duration
	}{
		{
			name: "10,000 lines are coalesced",
			write: func(out Outputs) {
				for i := range 10000 {
					out.Stream("stdout", fmt.Sprintf("line %d\n", i))
				}
			},
			wantStdout:  func(s string) bool { return strings.Count(s, "\n") == 10000 && strings.HasSuffix(s, "line 9999\n") },
			maxMessages: 20,
			maxTime:     time.Second,
		},
		{
			name: "a runaway cell is capped with one note",
			write: func(out Outputs) {
				for i := range 1000000 {
					out.Stream("stdout", fmt.Sprintf("line %d\n", i))
				}
			},
			wantStdout: func(s string) bool {
				return len(s) <= DefaultStreamLimit && len(s) > DefaultStreamLimit-100 && strings.HasPrefix(s, "line 0\n")
			},
			maxMessages: 200,
			wantNote: func(stdout string) string {
				droppedBytes := 0
				for i := range 1000000 {
					droppedBytes += len(fmt.Sprintf("line %d\n", i))
				}
				droppedBytes -= len(stdout)
				return fmt.Sprintf("%s in %d lines were dropped", formatBytes(droppedBytes), 1000000-strings.Count(stdout, "\n"))
			},
			maxTime: 10 * time.Second,
		},
		{
			name:        "cut never splits a character",
			limit:       10,
			write:       func(out Outputs) { out.Stream("stdout", "ééééééé") },
			wantStdout:  func(s string) bool { return s == "ééééé" },
			maxMessages: 1,
			wantNote:    func(string) string { return "a cell may print 10 bytes; 4 bytes in 0 lines were dropped" },
			maxTime:     time.Second,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex := &funcExecutor{execute: func(_ context.Context, _ ExecuteRequest, out Outputs) ExecuteResult {
				tc.write(out)
				return ExecuteResult{}
			}}
			h := startKernel(t, ex, Options{StreamLimit: tc.limit})
			ctx := testCtx(t)
			begin := time.Now()
			_, iopub, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", kerneltest.ExecuteContent("print"))
			if err != nil {
				t.Fatal(err)
			}
			elapsed := time.Since(begin)
			stdout, n := streamText(t, iopub, "stdout")
			if !tc.wantStdout(stdout) {
				t.Errorf("stdout (%d bytes) is wrong; starts %.40q ends %.40q", len(stdout), stdout, stdout[max(len(stdout)-40, 0):])
			}
			if n > tc.maxMessages {
				t.Errorf("%d stdout messages, want at most %d", n, tc.maxMessages)
			}
			stderr, notes := streamText(t, iopub, "stderr")
			if tc.wantNote == nil {
				if notes != 0 {
					t.Errorf("stderr %q, want none", stderr)
				}
			} else if want := tc.wantNote(stdout); notes != 1 || !strings.Contains(stderr, want) {
				t.Errorf("stderr %d messages %q, want one note containing %q", notes, stderr, want)
			}
			if elapsed > tc.maxTime {
				t.Errorf("took %v, want under %v", elapsed, tc.maxTime)
			}
			t.Logf("%d bytes in %d stdout messages in %v", len(stdout), n, elapsed)
		})
	}
}

func TestStreamOrderAndLateOutput(t *testing.T) {
	late := make(chan Outputs, 1)
	ex := &funcExecutor{execute: func(_ context.Context, _ ExecuteRequest, out Outputs) ExecuteResult {
		for _, s := range []struct{ name, text string }{{"stdout", "a"}, {"stdout", "b"}, {"stderr", "c"}, {"stdout", "d"}} {
			out.Stream(s.name, s.text)
		}
		late <- out
		return ExecuteResult{}
	}}
	h := startKernel(t, ex, Options{})
	ctx := testCtx(t)
	_, iopub, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", kerneltest.ExecuteContent("order"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range iopub {
		if m.Header.MsgType == "stream" {
			c := content(t, m)
			got = append(got, c["name"].(string)+":"+c["text"].(string))
		}
	}
	if want := []string{"stdout:ab", "stderr:c", "stdout:d"}; !slices.Equal(got, want) {
		t.Errorf("streams = %v, want %v", got, want)
	}
	// A goroutine of the finished cell still prints under the cell.
	exec := iopub[0].ParentHeader
	(<-late).Stream("stdout", "from a goroutine\n")
	m, err := h.c.WaitIOPub(ctx, func(m wire.Message) bool {
		return m.Header.MsgType == "stream" && strings.Contains(string(m.Content), "goroutine")
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.ParentHeader.MsgID != exec.MsgID {
		t.Errorf("late output parent = %s, want the execute_request %s", m.ParentHeader.MsgID, exec.MsgID)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		ex      Executor
		wantErr string
	}{
		{"missing connection file", "/nonexistent/kernel.json", &funcExecutor{}, "read connection file"},
		{"nil executor", "", nil, "Executor is nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				var err error
				file, _, err = kerneltest.WriteConnectionFile(t.TempDir(), "tcp")
				if err != nil {
					t.Fatal(err)
				}
			}
			_, err := Run(context.Background(), file, tc.ex, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestLateOutputBeyondCapGetsOneNote(t *testing.T) {
	late := make(chan Outputs, 1)
	ex := &funcExecutor{execute: func(_ context.Context, _ ExecuteRequest, out Outputs) ExecuteResult {
		late <- out
		return ExecuteResult{}
	}}
	h := startKernel(t, ex, Options{StreamLimit: 8})
	ctx := testCtx(t)
	_, iopub, err := h.c.Request(ctx, kerneltest.Shell, "execute_request", kerneltest.ExecuteContent("go spam()"))
	if err != nil {
		t.Fatal(err)
	}
	exec := iopub[0].ParentHeader
	out := <-late
	for range 3 {
		out.Stream("stdout", "0123456789\n")
	}
	note, err := h.c.WaitIOPub(ctx, func(m wire.Message) bool {
		return m.Header.MsgType == "stream" && strings.Contains(string(m.Content), "output truncated")
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "a cell may print 8 bytes; 25 bytes in 3 lines were dropped"; !strings.Contains(content(t, note)["text"].(string), want) ||
		note.ParentHeader.MsgID != exec.MsgID {
		t.Errorf("note %q with parent %s, want it to contain %q with parent %s", note.Content, note.ParentHeader.MsgID, want, exec.MsgID)
	}
	text, _ := streamText(t, h.c.IOPub(), "stdout")
	if text != "01234567" {
		t.Errorf("stdout = %q, want the first 8 bytes", text)
	}
}
