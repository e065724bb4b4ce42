package cells

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// A traceback names, for each interpreted frame a panic unwound, the call
// the frame was making: the innermost call in cell code that was running.
// yaegi gives each frame the position of its first node only (see
// trace.go), so the call is looked up in the cell's source: the frame's
// position says which function body (or which top-level statements) the
// frame ran, and what the frame was calling says which call in that body
// it was, by name:
//
//   - a compiled function or method (found on the Go stack): the calls of
//     that name, pkg.Count or x.Count;
//   - the panic builtin: the calls of panic;
//   - an interpreted function, the next frame in: the calls of that
//     function's name, the call of a function literal where it is written,
//     or the calls of the variable a function literal was assigned to;
//   - a runtime error raised by yaegi itself: the expressions that raise
//     it (m[k] = v for a nil map, a / b for a division by zero ...).
//
// When several places of a body match, the first in evaluation order is
// taken and the traceback says that it may be another; when none does,
// yaegi's own position is kept.

// tracePos is one frame of a traceback, positioned in cell code.
type tracePos struct {
	cell      string // cellN, "" when the frame is in no known cell
	line, col int
	endCol    int // end of the underlined text on line, exclusive
	fn        string
	fallback  string // the frame as yaegi gave it, when cell is ""
	// matches is the number of places in the frame's code that could be
	// the one running (the position is that of the first in evaluation
	// order); 0 when the position is yaegi's.
	matches int
}

// String returns "cellN:line:col in fn".
func (p tracePos) String() string {
	if p.cell == "" {
		return p.fallback
	}
	return fmt.Sprintf("%s:%d:%d in %s", p.cell, p.line, p.col, p.fn)
}

// resolveTrace positions the frames a panic with value r unwound,
// innermost first.
func (e *Executor) resolveTrace(r any, frames []traceFrame) []tracePos {
	asts := map[string]*cellAST{}
	get := func(name string) *cellAST {
		if a, ok := asts[name]; ok {
			return a
		}
		e.srcMu.RLock()
		src, ok := e.sources[name]
		e.srcMu.RUnlock()
		var a *cellAST
		if ok {
			a = parseCellAST(name, src)
		}
		asts[name] = a
		return a
	}
	var out []tracePos
	// The frame the current one called: its code when known, else the
	// name yaegi gave it.
	var inner *frameCtx
	innerFn := ""
	for i, f := range frames {
		if f.pos == "" {
			// The call of a function literal the kernel wrapped around a
			// top-level statement: not in the source.
			continue
		}
		name, line, col, ok := splitPos(f.pos)
		var a *cellAST
		if ok {
			a = get(name)
		}
		var ctx *frameCtx
		if a != nil {
			ctx = a.contextAt(line, col)
		}
		if ctx == nil {
			if name != srcFile {
				// Code of the kernel's own (Input) stays out of sight.
				out = append(out, tracePos{fallback: f.String()})
			}
			inner, innerFn = nil, f.fn
			continue
		}
		if ctx.fn == nil && inner != nil && inner.fn == nil && inner.cell == ctx.cell && inner.group == ctx.group {
			// The top-level code that called the function literal wrapped
			// around one of its statements: the same frame for users.
			continue
		}
		want := matcherFor(i, f, r, inner, innerFn)
		p := tracePos{cell: name, fn: ctx.name, line: line, col: col, endCol: col + 1}
		if want != nil {
			if n, matches := ctx.find(want); n != nil {
				p.line, p.col, p.endCol = ctx.span(n)
				p.matches = matches
			}
		}
		out = append(out, p)
		inner, innerFn = ctx, ""
	}
	return out
}

// splitPos splits "cellN:line:col".
func splitPos(s string) (name string, line, col int, ok bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", 0, 0, false
	}
	j := strings.LastIndexByte(s[:i], ':')
	if j < 0 {
		return "", 0, 0, false
	}
	line, err1 := strconv.Atoi(s[j+1 : i])
	col, err2 := strconv.Atoi(s[i+1:])
	if err1 != nil || err2 != nil {
		return "", 0, 0, false
	}
	return s[:j], line, col, true
}

// matcher reports whether n is the node a frame was running, and returns
// the node to point at (n or a part of it).
type matcher func(n ast.Node, parent ast.Node) (ast.Node, bool)

