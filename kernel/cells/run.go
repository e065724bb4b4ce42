package cells

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gostream/gostream/kernel"
	"github.com/traefik/yaegi/interp"
)

// compileError is a parse or type error of cell code.
type compileError struct {
	syntax bool
	err    error
	src    string // the code that failed to compile, with its //line directives
}

func (e *compileError) Error() string { return e.err.Error() }
func (e *compileError) Unwrap() error { return e.err }

// runCode runs the Go source of one cell: imports first, then declarations
// and statements in source order, then the trailing expression, whose value
// is the result.
func (e *Executor) runCode(c *cell, hardCtx context.Context, src string) (data kernel.MIMEBundle, ec *kernel.ErrorContent) {
	e.topLevel.Store(c)
	defer func() {
		if ec = e.runDefers(c, ec); ec != nil {
			data = nil
		}
	}()
	items, err := splitCell(c.name, rewriteStdin(src))
	if err != nil {
		return nil, e.errorContent(&compileError{syntax: true, err: err})
	}
	if len(items) == 0 {
		return nil, nil
	}
	var trailing *item
	if last := items[len(items)-1]; last.kind == itemStmt {
		if _, err := parser.ParseExpr(last.text); err == nil {
			trailing = &last
			items = items[:len(items)-1]
		}
	}

	if err := e.importAll(hardCtx, c.name, items); err != nil {
		return nil, e.errorContent(err)
	}

	// Consecutive declarations compile as one file, consecutive statements
	// as one block.
	var group []item
	groupFile := false
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		var b strings.Builder
		if groupFile {
			b.WriteString("package main\n")
		} else {
			b.WriteString("package main\nfunc _() {\n")
		}
		for _, it := range group {
			b.WriteString(lineDirective(c.name, it.line, it.col) + it.text + "\n")
		}
		if !groupFile {
			b.WriteString("}\n")
		}
		group = group[:0]
		_, err := e.compileRun(hardCtx, b.String(), !groupFile)
		return err
	}
	add := func(it item, file bool) error {
		if len(group) > 0 && groupFile != file {
			if err := flush(); err != nil {
				return err
			}
		}
		groupFile = file
		group = append(group, it)
		return nil
	}
	for _, it := range items {
		var err error
		switch it.kind {
		case itemImport:
			continue
		case itemDecl:
			err = add(it, true)
		case itemStmt:
			err = add(it, false)
		case itemDefine:
			if err = flush(); err != nil {
				break
			}
			err = e.define(hardCtx, c.name, it)
		case itemVar:
			if err = flush(); err != nil {
				break
			}
			at := lineDirective(c.name, it.line, it.col)
			err = e.declare(hardCtx, "package main"+at+it.text+"\n", "package main\nfunc _() {"+at+it.text+"\n}\n", usesGlobals(it.text, e.globals()))
		}
		if err != nil {
			return nil, e.errorContent(err)
		}
	}
	if err := flush(); err != nil {
		return nil, e.errorContent(err)
	}
	e.sess.recordItems(items)
	if trailing == nil {
		return nil, nil
	}
	return e.result(hardCtx, c.name, *trailing)
}

// importAll compiles the import declarations among items. Imports are
// session-wide; one that repeats an earlier import is skipped (yaegi
// refuses a second import of a compiled package).
func (e *Executor) importAll(ctx context.Context, name string, items []item) error {
	var b strings.Builder
	type spec struct{ name, path string }
	var added []spec
	for _, it := range items {
		if it.kind != itemImport {
			continue
		}
		const head = "package p\n"
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", head+it.text, parser.ImportsOnly)
		if err != nil {
			// Let the compiler report it at the right place.
			b.WriteString(lineDirective(name, it.line, it.col) + it.text + "\n")
			continue
		}
		for _, sp := range f.Imports {
			p, _ := strconv.Unquote(sp.Path.Value)
			local := path.Base(p)
			if sp.Name != nil {
				local = sp.Name.Name
			}
			if prev, ok := e.imported[local]; ok && prev == p {
				continue
			}
			off := fset.Position(sp.Pos()).Offset - len(head)
			line, col := it.line, it.col
			if nl := strings.LastIndexByte(it.text[:off], '\n'); nl >= 0 {
				line += strings.Count(it.text[:off], "\n")
				col = off - nl
			} else {
				col += off
			}
			b.WriteString("import (" + lineDirective(name, line, col) + it.text[off:fset.Position(sp.End()).Offset-len(head)] + "\n)\n")
			added = append(added, spec{local, p})
		}
	}
	if b.Len() == 0 {
		return nil
	}
	if _, err := e.compileRun(ctx, "package main\n"+b.String(), false); err != nil {
		return err
	}
	for _, sp := range added {
		e.imported[sp.name] = sp.path
	}
	return nil
}

