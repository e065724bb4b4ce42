package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/traefik/yaegi/interp"

	"github.com/gostream/gostream/kernel"
	"github.com/gostream/gostream/kernel/cells"
	"github.com/gostream/gostream/kernel/notebook/host"
	"github.com/gostream/gostream/kernel/symbols"
)

// prelude runs before the first cell: the notebook API without a name, the
// column functions as F and the schema types as T, as PySpark notebooks
// import pyspark.sql.functions as F and pyspark.sql.types as T, and the
// session as spark.
const prelude = `import (
	. "github.com/gostream/gostream/kernel/notebook"
	F "github.com/gostream/gostream/engine/functions"
	T "github.com/gostream/gostream/engine/types"
)

var spark = Spark()
`

// newExecutor starts the cell interpreter with the streaming API bound in
// and the notebook host told about every cell, interrupt and shutdown.
func newExecutor(h *host.Host) (kernel.Executor, error) {
	ex, err := cells.New(cells.Options{
		Exports:         []interp.Exports{symbols.Symbols},
		Prelude:         prelude,
		OnCellStart:     h.BeginCell,
		OnCellEnd:       h.EndCell,
		OnHardInterrupt: h.HardInterrupt,
		Magics: map[string]cells.MagicFunc{
			"streams": h.StreamsMagic,
			"stop":    h.StopMagic,
		},
	})
	if err != nil {
		return nil, err
	}
	h.SetAttach(ex.Attach)
	return sessionExecutor{Executor: ex, host: h}, nil
}

// sessionExecutor tells the host which code each cell runs, and stops the
// session's queries, committing their batches, before the interpreter shuts
// down.
type sessionExecutor struct {
	*cells.Executor
	host *host.Host
}

// Execute tells the host which notebook cell (its id, when the front end
// sends one) and which code runs, so that re-running the cell that started
// a query replaces that query.
func (e sessionExecutor) Execute(ctx context.Context, req kernel.ExecuteRequest, out kernel.Outputs) kernel.ExecuteResult {
	e.host.NextCell(req.CellID, req.Code)
	return e.Executor.Execute(ctx, req, out)
}

func (e sessionExecutor) Shutdown(ctx context.Context, restart bool) {
	e.host.Shutdown(ctx)
	e.Executor.Shutdown(ctx, restart)
}

// kernelCommand implements `gostream kernel CONNECTION_FILE`: it runs the
// cell executor behind the Jupyter dispatcher until a shutdown request or
// SIGTERM. SIGINT interrupts the running cell, as a message-mode
// interrupt_request does. A restart request ends the process too: the
// front end starts a new one on the same connection file.
func kernelCommand(args []string, stderr io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("%w: kernel needs exactly one argument, the connection file: gostream kernel CONNECTION_FILE", errUsage)
	}
	connFile := args[0]
	if _, err := os.Stat(connFile); err != nil {
		return fmt.Errorf("kernel: connection file: %w", err)
	}
	logger := kernel.NewLogger(stderr)

	// Listen before the interpreter starts, so that an early signal is
	// handled (after Run starts) instead of killing the process.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)

	// The interpreter starts in the background: the sockets are bound at
	// once, so the client's first connection attempt finds them (libzmq
	// retries a refused connect only after 100 ms), and kernel_info is
	// answered while cells wait for the interpreter.
	ex := startExecutor(func() (kernel.Executor, error) { return newExecutor(host.Default) })
	k, err := kernel.New(connFile, ex, kernel.Options{
		Logger:                logger,
		LanguageInfo:          languageInfo(),
		Banner:                banner(),
		ImplementationVersion: version,
		HelpLinks: []kernel.HelpLink{
			{Text: "Go language specification", URL: "https://go.dev/ref/spec"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
		},
	})
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case s := <-sigs:
				if s == syscall.SIGINT {
					k.Interrupt()
					continue
				}
				cancel()
				return
			}
		}
	}()

	restart, err := k.Run(ctx)
	if err != nil {
		return err
	}
	if restart {
		logger.Info("restart requested: exiting so the front end starts a new kernel")
	}
	return nil
}

// languageInfo describes the cell language for kernel_info_reply: the Go
// the interpreter follows is the Go the binary was built with.
func languageInfo() kernel.LanguageInfo {
	return kernel.LanguageInfo{
		Name:           "go",
		Version:        strings.TrimPrefix(runtime.Version(), "go"),
		MIMEType:       "text/x-go",
		FileExtension:  ".go",
		PygmentsLexer:  "go",
		CodeMirrorMode: "go",
	}
}

// banner is the text front ends show when they connect.
func banner() string {
	return fmt.Sprintf("gostream %s: Go cells with a streaming engine on Apache Arrow (%s)", version, runtime.Version())
}

// backgroundExecutor is an Executor being built on another goroutine;
// every call waits until it is ready.
type backgroundExecutor struct {
	ready chan struct{}
	ex    kernel.Executor
	err   error
}

func startExecutor(build func() (kernel.Executor, error)) *backgroundExecutor {
	b := &backgroundExecutor{ready: make(chan struct{})}
	go func() {
		defer close(b.ready)
		b.ex, b.err = build()
	}()
	return b
}

// get waits for the executor; it reports why the interpreter did not start.
func (b *backgroundExecutor) get() (kernel.Executor, error) {
	<-b.ready
	if b.err != nil {
		return nil, fmt.Errorf("the cell interpreter did not start: %w", b.err)
	}
	return b.ex, nil
}

func (b *backgroundExecutor) Execute(ctx context.Context, req kernel.ExecuteRequest, out kernel.Outputs) kernel.ExecuteResult {
	ex, err := b.get()
	if err != nil {
		return kernel.ExecuteResult{Error: &kernel.ErrorContent{EName: "KernelError", EValue: err.Error(), Traceback: []string{err.Error()}}}
	}
	return ex.Execute(ctx, req, out)
}

func (b *backgroundExecutor) Complete(code string, cursorPos int) kernel.CompleteReply {
	if ex, err := b.get(); err == nil {
		return ex.Complete(code, cursorPos)
	}
	return kernel.CompleteReply{Matches: []string{}, CursorStart: cursorPos, CursorEnd: cursorPos}
}

func (b *backgroundExecutor) Inspect(code string, cursorPos, detailLevel int) kernel.InspectReply {
	if ex, err := b.get(); err == nil {
		return ex.Inspect(code, cursorPos, detailLevel)
	}
	return kernel.InspectReply{}
}

func (b *backgroundExecutor) IsComplete(code string) kernel.IsCompleteReply {
	if ex, err := b.get(); err == nil {
		return ex.IsComplete(code)
	}
	return kernel.IsCompleteReply{Status: "unknown"}
}

func (b *backgroundExecutor) Shutdown(ctx context.Context, restart bool) {
	if ex, err := b.get(); err == nil {
		ex.Shutdown(ctx, restart)
	}
}
