package cells

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strings"

	"github.com/gostream/gostream/kernel"
)

// Top-level statements of a cell are compiled as the body of a function
// that yaegi treats as global code. Two constructs go wrong there and are
// rewritten before compiling:
//
//   - A declaration of several names from one multi-valued expression
//     (a, b := f(); v, ok := m[k]; v, ok := <-ch; x, ok := i.(T);
//     var a, b = f()) or a type switch with an assignment, inside a block,
//     compiles to "undefined: a": yaegi types such declarations in global
//     code only when they sit at the top of the block. A top-level compound
//     statement (for, if, switch, select, a block) that contains one runs
//     inside a function literal called at once, `func() { stmt }()`, which
//     keeps Go's meaning: names declared inside a top-level block are local
//     to it, and session variables assigned inside are the globals
//     themselves. Statements that return or jump (goto, labelled break or
//     continue) to a label outside themselves are left alone.
//   - A defer in global code runs at the wrong time, more than once. Every
//     defer outside function literals becomes a call into the cell runtime
//     that records the call (its function and arguments evaluated at the
//     defer statement, as Go does); the recorded calls run last-in
//     first-out when the cell ends, after its result has been computed, also
//     when it panicked. recover() in such a call returns nil: the cell's
//     panic is already its error.

// rewriteTopLevel applies both rewrites to the body of the function that
// holds a cell's top-level statements.
func rewriteTopLevel(body *ast.BlockStmt) {
	rewriteDefer(body)
	for i, s := range body.List {
		if needsFuncScope(s) && canWrap(s, body.List) {
			body.List[i] = wrapInFunc(s)
		}
	}
}

// needsFuncScope reports whether s is a compound statement holding a
// multi-name declaration from one value or a type switch with an
// assignment, outside function literals.
func needsFuncScope(s ast.Stmt) bool {
	switch s.(type) {
	case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt,
		*ast.SelectStmt, *ast.BlockStmt, *ast.LabeledStmt:
	default:
		return false
	}
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE && len(n.Lhs) > 1 && len(n.Rhs) == 1 {
				found = true
			}
		case *ast.ValueSpec:
			if len(n.Names) > 1 && len(n.Values) == 1 {
				found = true
			}
		case *ast.TypeSwitchStmt:
			if _, ok := n.Assign.(*ast.AssignStmt); ok {
				found = true
			}
		}
		return !found
	})
	return found
}

// canWrap reports whether s means the same inside a function literal: it
// does not return, jumps only to labels it declares, and no other statement
// of list jumps to its own label.
func canWrap(s ast.Stmt, list []ast.Stmt) bool {
	declared := map[string]bool{}
	var jumps []string
	ok := true
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			ok = false
		case *ast.LabeledStmt:
			declared[n.Label.Name] = true
		case *ast.BranchStmt:
			if n.Label != nil {
				jumps = append(jumps, n.Label.Name)
			}
		}
		return ok
	})
	if !ok {
		return false
	}
	for _, l := range jumps {
		if !declared[l] {
			return false
		}
	}
	ls, labelled := s.(*ast.LabeledStmt)
	if !labelled {
		return true
	}
	for _, other := range list {
		if other == s {
			continue
		}
		ast.Inspect(other, func(n ast.Node) bool {
			if b, isBranch := n.(*ast.BranchStmt); isBranch && b.Label != nil && b.Label.Name == ls.Label.Name {
				ok = false
			}
			return ok
		})
	}
	return ok
}

// wrapInFunc returns `func() { s }()` positioned where s is.
func wrapInFunc(s ast.Stmt) ast.Stmt {
	pos, end := token.NoPos, token.NoPos
	lit := &ast.FuncLit{
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{Opening: pos, Closing: pos}},
		Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{s}, Rbrace: end},
	}
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: lit, Lparen: end, Rparen: end}}
}

// rewriteDefer turns every defer statement of body outside function
// literals into a call of the cell runtime's Defer.
func rewriteDefer(body *ast.BlockStmt) {
	replaceStmts(body, false, func(s ast.Stmt) ast.Stmt {
		if d, ok := s.(*ast.DeferStmt); ok {
			return runtimeCall(d.Call, d.Defer, "Defer", "DeferDots")
		}
		return nil
	})
}

// deferred is a call recorded by a top-level defer.
type deferred struct {
	f    reflect.Value
	in   []reflect.Value
	dots bool
}

// deferCall implements the top-level `defer f(x, y)` of cells.
func (e *Executor) deferCall(fn any, args ...any) { e.pushDefer(fn, args, false) }

// deferCallDots is deferCall for calls whose last argument is spread.
func (e *Executor) deferCallDots(fn any, args ...any) { e.pushDefer(fn, args, true) }

func (e *Executor) pushDefer(fn any, args []any, dots bool) {
	f := reflect.ValueOf(fn)
	if f.Kind() != reflect.Func {
		panic(fmt.Sprintf("defer statement: %T is not a function", fn))
	}
	in, err := callArgs(f.Type(), args, dots)
	if err != nil {
		panic("defer statement: " + err.Error())
	}
	c := e.topLevel.Load()
	if c == nil {
		panic("defer statement: no cell is running")
	}
	e.deferMu.Lock()
	c.defers = append(c.defers, deferred{f, in, dots})
	e.deferMu.Unlock()
}

// runDefers runs the calls the top-level defers of cell c recorded, last
// first; ec is the error the cell ended with. A panic in one becomes the cell's error, as a panic in a deferred
// call replaces the one being raised in Go; the earlier error is named in
// the traceback.
func (e *Executor) runDefers(c *cell, ec *kernel.ErrorContent) *kernel.ErrorContent {
	for {
		e.deferMu.Lock()
		n := len(c.defers)
		if n == 0 {
			e.deferMu.Unlock()
			return ec
		}
		d := c.defers[n-1]
		c.defers = c.defers[:n-1]
		e.deferMu.Unlock()
		if pec := e.callDeferred(d); pec != nil {
			if ec != nil {
				pec.Traceback = append(pec.Traceback, "raised while the cell was ending with "+ec.EName+": "+firstLine(ec.EValue))
			}
			ec = pec
		}
	}
}

// callDeferred calls d, turning a panic into an error output.
func (e *Executor) callDeferred(d deferred) (ec *kernel.ErrorContent) {
	e.rt.takeMainTrace()
	defer func() {
		if r := recover(); r != nil {
			ec = e.panicError(r, e.rt.takeMainTrace())
		}
	}()
	if d.dots {
		d.f.CallSlice(d.in)
	} else {
		d.f.Call(d.in)
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
