// Package kerneltest provides a Jupyter client speaking the wire protocol
// over real ZeroMQ sockets, and connection files for tests, so the kernel can
// be driven from Go tests without an interpreter or a Python front end.
//
// The client behaves like jupyter_client where the kernel can tell: one
// identity on shell, control and stdin, signed messages, an iopub SUB
// subscribed to everything. It is for tests only and never retries silently.
package kerneltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/google/uuid"

	"github.com/gostream/gostream/kernel/wire"
)

// Channel names a client socket.
type Channel string

// The channels a client sends requests on.
const (
	Shell   Channel = "shell"
	Control Channel = "control"
	Stdin   Channel = "stdin"
)

// WriteConnectionFile writes kernel.json in dir with a random key: free TCP
// ports on 127.0.0.1 for transport "tcp", or ipc endpoints under dir for
// "ipc".
func WriteConnectionFile(dir, transport string) (string, wire.ConnectionInfo, error) {
	key := make([]byte, 16)
	if _, err := rand.Read(key); err != nil {
		return "", wire.ConnectionInfo{}, err
	}
	info := wire.ConnectionInfo{Transport: transport, Key: hex.EncodeToString(key), SignatureScheme: wire.SignatureScheme}
	switch transport {
	case "tcp":
		ports, err := freePorts(5)
		if err != nil {
			return "", wire.ConnectionInfo{}, err
		}
		info.IP = "127.0.0.1"
		info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HBPort = ports[0], ports[1], ports[2], ports[3], ports[4]
	case "ipc":
		info.IP = filepath.Join(dir, "kernel-ipc")
		info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HBPort = 1, 2, 3, 4, 5
	default:
		return "", wire.ConnectionInfo{}, fmt.Errorf("kerneltest: transport %q: use tcp or ipc", transport)
	}
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return "", wire.ConnectionInfo{}, err
	}
	path := filepath.Join(dir, "kernel.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", wire.ConnectionInfo{}, err
	}
	return path, info, nil
}

func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Client is a Jupyter client connected to one kernel.
type Client struct {
	Session string
	codec   *wire.Codec
	socks   map[Channel]zmq4.Socket
	inbox   map[Channel]chan wire.Message
	iopub   zmq4.Socket
	hb      zmq4.Socket
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu       sync.Mutex
	received []wire.Message // every iopub message, in arrival order
	changed  chan struct{}  // closed and replaced when received grows
	dropped  []error        // iopub or reply frames that failed to decode
}

// Dial connects a client to the kernel described by info.
func Dial(info wire.ConnectionInfo) (*Client, error) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Client{
		Session: uuid.NewString(),
		codec:   wire.NewCodec([]byte(info.Key), 0),
		socks:   make(map[Channel]zmq4.Socket),
		inbox:   make(map[Channel]chan wire.Message),
		cancel:  cancel,
		changed: make(chan struct{}),
	}
	id := zmq4.SocketIdentity(c.Session)
	ports := map[Channel]int{Shell: info.ShellPort, Control: info.ControlPort, Stdin: info.StdinPort}
	for _, ch := range []Channel{Shell, Control, Stdin} {
		s := zmq4.NewDealer(ctx, zmq4.WithID(id), zmq4.WithTimeout(5*time.Second))
		if err := s.Dial(info.Endpoint(ports[ch])); err != nil {
			c.Close()
			return nil, fmt.Errorf("kerneltest: dial %s: %w", ch, err)
		}
		c.socks[ch] = s
		c.inbox[ch] = make(chan wire.Message, 1024)
		c.wg.Go(func() { c.readReplies(ch, s) })
	}
	c.iopub = zmq4.NewSub(ctx)
	if err := c.iopub.Dial(info.Endpoint(info.IOPubPort)); err != nil {
		c.Close()
		return nil, fmt.Errorf("kerneltest: dial iopub: %w", err)
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.Close()
		return nil, err
	}
	c.wg.Go(c.readIOPub)
	c.hb = zmq4.NewReq(ctx)
	if err := c.hb.Dial(info.Endpoint(info.HBPort)); err != nil {
		c.Close()
		return nil, fmt.Errorf("kerneltest: dial heartbeat: %w", err)
	}
	return c, nil
}

