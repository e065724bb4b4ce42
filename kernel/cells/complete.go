package cells

import (
	"go/token"
	"reflect"
	"sort"
	"strings"
	"unicode"

	"github.com/gostream/gostream/kernel"
)

var keywords = []string{
	"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
	"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
	"return", "select", "struct", "switch", "type", "var",
}

var predeclared = []string{
	"any", "append", "bool", "byte", "cap", "clear", "close", "comparable", "complex",
	"complex128", "complex64", "copy", "delete", "error", "false", "float32", "float64",
	"imag", "int", "int16", "int32", "int64", "int8", "iota", "len", "make", "new", "nil",
	"panic", "print", "println", "real", "recover", "rune", "string", "true", "uint",
	"uint16", "uint32", "uint64", "uint8", "uintptr",
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// wordAt finds the identifier ending at cursor (start..cursor) and, when it
// follows a dot, the identifier before the dot (qual).
func wordAt(runes []rune, cursor int) (start int, qual string) {
	start = cursor
	for start > 0 && isIdentRune(runes[start-1]) {
		start--
	}
	if start > 0 && runes[start-1] == '.' {
		j := start - 1
		k := j
		for k > 0 && isIdentRune(runes[k-1]) {
			k--
		}
		qual = string(runes[k:j])
		if qual == "" {
			qual = "."
		}
	}
	return start, qual
}

func clampCursor(runes []rune, cursor int) int {
	if cursor < 0 || cursor > len(runes) {
		return len(runes)
	}
	return cursor
}

// Complete returns the names that can complete the identifier before
// cursorPos: session names, keywords, builtins and packages, or after
// "pkg." the package's members, after "x." the fields and methods of the
// session variable x.
func (e *Executor) Complete(code string, cursorPos int) kernel.CompleteReply {
	runes := []rune(code)
	cursor := clampCursor(runes, cursorPos)
	start, qual := wordAt(runes, cursor)
	prefix := string(runes[start:cursor])

	s := &e.sess
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]bool{}
	var matches []string
	add := func(n string) {
		if strings.HasPrefix(n, prefix) && !seen[n] && !hidden(n) && n != stdinAlias {
			seen[n] = true
			matches = append(matches, n)
		}
	}
	switch {
	case qual == ".":
	case qual != "":
		for _, n := range s.members(qual, code) {
			add(n)
		}
	default:
		for n := range s.globals {
			add(n)
		}
		for n := range s.decls {
			add(n)
		}
		for n := range s.imports {
			add(n)
		}
		for n := range s.pkgByName {
			add(n)
		}
		for _, n := range keywords {
			add(n)
		}
		for _, n := range predeclared {
			add(n)
		}
		add("Input")
	}
	sort.Strings(matches)
	if matches == nil {
		matches = []string{}
	}
	return kernel.CompleteReply{Matches: matches, CursorStart: start, CursorEnd: cursor, Metadata: map[string]any{}}
}

// packagePath resolves a package name used in code: the session's imports
// first, then imports in code, then any known package of that name.
func (s *session) packagePath(name, code string) (string, bool) {
	if p, ok := s.imports[name]; ok {
		return p, true
	}
	for _, p := range s.pkgByName[name] {
		if strings.Contains(code, `"`+p+`"`) {
			return p, true
		}
	}
	if ps := s.pkgByName[name]; len(ps) > 0 {
		return ps[0], true
	}
	return "", false
}

// members lists what can follow qual.: package members or the fields and
// methods of a session variable. s.mu must be held.
func (s *session) members(qual, code string) []string {
	if _, isVar := s.globals[qual]; !isVar {
		if p, ok := s.packagePath(qual, code); ok {
			var names []string
			for n := range s.pkgs[p] {
				if token.IsExported(n) {
					names = append(names, n)
				}
			}
			return names
		}
	}
	var names []string
	if v, ok := s.globals[qual]; ok && v.IsValid() {
		names = append(names, valueMembers(v)...)
	}
	if d, ok := s.decls[qual]; ok && d.typeName != "" {
		names = append(names, s.fields[d.typeName]...)
		for _, m := range s.methods[d.typeName] {
			names = append(names, methodName(m.sig))
		}
	}
	return names
}

// valueMembers lists the fields and methods reflect sees on v.
func valueMembers(v reflect.Value) []string {
	var names []string
	t := v.Type()
	if t.Kind() == reflect.Interface && !v.IsNil() {
		t = v.Elem().Type()
	}
	pt := t
	if t.Kind() != reflect.Pointer {
		pt = reflect.PointerTo(t)
	}
	for i := 0; i < pt.NumMethod(); i++ {
		names = append(names, pt.Method(i).Name)
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		for i := 0; i < st.NumField(); i++ {
			if f := st.Field(i); f.IsExported() {
				names = append(names, f.Name)
			}
		}
	}
	return names
}

// methodName extracts M from "func (r T) M(...)".
func methodName(sig string) string {
	i := strings.Index(sig, ") ")
	if i < 0 {
		return ""
	}
	rest := sig[i+2:]
	if j := strings.IndexAny(rest, "([ "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}
