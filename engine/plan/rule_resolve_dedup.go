package plan

import (
	"fmt"
	"strings"

	"github.com/gostream/gostream/engine/expr"
)

// resolveDedup finds the key columns of dropDuplicates: every column when
// none is named, else each named column (ignoring case; a name several
// columns share selects them all).
type resolveDedup struct{}

func (resolveDedup) Name() string { return "ResolveDeduplicate" }

func (resolveDedup) Apply(n Node) (Node, error) {
	d, ok := n.(*Deduplicate)
	if !ok || d.KeyIndices != nil {
		return n, nil
	}
	s := d.Child.Schema()
	idx := []int{}
	if len(d.Keys) == 0 {
		for i := range s.Fields() {
			idx = append(idx, i)
		}
	}
	for _, name := range d.Keys {
		found := false
		for i, f := range s.Fields() {
			if strings.EqualFold(f.Name, name) {
				found = true
				if !containsInt(idx, i) {
					idx = append(idx, i)
				}
			}
		}
		if !found {
			return nil, &expr.AnalysisError{Class: "UNRESOLVED_COLUMN_AMONG_FIELD_NAMES", Message: fmt.Sprintf(
				"Cannot resolve column name %q among (%s).", name, strings.Join(fieldNames(s), ", "))}
		}
	}
	cp := *d
	cp.KeyIndices = idx
	return &cp, nil
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
