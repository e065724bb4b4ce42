package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// resolveJoin resolves a join: it finds the columns the condition (or the
// using-list) names on each side, splits the condition into equality keys
// (one side's expression = the other side's) and a residual, checks that
// the condition is a boolean, and computes the output columns.
type resolveJoin struct{}

func (resolveJoin) Name() string { return "ResolveJoin" }

func (resolveJoin) Apply(n Node) (Node, error) {
	j, ok := n.(*Join)
	if !ok || j.Out != nil {
		return n, nil
	}
	r := newJoinResolver(j)
	var err error
	if len(j.Using) > 0 {
		err = r.using()
	} else {
		err = r.condition()
	}
	if err != nil {
		return nil, err
	}
	if j.UniqueNames {
		r.uniqueNames()
	}
	cp := *j
	cp.Spec, cp.Out = r.spec, arrow.NewSchema(r.out, nil)
	return &cp, nil
}

// uniqueNames renames the output columns whose name another output column
// has to name#<position>.
func (r *joinResolver) uniqueNames() {
	for i, name := range uniqueFieldNames(r.out) {
		if name == r.out[i].Name {
			continue
		}
		r.out[i].Name = name
		e := r.spec.Output[i]
		if a, ok := e.(*expr.Alias); ok {
			e = a.Child
		}
		r.spec.Output[i] = &expr.Alias{Child: e, Name: name}
	}
}

// uniqueFieldNames returns the fields' names, with name#<position> for a
// name (ignoring case) that several fields have.
func uniqueFieldNames(fields []arrow.Field) []string {
	count := map[string]int{}
	for _, f := range fields {
		count[strings.ToLower(f.Name)]++
	}
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
		if count[strings.ToLower(f.Name)] > 1 {
			out[i] = f.Name + "#" + strconv.Itoa(i)
		}
	}
	return out
}

// side tells which input of a join a column comes from.
type side int

const (
	noSide side = iota
	leftSide
	rightSide
	bothSides
)

func (s side) add(o side) side {
	switch {
	case s == noSide:
		return o
	case o == noSide || o == s:
		return s
	}
	return bothSides
}

type joinResolver struct {
	j           *Join
	left, right *arrow.Schema // the sides' own schemas
	spec        *JoinSpec
	sideOf      map[string]side // internal name -> side
	out         []arrow.Field
}

// newJoinResolver names the sides' columns for the spec: a name that occurs
// more than once among both sides' columns becomes name#L<i> or name#R<i>.
func newJoinResolver(j *Join) *joinResolver {
	r := &joinResolver{j: j, left: j.Left.Schema(), right: j.Right.Schema(), sideOf: map[string]side{}}
	count := map[string]int{}
	for _, s := range []*arrow.Schema{r.left, r.right} {
		for _, f := range s.Fields() {
			count[strings.ToLower(f.Name)]++
		}
	}
	rename := func(s *arrow.Schema, tag string, sd side) *arrow.Schema {
		fields := append([]arrow.Field(nil), s.Fields()...)
		for i := range fields {
			if count[strings.ToLower(fields[i].Name)] > 1 {
				fields[i].Name = fields[i].Name + "#" + tag + strconv.Itoa(i)
			}
			r.sideOf[fields[i].Name] = sd
		}
		return arrow.NewSchema(fields, nil)
	}
	r.spec = &JoinSpec{LeftSchema: rename(r.left, "L", leftSide), RightSchema: rename(r.right, "R", rightSide)}
	return r
}

// condition resolves a join on a condition (or on none).
func (r *joinResolver) condition() error {
	j := r.j
	if j.Cond != nil {
		cond, err := r.resolveRefs(j.Cond)
		if err != nil {
			return err
		}
		// Equality keys are compared by hashing, which also pairs values
		// the expression evaluator cannot compare (window structs).
		var residual []expr.Expr
		for _, c := range splitConjuncts(cond) {
			if !r.addKey(c) {
				residual = append(residual, c)
			}
		}
		r.spec.Residual = andAll(residual)
		if r.spec.Residual != nil {
			b, err := expr.Bind(r.spec.Residual, r.spec.PairSchema(j.Type))
			if err != nil {
				return err
			}
			if b.Type().ID() != arrow.BOOL {
				return &expr.AnalysisError{Class: "DATATYPE_MISMATCH.JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE", Message: fmt.Sprintf(
					"Cannot resolve %q due to data type mismatch: The join condition %q has the invalid type %q, expected \"BOOLEAN\".",
					j.Cond.String(), j.Cond.String(), expr.SQLTypeName(b.Type()))}
			}
		}
	}
	r.plainOutput()
	return nil
}

