package kernel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/gostream/gostream/kernel/wire"
)

// Defaults for Options fields left zero.
const (
	DefaultImplementation      = "gostream"
	DefaultStreamLimit         = 4 << 20
	DefaultStreamFlushInterval = 50 * time.Millisecond
	DefaultShutdownTimeout     = 3 * time.Second
)

// HelpLink is one entry of kernel_info_reply's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// Options configures a Kernel. Every field may be left zero.
type Options struct {
	// Logger receives one line per dropped message and per lifecycle event.
	// Nil logs text lines prefixed "[gostream] " to stderr, where the Jupyter
	// server shows them.
	Logger *slog.Logger
	// LanguageInfo, Banner and HelpLinks go into kernel_info_reply.
	LanguageInfo LanguageInfo
	Banner       string
	HelpLinks    []HelpLink
	// Implementation defaults to "gostream".
	Implementation        string
	ImplementationVersion string
	// StreamLimit caps the stream text one execution publishes, in bytes;
	// the rest is dropped and counted in one stderr note.
	StreamLimit int
	// StreamFlushInterval is how long stream writes are coalesced.
	StreamFlushInterval time.Duration
	// ShutdownTimeout bounds Executor.Shutdown.
	ShutdownTimeout time.Duration
	// SendTimeout and MaxMessageSize tune the sockets (see wire.SocketOptions).
	SendTimeout    time.Duration
	MaxMessageSize int
}

func (o *Options) fill() {
	if o.Logger == nil {
		o.Logger = NewLogger(os.Stderr)
	}
	if o.Implementation == "" {
		o.Implementation = DefaultImplementation
	}
	if o.StreamLimit <= 0 {
		o.StreamLimit = DefaultStreamLimit
	}
	if o.StreamFlushInterval <= 0 {
		o.StreamFlushInterval = DefaultStreamFlushInterval
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
}

// NewLogger returns the default logger: slog text lines on w, each prefixed
// with "[gostream] ".
func NewLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(prefixWriter{w: w, prefix: []byte("[gostream] ")}, nil))
}

// prefixWriter prefixes every write; slog's text handler writes one record
// per call.
type prefixWriter struct {
	w      io.Writer
	prefix []byte
}

