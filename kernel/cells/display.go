package cells

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/gostream/gostream/kernel"
)

// manyResults matches the compiler's complaint about a call of more than
// two results.
var manyResults = regexp.MustCompile(`returns ([3-9]|[1-9][0-9]+) values`)

// voidBuiltins return nothing, so a trailing call to one shows nothing.
var voidBuiltins = map[string]bool{"print": true, "println": true, "panic": true, "close": true, "delete": true, "clear": true}

// result runs the trailing expression statement it of a cell and renders
// its value. The value is stored in the hidden variable __gs_v so that its
// methods can be looked up by the interpreter, which sees the methods of
// interpreted types that reflect cannot.
func (e *Executor) result(ctx context.Context, name string, it item) (kernel.MIMEBundle, *kernel.ErrorContent) {
	x, _ := parser.ParseExpr(it.text)
	if id, ok := x.(*ast.Ident); ok && id.Name == "nil" {
		return kernel.MIMEBundle{"text/plain": "nil"}, nil
	}
	if msg := e.notExpression(x, it.text); msg != "" {
		return nil, e.errorContent(&compileError{err: fmt.Errorf("%s:%d:%d: %s", name, it.line, it.col, msg)})
	}
	at := lineDirective(name, it.line, it.col)
	plain := func() (kernel.MIMEBundle, *kernel.ErrorContent) {
		v, err := e.compileRun(ctx, "package main\nfunc _() {"+at+it.text+"\n}\n", true)
		if err != nil {
			return nil, e.errorContent(err)
		}
		if _, ok := x.(*ast.CallExpr); ok {
			return nil, nil // a call that returns no value, or many
		}
		return kernel.MIMEBundle{"text/plain": plainText(v)}, nil
	}
	results, hideValue := 1, false
	if call, ok := x.(*ast.CallExpr); ok {
		hideValue = writesOutput(call)
		if id, ok := call.Fun.(*ast.Ident); ok && voidBuiltins[id.Name] {
			return plain()
		}
		probe := "package main\nfunc _() {\n_ = func() {" + at + "_, _ = " + it.text + "\n}\n}\n"
		_, err := e.compileOnly(probe, true)
		switch {
		case err == nil:
			results = 2
		case strings.Contains(err.Error(), "returns 0 values") && !e.isType(call.Fun):
			return plain()
		case manyResults.MatchString(err.Error()):
			return plain()
		}
	}
	lhs := "__gs_v"
	if results == 2 {
		lhs = "__gs_v, __gs_e"
	}
	err := e.declare(ctx, "package main\nvar "+lhs+" ="+at+it.text+"\n",
		"package main\nfunc _() {\n"+lhs+" :="+at+it.text+"\n}\n", usesGlobals(it.text, e.globals()))
	if err != nil {
		var ce *compileError
		if errors.As(err, &ce) && !ce.syntax {
			if _, call := x.(*ast.CallExpr); !call {
				// yaegi runs an expression statement naming an undefined
				// variable without complaint, so plain would show junk.
				if u := e.undefinedName(ce.src); u != nil {
					return nil, e.errorContent(u)
				}
			}
			return plain()
		}
		return nil, e.errorContent(err)
	}
	if results == 2 {
		ev, err := e.compileRun(ctx, "package main\nfunc _() {\n__gs_e\n}\n", true)
		if err == nil && ev.IsValid() && ev.CanInterface() {
			if err, ok := ev.Interface().(error); ok && err != nil {
				ename := errorName(err)
				return nil, &kernel.ErrorContent{EName: ename, EValue: err.Error(),
					Traceback: []string{fmt.Sprintf("%s: %s", ename, err.Error()), fmt.Sprintf("returned by %s at %s:%d:%d", it.text, name, it.line, it.col)}}
			}
		}
	}
	if hideValue {
		return nil, nil
	}
	v, err := e.compileRun(ctx, "package main\nfunc _() {\n__gs_v\n}\n", true)
	if err != nil {
		return nil, e.errorContent(err)
	}
	return e.render(ctx, v, isConstant(x)), nil
}

// isType reports whether x names a type, making a call of it a conversion:
// a type the session declared, a predeclared type, or a compiled package's
// type.
func (e *Executor) isType(x ast.Expr) bool {
	sess := &e.sess
	sess.mu.RLock()
	defer sess.mu.RUnlock()
	switch x := x.(type) {
	case *ast.ParenExpr:
		return true // (*T)(v), (func())(f)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType, *ast.StructType:
		return true // []byte(s), map[string]int(m) ...
	case *ast.IndexExpr, *ast.IndexListExpr:
		// G[int](v) converts when G is a generic type; a generic function
		// returning nothing then fails to declare and shows nothing.
		return true
	case *ast.Ident:
		if d, ok := sess.decls[x.Name]; ok {
			return d.kind == "type"
		}
		return predeclaredTypes[x.Name]
	case *ast.SelectorExpr:
		pkg, ok := x.X.(*ast.Ident)
		if !ok {
			return false
		}
		p, ok := e.imported[pkg.Name]
		if !ok {
			return false
		}
		v, ok := sess.pkgs[p][x.Sel.Name]
		return ok && v.Kind() == reflect.Pointer && v.IsNil()
	}
	return false
}

// notExpression returns Go's complaint about a trailing expression x (of
// source text) that names a package or a type, which yaegi would run and
// show as junk; "" when x is a value.
func (e *Executor) notExpression(x ast.Expr, text string) string {
	switch x := x.(type) {
	case *ast.Ident:
		if _, ok := e.imported[x.Name]; ok && !e.sess.declared(x.Name) {
			return "use of package " + x.Name + " without selector"
		}
	case *ast.SelectorExpr:
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType, *ast.StructType:
		return text + " (type) is not an expression"
	default:
		return ""
	}
	if e.isType(x) {
		return text + " (type) is not an expression"
	}
	return ""
}

