package kernel

import (
	"context"
	"sync"

	"github.com/gostream/gostream/kernel/wire"
)

// queuedRequest is a shell request waiting for the shell worker.
type queuedRequest struct {
	ch      *wire.Channel
	msg     wire.Message
	aborted bool
}

// requestQueue holds shell requests in arrival order. The shell reader
// pushes, the shell worker pops; an execute that fails with stop_on_error
// marks the execute requests already queued as aborted.
type requestQueue struct {
	mu    sync.Mutex
	items []*queuedRequest
	ready chan struct{}
}

func newRequestQueue() *requestQueue {
	return &requestQueue{ready: make(chan struct{}, 1)}
}

func (q *requestQueue) push(ch *wire.Channel, m wire.Message) {
	q.mu.Lock()
	q.items = append(q.items, &queuedRequest{ch: ch, msg: m})
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pop waits for the next request; ok is false when ctx ends.
func (q *requestQueue) pop(ctx context.Context) (req queuedRequest, ok bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			req = *q.items[0]
			q.items[0] = nil
			q.items = q.items[1:]
			q.mu.Unlock()
			return req, true
		}
		q.mu.Unlock()
		select {
		case <-q.ready:
		case <-ctx.Done():
			return queuedRequest{}, false
		}
	}
}

// abortPending marks every queued execute_request as aborted and returns
// how many it marked.
func (q *requestQueue) abortPending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, r := range q.items {
		if r.msg.Header.MsgType == "execute_request" && !r.aborted {
			r.aborted = true
			n++
		}
	}
	return n
}

// shellWorker serves shell requests one at a time until ctx ends.
func (k *Kernel) shellWorker(ctx context.Context) {
	for {
		req, ok := k.queue.pop(ctx)
		if !ok {
			return
		}
		if req.aborted {
			k.status(req.msg.Header, "busy")
			k.abortExecute(req.ch, req.msg)
			k.status(req.msg.Header, "idle")
			continue
		}
		k.serve(req.ch, req.msg)
	}
}