// plainOutput outputs every column of the pair (the left ones only for
// semi and anti joins) under its own name.
func (r *joinResolver) plainOutput() {
	t := r.j.Type
	in := r.spec.OutputInput(t)
	names := append(fieldNames(r.left), fieldNames(r.right)...)
	for i, f := range in.Fields() {
		r.output(colRefExpr(f.Name), f, names[i])
	}
}

// output appends an output column computed by e, described by f, named name.
func (r *joinResolver) output(e expr.Expr, f arrow.Field, name string) {
	if f.Name != name {
		e = &expr.Alias{Child: e, Name: name}
	}
	f.Name = name
	r.spec.Output = append(r.spec.Output, e)
	r.out = append(r.out, f)
}

// addKey records c as an equality key when it compares an expression of
// one side with an expression of the other, of the same type (numbers of
// different types are compared as their common type).
func (r *joinResolver) addKey(c expr.Expr) bool {
	b, ok := c.(*expr.Binary)
	if !ok || (b.Op != expr.OpEq && b.Op != expr.OpEqNullSafe) {
		return false
	}
	l, rt := b.Left, b.Right
	switch {
	case r.sides(l) == leftSide && r.sides(rt) == rightSide:
	case r.sides(l) == rightSide && r.sides(rt) == leftSide:
		l, rt = rt, l
	default:
		return false
	}
	lb, err1 := expr.Bind(l, r.spec.LeftSchema)
	rb, err2 := expr.Bind(rt, r.spec.RightSchema)
	if err1 != nil || err2 != nil {
		return false
	}
	if !arrow.TypeEqual(lb.Type(), rb.Type()) {
		if !expr.IsNumeric(lb.Type()) || !expr.IsNumeric(rb.Type()) {
			return false
		}
		common, err := expr.Bind(&expr.Call{Name: "coalesce", Args: []expr.Expr{l, rt}}, r.spec.PairSchema(Inner))
		if err != nil {
			return false
		}
		if !arrow.TypeEqual(lb.Type(), common.Type()) {
			l = &expr.Cast{Child: l, To: common.Type()}
		}
		if !arrow.TypeEqual(rb.Type(), common.Type()) {
			rt = &expr.Cast{Child: rt, To: common.Type()}
		}
	}
	r.spec.LeftKeys = append(r.spec.LeftKeys, l)
	r.spec.RightKeys = append(r.spec.RightKeys, rt)
	r.spec.NullSafe = append(r.spec.NullSafe, b.Op == expr.OpEqNullSafe)
	return true
}

// sides tells which sides the columns of a resolved expression come from.
func (r *joinResolver) sides(e expr.Expr) side {
	s := noSide
	expr.Walk(e, func(x expr.Expr) bool {
		if ref, ok := x.(*expr.ColumnRef); ok && len(ref.Parts) > 0 {
			s = s.add(r.sideOf[ref.Parts[0]])
		}
		return true
	})
	return s
}

// resolveRefs rewrites the column references of a condition to the spec's
// column names. A name found on one side only refers to that side's
// column; "t.a" refers to column a of the side aliased t (unless a side has
// a column t); a name both sides have is ambiguous.
func (r *joinResolver) resolveRefs(e expr.Expr) (expr.Expr, error) {
	return expr.Transform(e, func(x expr.Expr) (expr.Expr, error) {
		ref, ok := x.(*expr.ColumnRef)
		if !ok || len(ref.Parts) == 0 {
			return x, nil
		}
		name, rest, err := r.resolveRef(ref.Parts)
		if err != nil {
			return nil, err
		}
		if name == "" {
			return x, nil
		}
		return &expr.ColumnRef{Parts: append([]string{name}, rest...)}, nil
	})
}

