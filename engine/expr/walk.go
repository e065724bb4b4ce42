package expr

import "fmt"

func (e *ColumnRef) Children() []Expr { return nil }
func (e *Star) Children() []Expr      { return nil }
func (e *Literal) Children() []Expr   { return nil }
func (e *Invalid) Children() []Expr   { return nil }
func (e *Alias) Children() []Expr     { return []Expr{e.Child} }
func (e *Cast) Children() []Expr      { return []Expr{e.Child} }
func (e *Binary) Children() []Expr    { return []Expr{e.Left, e.Right} }
func (e *Unary) Children() []Expr     { return []Expr{e.Child} }
func (e *Call) Children() []Expr      { return append([]Expr(nil), e.Args...) }
func (e *Like) Children() []Expr      { return []Expr{e.Child} }
func (e *SortOrder) Children() []Expr { return []Expr{e.Child} }
func (e *GetField) Children() []Expr  { return []Expr{e.Child} }
func (e *GetItem) Children() []Expr   { return []Expr{e.Child, e.Key} }
func (e *In) Children() []Expr        { return append([]Expr{e.Child}, e.List...) }

// Children of a CaseWhen are cond1, value1, cond2, value2, ..., [else].
func (e *CaseWhen) Children() []Expr {
	out := make([]Expr, 0, 2*len(e.Branches)+1)
	for _, w := range e.Branches {
		out = append(out, w.Cond, w.Value)
	}
	if e.Else != nil {
		out = append(out, e.Else)
	}
	return out
}

func checkArity(e Expr, got, want int) {
	if got != want {
		panic(fmt.Sprintf("expr: %T.WithChildren got %d children, want %d", e, got, want))
	}
}

func (e *ColumnRef) WithChildren(c ...Expr) Expr { checkArity(e, len(c), 0); return e }
func (e *Star) WithChildren(c ...Expr) Expr      { checkArity(e, len(c), 0); return e }
func (e *Literal) WithChildren(c ...Expr) Expr   { checkArity(e, len(c), 0); return e }
func (e *Invalid) WithChildren(c ...Expr) Expr   { checkArity(e, len(c), 0); return e }

func (e *Alias) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 1)
	return &Alias{Child: c[0], Name: e.Name}
}

func (e *Cast) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 1)
	return &Cast{Child: c[0], To: e.To}
}

func (e *Binary) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 2)
	return &Binary{Op: e.Op, Left: c[0], Right: c[1]}
}

func (e *Unary) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 1)
	return &Unary{Op: e.Op, Child: c[0]}
}

func (e *Call) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), len(e.Args))
	return &Call{Name: e.Name, Args: append([]Expr(nil), c...), Distinct: e.Distinct}
}

func (e *Like) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 1)
	return &Like{Child: c[0], Pattern: e.Pattern, RLike: e.RLike}
}

func (e *SortOrder) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 1)
	return &SortOrder{Child: c[0], Descending: e.Descending, NullsFirst: e.NullsFirst}
}

func (e *GetField) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 1)
	return &GetField{Child: c[0], Name: e.Name}
}

func (e *GetItem) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 2)
	return &GetItem{Child: c[0], Key: c[1]}
}

func (e *In) WithChildren(c ...Expr) Expr {
	checkArity(e, len(c), 1+len(e.List))
	return &In{Child: c[0], List: append([]Expr(nil), c[1:]...)}
}

func (e *CaseWhen) WithChildren(c ...Expr) Expr {
	want := 2 * len(e.Branches)
	if e.Else != nil {
		want++
	}
	checkArity(e, len(c), want)
	out := &CaseWhen{Branches: make([]When, len(e.Branches))}
	for i := range e.Branches {
		out.Branches[i] = When{Cond: c[2*i], Value: c[2*i+1]}
	}
	if e.Else != nil {
		out.Else = c[len(c)-1]
	}
	return out
}

// Transform rewrites e bottom-up: children first, then f on the node rebuilt
// with the rewritten children. f returns its argument unchanged to keep a
// node. The first error stops the walk.
func Transform(e Expr, f func(Expr) (Expr, error)) (Expr, error) {
	kids := e.Children()
	if len(kids) > 0 {
		changed := false
		next := make([]Expr, len(kids))
		for i, k := range kids {
			nk, err := Transform(k, f)
			if err != nil {
				return nil, err
			}
			next[i] = nk
			if nk != k {
				changed = true
			}
		}
		if changed {
			e = e.WithChildren(next...)
		}
	}
	return f(e)
}

// Walk calls f on e and its descendants in pre-order; when f returns false
// the node's children are skipped.
func Walk(e Expr, f func(Expr) bool) {
	if !f(e) {
		return
	}
	for _, k := range e.Children() {
		Walk(k, f)
	}
}

// Contains reports whether some node of e satisfies pred.
func Contains(e Expr, pred func(Expr) bool) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if found {
			return false
		}
		if pred(x) {
			found = true
			return false
		}
		return true
	})
	return found
}
