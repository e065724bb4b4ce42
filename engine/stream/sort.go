package stream

import (
	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
)

// compileSort compiles orderBy: the epoch's rows sorted at its end (on a
// stream, only the whole result of a Complete-mode aggregation reaches
// it).
func (c *compiler) compileSort(x *plan.Sort, next exec.Operator) error {
	keys := make([]exec.SortKey, len(x.Orders))
	for i, o := range x.Orders {
		b, err := expr.Bind(o.Child, x.Child.Schema())
		if err != nil {
			return err
		}
		keys[i] = exec.SortKey{Expr: b, Descending: o.Descending, NullsFirst: o.NullsFirst}
	}
	return c.compile(x.Child, exec.NewSort(keys, nil, next))
}