// resolveRef finds the column parts name; "" when it names none (the
// binder then reports it with suggestions).
func (r *joinResolver) resolveRef(parts []string) (string, []string, error) {
	cands := r.candidates(parts[0], bothSides)
	if len(cands) == 0 && len(parts) > 1 {
		for _, sd := range []side{leftSide, rightSide} {
			n := r.j.Left
			if sd == rightSide {
				n = r.j.Right
			}
			for _, a := range visibleAliases(n) {
				if strings.EqualFold(a, parts[0]) {
					cands = append(cands, r.candidates(parts[1], sd)...)
				}
			}
		}
		if len(cands) > 0 {
			parts = parts[1:]
		}
	}
	switch len(cands) {
	case 0:
		return "", nil, r.unresolved(parts)
	case 1:
		return cands[0].Name, parts[1:], nil
	}
	exact := -1
	for i, c := range cands {
		if c.Metadata.FindKey("exact") >= 0 {
			if exact >= 0 {
				exact = -2
				break
			}
			exact = i
		}
	}
	if exact >= 0 {
		return cands[exact].Name, parts[1:], nil
	}
	q := make([]string, len(cands))
	for i, c := range cands {
		q[i] = r.qualified(c.Name)
	}
	return "", nil, &expr.AnalysisError{Class: "AMBIGUOUS_REFERENCE", Message: fmt.Sprintf(
		"Reference `%s` is ambiguous, could be: [%s].", parts[0], strings.Join(q, ", "))}
}

// unresolved reports a name found on neither side, with Spark's
// suggestions from both sides' column names.
func (r *joinResolver) unresolved(parts []string) error {
	var fields []arrow.Field
	seen := map[string]bool{}
	for _, s := range []*arrow.Schema{r.left, r.right} {
		for _, f := range s.Fields() {
			if !seen[strings.ToLower(f.Name)] {
				seen[strings.ToLower(f.Name)] = true
				fields = append(fields, arrow.Field{Name: f.Name, Type: arrow.Null, Nullable: true})
			}
		}
	}
	_, err := expr.Bind(&expr.ColumnRef{Parts: parts}, arrow.NewSchema(fields, nil))
	return err
}

// candidates returns the spec columns (by their spec names) of the given
// sides whose own name is name, ignoring case; an exact-case match is
// marked with an "exact" metadata key.
func (r *joinResolver) candidates(name string, sd side) []arrow.Field {
	var out []arrow.Field
	add := func(own, spec *arrow.Schema) {
		for i, f := range own.Fields() {
			if strings.EqualFold(f.Name, name) {
				c := arrow.Field{Name: spec.Field(i).Name}
				if f.Name == name {
					c.Metadata = arrow.NewMetadata([]string{"exact"}, []string{""})
				}
				out = append(out, c)
			}
		}
	}
	if sd == leftSide || sd == bothSides {
		add(r.left, r.spec.LeftSchema)
	}
	if sd == rightSide || sd == bothSides {
		add(r.right, r.spec.RightSchema)
	}
	return out
}

// qualified renders a spec column for a message: `alias`.`name` when its
// side has an alias, else `name`.
func (r *joinResolver) qualified(specName string) string {
	n, s, own := r.j.Left, r.spec.LeftSchema, r.left
	if r.sideOf[specName] == rightSide {
		n, s, own = r.j.Right, r.spec.RightSchema, r.right
	}
	name := specName
	for i, f := range s.Fields() {
		if f.Name == specName {
			name = own.Field(i).Name
		}
	}
	if a := visibleAliases(n); len(a) > 0 {
		return "`" + a[0] + "`.`" + name + "`"
	}
	return "`" + name + "`"
}