// Close closes the client's sockets.
func (c *Client) Close() error {
	c.cancel()
	for _, s := range c.socks {
		s.Close()
	}
	if c.iopub != nil {
		c.iopub.Close()
	}
	if c.hb != nil {
		c.hb.Close()
	}
	c.wg.Wait()
	return nil
}

func (c *Client) readReplies(ch Channel, s zmq4.Socket) {
	for {
		zm, err := s.Recv()
		if err != nil {
			return
		}
		m, err := c.codec.Decode(zm.Frames)
		if err != nil {
			c.mu.Lock()
			c.dropped = append(c.dropped, fmt.Errorf("%s: %w", ch, err))
			c.mu.Unlock()
			continue
		}
		c.inbox[ch] <- m
	}
}

func (c *Client) readIOPub() {
	for {
		zm, err := c.iopub.Recv()
		if err != nil {
			return
		}
		m, err := c.codec.Decode(zm.Frames)
		c.mu.Lock()
		if err != nil {
			c.dropped = append(c.dropped, fmt.Errorf("iopub: %w", err))
		} else {
			c.received = append(c.received, m)
			close(c.changed)
			c.changed = make(chan struct{})
		}
		c.mu.Unlock()
	}
}

// Dropped returns the errors of messages from the kernel that failed to
// decode; a correct kernel produces none.
func (c *Client) Dropped() []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]error(nil), c.dropped...)
}

// NewMessage builds a request from this client's session.
func (c *Client) NewMessage(msgType string, content any) (wire.Message, error) {
	if content == nil {
		content = map[string]any{}
	}
	return wire.NewMessage(msgType, c.Session, "kerneltest", wire.Header{}, content)
}

// Send builds, signs and sends a request on ch and returns it.
func (c *Client) Send(ch Channel, msgType string, content any) (wire.Message, error) {
	m, err := c.NewMessage(msgType, content)
	if err != nil {
		return wire.Message{}, err
	}
	return m, c.SendMessage(ch, m)
}

// SendMessage signs and sends m on ch.
func (c *Client) SendMessage(ch Channel, m wire.Message) error {
	frames, err := c.codec.Encode(m)
	if err != nil {
		return err
	}
	return c.SendFrames(ch, frames)
}

// SendFrames sends raw frames on ch, for tests of malformed messages.
func (c *Client) SendFrames(ch Channel, frames [][]byte) error {
	s, ok := c.socks[ch]
	if !ok {
		return fmt.Errorf("kerneltest: no %s channel", ch)
	}
	return s.SendMulti(zmq4.NewMsgFrom(frames...))
}

// Codec is the codec the client signs with.
func (c *Client) Codec() *wire.Codec { return c.codec }

// Recv returns the next message the kernel sent to this client on ch.
func (c *Client) Recv(ctx context.Context, ch Channel) (wire.Message, error) {
	select {
	case m := <-c.inbox[ch]:
		return m, nil
	case <-ctx.Done():
		return wire.Message{}, fmt.Errorf("kerneltest: waiting on %s: %w", ch, ctx.Err())
	}
}

// Pending reports how many received messages on ch have not been read.
func (c *Client) Pending(ch Channel) int { return len(c.inbox[ch]) }

// IOPub returns every iopub message received so far.
func (c *Client) IOPub() []wire.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]wire.Message(nil), c.received...)
}

// WaitIOPub waits until an iopub message satisfying match has been received
// (possibly before the call) and returns the first one.
func (c *Client) WaitIOPub(ctx context.Context, match func(wire.Message) bool) (wire.Message, error) {
	for {
		c.mu.Lock()
		for _, m := range c.received {
			if match(m) {
				c.mu.Unlock()
				return m, nil
			}
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return wire.Message{}, fmt.Errorf("kerneltest: waiting on iopub: %w", ctx.Err())
		}
	}
}