// matcherFor returns what frame f (number i, innermost first) was running
// when the panic with value r went through it; inner is the code of the
// interpreted frame it called, nil when unknown, and then innerFn is the
// name yaegi gave that frame.
func matcherFor(i int, f traceFrame, r any, inner *frameCtx, innerFn string) matcher {
	if f.callee != "" {
		if name := calledName(f.callee); name != "" {
			return callNamed(name)
		}
		return nil
	}
	switch {
	case f.via == "_panic":
		return callNamed("panic")
	case f.via == "call" && inner != nil:
		return callOf(inner)
	case f.via == "call":
		if name := calledName(innerFn); name != "" {
			return callNamed(name)
		}
	case i == 0:
		return raising(panicMessage(r))
	}
	return nil
}

// panicMessage returns the text of a panic value.
func panicMessage(r any) string {
	if err, ok := r.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(r)
}

// callee returns the node a call expression calls, without parentheses
// and type arguments.
func callee(c *ast.CallExpr) ast.Expr {
	fun := ast.Unparen(c.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = ast.Unparen(f.X)
	case *ast.IndexListExpr:
		fun = ast.Unparen(f.X)
	}
	return fun
}

// callNamed matches calls of a function or method called name.
func callNamed(name string) matcher {
	return func(n, _ ast.Node) (ast.Node, bool) {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return nil, false
		}
		switch f := callee(c).(type) {
		case *ast.Ident:
			return c, f.Name == name
		case *ast.SelectorExpr:
			return &selectorCall{c, f}, f.Sel.Name == name
		}
		return nil, false
	}
}

// selectorCall is a call x.m(...), pointed at from m on.
type selectorCall struct {
	call *ast.CallExpr
	sel  *ast.SelectorExpr
}

func (s *selectorCall) Pos() token.Pos { return s.sel.Sel.Pos() }
func (s *selectorCall) End() token.Pos { return s.call.End() }

// litCall is the call of a function literal where it is written, pointed
// at from its opening parenthesis.
type litCall struct{ call *ast.CallExpr }

func (l litCall) Pos() token.Pos { return l.call.Lparen }
func (l litCall) End() token.Pos { return l.call.End() }

// callOf matches the calls of the interpreted function whose body is
// inner: by the function's name, the function literal's own call, or the
// name a function literal was assigned to.
func callOf(inner *frameCtx) matcher {
	switch fn := inner.fn.(type) {
	case *ast.FuncDecl:
		return callNamed(fn.Name.Name)
	case *ast.FuncLit:
		return func(n, parent ast.Node) (ast.Node, bool) {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return nil, false
			}
			switch f := callee(c).(type) {
			case *ast.FuncLit:
				return litCall{c}, f == fn
			case *ast.Ident:
				return c, inner.boundTo != "" && f.Name == inner.boundTo
			case *ast.SelectorExpr:
				return &selectorCall{c, f}, inner.boundTo != "" && f.Sel.Name == inner.boundTo
			}
			return nil, false
		}
	}
	return nil
}

// raising matches the expressions that raise the runtime error msg when
// yaegi evaluates them.
func raising(msg string) matcher {
	switch {
	case strings.Contains(msg, "assignment to entry in nil map"):
		return func(n, parent ast.Node) (ast.Node, bool) {
			x, ok := n.(*ast.IndexExpr)
			if !ok {
				return nil, false
			}
			switch p := parent.(type) {
			case *ast.AssignStmt:
				for _, l := range p.Lhs {
					if l == n {
						return x, true
					}
				}
			case *ast.IncDecStmt:
				return x, p.X == n
			}
			return nil, false
		}
	case strings.Contains(msg, "slice bounds out of range") || strings.Contains(msg, "Value.Slice"):
		// Go's message, and reflect's (reflect.Value.Slice: slice index
		// out of bounds).
		return func(n, _ ast.Node) (ast.Node, bool) {
			x, ok := n.(*ast.SliceExpr)
			return x, ok
		}
	case strings.Contains(msg, "index out of range"):
		return func(n, _ ast.Node) (ast.Node, bool) {
			x, ok := n.(*ast.IndexExpr)
			return x, ok
		}
	case strings.Contains(msg, "divide by zero"):
		return func(n, _ ast.Node) (ast.Node, bool) {
			switch x := n.(type) {
			case *ast.BinaryExpr:
				return x, x.Op == token.QUO || x.Op == token.REM
			case *ast.AssignStmt:
				return x, x.Tok == token.QUO_ASSIGN || x.Tok == token.REM_ASSIGN
			}
			return nil, false
		}
	case strings.Contains(msg, "interface conversion"):
		return func(n, _ ast.Node) (ast.Node, bool) {
			x, ok := n.(*ast.TypeAssertExpr)
			return x, ok && x.Type != nil
		}
	case strings.Contains(msg, "close of"):
		return callNamed("close")
	case strings.Contains(msg, "send on closed channel"):
		return func(n, _ ast.Node) (ast.Node, bool) {
			x, ok := n.(*ast.SendStmt)
			return x, ok
		}
	case strings.Contains(msg, "negative shift amount"):
		return func(n, _ ast.Node) (ast.Node, bool) {
			x, ok := n.(*ast.BinaryExpr)
			return x, ok && (x.Op == token.SHL || x.Op == token.SHR)
		}
	}
	return nil
}

