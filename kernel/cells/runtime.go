package cells

import (
	"errors"
	"fmt"
	"io"
	"log"
	"reflect"
	"runtime"
	"strings"

	"github.com/traefik/yaegi/interp"
)

// rtPath is the import path of the package that rewritten cell code calls
// into (goroutine starts, Input, stdin); rtName is the name cells import it
// under. stdinAlias has the length of "os" so that rewriting os.Stdin keeps
// every column in place.
const (
	rtPath     = "gostream/cellrt"
	rtName     = "__gs"
	stdinAlias = "_s"
)

// exitPanic is what os.Exit and log.Fatal* panic with inside cells.
type exitPanic struct{ code int }

func (e exitPanic) Error() string {
	return fmt.Sprintf("os.Exit(%d) called: the kernel keeps running; restart the kernel to start over", e.code)
}

// errNoCell is what Input panics with when called outside any cell.
var errNoCell = errors.New("no cell is running to ask the front end for input")

// symbols returns the compiled symbols the executor adds to the interpreter:
// the runtime package and overrides of os and log.
func (e *Executor) symbols() interp.Exports {
	logger := log.New(fatalGuard{streamWriter{e.rt, "stderr"}}, "", log.LstdFlags)
	fatal := func(s string) {
		logger.Output(3, s)
		panic(exitPanic{1})
	}
	stdin := e.stdin
	return interp.Exports{
		rtPath + "/cellrt": {
			"Defer":     reflect.ValueOf(e.deferCall),
			"DeferDots": reflect.ValueOf(e.deferCallDots),
			"Go":        reflect.ValueOf(e.goStart),
			"GoDots":    reflect.ValueOf(e.goStartDots),
			"Input":     reflect.ValueOf(e.input),
			"Print":     reflect.ValueOf(func(args ...any) { e.builtinPrint(false, args) }),
			"Println":   reflect.ValueOf(func(args ...any) { e.builtinPrint(true, args) }),
			"Run":       reflect.ValueOf(e.execJob),
			"Stdin":     reflect.ValueOf(&stdin).Elem(),
		},
		"os/os": {
			"Exit":   reflect.ValueOf(func(code int) { panic(exitPanic{code}) }),
			"Stdout": reflect.ValueOf(&e.stdoutPipe.wr).Elem(),
			"Stderr": reflect.ValueOf(&e.stderrPipe.wr).Elem(),
		},
		"log/log": {
			"Default": reflect.ValueOf(func() *log.Logger { return logger }),
			"Fatal":   reflect.ValueOf(func(v ...any) { fatal(fmt.Sprint(v...)) }),
			"Fatalf":  reflect.ValueOf(func(f string, v ...any) { fatal(fmt.Sprintf(f, v...)) }),
			"Fatalln": reflect.ValueOf(func(v ...any) { fatal(fmt.Sprintln(v...)) }),
			"Flags":   reflect.ValueOf(logger.Flags),
			"New": reflect.ValueOf(func(out io.Writer, prefix string, flag int) *log.Logger {
				return log.New(fatalGuard{out}, prefix, flag)
			}),
			"Output":    reflect.ValueOf(logger.Output),
			"Panic":     reflect.ValueOf(logger.Panic),
			"Panicf":    reflect.ValueOf(logger.Panicf),
			"Panicln":   reflect.ValueOf(logger.Panicln),
			"Prefix":    reflect.ValueOf(logger.Prefix),
			"Print":     reflect.ValueOf(logger.Print),
			"Printf":    reflect.ValueOf(logger.Printf),
			"Println":   reflect.ValueOf(logger.Println),
			"SetFlags":  reflect.ValueOf(logger.SetFlags),
			"SetOutput": reflect.ValueOf(func(w io.Writer) { logger.SetOutput(fatalGuard{w}) }),
			"SetPrefix": reflect.ValueOf(logger.SetPrefix),
			"Writer":    reflect.ValueOf(func() io.Writer { return unguard(logger.Writer()) }),
		},
	}
}

// fatalGuard turns the os.Exit that (*log.Logger).Fatal* would make after
// writing into a panic that ends the cell. It is the writer of the logger
// log.Default returns (also after log.SetOutput) and of every logger made
// with log.New; (*log.Logger).SetOutput on such a logger removes it.
type fatalGuard struct{ w io.Writer }

