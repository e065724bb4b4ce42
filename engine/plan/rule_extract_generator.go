package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// extractGenerator moves a generator out of a projection, as Spark's
// ExtractGenerator does: select(a, explode(xs) AS x) becomes a Generate
// node below a projection that picks the generated columns. Generated
// columns get internal names (#gen0, ...) below the projection, which
// renames them, so they never clash with input columns.
type extractGenerator struct{}

func (extractGenerator) Name() string { return "ExtractGenerator" }

// generatedPrefix starts the internal names of generated columns.
const generatedPrefix = "#gen"

func (extractGenerator) Apply(n Node) (Node, error) {
	p, ok := n.(*Project)
	if !ok || p.Out != nil {
		return n, nil
	}
	at, call, alias := -1, (*expr.Call)(nil), ""
	for i, e := range p.Exprs {
		c, name := generatorOf(e)
		if c == nil {
			continue
		}
		if at >= 0 {
			return nil, &expr.AnalysisError{Class: "UNSUPPORTED_GENERATOR.MULTI_GENERATOR",
				Message: fmt.Sprintf("The generator is not supported: only one generator allowed per SELECT clause but found 2: %s, %s.", p.Exprs[at], e)}
		}
		at, call, alias = i, c, name
	}
	if at < 0 {
		return n, nil
	}
	fn := strings.ToLower(call.Name)
	if fn != "explode" && fn != "explode_outer" {
		return nil, &expr.AnalysisError{Class: "UNSUPPORTED_GENERATOR", Message: fmt.Sprintf("The generator %s is not supported; use explode or explode_outer.", fn)}
	}
	if len(call.Args) != 1 {
		return nil, &expr.AnalysisError{Class: "WRONG_NUM_ARGS", Message: fmt.Sprintf("The `%s` requires 1 parameters but the actual number is %d.", fn, len(call.Args))}
	}
	in := p.Child.Schema()
	b, err := expr.Bind(call.Args[0], in)
	if err != nil {
		return nil, err
	}
	var types []arrow.DataType
	var names []string
	switch t := b.Type().(type) {
	case *arrow.MapType:
		types, names = []arrow.DataType{t.KeyType(), t.ItemType()}, []string{"key", "value"}
		if alias != "" {
			return nil, &expr.AnalysisError{Message: fmt.Sprintf("The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF expected 2 aliases but got %s", alias)}
		}
	case *arrow.ListType:
		types, names = []arrow.DataType{t.Elem()}, []string{"col"}
		if alias != "" {
			names[0] = alias
		}
	default:
		return nil, &expr.AnalysisError{Class: "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", Message: fmt.Sprintf(
			"Cannot resolve %q due to data type mismatch: The first parameter requires the (\"ARRAY\" or \"MAP\") type, however %q has the type %q.",
			call.String(), call.Args[0].String(), expr.SQLTypeName(b.Type()))}
	}
	fields := append([]arrow.Field(nil), in.Fields()...)
	refs := make([]expr.Expr, len(types))
	for i, t := range types {
		internal := fmt.Sprintf("%s%d_%s", generatedPrefix, i, names[i])
		fields = append(fields, arrow.Field{Name: internal, Type: t, Nullable: true})
		refs[i] = &expr.Alias{Child: &expr.ColumnRef{Parts: []string{internal}}, Name: names[i]}
	}
	g := &Generate{Child: p.Child, Generator: call.Args[0], Func: fn, Outer: fn == "explode_outer",
		Names: names, Out: arrow.NewSchema(fields, nil)}
	exprs := append(append(append([]expr.Expr(nil), p.Exprs[:at]...), refs...), p.Exprs[at+1:]...)
	return &Project{Child: g, Exprs: exprs}, nil
}

// generatorOf returns the generator call of e (possibly aliased) and the
// alias, or nil.
func generatorOf(e expr.Expr) (*expr.Call, string) {
	alias := ""
	if a, ok := e.(*expr.Alias); ok {
		e, alias = a.Child, a.Name
	}
	if c, ok := e.(*expr.Call); ok && expr.IsGenerator(c.Name) {
		return c, alias
	}
	return nil, ""
}