// cellAST is the parsed source of one cell, in the groups the executor
// compiles together (consecutive statements, consecutive declarations, each
// top-level definition on its own), positioned in the cell with //line
// directives as the executor does.
type cellAST struct {
	fset   *token.FileSet
	groups []itemGroup
	lits   map[*ast.FuncLit]string // Go's names of the function literals
}

// itemGroup is a run of items compiled together.
type itemGroup struct {
	kind       itemKind
	start, end lc       // the first item's position, the end of the last one's text
	node       ast.Node // *ast.File for declarations, else the *ast.BlockStmt of the statements; nil when it does not parse
}

// parseCellAST parses the cell called name with source src; nil when it
// does not parse.
func parseCellAST(name, src string) *cellAST {
	_, code := splitMagics(src) // as the executor compiles it
	items, err := splitCell(name, code)
	if err != nil {
		return nil
	}
	a := &cellAST{fset: token.NewFileSet(), lits: map[*ast.FuncLit]string{}}
	top := 0
	for i := 0; i < len(items); {
		it := items[i]
		j := i + 1
		if it.kind == itemStmt || it.kind == itemDecl {
			for j < len(items) && items[j].kind == it.kind {
				j++
			}
		}
		var b strings.Builder
		for _, x := range items[i:j] {
			b.WriteString(lineDirective(name, x.line, x.col) + x.text + "\n")
		}
		g := itemGroup{kind: it.kind, start: lc{it.line, it.col}, end: itemEnd(items[j-1])}
		switch it.kind {
		case itemImport:
		case itemDecl:
			f, err := parser.ParseFile(a.fset, "", "package p\n"+b.String(), parser.SkipObjectResolution)
			if err == nil {
				g.node = f
				for _, d := range f.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
						var count int
						nameLits(fd.Body, "main."+funcDeclName(fd), false, &count, a.lits)
					}
				}
			}
		default:
			f, err := parser.ParseFile(a.fset, "", "package p\nfunc _() {\n"+b.String()+"}\n", parser.SkipObjectResolution)
			if err == nil {
				g.node = f.Decls[0].(*ast.FuncDecl).Body
				nameLits(g.node, "main", false, &top, a.lits)
			}
		}
		a.groups = append(a.groups, g)
		i = j
	}
	return a
}

// funcDeclName returns the name Go gives a function or method: f, T.M,
// (*T).M.
func funcDeclName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	ptr := false
	if s, ok := t.(*ast.StarExpr); ok {
		ptr, t = true, s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	recv := "?"
	if id, ok := t.(*ast.Ident); ok {
		recv = id.Name
	}
	if ptr {
		recv = "(*" + recv + ")"
	}
	return recv + "." + fd.Name.Name
}

// nameLits names the function literals in n as Go does: parent.func1,
// parent.func2 ... in source order, and parent.1, parent.2 ... inside a
// function literal (nested).
func nameLits(n ast.Node, parent string, nested bool, count *int, names map[*ast.FuncLit]string) {
	ast.Inspect(n, func(m ast.Node) bool {
		lit, ok := m.(*ast.FuncLit)
		if !ok || m == n {
			return true
		}
		*count++
		name := parent + ".func" + strconv.Itoa(*count)
		if nested {
			name = parent + "." + strconv.Itoa(*count)
		}
		names[lit] = name
		var inner int
		nameLits(lit.Body, name, true, &inner, names)
		return false
	})
}

// frameCtx is the code an interpreted frame runs: a function's body or a
// group of top-level statements.
type frameCtx struct {
	cell    *cellAST
	fn      ast.Node // *ast.FuncDecl, *ast.FuncLit, nil for top-level code
	name    string   // main.f, main.(*T).M, main.f.func1, main for top-level code
	boundTo string   // for a function literal, the name it is assigned to
	group   int      // for top-level code, the index of its group
	body    ast.Node // the function body, or the group's statements
}

// lc is a position as a comparable line and column.
type lc struct{ line, col int }

func (a lc) less(b lc) bool { return a.line < b.line || a.line == b.line && a.col < b.col }

