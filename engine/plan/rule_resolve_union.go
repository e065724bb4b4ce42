package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// resolveUnion checks that the inputs of a union line up, column for
// column, and computes its schema: the first input's names, each column
// nullable when it is in any input. For unionByName it first rewrites
// every input as a projection in the first input's column order, adding
// null columns when missing columns are allowed.
type resolveUnion struct{}

func (resolveUnion) Name() string { return "ResolveUnion" }

func (resolveUnion) Apply(n Node) (Node, error) {
	u, ok := n.(*Union)
	if !ok || u.Out != nil {
		return n, nil
	}
	inputs := u.Inputs
	if u.ByName {
		var err error
		if inputs, err = alignByName(inputs, u.AllowMissing); err != nil {
			return nil, err
		}
	}
	first := inputs[0].Schema()
	fields := append([]arrow.Field(nil), first.Fields()...)
	for i, in := range inputs[1:] {
		s := in.Schema()
		if s.NumFields() != first.NumFields() {
			return nil, &expr.AnalysisError{Class: "NUM_COLUMNS_MISMATCH", Message: fmt.Sprintf(
				"UNION can only be performed on inputs with the same number of columns, but the first input has %d columns and the %s input has %d columns.",
				first.NumFields(), ordinal(i+1), s.NumFields())}
		}
		for c, f := range s.Fields() {
			if !arrow.TypeEqual(f.Type, fields[c].Type) {
				return nil, &expr.AnalysisError{Class: "INCOMPATIBLE_COLUMN_TYPE", Message: fmt.Sprintf(
					"UNION can only be performed on inputs with compatible column types. The %s column of the %s table is %q type which is not compatible with %q at the same column of the first table.",
					ordinal(c), ordinal(i+1), expr.SQLTypeName(f.Type), expr.SQLTypeName(fields[c].Type))}
			}
			fields[c].Nullable = fields[c].Nullable || f.Nullable
		}
	}
	cp := *u
	cp.Inputs = inputs
	cp.ByName = false
	cp.Out = arrow.NewSchema(fields, nil)
	return &cp, nil
}

// alignByName projects every input onto the column order of the first,
// plus, with allowMissing, the columns only later inputs have.
func alignByName(inputs []Node, allowMissing bool) ([]Node, error) {
	var names []string
	types := map[string]arrow.DataType{}
	for i, in := range inputs {
		if i > 0 && !allowMissing {
			break
		}
		for _, f := range in.Schema().Fields() {
			key := strings.ToLower(f.Name)
			if _, seen := types[key]; !seen {
				types[key] = f.Type
				names = append(names, f.Name)
			}
		}
	}
	out := make([]Node, len(inputs))
	for i, in := range inputs {
		s := in.Schema()
		if !allowMissing && s.NumFields() != len(names) {
			return nil, &expr.AnalysisError{Class: "NUM_COLUMNS_MISMATCH", Message: fmt.Sprintf(
				"UNION can only be performed on inputs with the same number of columns, but the first input has %d columns and the %s input has %d columns.",
				len(names), ordinal(i), s.NumFields())}
		}
		exprs := make([]expr.Expr, len(names))
		for c, name := range names {
			if idx := fieldIndexFold(s, name); idx >= 0 {
				exprs[c] = &expr.ColumnRef{Parts: []string{s.Field(idx).Name}}
				continue
			}
			if !allowMissing {
				return nil, &expr.AnalysisError{Message: fmt.Sprintf(
					"Cannot resolve column name %q among (%s).", name, strings.Join(fieldNames(s), ", "))}
			}
			exprs[c] = &expr.Alias{Child: &expr.Literal{Value: nil, Type: types[strings.ToLower(name)]}, Name: name}
		}
		p, err := resolveProject{}.Apply(&Project{Child: in, Exprs: exprs})
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

func fieldIndexFold(s *arrow.Schema, name string) int {
	for i, f := range s.Fields() {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

func fieldNames(s *arrow.Schema) []string {
	out := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		out[i] = f.Name
	}
	return out
}

// ordinal names a position as Spark's messages do: "first", "second", ...
func ordinal(i int) string {
	names := []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%dth", i+1)
}
