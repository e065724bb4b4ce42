package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// Sort orders the rows of Child by Orders (orderBy, sort). Global is
// false for sortWithinPartitions, which with one partition is the same.
type Sort struct {
	Child  Node
	Orders []*expr.SortOrder
	Global bool
	// Checked is set by the analyzer once every sort key resolves to an
	// orderable type.
	Checked bool
}

func (s *Sort) Schema() *arrow.Schema {
	if !s.Checked {
		return nil
	}
	return s.Child.Schema()
}
func (s *Sort) Resolved() bool   { return s.Checked }
func (s *Sort) Children() []Node { return []Node{s.Child} }
func (s *Sort) WithChildren(c ...Node) Node {
	checkArity(s, c, 1)
	cp := *s
	cp.Child = c[0]
	cp.Checked = false
	return &cp
}
func (s *Sort) String() string {
	parts := make([]string, len(s.Orders))
	for i, o := range s.Orders {
		parts[i] = o.String()
	}
	return fmt.Sprintf("Sort [%s], %t", strings.Join(parts, ", "), s.Global)
}
