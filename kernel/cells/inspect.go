package cells

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"

	"github.com/gostream/gostream/kernel"
)

// Inspect describes the name under cursorPos: its signature (the declared
// one for session names, the reflected type for compiled symbols) and, for
// the standard library, its documentation read from GOROOT's sources.
func (e *Executor) Inspect(code string, cursorPos, detailLevel int) kernel.InspectReply {
	runes := []rune(code)
	cursor := clampCursor(runes, cursorPos)
	end := cursor
	for end < len(runes) && isIdentRune(runes[end]) {
		end++
	}
	start, qual := wordAt(runes, end)
	name := string(runes[start:end])
	notFound := kernel.InspectReply{Found: false, Data: kernel.MIMEBundle{}, Metadata: kernel.MIMEBundle{}}
	if name == "" {
		return notFound
	}
	sig, docText := e.describe(qual, name, code, detailLevel)
	if sig == "" && docText == "" {
		return notFound
	}
	plain := sig
	md := "```go\n" + sig + "\n```\n"
	if docText != "" {
		plain += "\n\n" + docText
		md += "\n" + docText
	}
	return kernel.InspectReply{Found: true, Data: kernel.MIMEBundle{"text/plain": plain, "text/markdown": md}, Metadata: kernel.MIMEBundle{}}
}

// describe returns the signature and documentation of qual.name (or name).
func (e *Executor) describe(qual, name, code string, detail int) (sig, docText string) {
	s := &e.sess
	s.mu.RLock()
	defer s.mu.RUnlock()
	if qual != "" && qual != "." {
		if v, isVar := s.globals[qual]; isVar && v.IsValid() {
			return memberSig(v, name), ""
		}
		if p, ok := s.packagePath(qual, code); ok {
			sym, ok := s.pkgs[p][name]
			if !ok {
				return "", ""
			}
			sig, docText = goDoc(p, name)
			if sig == "" {
				sig = symbolSig(qual, name, sym)
			}
			return sig, docText
		}
		return "", ""
	}
	if d, ok := s.decls[name]; ok {
		sig = d.sig
		if v, ok := s.globals[name]; ok && v.IsValid() {
			sig += fmt.Sprintf("\n\ntype: %s\nvalue: %s", v.Type(), truncate(plainText(v), 200))
		}
		if ms := s.methods[name]; len(ms) > 0 {
			sig += "\n\nmethods:"
			for _, m := range ms {
				sig += "\n" + m.sig
			}
		}
		return sig, ""
	}
	if v, ok := s.globals[name]; ok && v.IsValid() {
		return fmt.Sprintf("var %s %s\n\nvalue: %s", name, v.Type(), truncate(plainText(v), 200)), ""
	}
	if p, ok := s.imports[name]; ok {
		_, d := goDoc(p, "")
		return fmt.Sprintf("package %s // import %q", name, p), d
	}
	if name == "Input" {
		return "func Input(prompt string) string", "Input shows prompt, waits for the user to type a line in the front end and returns it, like Python's input()."
	}
	return goDoc("builtin", name)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}

// symbolSig renders a compiled symbol from its reflect value.
func symbolSig(pkg, name string, v reflect.Value) string {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		// Types are exported as (*T)(nil).
		return fmt.Sprintf("type %s.%s %s", pkg, name, v.Type().Elem().Kind())
	}
	if v.Kind() == reflect.Func {
		return fmt.Sprintf("func %s.%s%s", pkg, name, strings.TrimPrefix(v.Type().String(), "func"))
	}
	return fmt.Sprintf("%s.%s %s", pkg, name, v.Type())
}

// memberSig describes field or method name of a session value.
func memberSig(v reflect.Value, name string) string {
	t := v.Type()
	pt := t
	if t.Kind() != reflect.Pointer {
		pt = reflect.PointerTo(t)
	}
	if m, ok := pt.MethodByName(name); ok {
		return fmt.Sprintf("func (%s) %s%s", t, name, strings.TrimPrefix(m.Type.String(), "func("+pt.String()+", "))
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		if f, ok := st.FieldByName(name); ok {
			return fmt.Sprintf("%s.%s %s", t, name, f.Type)
		}
	}
	return ""
}

// The documentation of packages under GOROOT/src, parsed once each.
var (
	gorootOnce sync.Once
	goroot     string
	docMu      sync.Mutex
	docCache   = map[string]*docPkg{}
)

type docPkg struct {
	fset *token.FileSet
	pkg  *doc.Package
}

func findGOROOT() string {
	gorootOnce.Do(func() {
		candidates := []string{os.Getenv("GOROOT")}
		if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
			candidates = append(candidates, strings.TrimSpace(string(out)))
		}
		candidates = append(candidates, runtime.GOROOT())
		for _, c := range candidates {
			if c == "" {
				continue
			}
			if _, err := os.Stat(filepath.Join(c, "src", "fmt")); err == nil {
				goroot = c
				return
			}
		}
	})
	return goroot
}

func loadDoc(importPath string) *docPkg {
	docMu.Lock()
	defer docMu.Unlock()
	if d, ok := docCache[importPath]; ok {
		return d
	}
	docCache[importPath] = nil
	root := findGOROOT()
	if root == "" {
		return nil
	}
	dir := filepath.Join(root, "src", filepath.FromSlash(importPath))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, en := range entries {
		n := en.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			continue
		}
		files = append(files, f)
	}
	mode := doc.Mode(0)
	if importPath == "builtin" {
		mode = doc.AllDecls
	}
	p, err := doc.NewFromFiles(fset, files, importPath, mode)
	if err != nil {
		return nil
	}
	d := &docPkg{fset: fset, pkg: p}
	docCache[importPath] = d
	return d
}

// goDoc returns the declaration and documentation of name in the standard
// library package importPath, or of the package itself when name is "".
func goDoc(importPath, name string) (sig, text string) {
	d := loadDoc(importPath)
	if d == nil {
		return "", ""
	}
	p := d.pkg
	if name == "" {
		return "", p.Doc
	}
	for _, f := range p.Funcs {
		if f.Name == name {
			return nodeString(d.fset, f.Decl), f.Doc
		}
	}
	for _, t := range p.Types {
		if t.Name == name {
			return nodeString(d.fset, t.Decl), t.Doc
		}
		for _, f := range t.Funcs {
			if f.Name == name {
				return nodeString(d.fset, f.Decl), f.Doc
			}
		}
	}
	for _, vs := range [][]*doc.Value{p.Consts, p.Vars} {
		for _, v := range vs {
			for _, n := range v.Names {
				if n == name {
					return nodeString(d.fset, v.Decl), v.Doc
				}
			}
		}
	}
	return "", ""
}
