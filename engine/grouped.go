package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sqlparse"
)

// GroupedData is a DataFrame grouped by keys (df.groupBy(...)): Agg and
// the shortcuts compute one row per group, the keys followed by the
// aggregates. It works on batch and streaming DataFrames alike.
type GroupedData struct {
	df   *DataFrame
	keys []expr.Expr
	err  error
}

// GroupBy groups the rows by columns: names ("a", "a.b"), Columns, or
// expressions such as F.Window(F.Col("ts"), "10 seconds") and
// F.SessionWindow(F.Col("ts"), "5 minutes"). No columns make one group of
// all rows.
func (df *DataFrame) GroupBy(cols ...any) *GroupedData {
	g := &GroupedData{df: df}
	if df.err != nil {
		g.err = df.err
		return g
	}
	for _, c := range spreadCols(cols) {
		e, err := toExpr(c)
		if err != nil {
			g.err = fmt.Errorf("groupBy: %w", err)
			return g
		}
		g.keys = append(g.keys, e)
	}
	return g
}

// GroupByExpr is GroupBy; it exists for symmetry with SelectExpr and takes
// SQL expression strings ("window(ts, '10 seconds')", "upper(name)").
func (df *DataFrame) GroupByExpr(exprs ...string) *GroupedData {
	cols := make([]any, len(exprs))
	for i, s := range exprs {
		e, err := sqlparse.ParseExpr(s)
		if err != nil {
			return &GroupedData{df: df, err: fmt.Errorf("groupBy: %w", err)}
		}
		cols[i] = e
	}
	return df.GroupBy(cols...)
}

// Agg aggregates over the whole DataFrame as one group:
// df.Agg(F.Max("a")) is df.GroupBy().Agg(F.Max("a")).
func (df *DataFrame) Agg(aggs ...any) *DataFrame { return df.GroupBy().Agg(aggs...) }

// Err returns the error of a grouping that failed.
func (g *GroupedData) Err() error { return g.err }

// Agg computes aggregate expressions per group: Columns such as
// F.Sum("x"), F.Count("*").Alias("n"), F.Avg("y").Divide(2), or one
// map[string]string of column name to function name ({"x": "max"}).
func (g *GroupedData) Agg(aggs ...any) *DataFrame {
	if g.err != nil {
		return &DataFrame{s: g.df.s, err: g.err}
	}
	var exprs []expr.Expr
	for _, a := range aggs {
		switch x := a.(type) {
		case map[string]string:
			names := make([]string, 0, len(x))
			for k := range x {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, col := range names {
				e, err := toExpr(col)
				if err != nil {
					return g.failed("agg", err)
				}
				fn := strings.ToLower(x[col])
				if fn == "mean" {
					fn = "avg"
				}
				if !expr.IsAggregate(fn) {
					return g.failed("agg", fmt.Errorf("%q is not an aggregate function; use one of count, sum, avg, min, max, first, last", x[col]))
				}
				exprs = append(exprs, &expr.Call{Name: fn, Args: []expr.Expr{e}})
			}
		case string:
			return g.failed("agg", fmt.Errorf("agg takes aggregate Columns such as F.Sum(%q), not the string %q", x, x))
		default:
			e, err := toExpr(a)
			if err != nil {
				return g.failed("agg", err)
			}
			exprs = append(exprs, e)
		}
	}
	if len(exprs) == 0 {
		return g.failed("agg", fmt.Errorf("agg needs at least one aggregate expression, e.g. F.Count(\"*\")"))
	}
	for _, e := range exprs {
		if !expr.ContainsAggregate(e) && !isKey(e, g.keys) {
			return g.failed("agg", &expr.AnalysisError{Class: "MISSING_AGGREGATION", Message: fmt.Sprintf(
				"The non-aggregating expression %q is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value(%s)\" if you do not care which of the values within a group is returned.",
				e.String(), e.String())})
		}
	}
	return g.df.derive("agg", func() (plan.Node, error) {
		return &plan.Aggregate{Child: g.df.plan, Keys: g.keys, Aggs: exprs}, nil
	})
}

// isKey reports whether e only refers to grouping keys (it needs no
// aggregate then).
func isKey(e expr.Expr, keys []expr.Expr) bool {
	if a, ok := e.(*expr.Alias); ok {
		e = a.Child
	}
	for _, k := range keys {
		if k.String() == e.String() {
			return true
		}
	}
	_, lit := e.(*expr.Literal)
	return lit
}

func (g *GroupedData) failed(op string, err error) *DataFrame {
	return &DataFrame{s: g.df.s, err: fmt.Errorf("%s: %w", op, err)}
}

// Count counts the rows of each group into a column named "count".
func (g *GroupedData) Count() *DataFrame {
	return g.Agg(&expr.Alias{Child: &expr.Call{Name: "count", Args: []expr.Expr{&expr.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}}}, Name: "count"})
}

