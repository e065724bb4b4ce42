package cells

import (
	"fmt"
	"go/ast"
	"reflect"
	"strconv"
)

// The builtins print and println write to standard error in Go, formatted by
// the runtime rather than by fmt. yaegi writes them to its standard output
// with %v, so cells call these instead (see rewritePrint).

// builtinPrint implements print and println for cells: arguments formatted
// as the Go runtime formats them, written to the stderr of the writing
// goroutine's cell in one piece.
func (e *Executor) builtinPrint(ln bool, args []any) {
	var b []byte
	for i, a := range args {
		if ln && i > 0 {
			b = append(b, ' ')
		}
		b = appendPrint(b, reflect.ValueOf(a))
	}
	if ln {
		b = append(b, '\n')
	}
	if c := e.rt.forG(); c != nil && len(b) > 0 {
		c.out.Stream("stderr", string(b))
	}
}

// appendPrint appends v as the runtime's print does: numbers in decimal
// (floats shortest, as 'g'), pointers, channels, maps and functions as hex
// addresses, slices as [len/cap]address. Values print cannot take (structs,
// arrays) are formatted with %v.
func appendPrint(b []byte, v reflect.Value) []byte {
	if !v.IsValid() {
		return append(b, "nil"...)
	}
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10)
	case reflect.Float32:
		return strconv.AppendFloat(b, v.Float(), 'g', -1, 32)
	case reflect.Float64:
		return strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
	case reflect.Complex64:
		return append(b, strconv.FormatComplex(v.Complex(), 'g', -1, 64)...)
	case reflect.Complex128:
		return append(b, strconv.FormatComplex(v.Complex(), 'g', -1, 128)...)
	case reflect.String:
		return append(b, v.String()...)
	case reflect.Pointer, reflect.Chan, reflect.Map, reflect.Func, reflect.UnsafePointer:
		return appendHex(b, uint64(v.Pointer()))
	case reflect.Slice:
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(v.Len()), 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(v.Cap()), 10)
		b = append(b, ']')
		return appendHex(b, uint64(v.Pointer()))
	}
	if v.CanInterface() {
		return fmt.Appendf(b, "%v", v.Interface())
	}
	return append(b, v.String()...)
}

func appendHex(b []byte, u uint64) []byte {
	return strconv.AppendUint(append(b, "0x"...), u, 16)
}

// rewritePrint turns calls of the builtins print and println into calls of
// the cell runtime's Print and Println, at the same positions. shadowed
// reports whether the session declared a name of its own for them.
func rewritePrint(f *ast.File, shadowed func(string) bool) {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && (fd.Name.Name == "print" || fd.Name.Name == "println") {
			return // the file declares its own
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || (id.Name != "print" && id.Name != "println") || shadowed(id.Name) {
			return true
		}
		sel := "Print"
		if id.Name == "println" {
			sel = "Println"
		}
		call.Fun = &ast.SelectorExpr{X: &ast.Ident{NamePos: id.NamePos, Name: rtName}, Sel: &ast.Ident{NamePos: id.NamePos, Name: sel}}
		return true
	})
}