// using resolves a using-join: each name must be a column of both sides;
// the output is the key columns (the left ones; the right ones for a right
// outer join; coalesced for a full outer join), then the other left
// columns, then the other right columns.
func (r *joinResolver) using() error {
	j, spec := r.j, r.spec
	var lk, rk []int
	for _, name := range j.Using {
		li, err := usingColumn(r.left, name, "left")
		if err != nil {
			return err
		}
		ri, err := usingColumn(r.right, name, "right")
		if err != nil {
			return err
		}
		lk, rk = append(lk, li), append(rk, ri)
		eq := &expr.Binary{Op: expr.OpEq, Left: colRefExpr(spec.LeftSchema.Field(li).Name), Right: colRefExpr(spec.RightSchema.Field(ri).Name)}
		if !r.addKey(eq) {
			if _, err := expr.Bind(eq, spec.PairSchema(j.Type)); err != nil {
				return err
			}
			spec.Residual = andAll([]expr.Expr{spec.Residual, eq})
		}
	}
	pair := spec.PairSchema(j.Type)
	nl := spec.LeftSchema.NumFields()
	isKey := func(keys []int, i int) bool {
		for _, k := range keys {
			if k == i {
				return true
			}
		}
		return false
	}
	for k := range j.Using {
		lf, rf := pair.Field(lk[k]), pair.Field(nl+rk[k])
		switch j.Type {
		case RightOuter:
			r.output(colRefExpr(rf.Name), rf, r.right.Field(rk[k]).Name)
		case FullOuter:
			e := &expr.Call{Name: "coalesce", Args: []expr.Expr{colRefExpr(lf.Name), colRefExpr(rf.Name)}}
			b, err := expr.Bind(e, pair)
			if err != nil {
				return err
			}
			name := r.left.Field(lk[k]).Name
			spec.Output = append(spec.Output, &expr.Alias{Child: e, Name: name})
			r.out = append(r.out, arrow.Field{Name: name, Type: b.Type(), Nullable: b.Nullable()})
		default:
			r.output(colRefExpr(lf.Name), lf, r.left.Field(lk[k]).Name)
		}
	}
	for i := 0; i < nl; i++ {
		if !isKey(lk, i) {
			r.output(colRefExpr(pair.Field(i).Name), pair.Field(i), r.left.Field(i).Name)
		}
	}
	if j.Type.KeepsRightColumns() {
		for i := 0; i < spec.RightSchema.NumFields(); i++ {
			if !isKey(rk, i) {
				r.output(colRefExpr(pair.Field(nl+i).Name), pair.Field(nl+i), r.right.Field(i).Name)
			}
		}
	}
	return nil
}

// usingColumn finds a using-join column on one side.
func usingColumn(s *arrow.Schema, name, sideName string) (int, error) {
	idx := -1
	for i, f := range s.Fields() {
		if f.Name == name {
			return i, nil
		}
		if strings.EqualFold(f.Name, name) {
			if idx >= 0 {
				return -1, &expr.AnalysisError{Class: "AMBIGUOUS_REFERENCE", Message: fmt.Sprintf(
					"Reference `%s` is ambiguous, could be: [`%s`, `%s`].", name, s.Field(idx).Name, f.Name)}
			}
			idx = i
		}
	}
	if idx < 0 {
		q := make([]string, s.NumFields())
		for i, f := range s.Fields() {
			q[i] = "`" + f.Name + "`"
		}
		return -1, &expr.AnalysisError{Class: "UNRESOLVED_USING_COLUMN_FOR_JOIN", Message: fmt.Sprintf(
			"USING column `%s` cannot be resolved on the %s side of the join. The %s-side columns: [%s].",
			name, sideName, sideName, strings.Join(q, ", "))}
	}
	return idx, nil
}

// splitConjuncts splits e on AND.
func splitConjuncts(e expr.Expr) []expr.Expr {
	if b, ok := e.(*expr.Binary); ok && b.Op == expr.OpAnd {
		return append(splitConjuncts(b.Left), splitConjuncts(b.Right)...)
	}
	return []expr.Expr{e}
}

// andAll joins conditions with AND, skipping nils; nil when none is left.
func andAll(es []expr.Expr) expr.Expr {
	var out expr.Expr
	for _, e := range es {
		switch {
		case e == nil:
		case out == nil:
			out = e
		default:
			out = &expr.Binary{Op: expr.OpAnd, Left: out, Right: e}
		}
	}
	return out
}

func colRefExpr(name string) expr.Expr { return &expr.ColumnRef{Parts: []string{name}} }
