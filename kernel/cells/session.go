package cells

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
)

// decl is a name the session declared, as completion and inspection show it.
type decl struct {
	kind string // func, type, var, const
	sig  string // the declaration without bodies: func f(x int) int
	// typeName is the session type of a variable, when its declaration
	// says (x := T{...}, var x T).
	typeName string
}

// session records what cells declared and which packages exist. It is read
// by Complete and Inspect while a cell may be running, so it never touches
// the interpreter.
type session struct {
	mu      sync.RWMutex
	decls   map[string]decl
	methods map[string][]decl   // type name -> its methods
	fields  map[string][]string // struct type name -> its fields
	imports map[string]string   // local package name -> import path
	globals map[string]reflect.Value

	pkgs      map[string]map[string]reflect.Value // import path -> symbols
	pkgByName map[string][]string                 // package name -> import paths
}

func (s *session) init() {
	s.decls = map[string]decl{}
	s.methods = map[string][]decl{}
	s.fields = map[string][]string{}
	s.imports = map[string]string{}
	s.pkgs = map[string]map[string]reflect.Value{}
	s.pkgByName = map[string][]string{}
}

// addExports records compiled packages for completion of pkg.Member.
func (s *session) addExports(x interp.Exports) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, syms := range x {
		p, name := path.Dir(k), path.Base(k)
		if p == "." || strings.Contains(p, "yaegi") || p == rtPath {
			continue
		}
		if s.pkgs[p] == nil {
			s.pkgs[p] = map[string]reflect.Value{}
			s.pkgByName[name] = append(s.pkgByName[name], p)
			sort.Strings(s.pkgByName[name])
		}
		for n, v := range syms {
			s.pkgs[p][n] = v
		}
	}
}

// snapshot keeps the interpreter's globals for completion.
func (s *session) snapshot(g map[string]reflect.Value) {
	s.mu.Lock()
	s.globals = g
	s.mu.Unlock()
}

// declared reports whether a cell declared name.
func (s *session) declared(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.decls[name]
	return ok
}

func hidden(name string) bool { return strings.HasPrefix(name, "__gs") || name == "_" }

// recordFile records the declarations of a compiled file.
func (s *session) recordFile(f *ast.File, fset *token.FileSet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			sig := nodeString(fset, &ast.FuncDecl{Recv: d.Recv, Name: d.Name, Type: d.Type})
			if d.Recv == nil {
				s.decls[d.Name.Name] = decl{kind: "func", sig: sig}
				continue
			}
			if len(d.Recv.List) == 1 {
				t := baseTypeName(d.Recv.List[0].Type)
				ms := s.methods[t][:0:0]
				for _, m := range s.methods[t] {
					if !strings.Contains(m.sig, ") "+d.Name.Name+"(") {
						ms = append(ms, m)
					}
				}
				s.methods[t] = append(ms, decl{kind: "func", sig: sig})
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.ImportSpec:
					p, _ := strconv.Unquote(sp.Path.Value)
					name := path.Base(p)
					if sp.Name != nil {
						name = sp.Name.Name
					}
					if !hidden(name) && name != stdinAlias && name != "." {
						s.imports[name] = p
					}
				case *ast.TypeSpec:
					if hidden(sp.Name.Name) {
						continue
					}
					s.decls[sp.Name.Name] = decl{kind: "type", sig: "type " + nodeString(fset, sp)}
					delete(s.methods, sp.Name.Name)
					var fs []string
					if st, ok := sp.Type.(*ast.StructType); ok {
						for _, f := range st.Fields.List {
							for _, n := range f.Names {
								fs = append(fs, n.Name)
							}
							if len(f.Names) == 0 {
								fs = append(fs, baseTypeName(f.Type))
							}
						}
					}
					s.fields[sp.Name.Name] = fs
				case *ast.ValueSpec:
					kind := d.Tok.String()
					for i, n := range sp.Names {
						if hidden(n.Name) {
							continue
						}
						tn := ""
						if sp.Type != nil {
							tn = baseTypeName(sp.Type)
						} else if i < len(sp.Values) {
							tn = litTypeName(sp.Values[i])
						}
						s.decls[n.Name] = decl{kind: kind, sig: kind + " " + nodeString(fset, sp), typeName: tn}
					}
				}
			}
		}
	}
}

// recordItems records the variables top-level := statements defined.
func (s *session) recordItems(items []item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range items {
		if it.kind != itemDefine {
			continue
		}
		i := strings.Index(it.text, ":=")
		names := strings.Split(it.text[:i], ",")
		var values []ast.Expr
		if x, err := parser.ParseExpr("[]any{" + it.text[i+2:] + "}"); err == nil {
			values = x.(*ast.CompositeLit).Elts
		}
		for j, n := range names {
			n = strings.TrimSpace(n)
			if hidden(n) {
				continue
			}
			tn := ""
			if len(values) == len(names) {
				tn = litTypeName(values[j])
			}
			s.decls[n] = decl{kind: "var", sig: oneLine(it.text), typeName: tn}
		}
	}
}

// baseTypeName returns T for T, *T, T[X] and pkg.T.
func baseTypeName(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.StarExpr:
		return baseTypeName(x.X)
	case *ast.IndexExpr:
		return baseTypeName(x.X)
	case *ast.IndexListExpr:
		return baseTypeName(x.X)
	case *ast.SelectorExpr:
		return baseTypeName(x.X) + "." + x.Sel.Name
	}
	return ""
}

// litTypeName returns T when x is T{...} or &T{...}.
func litTypeName(x ast.Expr) string {
	if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
		x = u.X
	}
	if c, ok := x.(*ast.CompositeLit); ok && c.Type != nil {
		return baseTypeName(c.Type)
	}
	return ""
}

func nodeString(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, n); err != nil {
		return ""
	}
	return b.String()
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}