// Sum sums the named numeric columns per group ("sum(x)"); with no names,
// every numeric column that is not a key.
func (g *GroupedData) Sum(cols ...string) *DataFrame { return g.numeric("sum", "sum", cols) }

// Avg averages the named numeric columns per group ("avg(x)"); with no
// names, every numeric column that is not a key.
func (g *GroupedData) Avg(cols ...string) *DataFrame { return g.numeric("avg", "avg", cols) }

// Mean is Avg.
func (g *GroupedData) Mean(cols ...string) *DataFrame { return g.numeric("mean", "avg", cols) }

// Min is the smallest value of the named numeric columns per group.
func (g *GroupedData) Min(cols ...string) *DataFrame { return g.numeric("min", "min", cols) }

// Max is the largest value of the named numeric columns per group.
func (g *GroupedData) Max(cols ...string) *DataFrame { return g.numeric("max", "max", cols) }

// numeric applies fn to cols, or to every numeric non-key column.
func (g *GroupedData) numeric(op, fn string, cols []string) *DataFrame {
	if g.err != nil {
		return &DataFrame{s: g.df.s, err: g.err}
	}
	schema := g.df.plan.Schema()
	if len(cols) == 0 {
		keys := map[string]bool{}
		for _, k := range g.keys {
			keys[strings.ToLower(expr.OutputName(k))] = true
		}
		for _, f := range schema.Fields() {
			if expr.IsNumeric(f.Type) && !keys[strings.ToLower(f.Name)] {
				cols = append(cols, f.Name)
			}
		}
	}
	aggs := make([]any, len(cols))
	for i, c := range cols {
		idx := -1
		for j, f := range schema.Fields() {
			if strings.EqualFold(f.Name, c) {
				idx = j
				break
			}
		}
		if idx < 0 {
			return g.failed(op, &expr.AnalysisError{Class: "UNRESOLVED_COLUMN.WITH_SUGGESTION", Message: fmt.Sprintf(
				"A column or function parameter with name `%s` cannot be resolved. Did you mean one of the following? [%s].", c, strings.Join(quotedNames(schema), ", "))})
		}
		if !expr.IsNumeric(schema.Field(idx).Type) {
			return g.failed(op, &expr.AnalysisError{Message: fmt.Sprintf(
				"\"%s\" is not a numeric column. Aggregation function can only be applied on a numeric column.", c)})
		}
		aggs[i] = &expr.Call{Name: fn, Args: []expr.Expr{colRef(schema.Field(idx).Name)}}
	}
	if len(aggs) == 0 {
		return g.failed(op, fmt.Errorf("there is no numeric column to %s; name the columns", op))
	}
	return g.Agg(aggs...)
}

func quotedNames(s *arrow.Schema) []string {
	out := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		out[i] = "`" + f.Name + "`"
	}
	return out
}

// spreadCols flattens []string and []any arguments into one list.
func spreadCols(cols []any) []any {
	var out []any
	for _, c := range cols {
		switch x := c.(type) {
		case []string:
			for _, s := range x {
				out = append(out, s)
			}
		case []any:
			out = append(out, x...)
		default:
			out = append(out, c)
		}
	}
	return out
}
