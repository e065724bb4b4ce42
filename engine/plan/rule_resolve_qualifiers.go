package plan

import (
	"strings"

	"github.com/gostream/gostream/engine/expr"
)

// resolveQualifiers drops the qualifier of "t.a" and "t.*" in projections
// and filters over a DataFrame aliased "t" (df.alias("t")), unless the
// input has a column named t, which then wins as in Spark.
type resolveQualifiers struct{}

func (resolveQualifiers) Name() string { return "ResolveQualifiers" }

func (resolveQualifiers) Apply(n Node) (Node, error) {
	switch x := n.(type) {
	case *Project:
		aliases := visibleAliases(x.Child)
		if len(aliases) == 0 {
			return n, nil
		}
		cp := *x
		cp.Exprs = make([]expr.Expr, len(x.Exprs))
		for i, e := range x.Exprs {
			cp.Exprs[i] = unqualify(e, aliases, x.Child)
		}
		return &cp, nil
	case *Filter:
		aliases := visibleAliases(x.Child)
		if len(aliases) == 0 {
			return n, nil
		}
		cp := *x
		cp.Cond = unqualify(x.Cond, aliases, x.Child)
		return &cp, nil
	}
	return n, nil
}

// visibleAliases returns the alias names whose columns n still shows:
// those below operators that keep their input's columns.
func visibleAliases(n Node) []string {
	var out []string
	for {
		switch x := n.(type) {
		case *SubqueryAlias:
			out = append(out, x.Name)
			n = x.Child
		case *Filter:
			n = x.Child
		case *Limit:
			n = x.Child
		case *EventTimeWatermark:
			n = x.Child
		default:
			return out
		}
	}
}

func unqualify(e expr.Expr, aliases []string, child Node) expr.Expr {
	isAlias := func(q string) bool {
		if fieldIndexFold(child.Schema(), q) >= 0 {
			return false
		}
		for _, a := range aliases {
			if strings.EqualFold(a, q) {
				return true
			}
		}
		return false
	}
	switch x := e.(type) {
	case *expr.ColumnRef:
		if len(x.Parts) > 1 && isAlias(x.Parts[0]) {
			return &expr.ColumnRef{Parts: x.Parts[1:]}
		}
		return e
	case *expr.Star:
		if len(x.Qualifier) > 0 && isAlias(x.Qualifier[0]) {
			return &expr.Star{Qualifier: x.Qualifier[1:]}
		}
		return e
	}
	children := e.Children()
	if len(children) == 0 {
		return e
	}
	next := make([]expr.Expr, len(children))
	changed := false
	for i, c := range children {
		next[i] = unqualify(c, aliases, child)
		changed = changed || next[i] != c
	}
	if !changed {
		return e
	}
	return e.WithChildren(next...)
}