func (p prefixWriter) Write(b []byte) (int, error) {
	if _, err := p.w.Write(append(p.prefix[:len(p.prefix):len(p.prefix)], b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Kernel serves one connection file with one Executor.
type Kernel struct {
	info     wire.ConnectionInfo
	ex       Executor
	opts     Options
	log      *slog.Logger
	session  string
	username string

	socks   *wire.Sockets
	runCtx  context.Context
	started atomic.Bool
	closed  atomic.Bool

	queue   *requestQueue
	stdin   *stdinBroker
	history *history
	comms   *commRegistry

	mu         sync.Mutex
	count      int                // execution counter
	cancelExec context.CancelFunc // cancels the running execute

	stopOnce sync.Once
	stop     chan struct{}
	restart  atomic.Bool
}

// New reads connectionFile and prepares a kernel; Run binds the sockets.
func New(connectionFile string, ex Executor, opts Options) (*Kernel, error) {
	info, err := wire.ReadConnectionFile(connectionFile)
	if err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	return NewWithInfo(info, ex, opts)
}

// NewWithInfo is New for a connection already parsed.
func NewWithInfo(info wire.ConnectionInfo, ex Executor, opts Options) (*Kernel, error) {
	if ex == nil {
		return nil, errors.New("kernel: Executor is nil: pass the cell executor that runs code")
	}
	if err := info.Validate(); err != nil {
		return nil, fmt.Errorf("kernel: connection info: %w", err)
	}
	opts.fill()
	username := os.Getenv("USER")
	if username == "" {
		username = "kernel"
	}
	k := &Kernel{
		info:     info,
		ex:       ex,
		opts:     opts,
		log:      opts.Logger,
		session:  uuid.NewString(),
		username: username,
		queue:    newRequestQueue(),
		history:  &history{},
		comms:    newCommRegistry(),
		stop:     make(chan struct{}),
	}
	k.stdin = &stdinBroker{k: k, pending: make(map[string]chan string)}
	return k, nil
}

// Run reads connectionFile, serves the kernel until a shutdown_request
// arrives or ctx ends, and reports whether the front end asked for a restart.
func Run(ctx context.Context, connectionFile string, ex Executor, opts Options) (restart bool, err error) {
	k, err := New(connectionFile, ex, opts)
	if err != nil {
		return false, err
	}
	return k.Run(ctx)
}

// Session is the kernel's session id, the session of every header it sends.
func (k *Kernel) Session() string { return k.session }

// Run binds the sockets and serves requests until a shutdown_request arrives
// (restart as asked there) or ctx ends (restart false). Before returning it
// cancels the running execute, calls Executor.Shutdown with a deadline and
// closes the sockets. Run may be called once.
func (k *Kernel) Run(ctx context.Context) (restart bool, err error) {
	if !k.started.CompareAndSwap(false, true) {
		return false, errors.New("kernel: Run called twice on one Kernel")
	}
	socks, err := wire.Listen(context.Background(), k.info, wire.SocketOptions{
		SendTimeout: k.opts.SendTimeout, MaxMessageSize: k.opts.MaxMessageSize,
	})
	if err != nil {
		return false, fmt.Errorf("kernel: %w", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	k.socks, k.runCtx = socks, runCtx
	k.log.Info("kernel started", "session", k.session, "transport", k.info.Transport, "ip", k.info.IP,
		"shell_port", k.info.ShellPort)
	k.publish(wire.Header{}, "status", map[string]any{"execution_state": "starting"})

	var readers sync.WaitGroup
	readers.Go(func() { k.readLoop(socks.Shell, k.queue.push) })
	readers.Go(func() { k.readLoop(socks.Control, k.serve) })
	readers.Go(func() { k.readLoop(socks.Stdin, k.stdin.deliver) })
	worker := make(chan struct{})
	go func() {
		defer close(worker)
		k.shellWorker(runCtx)
	}()

	select {
	case <-ctx.Done():
		k.log.Info("kernel stopping: context ended", "cause", context.Cause(ctx))
	case <-k.stop:
	}
	restart = k.restart.Load()
	cancel() // ends the running execute, pending input requests and the worker
	select {
	case <-worker:
	case <-time.After(k.opts.ShutdownTimeout / 2):
		k.log.Warn("execute still running after interrupt; shutting the executor down anyway")
	}
	k.shutdownExecutor(restart)
	k.closed.Store(true)
	if err := socks.Close(); err != nil {
		k.log.Warn("closing sockets", "err", err)
	}
	readers.Wait()
	k.log.Info("kernel stopped", "restart", restart)
	return restart, nil
}

// shutdownExecutor calls Executor.Shutdown and waits at most the shutdown
// timeout (plus a little grace) for it.
func (k *Kernel) shutdownExecutor(restart bool) {
	ctx, cancel := context.WithTimeout(context.Background(), k.opts.ShutdownTimeout)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				k.log.Error("executor Shutdown panicked", "panic", r)
			}
		}()
		k.ex.Shutdown(ctx, restart)
	}()
	select {
	case <-done:
	case <-time.After(k.opts.ShutdownTimeout + 500*time.Millisecond):
		k.log.Warn("executor Shutdown overran its deadline", "timeout", k.opts.ShutdownTimeout)
	}
}

// requestStop makes Run return.
func (k *Kernel) requestStop(restart bool) {
	k.stopOnce.Do(func() {
		k.restart.Store(restart)
		close(k.stop)
	})
}

// Interrupt cancels the context of the running execute, as interrupt_request
// does. It does nothing when no execute is running.
func (k *Kernel) Interrupt() {
	k.mu.Lock()
	cancel := k.cancelExec
	k.mu.Unlock()
	if cancel != nil {
		k.log.Info("interrupting the running execute")
		cancel()
	}
}

// readLoop receives on ch until the socket closes, handing each message to
// handle. Messages that fail to decode are logged and dropped.
func (k *Kernel) readLoop(ch *wire.Channel, handle func(*wire.Channel, wire.Message)) {
	for {
		m, err := ch.Recv()
		if err != nil {
			var de *wire.DecodeError
			if errors.As(err, &de) {
				k.log.Warn("dropped message", "channel", ch.Name(), "reason", err)
				continue
			}
			if !k.closed.Load() {
				k.log.Error("channel stopped", "channel", ch.Name(), "err", err)
			}
			return
		}
		handle(ch, m)
	}
}
