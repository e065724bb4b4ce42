package plan

import (
	"fmt"
	"strings"

	"github.com/gostream/gostream/engine/expr"
)

// resolveJoinColumns lets a projection or filter over a join tell apart
// the columns the join outputs under the same name (an "id" from each
// side), which name-based binding cannot. It rebuilds the input with
// unique names (name#<position>) and rewrites the references:
//
//   - "*" stands for every column, each under its own name;
//   - "a.id" is the id column of the side aliased "a";
//   - a list naming every column of a shared name, in order (what
//     withColumn, drop or toDF build), takes them in order;
//   - any other bare reference to a shared name is ambiguous, as in Spark.
//
// The projection's output keeps the original names; a filter is wrapped in
// a projection that restores them.
type resolveJoinColumns struct{}

func (resolveJoinColumns) Name() string { return "ResolveJoinColumns" }

func (resolveJoinColumns) Apply(n Node) (Node, error) {
	var child Node
	switch x := n.(type) {
	case *Project:
		if x.Out != nil {
			return n, nil
		}
		child = x.Child
	case *Filter:
		if x.Checked {
			return n, nil
		}
		child = x.Child
	default:
		return n, nil
	}
	orig := fieldNames(child.Schema())
	if len(uniqueCounts(orig)) == len(orig) {
		return n, nil
	}
	u, ok, err := uniqueOutput(child)
	if err != nil || !ok {
		return n, err
	}
	m := &columnMap{orig: orig, unique: fieldNames(u.Schema()), origins: originsOf(child)}
	switch x := n.(type) {
	case *Project:
		exprs, err := m.rewriteList(x.Exprs)
		if err != nil {
			return nil, err
		}
		return &Project{Child: u, Exprs: exprs}, nil
	case *Filter:
		cond, err := m.rewrite(x.Cond, nil)
		if err != nil {
			return nil, err
		}
		f, err := Analyze(&Filter{Child: u, Cond: cond})
		if err != nil {
			return nil, err
		}
		back := make([]expr.Expr, len(orig))
		for i := range orig {
			back[i] = &expr.Alias{Child: colRefExpr(m.unique[i]), Name: orig[i]}
		}
		return &Project{Child: f, Exprs: back}, nil
	}
	return n, nil
}

// uniqueCounts counts the fields of each name, ignoring case.
func uniqueCounts(names []string) map[string]int {
	c := map[string]int{}
	for _, n := range names {
		c[strings.ToLower(n)]++
	}
	return c
}

// uniqueOutput returns n, resolved, with unique output names, when n is a
// join or a projection (possibly under filters, limits and aliases).
func uniqueOutput(n Node) (Node, bool, error) {
	switch x := n.(type) {
	case *Join:
		cp := *x
		cp.UniqueNames, cp.Spec, cp.Out = true, nil, nil
		out, err := resolveJoin{}.Apply(&cp)
		return out, err == nil, err
	case *Project:
		names := uniqueFieldNames(x.Out.Fields())
		exprs := make([]expr.Expr, len(x.Exprs))
		for i, e := range x.Exprs {
			exprs[i] = e
			if names[i] != x.Out.Field(i).Name {
				if a, ok := e.(*expr.Alias); ok {
					e = a.Child
				}
				exprs[i] = &expr.Alias{Child: e, Name: names[i]}
			}
		}
		out, err := resolveProject{}.Apply(&Project{Child: x.Child, Exprs: exprs})
		return out, err == nil, err
	case *Filter, *Limit, *SubqueryAlias:
		c, ok, err := uniqueOutput(n.Children()[0])
		if !ok {
			return n, false, err
		}
		switch x := n.(type) {
		case *Filter:
			return &Filter{Child: c, Cond: x.Cond, Checked: true}, true, nil
		case *Limit:
			return &Limit{Child: c, N: x.N}, true, nil
		case *SubqueryAlias:
			return &SubqueryAlias{Child: c, Name: x.Name}, true, nil
		}
	}
	return n, false, nil
}

// originsOf returns, for each output column of n, the aliases that
// qualify it ("a" in "a.id").
func originsOf(n Node) [][]string {
	out := make([][]string, n.Schema().NumFields())
	switch x := n.(type) {
	case *Join:
		la, ra := visibleAliases(x.Left), visibleAliases(x.Right)
		for i, e := range x.Spec.Output {
			if a, ok := e.(*expr.Alias); ok {
				e = a.Child
			}
			if ref, ok := e.(*expr.ColumnRef); ok && len(ref.Parts) == 1 {
				if fieldIndexExact(x.Spec.LeftSchema, ref.Parts[0]) >= 0 {
					out[i] = la
				} else {
					out[i] = ra
				}
			}
		}
	case *Project:
		in := originsOf(x.Child)
		cs := x.Child.Schema()
		for i, e := range x.Exprs {
			if a, ok := e.(*expr.Alias); ok {
				e = a.Child
			}
			if ref, ok := e.(*expr.ColumnRef); ok && len(ref.Parts) == 1 {
				if k := fieldIndexExact(cs, ref.Parts[0]); k >= 0 {
					out[i] = in[k]
				}
			}
		}
	case *Filter, *Limit, *EventTimeWatermark, *Deduplicate:
		return originsOf(n.Children()[0])
	case *SubqueryAlias:
		for i := range out {
			out[i] = []string{x.Name}
		}
	}
	return out
}

