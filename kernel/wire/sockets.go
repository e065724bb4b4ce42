package wire

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
)

// DefaultSendTimeout bounds a send on a ROUTER socket. zmq4 blocks a ROUTER
// send until some peer is connected, five minutes by default.
const DefaultSendTimeout = 2 * time.Second

// Channel is one kernel socket with its codec. Send is safe for concurrent
// use (a mutex owns the socket's send side); Recv must be called from one
// goroutine only.
type Channel struct {
	name  string
	sock  zmq4.Socket
	codec *Codec
	mu    sync.Mutex
}

// Name is the channel's name: shell, control, stdin or iopub.
func (c *Channel) Name() string { return c.name }

// Send signs and sends m. On iopub, m.Identities holds the topic frame.
func (c *Channel) Send(m Message) error {
	frames, err := c.codec.Encode(m)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		return fmt.Errorf("wire: send %s on %s: %w", m.Header.MsgType, c.name, err)
	}
	return nil
}

// Recv waits for the next message. A message that fails to decode yields a
// *DecodeError and the channel stays usable; any other error means the
// socket is closed.
func (c *Channel) Recv() (Message, error) {
	for {
		zm, err := c.sock.Recv()
		if err != nil {
			return Message{}, fmt.Errorf("wire: receive on %s: %w", c.name, err)
		}
		if zm.Type == zmq4.CmdMsg {
			continue
		}
		return c.codec.Decode(zm.Frames)
	}
}

// SocketOptions tunes Listen and Dial.
type SocketOptions struct {
	// SendTimeout bounds a ROUTER or DEALER send; 0 means DefaultSendTimeout.
	SendTimeout time.Duration
	// MaxMessageSize bounds incoming messages; 0 means DefaultMaxMessageSize.
	MaxMessageSize int
}

// Sockets are a kernel's five sockets bound to a connection file's
// endpoints. The heartbeat is answered by a goroutine Sockets owns.
type Sockets struct {
	Shell, Control, Stdin, IOPub *Channel
	hb                           zmq4.Socket
	ipcPaths                     []string
	hbDone                       chan struct{}
	closing                      atomic.Bool
	closeOnce                    sync.Once
}

// Listen binds the shell, control and stdin ROUTERs, the iopub PUB and the
// heartbeat REP to the endpoints info describes.
func Listen(ctx context.Context, info ConnectionInfo, opts SocketOptions) (*Sockets, error) {
	if err := info.Validate(); err != nil {
		return nil, fmt.Errorf("wire: %w", err)
	}
	timeout := opts.SendTimeout
	if timeout <= 0 {
		timeout = DefaultSendTimeout
	}
	codec := NewCodec([]byte(info.Key), opts.MaxMessageSize)
	s := &Sockets{hbDone: make(chan struct{})}
	var bound []zmq4.Socket
	fail := func(err error) (*Sockets, error) {
		for _, sock := range bound {
			sock.Close()
		}
		s.removeIPC()
		return nil, err
	}
	listen := func(name string, sock zmq4.Socket, port int) error {
		ep := info.Endpoint(port)
		if info.Transport == "ipc" {
			path := strings.TrimPrefix(ep, "ipc://")
			// A kernel restarted on the same connection file finds the
			// previous process's socket file; libzmq unlinks it too.
			os.Remove(path)
			s.ipcPaths = append(s.ipcPaths, path)
		}
		if err := sock.Listen(ep); err != nil {
			sock.Close()
			return fmt.Errorf("wire: bind %s socket to %s: %w", name, ep, err)
		}
		bound = append(bound, sock)
		return nil
	}
	channels := []struct {
		name string
		dst  **Channel
		sock zmq4.Socket
		port int
	}{
		{"shell", &s.Shell, zmq4.NewRouter(ctx, zmq4.WithTimeout(timeout)), info.ShellPort},
		{"control", &s.Control, zmq4.NewRouter(ctx, zmq4.WithTimeout(timeout)), info.ControlPort},
		{"stdin", &s.Stdin, zmq4.NewRouter(ctx, zmq4.WithTimeout(timeout)), info.StdinPort},
		{"iopub", &s.IOPub, zmq4.NewPub(ctx, zmq4.WithTimeout(timeout)), info.IOPubPort},
	}
	for i, ch := range channels {
		if err := listen(ch.name, ch.sock, ch.port); err != nil {
			for _, rest := range channels[i+1:] {
				rest.sock.Close()
			}
			return fail(err)
		}
		*ch.dst = &Channel{name: ch.name, sock: ch.sock, codec: codec}
	}
	s.hb = zmq4.NewRep(ctx, zmq4.WithTimeout(timeout))
	if err := listen("heartbeat", s.hb, info.HBPort); err != nil {
		return fail(err)
	}
	go s.heartbeat()
	return s, nil
}

// heartbeat echoes every ping until the socket closes.
func (s *Sockets) heartbeat() {
	defer close(s.hbDone)
	for {
		msg, err := s.hb.Recv()
		if s.closing.Load() {
			return
		}
		if err != nil {
			continue
		}
		s.hb.Send(msg)
	}
}

// Close closes every socket, waits for the heartbeat goroutine and removes
// ipc socket files. It is safe to call more than once.
func (s *Sockets) Close() error {
	var errs []error
	s.closeOnce.Do(func() {
		s.closing.Store(true)
		for _, ch := range []*Channel{s.Shell, s.Control, s.Stdin, s.IOPub} {
			ch.mu.Lock()
			if err := ch.sock.Close(); err != nil {
				errs = append(errs, fmt.Errorf("wire: close %s: %w", ch.name, err))
			}
			ch.mu.Unlock()
		}
		if err := s.hb.Close(); err != nil {
			errs = append(errs, fmt.Errorf("wire: close heartbeat: %w", err))
		}
		<-s.hbDone
		s.removeIPC()
	})
	return errors.Join(errs...)
}

func (s *Sockets) removeIPC() {
	for _, p := range s.ipcPaths {
		os.Remove(p)
	}
}
