package cells

import (
	"errors"
	"fmt"
	"go/scanner"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/gostream/gostream/kernel"
	"github.com/traefik/yaegi/interp"
)

// cellPos finds "cellN:line:col" (or prelude:line:col) in messages.
var cellPos = regexp.MustCompile(`((?:cell[0-9_]+|prelude|userprelude):(\d+):(\d+))`)

// hints say how to fix common compile errors.
var hints = []struct{ contains, hint string }{
	{"unable to find source related to", "only the standard library and the packages this kernel provides can be imported"},
	{"undefined: ", "define it in this or an earlier cell (run that cell first), or check the spelling"},
	{"imported and not used", "remove the import or use the package"},
	{"declared and not used", "use the variable or assign it to _"},
	{"assignment mismatch", "make the number of names on the left match the values on the right"},
	{"cannot use", "convert the value to the expected type"},
	{"undefined selector", "the value has no such field or method; check its type and the spelling"},
	{"missing return", "end the function with a return statement"},
}

// errorContent turns an error of running cell code into an error output.
func (e *Executor) errorContent(err error) *kernel.ErrorContent {
	var ce *compileError
	var p interp.Panic
	switch {
	case errors.Is(err, errInterrupted):
		return &kernel.ErrorContent{EName: "KeyboardInterrupt", EValue: "the cell was interrupted", Traceback: []string{"KeyboardInterrupt: the cell was interrupted"}}
	case errors.As(err, &ce):
		if !ce.syntax && !strings.Contains(ce.err.Error(), "undefined: ") {
			if u := e.undefinedName(ce.src); u != nil {
				ce = u
			}
		}
		ename := "CompileError"
		if ce.syntax {
			ename = "SyntaxError"
		}
		var msgs []string
		var list scanner.ErrorList
		if errors.As(ce.err, &list) {
			for _, m := range list {
				msgs = append(msgs, userPos(m.Error()))
			}
		} else {
			msgs = strings.Split(strings.TrimSpace(userPos(ce.err.Error())), "\n")
		}
		var tb []string
		for _, m := range msgs {
			tb = append(tb, ename+": "+m)
			tb = append(tb, e.sourceLines(m)...)
			if h := e.importHint(m); h != "" {
				tb = append(tb, "hint: "+h)
				continue
			}
			for _, h := range hints {
				if strings.Contains(m, h.contains) {
					tb = append(tb, "hint: "+h.hint)
					break
				}
			}
		}
		return &kernel.ErrorContent{EName: ename, EValue: strings.Join(msgs, "\n"), Traceback: tb}
	case errors.As(err, &p):
		return e.panicError(p.Value, e.rt.takeMainTrace())
	}
	msg := userPos(err.Error())
	return &kernel.ErrorContent{EName: "RuntimeError", EValue: msg, Traceback: []string{"RuntimeError: " + msg}}
}