// columnMap maps references to the columns of an input whose names are
// not unique onto the unique names of the rebuilt input.
type columnMap struct {
	orig, unique []string
	origins      [][]string
}

// rewriteList rewrites a projection list. A shared name that the list
// names once per column of that name (as withColumn and drop list every
// column) takes those columns in order.
func (m *columnMap) rewriteList(es []expr.Expr) ([]expr.Expr, error) {
	counts := uniqueCounts(m.orig)
	refs := map[string]int{}
	for _, e := range es {
		if name, ok := plainRef(e); ok {
			refs[strings.ToLower(name)]++
		}
	}
	seen := map[string]int{}
	var out []expr.Expr
	for _, e := range es {
		if st, ok := e.(*expr.Star); ok {
			cols, err := m.star(st)
			if err != nil {
				return nil, err
			}
			if cols != nil {
				out = append(out, cols...)
				continue
			}
		}
		var forced *int
		if name, ok := plainRef(e); ok {
			key := strings.ToLower(name)
			if counts[key] > 1 && refs[key] == counts[key] {
				k := m.nth(key, seen[key])
				seen[key]++
				forced = &k
			}
		}
		r, err := m.rewrite(e, forced)
		if err != nil {
			return nil, err
		}
		if _, ok := r.(*expr.Alias); !ok && r != e {
			r = &expr.Alias{Child: r, Name: expr.OutputName(e)}
		}
		out = append(out, r)
	}
	return out, nil
}

// plainRef returns the name e refers to when e is a one-part column
// reference, aliased or not.
func plainRef(e expr.Expr) (string, bool) {
	if a, ok := e.(*expr.Alias); ok {
		e = a.Child
	}
	if ref, ok := e.(*expr.ColumnRef); ok && len(ref.Parts) == 1 {
		return ref.Parts[0], true
	}
	return "", false
}

// nth returns the position of the k-th column named key.
func (m *columnMap) nth(key string, k int) int {
	for i, n := range m.orig {
		if strings.ToLower(n) == key {
			if k == 0 {
				return i
			}
			k--
		}
	}
	return -1
}

// star expands "*" and "alias.*" over the input; nil for other stars.
func (m *columnMap) star(st *expr.Star) ([]expr.Expr, error) {
	var out []expr.Expr
	for i := range m.orig {
		if len(st.Qualifier) == 0 || len(st.Qualifier) == 1 && m.qualifies(i, st.Qualifier[0]) && m.column(st.Qualifier[0]) < 0 {
			out = append(out, &expr.Alias{Child: colRefExpr(m.unique[i]), Name: m.orig[i]})
		}
	}
	if len(st.Qualifier) > 0 {
		if len(out) == 0 {
			return nil, nil
		}
	}
	return out, nil
}

func (m *columnMap) qualifies(i int, q string) bool {
	for _, a := range m.origins[i] {
		if strings.EqualFold(a, q) {
			return true
		}
	}
	return false
}

// column returns the one column named name, -1 for none, -2 for several.
func (m *columnMap) column(name string) int {
	found := -1
	for i, n := range m.orig {
		if strings.EqualFold(n, name) {
			if found >= 0 {
				return -2
			}
			found = i
		}
	}
	return found
}

// rewrite rewrites the column references of e; forced, when set, is the
// column a top-level bare reference stands for.
func (m *columnMap) rewrite(e expr.Expr, forced *int) (expr.Expr, error) {
	if forced != nil {
		if a, ok := e.(*expr.Alias); ok {
			return &expr.Alias{Child: colRefExpr(m.unique[*forced]), Name: a.Name}, nil
		}
		return &expr.Alias{Child: colRefExpr(m.unique[*forced]), Name: m.orig[*forced]}, nil
	}
	return expr.Transform(e, func(x expr.Expr) (expr.Expr, error) {
		ref, ok := x.(*expr.ColumnRef)
		if !ok || len(ref.Parts) == 0 {
			return x, nil
		}
		switch i := m.column(ref.Parts[0]); {
		case i >= 0:
			return &expr.ColumnRef{Parts: append([]string{m.unique[i]}, ref.Parts[1:]...)}, nil
		case i == -2:
			return nil, m.ambiguous(ref.Parts[0])
		}
		if len(ref.Parts) < 2 {
			return x, nil
		}
		var hits []int
		for i, n := range m.orig {
			if strings.EqualFold(n, ref.Parts[1]) && m.qualifies(i, ref.Parts[0]) {
				hits = append(hits, i)
			}
		}
		switch len(hits) {
		case 0:
			return x, nil
		case 1:
			return &expr.ColumnRef{Parts: append([]string{m.unique[hits[0]]}, ref.Parts[2:]...)}, nil
		}
		return nil, m.ambiguous(ref.Parts[1])
	})
}

func (m *columnMap) ambiguous(name string) error {
	var q []string
	for i, n := range m.orig {
		if strings.EqualFold(n, name) {
			if len(m.origins[i]) > 0 {
				q = append(q, fmt.Sprintf("`%s`.`%s`", m.origins[i][0], n))
			} else {
				q = append(q, "`"+n+"`")
			}
		}
	}
	return &expr.AnalysisError{Class: "AMBIGUOUS_REFERENCE", Message: fmt.Sprintf(
		"Reference `%s` is ambiguous, could be: [%s].", name, strings.Join(q, ", "))}
}