// unguard returns the writer a fatalGuard wraps.
func unguard(w io.Writer) io.Writer {
	if g, ok := w.(fatalGuard); ok {
		return g.w
	}
	return w
}

func (g fatalGuard) Write(p []byte) (int, error) {
	n, err := g.w.Write(p)
	var pcs [16]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs[:])])
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "log.(*Logger).Fatal") {
			panic(exitPanic{1})
		}
		if !more {
			break
		}
	}
	return n, err
}

// goStart runs fn(args...) in a new goroutine that writes to the cell of the
// goroutine that started it, and reports a panic there instead of crashing
// the kernel. Rewritten `go f(x, y)` statements call it; the arguments are
// evaluated at the go statement, as Go does.
func (e *Executor) goStart(fn any, args ...any) { e.startGoroutine(fn, args, false) }

// goStartDots is goStart for calls whose last argument is spread (f(xs...)).
func (e *Executor) goStartDots(fn any, args ...any) { e.startGoroutine(fn, args, true) }

func (e *Executor) startGoroutine(fn any, args []any, dots bool) {
	c := e.rt.forG()
	f := reflect.ValueOf(fn)
	if f.Kind() != reflect.Func {
		panic(fmt.Sprintf("go statement: %T is not a function", fn))
	}
	in, err := callArgs(f.Type(), args, dots)
	if err != nil {
		panic("go statement: " + err.Error())
	}
	go runCellGoroutine(e, c, f, in, dots)
}

// runCellGoroutine is the body of every goroutine a cell starts. The router
// recognises these goroutines by this function at the bottom of their
// stacks, so it must not be inlined.
//
//go:noinline
func runCellGoroutine(e *Executor, c *cell, f reflect.Value, in []reflect.Value, dots bool) {
	id := e.rt.enter(c)
	defer func() {
		r := recover()
		trace := e.rt.exit(id)
		if r != nil && c != nil {
			e.reportGoroutinePanic(c, r, trace)
		}
	}()
	if dots {
		f.CallSlice(in)
	} else {
		f.Call(in)
	}
}

// callArgs converts args to the parameter types of a function of type t, so
// that untyped constants passed through ...any (1.5 as float64) reach a
// float32 parameter.
func callArgs(t reflect.Type, args []any, dots bool) ([]reflect.Value, error) {
	n := t.NumIn()
	if !t.IsVariadic() || dots {
		if len(args) != n {
			return nil, fmt.Errorf("%d arguments for a function of %d parameters", len(args), n)
		}
	} else if len(args) < n-1 {
		return nil, fmt.Errorf("%d arguments for a function of at least %d parameters", len(args), n-1)
	}
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		var pt reflect.Type
		switch {
		case i < n-1 || !t.IsVariadic() || dots:
			pt = t.In(i)
		default:
			pt = t.In(n - 1).Elem()
		}
		v := reflect.ValueOf(a)
		switch {
		case !v.IsValid():
			v = reflect.Zero(pt)
		case v.Type().AssignableTo(pt):
		case v.Type().ConvertibleTo(pt):
			v = v.Convert(pt)
		default:
			return nil, fmt.Errorf("cannot use %s as %s in argument %d", v.Type(), pt, i+1)
		}
		in[i] = v
	}
	return in, nil
}

// reportGoroutinePanic publishes a panic of a goroutine started by cell c on
// c's outputs as a labelled stderr stream.
func (e *Executor) reportGoroutinePanic(c *cell, r any, trace []traceFrame) {
	ec := e.panicError(r, trace)
	var b strings.Builder
	fmt.Fprintf(&b, "%s in a goroutine started by %s: %s\n", ec.EName, c.name, ec.EValue)
	for _, l := range ec.Traceback[1:] {
		b.WriteString(l + "\n")
	}
	c.out.Stream("stderr", b.String())
}

// input implements Input(prompt) for cells.
func (e *Executor) input(prompt string) string {
	c := e.rt.forG()
	if c == nil {
		panic(errNoCell)
	}
	s, err := c.out.Input(c.ctx, prompt, false)
	if err != nil {
		panic(fmt.Errorf("Input(%q): %w", prompt, err))
	}
	return s
}
