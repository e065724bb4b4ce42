package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/expr"
)

// Filter forwards the rows for which a boolean expression is true; null
// counts as false.
type Filter struct {
	forward
	cond expr.Bound
}

// NewFilter returns a filter on cond, which must be of boolean type.
func NewFilter(cond expr.Bound, next Operator) (*Filter, error) {
	if cond.Type().ID() != arrow.BOOL {
		return nil, fmt.Errorf("exec: filter condition %s is of type %s, not boolean", cond.Name(), cond.Type())
	}
	return &Filter{forward: forward{next}, cond: cond}, nil
}

func (f *Filter) Process(ctx context.Context, rec arrow.Record) error {
	m, err := f.cond.Eval(ctx, rec)
	if err != nil {
		return fmt.Errorf("evaluating %s: %w", f.cond.Name(), err)
	}
	defer m.Release()
	out := expr.FilterRecordAlloc(expr.AllocatorFrom(ctx), rec, m.(*array.Boolean))
	defer out.Release()
	if out.NumRows() == 0 {
		return nil
	}
	return f.next.Process(ctx, out)
}
