package plan

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// resolveFilter binds a filter's condition and checks that it is a
// boolean, with Spark's DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN error.
type resolveFilter struct{}

func (resolveFilter) Name() string { return "ResolveFilter" }

func (resolveFilter) Apply(n Node) (Node, error) {
	f, ok := n.(*Filter)
	if !ok || f.Checked {
		return n, nil
	}
	b, err := expr.Bind(f.Cond, f.Child.Schema())
	if err != nil {
		return nil, err
	}
	if b.Type().ID() != arrow.BOOL {
		return nil, &expr.AnalysisError{
			Class: "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
			Message: fmt.Sprintf("Cannot resolve %q due to data type mismatch: Filter expression %q of type %q is not a boolean.",
				f.Cond.String(), f.Cond.String(), expr.SQLTypeName(b.Type())),
		}
	}
	cp := *f
	cp.Checked = true
	return &cp, nil
}
