package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// Generate emits, for each input row, one row per element of an array (or
// entry of a map) computed from it: the input columns repeated, then the
// element (or key and value). With outer, a row whose array is null or
// empty gives one row with nulls instead of none.
type Generate struct {
	forward
	schema *arrow.Schema
	arg    expr.Bound
	outer  bool
}

// NewGenerate explodes arg, an array or map expression, into records of
// schema: the input's fields followed by the generated ones.
func NewGenerate(schema *arrow.Schema, arg expr.Bound, outer bool, next Operator) (*Generate, error) {
	switch arg.Type().(type) {
	case *arrow.ListType, *arrow.MapType:
	default:
		return nil, fmt.Errorf("exec: cannot explode %s of type %s", arg.Name(), arg.Type())
	}
	return &Generate{forward: forward{next}, schema: schema, arg: arg, outer: outer}, nil
}

func (g *Generate) Process(ctx context.Context, rec arrow.Record) error {
	arr, err := g.arg.Eval(ctx, rec)
	if err != nil {
		return fmt.Errorf("evaluating %s: %w", g.arg.Name(), err)
	}
	defer arr.Release()
	values, parents := expr.Explode(arr)
	if values == nil {
		return fmt.Errorf("exec: cannot explode %s", arr.DataType())
	}
	defer values.Release()
	mem := expr.AllocatorFrom(ctx)
	if g.outer {
		var taken arrow.Array
		parents, taken = outerRows(mem, values, parents, rec.NumRows())
		defer taken.Release()
		values = taken
	}
	if len(parents) == 0 {
		return nil
	}
	base := expr.TakeRecord(mem, rec, parents)
	defer base.Release()
	cols := append([]arrow.Array(nil), base.Columns()...)
	if st, ok := values.(*array.Struct); ok && isMap(g.arg.Type()) {
		for i := 0; i < st.NumField(); i++ {
			cols = append(cols, st.Field(i))
		}
	} else {
		cols = append(cols, values)
	}
	out := array.NewRecord(g.schema, cols, int64(len(parents)))
	defer out.Release()
	return g.next.Process(ctx, out)
}

func isMap(t arrow.DataType) bool {
	_, ok := t.(*arrow.MapType)
	return ok
}

// outerRows adds a null element for every row without elements, keeping
// row order, and returns the new parent rows and values.
func outerRows(mem memory.Allocator, values arrow.Array, parents []int32, rows int64) ([]int32, arrow.Array) {
	idx := make([]int32, 0, len(parents)+8)
	out := make([]int32, 0, len(parents)+8)
	j := 0
	for r := int32(0); r < int32(rows); r++ {
		if j < len(parents) && parents[j] == r {
			for j < len(parents) && parents[j] == r {
				idx = append(idx, int32(j))
				out = append(out, r)
				j++
			}
			continue
		}
		idx = append(idx, -1)
		out = append(out, r)
	}
	return out, expr.Take(mem, values, idx)
}
