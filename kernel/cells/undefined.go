package cells

import (
	"fmt"
	"go/parser"
	"go/token"
	"go/types"
	"regexp"
	"sort"
)

// undefinedName looks for a name that src (code that failed to compile,
// with its //line directives) uses but that neither src nor the session
// defines, and returns the compile error Go gives for it:
// "cellN:L:C: undefined: name". yaegi reports such names as "constant
// definition loop", "incomplete type name" or an internal panic, or runs a
// bare name as a statement without complaint; this gives them Go's message
// and position. It returns nil when every name is defined.
func (e *Executor) undefinedName(src string) *compileError {
	if src == "" {
		return nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, srcFile, src, 0)
	if err != nil {
		return nil
	}
	ids := f.Unresolved
	sort.SliceStable(ids, func(i, j int) bool { return ids[i].Pos() < ids[j].Pos() })
	checked := map[string]bool{}
	for _, id := range ids {
		name := id.Name
		if checked[name] || name == "_" || hidden(name) || name == rtName || name == stdinAlias || types.Universe.Lookup(name) != nil {
			continue
		}
		checked[name] = true
		if _, ok := e.imported[name]; ok || e.sess.declared(name) || !e.isUndefined(name) {
			continue
		}
		pos := userPos(fset.Position(id.Pos()).String())
		if !cellPos.MatchString(pos) {
			return nil
		}
		return &compileError{err: fmt.Errorf("%s: undefined: %s", pos, name), src: src}
	}
	return nil
}

// undefinedMsg matches what yaegi says about a name it does not know.
var undefinedMsg = regexp.MustCompile(`(?:undefined: |incomplete type )([\pL\pN_]+)`)

// isUndefined reports whether the interpreter knows no value, type or
// package called name, by compiling a use of it inside a function literal
// (which declares nothing).
func (e *Executor) isUndefined(name string) bool {
	probe := "package main\nfunc _() {\n_ = func() {\n_ = " + name + "\n}\n}\n"
	_, err := e.compileOnly(probe, true)
	if err == nil {
		return false
	}
	for _, m := range undefinedMsg.FindAllStringSubmatch(err.Error(), -1) {
		if m[1] == name {
			return true
		}
	}
	return false
}
