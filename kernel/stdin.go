package kernel

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/gostream/gostream/kernel/wire"
)

// errKernelStopping ends an input wait when the kernel shuts down.
var errKernelStopping = errors.New("kernel is shutting down")

// stdinBroker sends input_request on stdin and hands each input_reply to
// the call waiting for it. One input request is outstanding at a time, so a
// reply without a parent header can only be for that one.
type stdinBroker struct {
	k    *Kernel
	turn sync.Mutex

	mu      sync.Mutex
	pending map[string]chan string // input_request msg_id -> reply value
}

// ask sends input_request to the client identified by identities and waits
// for the matching input_reply, ctx, or the kernel to stop.
func (b *stdinBroker) ask(ctx context.Context, identities [][]byte, parent wire.Header, prompt string, password bool) (string, error) {
	b.turn.Lock()
	defer b.turn.Unlock()
	m, err := wire.NewMessage("input_request", b.k.session, b.k.username, parent,
		map[string]any{"prompt": prompt, "password": password})
	if err != nil {
		return "", err
	}
	m.Identities = identities
	reply := make(chan string, 1)
	b.mu.Lock()
	b.pending[m.Header.MsgID] = reply
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.pending, m.Header.MsgID)
		b.mu.Unlock()
	}()
	if err := b.k.socks.Stdin.Send(m); err != nil {
		return "", fmt.Errorf("kernel: ask for input: %w", err)
	}
	select {
	case v := <-reply:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	case <-b.k.runCtx.Done():
		return "", errKernelStopping
	}
}

// deliver handles a message received on stdin.
func (b *stdinBroker) deliver(_ *wire.Channel, m wire.Message) {
	if m.Header.MsgType != "input_reply" {
		b.k.log.Warn("dropped message: only input_reply is expected on stdin", "msg_type", m.Header.MsgType)
		return
	}
	var c struct {
		Value string `json:"value"`
	}
	if err := m.DecodeContent(&c); err != nil {
		b.k.log.Warn("dropped input_reply: bad content", "err", err)
		return
	}
	b.mu.Lock()
	reply, ok := b.pending[m.ParentHeader.MsgID]
	if !ok && m.ParentHeader.MsgID == "" {
		// jupyter_client's KernelClient.input sends input_reply without a
		// parent header; like ipykernel, hand it to the waiting request.
		for _, r := range b.pending {
			reply, ok = r, true
		}
	}
	b.mu.Unlock()
	if !ok {
		b.k.log.Warn("dropped input_reply: no input_request is waiting for it", "parent_msg_id", m.ParentHeader.MsgID)
		return
	}
	select {
	case reply <- c.Value:
	default:
		b.k.log.Warn("dropped input_reply: the request was already answered", "parent_msg_id", m.ParentHeader.MsgID)
	}
}
