package expr

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Bind resolves e against schema and compiles it: names are looked up
// case-insensitively (an ambiguous name is an error), implicit casts are
// inserted as Spark's analyzer would, constant sub-expressions are folded,
// and each operator is specialised for its input types. Aggregates,
// generators and sliding windows are refused with an error wrapping
// ErrNotScalar; the planner handles them.
func Bind(e Expr, schema *arrow.Schema) (Bound, error) {
	b := &binder{schema: schema}
	n, err := b.bind(e)
	if err != nil {
		return nil, err
	}
	out := *n
	out.name = OutputName(e)
	return &out, nil
}

// BindAll binds each expression of es against schema.
func BindAll(es []Expr, schema *arrow.Schema) ([]Bound, error) {
	out := make([]Bound, len(es))
	for i, e := range es {
		b, err := Bind(e, schema)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

type binder struct {
	schema *arrow.Schema
}

func (b *binder) bindAll(es []Expr) ([]*node, error) {
	out := make([]*node, len(es))
	for i, e := range es {
		n, err := b.bind(e)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func (b *binder) bind(e Expr) (*node, error) {
	switch x := e.(type) {
	case nil:
		return nil, analysisErr("INTERNAL_ERROR", "nil expression")
	case *Invalid:
		return nil, &AnalysisError{Message: x.Err.Error(), Err: x.Err}
	case *ColumnRef:
		return b.bindColumn(x)
	case *Star:
		return nil, analysisErr("INVALID_USAGE_OF_STAR_OR_REGEX",
			"Invalid usage of '*' in expression %q: '*' may only stand for whole columns in select().", x.String())
	case *Literal:
		return b.bindLiteral(x)
	case *Alias:
		n, err := b.bind(x.Child)
		if err != nil {
			return nil, err
		}
		out := *n
		out.name, out.src = x.Name, x
		return &out, nil
	case *Cast:
		n, err := b.bind(x.Child)
		if err != nil {
			return nil, err
		}
		return b.explicitCast(n, x.To, x)
	case *Binary:
		return b.bindBinary(x)
	case *Unary:
		return b.bindUnary(x)
	case *CaseWhen:
		return b.bindCaseWhen(x)
	case *In:
		return b.bindIn(x)
	case *Like:
		return b.bindLike(x)
	case *Call:
		return b.bindCall(x)
	case *GetField:
		n, err := b.bind(x.Child)
		if err != nil {
			return nil, err
		}
		return b.fieldOf(n, x.Name, x, x.Child.String())
	case *GetItem:
		return b.bindGetItem(x)
	case *SortOrder:
		n, err := b.bind(x.Child)
		if err != nil {
			return nil, err
		}
		out := *n
		out.src = x
		return &out, nil
	}
	return nil, analysisErr("INTERNAL_ERROR", "cannot bind expression of type %T", e)
}

func (b *binder) bindLiteral(x *Literal) (*node, error) {
	dt := x.Type
	v := x.Value
	if dt == nil {
		var err error
		if v, dt, err = literalValue(x.Value); err != nil {
			return nil, err
		}
	} else if v != nil {
		nv, ndt, err := literalValue(v)
		if err == nil && !arrow.TypeEqual(ndt, dt) && isAtomic(dt) && !isDecimal(dt) {
			// a Go value of another width than Type: convert it.
			c := &node{typ: ndt, isConst: true, value: nv, src: x}
			cn, err := castNode(c, dt, x)
			if err != nil {
				return nil, err
			}
			return cn, nil
		}
	}
	return &node{name: x.String(), typ: dt, nullable: v == nil, isConst: true, value: v, src: x}, nil
}

// ---- columns ----

func fieldNames(fields []arrow.Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

// lookupField finds name among fields case-insensitively; an exact match
// wins over case-insensitive ones.
func lookupField(fields []arrow.Field, name string) (int, error) {
	found := -1
	var matches []string
	for i, f := range fields {
		if f.Name == name {
			return i, nil
		}
		if strings.EqualFold(f.Name, name) {
			if found < 0 {
				found = i
			}
			matches = append(matches, f.Name)
		}
	}
	if len(matches) > 1 {
		q := make([]string, len(matches))
		for i, m := range matches {
			q[i] = quoteID(m)
		}
		return -1, analysisErr("AMBIGUOUS_REFERENCE", "Reference %s is ambiguous, could be: [%s].",
			quoteID(name), strings.Join(q, ", "))
	}
	return found, nil
}

func (b *binder) bindColumn(x *ColumnRef) (*node, error) {
	if len(x.Parts) == 0 {
		return nil, analysisErr("INTERNAL_ERROR", "empty column name")
	}
	fields := b.schema.Fields()
	idx, err := lookupField(fields, x.Parts[0])
	if err != nil {
		return nil, err
	}
	if idx < 0 {
		return nil, unresolvedColumn(x.Parts, fieldNames(fields))
	}
	f := fields[idx]
	col := idx
	n := &node{name: f.Name, typ: f.Type, nullable: f.Nullable, src: x,
		eval: func(c *evalCtx) (arrow.Array, error) {
			a := c.rec.Column(col)
			a.Retain()
			return a, nil
		}}
	for i, part := range x.Parts[1:] {
		base := strings.Join(x.Parts[:i+1], ".")
		if n, err = b.fieldOf(n, part, &ColumnRef{Parts: x.Parts[:i+2]}, base); err != nil {
			return nil, err
		}
	}
	if ts, ok := n.typ.(*arrow.TimestampType); ok && (ts.Unit != arrow.Microsecond) {
		return castNode(n, TypeTimestamp, x)
	}
	return n, nil
}

// fieldOf extracts a struct field; the result is null where the struct is.
func (b *binder) fieldOf(n *node, name string, src Expr, base string) (*node, error) {
	st, ok := n.typ.(*arrow.StructType)
	if !ok {
		return nil, analysisErr("INVALID_EXTRACT_BASE_FIELD_TYPE",
			"Can't extract a value from %q. Need a complex type [STRUCT, ARRAY, MAP] but got %q.", base, SQLTypeName(n.typ))
	}
	idx, err := lookupField(st.Fields(), name)
	if err != nil {
		return nil, err
	}
	if idx < 0 {
		q := make([]string, st.NumFields())
		for i, f := range st.Fields() {
			q[i] = quoteID(f.Name)
		}
		return nil, analysisErr("FIELD_NOT_FOUND", "No such struct field %s in %s.", quoteID(name), strings.Join(q, ", "))
	}
	f := st.Field(idx)
	parent := n
	return &node{name: f.Name, typ: f.Type, nullable: f.Nullable || parent.nullable, src: src,
		eval: func(c *evalCtx) (arrow.Array, error) {
			a, err := parent.run(c)
			if err != nil {
				return nil, err
			}
			defer a.Release()
			return structField(c, a.(*array.Struct), idx), nil
		}}, nil
}

// structField returns field idx of s with s's nulls applied; the values are
// shared, not copied.
func structField(c *evalCtx, s *array.Struct, idx int) arrow.Array {
	f := s.Field(idx)
	if s.NullN() == 0 || f.DataType().ID() == arrow.NULL {
		f.Retain()
		return f
	}
	merged, nulls := mergeValidity(c.mem, s.Len(), s, f)
	fd := f.Data()
	off := fd.Offset()
	bm := allocBitmap(c.mem, off+fd.Len())
	bitutil.CopyBitmap(merged.Bytes(), 0, fd.Len(), bm.Bytes(), off)
	merged.Release()
	bufs := append([]*memory.Buffer(nil), fd.Buffers()...)
	bufs[0] = bm
	d := array.NewData(f.DataType(), fd.Len(), bufs, fd.Children(), nulls, off)
	bm.Release()
	out := array.MakeFromData(d)
	d.Release()
	return out
}

// ExpandStar expands e when it is a Star: "*" yields every column,
// "s.*" every field of the struct column s (each named by its field).
// Other expressions come back as the only element.
func ExpandStar(e Expr, schema *arrow.Schema) ([]Expr, error) {
	st, ok := e.(*Star)
	if !ok {
		return []Expr{e}, nil
	}
	if len(st.Qualifier) == 0 {
		out := make([]Expr, 0, schema.NumFields())
		for _, f := range schema.Fields() {
			out = append(out, &ColumnRef{Parts: []string{f.Name}})
		}
		return out, nil
	}
	b := &binder{schema: schema}
	n, err := b.bindColumn(&ColumnRef{Parts: st.Qualifier})
	if err != nil {
		var ae *AnalysisError
		if asAnalysis(err, &ae) && strings.HasPrefix(ae.Class, "UNRESOLVED_COLUMN") {
			return nil, analysisErr("CANNOT_RESOLVE_STAR_EXPAND",
				"Cannot resolve %s given input columns %s.", quoteID(st.Qualifier...)+".*", bracketIDs(fieldNames(schema.Fields())))
		}
		return nil, err
	}
	stt, ok := n.typ.(*arrow.StructType)
	if !ok {
		return nil, analysisErr("CANNOT_RESOLVE_STAR_EXPAND",
			"Cannot resolve %s: %s is %s, not a struct.", quoteID(st.Qualifier...)+".*", quoteID(st.Qualifier...), SQLTypeName(n.typ))
	}
	out := make([]Expr, 0, stt.NumFields())
	for _, f := range stt.Fields() {
		parts := append(append([]string(nil), st.Qualifier...), f.Name)
		out = append(out, &ColumnRef{Parts: parts})
	}
	return out, nil
}

func bracketIDs(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteID(n)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func asAnalysis(err error, target **AnalysisError) bool {
	ae, ok := err.(*AnalysisError)
	if ok {
		*target = ae
	}
	return ok
}

func notScalar(e Expr, what string) error {
	return &AnalysisError{Class: "UNSUPPORTED_EXPR_FOR_OPERATOR",
		Message: fmt.Sprintf("%s %q cannot be evaluated row by row here: %s", what, e.String(), notScalarHint(what)),
		Err:     ErrNotScalar}
}

func notScalarHint(what string) string {
	switch what {
	case "aggregate function":
		return "use it in groupBy(...).agg(...) or in a select over the whole DataFrame."
	case "generator":
		return "use it alone as a select() column, e.g. select(explode(col(\"a\")))."
	}
	return "use it as a groupBy key."
}
