package plan

import "github.com/gostream/gostream/engine/expr"

// expandStar replaces "*" and "s.*" in a projection with the columns or
// struct fields they stand for.
type expandStar struct{}

func (expandStar) Name() string { return "ExpandStar" }

func (expandStar) Apply(n Node) (Node, error) {
	p, ok := n.(*Project)
	if !ok || !hasStar(p.Exprs) {
		return n, nil
	}
	var out []expr.Expr
	for _, e := range p.Exprs {
		es, err := expr.ExpandStar(e, p.Child.Schema())
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	cp := *p
	cp.Exprs = out
	return &cp, nil
}

func hasStar(es []expr.Expr) bool {
	for _, e := range es {
		if _, ok := e.(*expr.Star); ok {
			return true
		}
	}
	return false
}
