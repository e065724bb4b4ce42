package cells

import (
	"bytes"
	"regexp"
	"runtime"
	"strings"
)

// While a panic unwinds interpreted code, yaegi prints one line per
// interpreted function body it leaves ("cell3/_:2:5: panic: main.f(...)"),
// innermost first, to the interpreter's stderr. The position in that line
// is the first node of the body, not the node that was running (runCfg
// means to look up the running node, but its loop shadows the variable it
// would look it up by), so it only tells which body the frame ran, and
// its name is that of the first node's scope. What the frame was calling when
// the panic went through it is read from the Go stack at the time of the
// line instead: the stack then still holds every frame of the panic, from
// the panicking function down to the outermost interpreted body, with one
// yaegi runCfg frame per interpreted body. Between a runCfg frame and the
// one above it lie the Go frames of the call the body was making: a
// compiled function called through reflect (notebook.(*DataFrame).Count),
// yaegi's own call of another interpreted body, or yaegi's panic builtin.
// The executor then finds that call in the cell's source (see
// position.go).

// traceFrame is one interpreted frame a panic unwound, as recorded while it
// unwound.
type traceFrame struct {
	// pos is the position yaegi gives the frame, cellN:line:col, "" when it
	// has none (a function literal the kernel wrapped around a top-level
	// statement).
	pos string
	// fn is the name yaegi gives the frame's function (main.f, main.func,
	// main).
	fn string
	// callee is the compiled function the frame was calling, the one it
	// called directly (notebook.(*DataFrame).Count), "" when it called no
	// compiled code.
	callee string
	// via is the yaegi builtin that made the call or raised the panic:
	// "callBin" for compiled calls, "call" for interpreted ones, "_panic"
	// for the panic builtin; "" when unknown.
	via string
}

// String is the frame as the traceback shows it when its position cannot
// be refined.
func (f traceFrame) String() string {
	return f.pos + " in " + f.fn
}

// yaegiPanicLine matches what yaegi prints for each interpreted frame a
// panic unwinds through; the position is "-" for a frame without one.
var yaegiPanicLine = regexp.MustCompile(`^(\S+): panic: (\S*)\(\.\.\.\)\n?$`)

// Go function names of the yaegi frames the stack analysis looks for.
const (
	yaegiPkg    = "github.com/traefik/yaegi/interp."
	runCfgFunc  = yaegiPkg + "runCfg"
	runCfgDefer = yaegiPkg + "runCfg.func1" // the deferred call that prints the line
)

// notePanicLine records p when it is such a line and reports whether it was.
func (r *router) notePanicLine(p []byte) bool {
	if !bytes.Contains(p, []byte(": panic: ")) {
		return false
	}
	m := yaegiPanicLine.FindSubmatch(p)
	if m == nil {
		return false
	}
	index, frame, ok := unwindingFrame(callerNames(2))
	if !ok {
		// Not written by yaegi's unwinding: ordinary output.
		return false
	}
	frame.fn = string(m[2])
	if pos := string(m[1]); pos != "-" {
		frame.pos = userPos(pos)
	}
	id := goid()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ownTrace(id) {
		r.traces[id] = addFrame(r.traces[id], index, frame)
	} else {
		r.mainTrace = addFrame(r.mainTrace, index, frame)
	}
	return true
}

// addFrame appends frame number index (0 for the innermost) to the trace
// t of a panic. The innermost frame starts a new panic: frames of an
// earlier one, which was recovered, are dropped.
func addFrame(t []traceFrame, index int, frame traceFrame) []traceFrame {
	if index == 0 {
		t = nil
	}
	return append(t, frame)
}

// callerNames returns the function names of the calling goroutine's stack,
// innermost first, skipping skip frames (0 is callerNames itself).
func callerNames(skip int) []string {
	pcs := make([]uintptr, 256)
	for {
		n := runtime.Callers(skip+1, pcs)
		if n < len(pcs) {
			pcs = pcs[:n]
			break
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
	var names []string
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		names = append(names, f.Function)
		if !more {
			break
		}
	}
	return names
}

// unwindingFrame analyses the stack (function names, innermost first) of a
// write made by yaegi's unwinding: it returns the index of the interpreted
// frame the write is about (0 for the innermost), with what that frame was
// calling. ok is false when the stack is not yaegi's unwinding.
//
// The stack then reads, innermost first: the writer, one runCfg.func1
// (yaegi's deferred call) for each interpreted frame unwound so far, the
// frames of the panic itself (and of the calls the frames were making),
// then the runCfg frames of the interpreted bodies, innermost first. The
// frame being printed is the runCfg frame whose number equals the number
// of runCfg.func1 frames less one.
func unwindingFrame(names []string) (index int, f traceFrame, ok bool) {
	deferred, lastDefer := 0, -1
	var bodies []int // indexes in names of the runCfg frames
	for i, n := range names {
		switch n {
		case runCfgDefer:
			if len(bodies) == 0 {
				deferred++
				lastDefer = i
			}
		case runCfgFunc:
			bodies = append(bodies, i)
		}
	}
	index = deferred - 1
	if index < 0 || index >= len(bodies) {
		return 0, f, false
	}
	above := lastDefer
	if index > 0 {
		above = bodies[index-1]
	}
	f.callee, f.via = calleeOf(names[above+1 : bodies[index]])
	return index, f, true
}

// calleeOf returns, from the Go frames between an interpreted body's runCfg
// frame and the frame above it (innermost first), the compiled function the
// body called directly and the yaegi builtin that was running.
func calleeOf(seg []string) (callee, via string) {
	for i := len(seg) - 1; i >= 0; i-- {
		n := seg[i]
		switch {
		case strings.HasPrefix(n, yaegiPkg):
			if via == "" && callee == "" {
				via = builtinName(strings.TrimPrefix(n, yaegiPkg))
			}
		case strings.HasPrefix(n, "runtime.") || strings.HasPrefix(n, "reflect.") || strings.HasPrefix(n, "internal/") || n == "":
		default:
			return n, via
		}
	}
	return "", via
}

// builtinName returns the yaegi function a closure name (callBin.func11)
// belongs to.
func builtinName(n string) string {
	if i := strings.IndexByte(n, '.'); i >= 0 {
		return n[:i]
	}
	return n
}

// calledName returns the name by which cell code calls the function named
// full (a runtime.Frame's Function, or yaegi's name of an interpreted
// function): the function or method name, "" for function literals.
func calledName(full string) string {
	if i := strings.LastIndexByte(full, '/'); i >= 0 {
		full = full[i+1:]
	}
	// Generic instantiations: pkg.F[...] and pkg.(*T[...]).M.
	for {
		i := strings.IndexByte(full, '[')
		if i < 0 {
			break
		}
		j := strings.Index(full[i:], "]")
		if j < 0 {
			break
		}
		full = full[:i] + full[i+j+1:]
	}
	full = strings.TrimSuffix(full, "-fm")
	i := strings.LastIndexByte(full, '.')
	if i < 0 {
		return ""
	}
	name := full[i+1:]
	if name == "" || name == "func" || isClosureName(name) {
		return ""
	}
	return name
}

// isClosureName reports whether the last element of a Go function name is
// that of a function literal: func1, 1, gowrap2.
func isClosureName(s string) bool {
	s = strings.TrimLeft(s, "abcdefghijklmnopqrstuvwxyz")
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
