package kernel

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/gostream/gostream/kernel/wire"
)

// executeContent is execute_request's content. The pointer fields default
// to true when absent, as the protocol says.
type executeContent struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

func orTrue(b *bool) bool { return b == nil || *b }

// execute runs one execute_request: execute_input, the executor's outputs,
// execute_result or error, then execute_reply.
func (k *Kernel) execute(ch *wire.Channel, req wire.Message) {
	var c executeContent
	if err := req.DecodeContent(&c); err != nil {
		k.badContent(ch, req, err)
		return
	}
	started := wire.FormatDate(time.Now())
	// silent forces store_history off; only stored executions count.
	store := orTrue(c.StoreHistory) && !c.Silent
	k.mu.Lock()
	if store {
		k.count++
	}
	n := k.count
	k.mu.Unlock()
	if !c.Silent {
		k.publish(req.Header, "execute_input", map[string]any{"code": c.Code, "execution_count": n})
	}
	if store {
		k.history.add(n, c.Code)
	}

	out := newOutputs(k, req, orTrue(c.AllowStdin))
	ctx, cancel := context.WithCancel(k.runCtx)
	k.mu.Lock()
	k.cancelExec = cancel
	k.mu.Unlock()
	res := k.runExecutor(ctx, ExecuteRequest{
		Code:            c.Code,
		Silent:          c.Silent,
		StoreHistory:    store,
		AllowStdin:      orTrue(c.AllowStdin),
		StopOnError:     orTrue(c.StopOnError),
		UserExpressions: c.UserExpressions,
		ExecutionCount:  n,
		CellID:          cellID(req.Metadata),
	}, out)
	k.mu.Lock()
	k.cancelExec = nil
	k.mu.Unlock()
	cancel()
	out.finish()

	metadata := map[string]any{"started": started, "dependencies_met": true, "engine": k.session}
	reply := map[string]any{"execution_count": n}
	if e := res.Error; e != nil {
		ec := normalizeError(*e)
		k.publish(req.Header, "error", ec)
		reply["status"], reply["ename"], reply["evalue"], reply["traceback"] = "error", ec.EName, ec.EValue, ec.Traceback
		reply["user_expressions"], reply["payload"] = map[string]any{}, []map[string]any{}
		metadata["status"] = "error"
		k.reply(ch, req, "execute_reply", reply, metadata)
		if orTrue(c.StopOnError) {
			if aborted := k.queue.abortPending(); aborted > 0 {
				k.log.Info("aborting queued execute requests after an error", "count", aborted)
			}
		}
		return
	}
	if res.Data != nil && !c.Silent {
		data := withTextPlain(res.Data)
		k.publish(req.Header, "execute_result", map[string]any{
			"execution_count": n, "data": data, "metadata": orEmpty(res.Metadata),
		})
		if store {
			k.history.setOutput(n, fmt.Sprint(data["text/plain"]))
		}
	}
	ue := res.UserExpressions
	if ue == nil {
		ue = map[string]any{}
	}
	payload := res.Payload
	if payload == nil {
		payload = []map[string]any{}
	}
	reply["status"], reply["user_expressions"], reply["payload"] = "ok", ue, payload
	metadata["status"] = "ok"
	k.reply(ch, req, "execute_reply", reply, metadata)
}

// cellID returns the notebook cell id that JupyterLab puts in an
// execute_request's metadata, "" when there is none.
func cellID(metadata map[string]any) string {
	id, _ := metadata["cellId"].(string)
	return id
}

// abortExecute answers an execute_request that was queued behind a failed
// execute with stop_on_error.
func (k *Kernel) abortExecute(ch *wire.Channel, req wire.Message) {
	k.mu.Lock()
	n := k.count
	k.mu.Unlock()
	k.log.Info("aborted execute_request queued behind an error", "msg_id", req.Header.MsgID)
	k.reply(ch, req, "execute_reply", map[string]any{"status": "aborted", "execution_count": n},
		map[string]any{"status": "aborted", "engine": k.session})
}

// runExecutor calls Execute and turns a panic into an error result.
func (k *Kernel) runExecutor(ctx context.Context, req ExecuteRequest, out Outputs) (res ExecuteResult) {
	defer func() {
		if r := recover(); r != nil {
			k.log.Error("executor panicked", "panic", r)
			res = ExecuteResult{Error: &ErrorContent{
				EName:     "KernelPanic",
				EValue:    fmt.Sprint(r),
				Traceback: append([]string{fmt.Sprintf("panic: %v", r)}, strings.Split(string(debug.Stack()), "\n")...),
			}}
		}
	}()
	return k.ex.Execute(ctx, req, out)
}

// normalizeError fills what front ends expect in an error: a name and a
// traceback list (never null).
func normalizeError(e ErrorContent) ErrorContent {
	if e.EName == "" {
		e.EName = "Error"
	}
	if e.Traceback == nil {
		e.Traceback = []string{}
	}
	return e
}

// withTextPlain returns data with a text/plain entry, which execute_result
// requires; a missing one names the MIME types that are present.
func withTextPlain(data MIMEBundle) MIMEBundle {
	if _, ok := data["text/plain"]; ok {
		return data
	}
	types := make([]string, 0, len(data))
	for t := range data {
		types = append(types, t)
	}
	sort.Strings(types)
	out := make(MIMEBundle, len(data)+1)
	for t, v := range data {
		out[t] = v
	}
	out["text/plain"] = "<" + strings.Join(types, ", ") + ">"
	return out
}
