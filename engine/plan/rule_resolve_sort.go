package plan

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// resolveSort binds the sort keys of orderBy/sort and checks that each
// has an orderable type.
type resolveSort struct{}

func (resolveSort) Name() string { return "ResolveSort" }

func (resolveSort) Apply(n Node) (Node, error) {
	s, ok := n.(*Sort)
	if !ok || s.Checked {
		return n, nil
	}
	for _, o := range s.Orders {
		b, err := expr.Bind(o.Child, s.Child.Schema())
		if err != nil {
			return nil, err
		}
		if !sortable(b.Type()) {
			return nil, &expr.AnalysisError{Class: "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE", Message: fmt.Sprintf(
				"Cannot resolve %q due to data type mismatch: The `sortorder` does not support ordering on type %q.", o.String(), expr.SQLTypeName(b.Type()))}
		}
	}
	cp := *s
	cp.Checked = true
	return &cp, nil
}

// sortable reports whether values of t can be ordered: atomic types and
// structs of them (a window sorts by start, then end).
func sortable(t arrow.DataType) bool {
	if st, ok := t.(*arrow.StructType); ok {
		for _, f := range st.Fields() {
			if !sortable(f.Type) {
				return false
			}
		}
		return true
	}
	return orderable(t) || t.ID() == arrow.NULL
}
