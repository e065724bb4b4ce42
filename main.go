// Command gostream is a Jupyter kernel for Go with an embedded streaming
// engine. Cells are Go, run by an interpreter; streaming queries run in
// compiled code.
//
// Usage:
//
//	gostream kernel CONNECTION_FILE   run the kernel (Jupyter starts it)
//	gostream install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]
//	gostream version                  print the version and the versions of Go, yaegi and Arrow
//	gostream help                     print this help
//
// The main package only parses the command line and wires the kernel, the
// cell executor and the kernelspec installer together.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/gostream/gostream/kernelspec"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usageText = `gostream: a Jupyter kernel for Go with an embedded streaming engine.

Usage:
  gostream kernel CONNECTION_FILE
        Run the kernel on the sockets named in a Jupyter connection file.
        Jupyter starts this command itself, from the installed kernelspec.
  gostream install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]
        Install the kernelspec so Jupyter finds the kernel (default --user:
        $JUPYTER_DATA_DIR, else ~/.local/share/jupyter).
  gostream version
        Print the version of gostream and of Go, yaegi and Arrow it was built with.
  gostream help
        Print this help.
`

// errUsage marks command-line mistakes: they exit with status 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command in args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return 2
	}
	var err error
	switch args[0] {
	case "kernel":
		err = kernelCommand(args[1:], stderr)
	case "install":
		err = installCommand(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		err = versionCommand(args[1:], stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText)
	default:
		err = fmt.Errorf("%w: unknown command %q; run `gostream help` for the list", errUsage, args[0])
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "gostream: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "gostream: %v\n", err)
		return 1
	}
}

// installCommand implements `gostream install`.
func installCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Bool("user", false, "install for the current user: $JUPYTER_DATA_DIR, else ~/.local/share/jupyter (default)")
	sysPrefix := fs.Bool("sys-prefix", false, "install into <sys.prefix>/share/jupyter of the Python that runs `jupyter`")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter")
	name := fs.String("name", kernelspec.DefaultName, "kernel `NAME` (the kernelspec folder)")
	display := fs.String("display-name", kernelspec.DefaultDisplayName, "name shown by front ends")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: gostream install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("%w: install: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: install takes no arguments, got %q", errUsage, fs.Args())
	}
	prefixSet := false
	fs.Visit(func(f *flag.Flag) { prefixSet = prefixSet || f.Name == "prefix" })
	opts := kernelspec.Options{Scope: kernelspec.User, Name: *name, DisplayName: *display}
	chosen := 0
	if *user {
		chosen++
	}
	if *sysPrefix {
		chosen++
		opts.Scope = kernelspec.SysPrefix
	}
	if prefixSet {
		chosen++
		if *prefix == "" {
			return fmt.Errorf("%w: --prefix needs a directory", errUsage)
		}
		opts.Scope, opts.Prefix = kernelspec.Prefix, *prefix
	}
	if chosen > 1 {
		return fmt.Errorf("%w: choose one of --user, --sys-prefix and --prefix", errUsage)
	}
	dir, err := kernelspec.Install(opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Installed kernelspec %s in %s\n", opts.Name, dir)
	return nil
}

// versionCommand implements `gostream version`.
func versionCommand(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: version takes no arguments, got %q", errUsage, args)
	}
	fmt.Fprint(stdout, versionText())
	return nil
}

// versionText reports gostream's version, the Go toolchain and the versions
// of the interpreter and Arrow modules linked into the binary.
func versionText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gostream %s\n", version)
	fmt.Fprintf(&b, "go       %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	deps := map[string]string{}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			v := d.Version
			if d.Replace != nil {
				v = d.Replace.Version
			}
			deps[d.Path] = v
		}
	}
	for _, m := range []struct{ label, path string }{
		{"yaegi", "github.com/traefik/yaegi"},
		{"arrow", "github.com/apache/arrow/go/v15"},
	} {
		v := deps[m.path]
		if v == "" {
			v = "(not linked)"
		}
		fmt.Fprintf(&b, "%-8s %s\n", m.label, v)
	}
	return b.String()
}