// define runs a top-level `a, b := v` so that a and b become session
// variables. When every name already exists and the assignment type-checks
// it is run as `a, b = v`, so that functions compiled earlier see the new
// value; otherwise it declares the names anew.
func (e *Executor) define(ctx context.Context, name string, it item) error {
	i := strings.Index(it.text, ":=")
	lhs, rhs := it.text[:i], it.text[i+2:]
	names := strings.Split(lhs, ",")
	globals := e.globals()
	exists := true
	for _, n := range names {
		n = strings.TrimSpace(n)
		if _, ok := globals[n]; !ok && n != "_" {
			exists = false
		}
	}
	at := lineDirective(name, it.line, it.col)
	assign := lhs + " =" + rhs // same columns as the source
	if exists {
		probe := "package main\nfunc _() {\n_ = func() {" + at + assign + "\n}\n}\n"
		if _, err := e.compileOnly(probe, true); err == nil {
			_, err := e.compileRun(ctx, "package main\nfunc _() {"+at+assign+"\n}\n", true)
			if err == nil {
				e.noteFuncLit(name, it, names, assign, rhs)
			}
			return err
		}
	}
	err := e.declare(ctx, "package main\nvar"+at+assign+"\n", "package main\nfunc _() {"+at+it.text+"\n}\n", usesGlobals(rhs, globals))
	if err == nil {
		e.noteFuncLit(name, it, names, assign, rhs)
	}
	return err
}

// declare runs a declaration of session variables, given as a file (var
// x = v) and as a block (x := v). yaegi runs each form wrongly in some
// cases: a file's initializer cannot read variables of earlier cells, and a
// block cannot declare variables of some compiled types (&bytes.Buffer{}).
// The form that suits is tried first, then the other.
func (e *Executor) declare(ctx context.Context, fileSrc, blockSrc string, blockFirst bool) error {
	forms := []struct {
		src   string
		block bool
	}{{fileSrc, false}, {blockSrc, true}}
	if blockFirst {
		forms[0], forms[1] = forms[1], forms[0]
	}
	var first error
	for _, f := range forms {
		prog, err := e.compileOnly(f.src, f.block)
		if err != nil {
			var ce *compileError
			if errors.As(err, &ce) && ce.syntax {
				return err
			}
			if first == nil {
				first = err
			}
			continue
		}
		_, err = e.execute(ctx, prog)
		return err
	}
	return first
}

// usesGlobals reports whether src names one of the session's variables.
func usesGlobals(src string, globals map[string]reflect.Value) bool {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	prev := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return false
		}
		if tok == token.IDENT && prev != token.PERIOD {
			if _, ok := globals[lit]; ok {
				return true
			}
		}
		prev = tok
	}
}

// noteFuncLit remembers `f := func...` so that a hard interrupt can rebuild
// the closure; any other definition of f forgets it.
func (e *Executor) noteFuncLit(cellName string, it item, names []string, assign, rhs string) {
	for _, n := range names {
		delete(e.funcLits, strings.TrimSpace(n))
	}
	if len(names) != 1 {
		return
	}
	if x, err := parser.ParseExpr(rhs); err == nil {
		if _, ok := x.(*ast.FuncLit); ok {
			e.funcLits[strings.TrimSpace(names[0])] = "package main\nfunc _() {" + lineDirective(cellName, it.line, it.col) + assign + "\n}\n"
		}
	}
}

// parse parses src (with its //line directives) in the interpreter's file
// set and returns what to compile: the file, or the body of its last func.
func (e *Executor) parse(src string, block bool) (ast.Node, error) {
	f, err := parser.ParseFile(e.in.FileSet(), srcFile, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, &compileError{syntax: true, err: err}
	}
	rewritePrint(f, e.sess.declared)
	rewriteGo(f)
	if block {
		body := f.Decls[len(f.Decls)-1].(*ast.FuncDecl).Body
		rewriteTopLevel(body)
		return body, nil
	}
	e.sess.recordFile(f, e.in.FileSet())
	return f, nil
}

// compileOnly parses and compiles src without running it.
func (e *Executor) compileOnly(src string, block bool) (prog *interp.Program, err error) {
	n, err := e.parse(src, block)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = &compileError{err: fmt.Errorf("%v (the interpreter failed on this code; rewriting it more simply usually helps)", r), src: src}
		}
	}()
	prog, err = e.in.CompileAST(n)
	if err != nil {
		return nil, &compileError{err: placeError(err, src), src: src}
	}
	return prog, nil
}

var (
	directivePos = regexp.MustCompile(`//line (\S+)/` + srcFile + `:(\d+):(\d+)`)
	rawPos       = regexp.MustCompile(`^\d+:\d+: `)
)

// placeError gives an error that yaegi positioned outside the cell (in its
// own universe) the position of the code being compiled.
func placeError(err error, src string) error {
	msg := err.Error()
	if cellPos.MatchString(userPos(msg)) {
		return err
	}
	m := directivePos.FindStringSubmatch(src)
	if m == nil {
		return err
	}
	return fmt.Errorf("%s:%s:%s: %s", m[1], m[2], m[3], rawPos.ReplaceAllString(msg, ""))
}

