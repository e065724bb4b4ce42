package expr

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// testColumn is one input column for a test record.
type testColumn struct {
	name string
	typ  arrow.DataType
	vals []any
}

func col(name string, typ arrow.DataType, vals ...any) testColumn {
	return testColumn{name, typ, vals}
}

func makeRecord(t testing.TB, mem memory.Allocator, cols ...testColumn) arrow.Record {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	n := 0
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: true}
		b := array.NewBuilder(mem, c.typ)
		for _, v := range c.vals {
			appendValue(b, v)
		}
		arrs[i] = b.NewArray()
		b.Release()
		n = len(c.vals)
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), arrs, int64(n))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

func arrayValues(a arrow.Array) []any {
	out := make([]any, a.Len())
	for i := range out {
		out[i] = valueAt(a, i)
	}
	return out
}

// evalValues binds e against rec's schema and evaluates it.
func evalValues(t testing.TB, mem memory.Allocator, e Expr, rec arrow.Record) ([]any, Bound, error) {
	t.Helper()
	b, err := Bind(e, rec.Schema())
	if err != nil {
		return nil, nil, err
	}
	ctx := WithAllocator(context.Background(), mem)
	arr, err := b.Eval(ctx, rec)
	if err != nil {
		return nil, b, err
	}
	defer arr.Release()
	if arr.Len() != int(rec.NumRows()) {
		t.Fatalf("%s: result has %d rows, want %d", e, arr.Len(), rec.NumRows())
	}
	if !arrow.TypeEqual(arr.DataType(), b.Type()) {
		t.Fatalf("%s: result type %s, Bound.Type %s", e, arr.DataType(), b.Type())
	}
	return arrayValues(arr), b, nil
}

func checked(t *testing.T) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

func diff(got, want []any) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	return fmt.Sprintf("got  %#v\nwant %#v", got, want)
}

// shorthand constructors
func c(parts ...string) Expr          { return &ColumnRef{Parts: parts} }
func lit(v any) Expr                  { return NewLiteral(v) }
func bin(op BinaryOp, l, r Expr) Expr { return &Binary{Op: op, Left: l, Right: r} }
func call(name string, args ...Expr) Expr {
	return &Call{Name: name, Args: args}
}