func (a *cellAST) lc(p token.Pos) lc {
	pos := a.fset.Position(p)
	return lc{pos.Line, pos.Column}
}

// contains reports whether the body b holds the position at.
func (a *cellAST) contains(b *ast.BlockStmt, at lc) bool {
	return !at.less(a.lc(b.Lbrace)) && !a.lc(b.Rbrace).less(at)
}

// contextAt returns the code a frame whose first node is at line:col runs,
// nil when no code of the cell holds that position.
func (a *cellAST) contextAt(line, col int) *frameCtx {
	at := lc{line, col}
	for i, g := range a.groups {
		if g.node == nil || at.less(g.start) || !at.less(g.end) {
			continue
		}
		// The innermost function whose body holds the position.
		var fn ast.Node
		ast.Inspect(g.node, func(m ast.Node) bool {
			switch f := m.(type) {
			case *ast.FuncDecl:
				if f.Body != nil && a.contains(f.Body, at) {
					fn = f
				}
			case *ast.FuncLit:
				if a.contains(f.Body, at) {
					fn = f
				}
			}
			return true
		})
		switch f := fn.(type) {
		case *ast.FuncDecl:
			return &frameCtx{cell: a, fn: f, name: "main." + funcDeclName(f), body: f.Body}
		case *ast.FuncLit:
			return &frameCtx{cell: a, fn: f, name: a.lits[f], boundTo: a.boundName(f), body: f.Body}
		}
		if g.kind == itemDecl {
			return nil
		}
		return &frameCtx{cell: a, name: "main", group: i, body: g.node}
	}
	return nil
}

// itemEnd returns the position just after the text of it.
func itemEnd(it item) lc {
	nl := strings.LastIndexByte(it.text, '\n')
	if nl < 0 {
		return lc{it.line, it.col + len(it.text)}
	}
	return lc{it.line + strings.Count(it.text, "\n"), len(it.text) - nl}
}

// boundName returns the name the function literal lit is assigned to or
// declared as (f := func...; var f = func...; x.f = func...), "" when none.
func (a *cellAST) boundName(lit *ast.FuncLit) string {
	name := ""
	name1 := func(e ast.Expr) string {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			return x.Sel.Name
		}
		return ""
	}
	for _, g := range a.groups {
		if g.node == nil || name != "" {
			continue
		}
		ast.Inspect(g.node, func(m ast.Node) bool {
			switch s := m.(type) {
			case *ast.AssignStmt:
				for i, r := range s.Rhs {
					if ast.Unparen(r) == lit && i < len(s.Lhs) && len(s.Lhs) == len(s.Rhs) {
						name = name1(s.Lhs[i])
					}
				}
			case *ast.ValueSpec:
				for i, v := range s.Values {
					if ast.Unparen(v) == lit && i < len(s.Names) {
						name = s.Names[i].Name
					}
				}
			case *ast.KeyValueExpr:
				if ast.Unparen(s.Value) == lit {
					name = name1(s.Key)
				}
			}
			return name == ""
		})
	}
	return name
}

// find returns the node of the frame's code that want matches and that
// Go evaluates first (arguments before the call that takes them, then
// source order), outside function literals other than called ones, and
// how many nodes match.
func (c *frameCtx) find(want matcher) (first ast.Node, matches int) {
	type visit struct {
		n     ast.Node
		match ast.Node // what to point at when n matched
	}
	var stack []visit
	found := func(at ast.Node) {
		if matches == 0 {
			first = at
		}
		matches++
	}
	ast.Inspect(c.body, func(n ast.Node) bool {
		if n == nil {
			// Leaving a node: after its operands, as Go evaluates.
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if v.match != nil {
				found(v.match)
			}
			return false
		}
		var parent ast.Node
		if len(stack) > 0 {
			parent = stack[len(stack)-1].n
		}
		at, ok := want(n, parent)
		if !ok {
			at = nil
		}
		if _, lit := n.(*ast.FuncLit); lit {
			if at != nil {
				found(at)
			}
			return false
		}
		stack = append(stack, visit{n, at})
		return true
	})
	return first, matches
}

// span returns where n starts and the column where the text to underline
// ends: n's end when on the same line, else the end of the line.
func (c *frameCtx) span(n ast.Node) (line, col, endCol int) {
	start := c.cell.fset.Position(n.Pos())
	end := c.cell.fset.Position(n.End())
	endCol = end.Column
	if end.Line != start.Line {
		endCol = 1 << 30
	}
	return start.Line, start.Column, endCol
}