// compileRun compiles src and runs it, stopping when ctx is cancelled.
func (e *Executor) compileRun(ctx context.Context, src string, block bool) (res reflect.Value, err error) {
	prog, err := e.compileOnly(src, block)
	if err != nil {
		return res, err
	}
	return e.execute(ctx, prog)
}

// execute runs a compiled program, stopping when ctx is cancelled.
//
// The program runs inside EvalWithContext("__gs_run()"), which calls back
// into execJob: yaegi's ExecuteWithContext writes its results from its
// goroutine after a cancellation has returned them, a data race that
// EvalWithContext does not have.
func (e *Executor) execute(ctx context.Context, prog *interp.Program) (res reflect.Value, err error) {
	j := &job{prog: prog, done: make(chan struct{})}
	e.job.Store(j)
	defer func() {
		if r := recover(); r != nil {
			err = interp.Panic{Value: r}
		}
	}()
	_, err = e.in.EvalWithContext(ctx, runCall)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			// Give the stopped evaluation a moment to unwind, so that it no
			// longer touches the interpreter when the next code runs.
			select {
			case <-j.done:
			case <-time.After(400 * time.Millisecond):
			}
			return res, errInterrupted
		}
		return res, err
	}
	return j.res, j.err
}

// runCall is the source execute evaluates; __gs_run is bound to execJob.
const runCall = "__gs_run()"

// job is a program for execJob to run and what it returned.
type job struct {
	prog *interp.Program
	res  reflect.Value
	err  error
	done chan struct{} // closed when Execute has returned
}

// execJob runs the pending job inside the interpreter's own evaluation.
func (e *Executor) execJob() {
	j := e.job.Load()
	defer close(j.done)
	j.res, j.err = e.in.Execute(j.prog)
}

// rewriteStdin replaces the package name in os.Stdin by an alias of the
// same length for the cell runtime, whose Stdin asks the front end for
// input. Columns stay where they were.
func rewriteStdin(src string) string {
	if !strings.Contains(src, "Stdin") {
		return src
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	b := []byte(src)
	var prev [2]struct {
		pos token.Pos
		tok token.Token
		lit string
	}
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.IDENT && lit == "Stdin" && prev[1].tok == token.PERIOD && prev[0].tok == token.IDENT && prev[0].lit == "os" {
			off := file.Offset(prev[0].pos)
			copy(b[off:], stdinAlias)
		}
		prev[0], prev[1] = prev[1], struct {
			pos token.Pos
			tok token.Token
			lit string
		}{pos, tok, lit}
	}
	return string(b)
}

// builtins that go and defer statements can call but that are not values.
var builtinFuncs = map[string]bool{
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true,
	"delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true, "new": true,
	"panic": true, "print": true, "println": true, "real": true, "recover": true,
}

// rewriteGo turns every `go f(x, y)` into `__gs.Go(f, x, y)`: the arguments
// are still evaluated at the go statement, and the runtime starts the
// goroutine so that it writes to the right cell and its panics are reported
// instead of killing the kernel.
func rewriteGo(f *ast.File) {
	replaceStmts(f, true, func(s ast.Stmt) ast.Stmt {
		if g, ok := s.(*ast.GoStmt); ok {
			return runtimeCall(g.Call, g.Go, "Go", "GoDots")
		}
		return nil
	})
}

// replaceStmts replaces, in every statement list (blocks, case and select
// clauses) and labelled statement under root, each statement for which
// replace returns non-nil. Function literals are searched only when
// inFuncLits is set.
func replaceStmts(root ast.Node, inFuncLits bool, replace func(ast.Stmt) ast.Stmt) {
	fix := func(list []ast.Stmt) {
		for i, s := range list {
			if r := replace(s); r != nil {
				list[i] = r
			}
		}
	}
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return inFuncLits
		case *ast.BlockStmt:
			fix(n.List)
		case *ast.CaseClause:
			fix(n.Body)
		case *ast.CommClause:
			fix(n.Body)
		case *ast.LabeledStmt:
			if r := replace(n.Stmt); r != nil {
				n.Stmt = r
			}
		}
		return true
	})
}

// runtimeCall returns the statement `__gs.fn(f, x, y)` that replaces the go
// or defer statement at pos calling call: fnDots instead of fn when the
// last argument is spread, and a function literal around calls of builtins.
func runtimeCall(call *ast.CallExpr, pos token.Pos, fn, fnDots string) ast.Stmt {
	var args []ast.Expr
	if id, ok := call.Fun.(*ast.Ident); ok && builtinFuncs[id.Name] {
		// go close(ch): builtins are not values, so wrap the call.
		lit := &ast.FuncLit{
			Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{&ast.ExprStmt{X: call}}, Rbrace: call.End()},
		}
		args = []ast.Expr{lit}
	} else {
		args = append([]ast.Expr{call.Fun}, call.Args...)
		if call.Ellipsis.IsValid() {
			fn = fnDots
		}
	}
	return &ast.ExprStmt{X: &ast.CallExpr{
		Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: rtName}, Sel: &ast.Ident{NamePos: pos, Name: fn}},
		Lparen: call.Lparen,
		Args:   args,
		Rparen: call.Rparen,
	}}
}