var predeclaredTypes = map[string]bool{
	"any": true, "bool": true, "byte": true, "complex128": true, "complex64": true, "error": true,
	"float32": true, "float64": true, "int": true, "int16": true, "int32": true, "int64": true,
	"int8": true, "rune": true, "string": true, "uint": true, "uint16": true, "uint32": true,
	"uint64": true, "uint8": true, "uintptr": true,
}

// writesOutput reports whether call is to a Print*, Fprint* or Write*
// function, whose byte count is not worth showing.
func writesOutput(call *ast.CallExpr) bool {
	var name string
	switch f := call.Fun.(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	}
	return strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fprint") || strings.HasPrefix(name, "Write")
}

// isConstant reports whether x is made only of literals and operators, so
// its value has a predeclared type without methods.
func isConstant(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return isConstant(x.X)
	case *ast.UnaryExpr:
		return isConstant(x.X)
	case *ast.BinaryExpr:
		return isConstant(x.X) && isConstant(x.Y)
	case *ast.Ident:
		return x.Name == "true" || x.Name == "false"
	}
	return false
}

// displayMethods are the methods a value can offer to show itself richly,
// in the order they are looked up.
var displayMethods = []string{"String", "HTML", "Markdown", "SVG", "PNG", "JSON", "MIMEBundle", "Display"}

// render builds the MIME bundle of v: text/plain always, plus what its
// display methods return. constant says v has no methods to look for.
func (e *Executor) render(ctx context.Context, v reflect.Value, constant bool) kernel.MIMEBundle {
	b := kernel.MIMEBundle{"text/plain": plainText(v)}
	if constant || !v.IsValid() {
		return b
	}
	call := e.interpretedMethod(ctx)
	if compiledType(v.Type()) {
		call = reflectMethod(v)
	}
	for _, m := range displayMethods {
		r, ok := call(m)
		if !ok || !r.IsValid() {
			continue
		}
		addMIME(b, m, r)
	}
	return b
}

// compiledType reports whether t (or what it points to) is a named type of
// a compiled package, whose methods reflect can see.
func compiledType(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name() != "" && t.PkgPath() != ""
}

// reflectMethod calls methods of a compiled value through reflect.
func reflectMethod(v reflect.Value) func(string) (reflect.Value, bool) {
	return func(name string) (r reflect.Value, ok bool) {
		m := v.MethodByName(name)
		if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() < 1 {
			return r, false
		}
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		return m.Call(nil)[0], true
	}
}

// interpretedMethod calls methods of __gs_v by compiling the call in the
// interpreter; a method the value does not have fails to compile.
func (e *Executor) interpretedMethod(ctx context.Context) func(string) (reflect.Value, bool) {
	return func(name string) (reflect.Value, bool) {
		probe := "package main\nfunc _() {\n_ = func() { _ = __gs_v." + name + " }\n}\n"
		if _, err := e.compileOnly(probe, true); err != nil {
			return reflect.Value{}, false
		}
		r, err := e.compileRun(ctx, "package main\nfunc _() {\n__gs_v."+name+"()\n}\n", true)
		return r, err == nil
	}
}

// addMIME stores what display method m returned in b.
func addMIME(b kernel.MIMEBundle, m string, r reflect.Value) {
	for r.Kind() == reflect.Interface && !r.IsNil() {
		r = r.Elem()
	}
	switch m {
	case "String":
		if r.Kind() == reflect.String {
			b["text/plain"] = r.String()
		}
	case "HTML", "Markdown", "SVG":
		mime := map[string]string{"HTML": "text/html", "Markdown": "text/markdown", "SVG": "image/svg+xml"}[m]
		if r.Kind() == reflect.String {
			b[mime] = r.String()
		}
	case "PNG":
		if r.Kind() == reflect.Slice && r.Type().Elem().Kind() == reflect.Uint8 {
			b["image/png"] = base64.StdEncoding.EncodeToString(r.Bytes())
		}
	case "JSON":
		b["application/json"] = jsonValue(r)
	case "MIMEBundle", "Display":
		if r.Kind() == reflect.Map && r.Type().Key().Kind() == reflect.String {
			it := r.MapRange()
			for it.Next() {
				if it.Value().CanInterface() {
					b[it.Key().String()] = it.Value().Interface()
				}
			}
		}
	}
}

// jsonValue turns what a JSON method returned into a JSON-ready value:
// bytes and strings holding JSON are decoded, anything else is kept.
func jsonValue(r reflect.Value) any {
	var raw []byte
	switch {
	case r.Kind() == reflect.String:
		raw = []byte(r.String())
	case r.Kind() == reflect.Slice && r.Type().Elem().Kind() == reflect.Uint8:
		raw = r.Bytes()
	default:
		if r.CanInterface() {
			return r.Interface()
		}
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	return v
}

// plainText renders v the way Go shows it: %v, strings quoted, nil as nil.
func plainText(v reflect.Value) string {
	if !v.IsValid() {
		return "nil"
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan, reflect.Map, reflect.Slice, reflect.UnsafePointer:
		if v.IsNil() {
			return "nil"
		}
	case reflect.String:
		if !v.CanInterface() {
			return strconv.Quote(v.String())
		}
		if _, ok := v.Interface().(fmt.Stringer); !ok {
			return strconv.Quote(v.String())
		}
	}
	if !v.CanInterface() {
		return v.String()
	}
	return fmt.Sprintf("%v", v.Interface())
}

// typeName names the type of a panic value or error: "panic" for strings.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "panic"
	case nil:
		return "panic"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", v), "*")
}
