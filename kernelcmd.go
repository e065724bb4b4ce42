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

	"github.com/gostream/gostream/kernel"
	"github.com/gostream/gostream/kernel/cells"
)

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

	ex, err := cells.New(cells.Options{})
	if err != nil {
		return fmt.Errorf("kernel: starting the cell interpreter: %w", err)
	}
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