// IOPubFor waits for the idle status whose parent is parentID and returns
// every iopub message with that parent, in arrival order, up to and
// including the idle status.
func (c *Client) IOPubFor(ctx context.Context, parentID string) ([]wire.Message, error) {
	if _, err := c.WaitIOPub(ctx, func(m wire.Message) bool {
		return m.ParentHeader.MsgID == parentID && IsStatus(m, "idle")
	}); err != nil {
		return nil, err
	}
	var out []wire.Message
	for _, m := range c.IOPub() {
		if m.ParentHeader.MsgID != parentID {
			continue
		}
		out = append(out, m)
		if IsStatus(m, "idle") {
			break
		}
	}
	return out, nil
}

// IsStatus reports whether m is a status message with execution_state state.
func IsStatus(m wire.Message, state string) bool {
	if m.Header.MsgType != "status" {
		return false
	}
	var c struct {
		State string `json:"execution_state"`
	}
	return m.DecodeContent(&c) == nil && c.State == state
}

// WaitReady sends kernel_info_request on shell until the reply arrives and
// iopub delivers a message, as jupyter_client's wait_for_ready does.
func (c *Client) WaitReady(ctx context.Context) error {
	for {
		req, err := c.Send(Shell, "kernel_info_request", nil)
		if err != nil {
			return err
		}
		attempt, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		_, err = c.WaitIOPub(attempt, func(m wire.Message) bool { return m.ParentHeader.MsgID == req.Header.MsgID })
		cancel()
		if err == nil {
			// Replies to earlier attempts come first; skip them.
			for {
				rep, err := c.Recv(ctx, Shell)
				if err != nil {
					return err
				}
				if rep.Header.MsgType != "kernel_info_reply" {
					return fmt.Errorf("kerneltest: got %s on shell, want kernel_info_reply", rep.Header.MsgType)
				}
				if rep.ParentHeader.MsgID == req.Header.MsgID {
					return nil
				}
			}
		}
		if ctx.Err() != nil {
			return fmt.Errorf("kerneltest: kernel not ready: %w", ctx.Err())
		}
	}
}

// Request sends msgType on ch, waits for the reply on ch and for the idle
// status of the request, and returns the reply and the request's iopub
// messages.
func (c *Client) Request(ctx context.Context, ch Channel, msgType string, content any) (reply wire.Message, iopub []wire.Message, err error) {
	req, err := c.Send(ch, msgType, content)
	if err != nil {
		return wire.Message{}, nil, err
	}
	reply, err = c.Recv(ctx, ch)
	if err != nil {
		return wire.Message{}, nil, err
	}
	if reply.ParentHeader.MsgID != req.Header.MsgID {
		return reply, nil, fmt.Errorf("kerneltest: reply %s has parent %s, want %s", reply.Header.MsgType, reply.ParentHeader.MsgID, req.Header.MsgID)
	}
	iopub, err = c.IOPubFor(ctx, req.Header.MsgID)
	return reply, iopub, err
}

// ExecuteContent is the content of an execute_request with the protocol's
// defaults.
func ExecuteContent(code string) map[string]any {
	return map[string]any{
		"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{},
		"allow_stdin": true, "stop_on_error": true,
	}
}

// Heartbeat sends a ping on the heartbeat channel and waits for the echo.
func (c *Client) Heartbeat(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		if err := c.hb.Send(zmq4.NewMsgString("ping")); err != nil {
			done <- err
			return
		}
		m, err := c.hb.Recv()
		if err == nil && string(m.Bytes()) != "ping" {
			err = fmt.Errorf("kerneltest: heartbeat echoed %q, want ping", m.Bytes())
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return errors.Join(errors.New("kerneltest: no heartbeat echo"), ctx.Err())
	}
}