// panicError is the error output of a panic with value r; trace holds the
// interpreted frames it unwound, innermost first (see trace.go).
func (e *Executor) panicError(r any, trace []traceFrame) *kernel.ErrorContent {
	if p, ok := r.(interp.Panic); ok {
		r = p.Value
	}
	if v, ok := r.(reflect.Value); ok {
		// Interpreted code panics with the reflect.Value of its argument.
		r = nil
		if v.IsValid() && v.CanInterface() {
			r = v.Interface()
		}
	}
	var ex exitPanic
	if err, ok := r.(error); ok && errors.As(err, &ex) {
		return &kernel.ErrorContent{EName: "Exit", EValue: ex.Error(), Traceback: []string{"Exit: " + ex.Error()}}
	}
	ename := errorName(r)
	evalue := fmt.Sprint(r)
	if err, ok := r.(error); ok {
		evalue = err.Error()
	}
	if fmt.Sprintf("%T", r) == "*interp.cfgError" {
		// A run-time check of yaegi's own, such as a failed type
		// assertion; its message starts with the position, which the
		// traceback shows.
		ename, evalue = "runtime.Error", userPos(evalue)
		if loc := cellPos.FindStringIndex(evalue); loc != nil && loc[0] == 0 {
			evalue = strings.TrimPrefix(evalue[loc[1]:], ": ")
		}
	}
	tb := []string{ename + ": " + evalue}
	frames := e.resolveTrace(r, trace)
	for i := 0; i < len(frames); {
		p := frames[i]
		n := 1
		for i+n < len(frames) && frames[i+n] == p {
			n++
		}
		i += n
		tb = append(tb, "  "+p.String())
		if p.cell != "" {
			tb = append(tb, e.sourceSpan(p.cell, p.line, p.col, p.endCol)...)
		}
		switch {
		case p.matches == 2:
			tb = append(tb, "    (or the other place in "+p.fn+" that can raise it)")
		case p.matches > 2:
			tb = append(tb, fmt.Sprintf("    (or one of the %d other places in %s that can raise it)", p.matches-1, p.fn))
		}
		if n > 1 {
			tb = append(tb, fmt.Sprintf("  [the frame above repeats %d more times]", n-1))
		}
	}
	return &kernel.ErrorContent{EName: ename, EValue: evalue, Traceback: tb}
}

// undefinedPkg finds the name in "undefined: name".
var undefinedPkg = regexp.MustCompile(`undefined: ([\pL\pN_]+)$`)

// importHint says which import an "undefined: name" error lacks when name is
// a package the kernel provides.
func (e *Executor) importHint(msg string) string {
	m := undefinedPkg.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	e.sess.mu.RLock()
	paths := e.sess.pkgByName[m[1]]
	e.sess.mu.RUnlock()
	switch len(paths) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("add import %q", paths[0])
	}
	q := make([]string, len(paths))
	for i, p := range paths {
		q[i] = strconv.Quote(p)
	}
	return "import one of " + strings.Join(q, ", ")
}

// exceptionNamer is implemented by errors that name their kind for users,
// such as the notebook API's exceptions named like Spark's exception
// classes (AnalysisException, StreamingQueryException ...).
type exceptionNamer interface{ ExceptionName() string }

// errorName is the ename of a panic value or an error: the ExceptionName of
// the value or of the first error in its chain that has one, else
// "runtime.Error" for runtime errors and the value's type otherwise.
func errorName(v any) string {
	if n, ok := v.(exceptionNamer); ok {
		if s := exceptionName(n); s != "" {
			return s
		}
	}
	if err, ok := v.(error); ok {
		var n exceptionNamer
		if errors.As(err, &n) {
			if s := exceptionName(n); s != "" {
				return s
			}
		}
	}
	if _, ok := v.(runtime.Error); ok {
		return "runtime.Error"
	}
	return typeName(v)
}

// exceptionName calls n.ExceptionName, "" when it panics (a nil pointer).
func exceptionName(n exceptionNamer) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	return n.ExceptionName()
}

// sourceLines returns the cell source line a message points at, with a
// caret under the column.
func (e *Executor) sourceLines(msg string) []string {
	m := cellPos.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	name := m[1][:strings.Index(m[1], ":")]
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	return e.sourceSpan(name, line, col, col+1)
}

// sourceSpan returns line of cell name, with carets under columns col to
// endCol (exclusive; at least one caret, none past the end of the line).
func (e *Executor) sourceSpan(name string, line, col, endCol int) []string {
	e.srcMu.RLock()
	src, ok := e.sources[name]
	e.srcMu.RUnlock()
	if !ok {
		return nil
	}
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return nil
	}
	text := strings.TrimRight(lines[line-1], "\r")
	var caret strings.Builder
	for i := 0; i < col-1 && i < len(text); i++ {
		if text[i] == '\t' {
			caret.WriteByte('\t')
		} else {
			caret.WriteByte(' ')
		}
	}
	caret.WriteByte('^')
	for i := col; i < endCol-1 && i < len(strings.TrimRight(text, " \t")); i++ {
		caret.WriteByte('^')
	}
	return []string{"    " + text, "    " + caret.String()}
}
