package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sqlparse"
	"github.com/gostream/gostream/engine/types"
)

// DataFrame is an analysed logical plan: batch, or streaming when it reads
// a stream. DataFrames are immutable; every transformation returns a new
// one. A DataFrame whose construction failed holds the error (Err), and so
// does every DataFrame derived from it.
type DataFrame struct {
	s    *Session
	plan plan.Node
	err  error
}

// Err returns the first error met while building the DataFrame, prefixed
// with the operation that failed ("filter: ...").
func (df *DataFrame) Err() error { return df.err }

// Session returns the session the DataFrame belongs to.
func (df *DataFrame) Session() *Session { return df.s }

// Plan returns the analysed logical plan, nil when Err is set.
func (df *DataFrame) Plan() plan.Node { return df.plan }

// derive analyses n, built by operation op over df, into a new DataFrame.
func (df *DataFrame) derive(op string, build func() (plan.Node, error)) *DataFrame {
	if df.err != nil {
		return df
	}
	n, err := build()
	if err == nil {
		n, err = plan.Analyze(n)
	}
	if err != nil {
		return &DataFrame{s: df.s, err: fmt.Errorf("%s: %w", op, err)}
	}
	return &DataFrame{s: df.s, plan: n}
}

func (df *DataFrame) fields() []arrow.Field { return df.plan.Schema().Fields() }

// Schema returns the DataFrame's schema (df.schema); the empty schema when
// Err is set.
func (df *DataFrame) Schema() types.Schema {
	if df.err != nil {
		return types.StructType()
	}
	return types.FromArrow(df.plan.Schema())
}

// ArrowSchema returns the DataFrame's Arrow schema, nil when Err is set.
func (df *DataFrame) ArrowSchema() *arrow.Schema {
	if df.err != nil {
		return nil
	}
	return df.plan.Schema()
}

// Columns returns the column names.
func (df *DataFrame) Columns() []string {
	if df.err != nil {
		return nil
	}
	names := make([]string, 0, len(df.fields()))
	for _, f := range df.fields() {
		names = append(names, f.Name)
	}
	return names
}

// DTypes returns each column's name and type name (df.dtypes).
func (df *DataFrame) DTypes() [][2]string {
	if df.err != nil {
		return nil
	}
	out := make([][2]string, 0, len(df.fields()))
	for _, f := range df.fields() {
		out = append(out, [2]string{f.Name, types.SimpleString(f.Type)})
	}
	return out
}

// IsStreaming reports whether the DataFrame reads a stream.
func (df *DataFrame) IsStreaming() bool { return df.err == nil && plan.IsStreaming(df.plan) }

// Select projects columns: names ("a", "a.b", "*", "s.*"), Columns, or
// expressions.
func (df *DataFrame) Select(cols ...any) *DataFrame {
	return df.derive("select", func() (plan.Node, error) {
		exprs := make([]expr.Expr, len(cols))
		for i, c := range cols {
			e, err := toExpr(c)
			if err != nil {
				return nil, err
			}
			exprs[i] = e
		}
		return &plan.Project{Child: df.plan, Exprs: exprs}, nil
	})
}

// SelectExpr projects SQL expressions ("a", "b * 2 AS c",
// "cast(value as string) as value").
func (df *DataFrame) SelectExpr(exprs ...string) *DataFrame {
	return df.derive("selectExpr", func() (plan.Node, error) {
		es := make([]expr.Expr, len(exprs))
		for i, s := range exprs {
			e, err := sqlparse.ParseSelectItem(s)
			if err != nil {
				return nil, err
			}
			es[i] = e
		}
		return &plan.Project{Child: df.plan, Exprs: es}, nil
	})
}

// Filter keeps the rows where cond, a Column or a SQL string, is true.
func (df *DataFrame) Filter(cond any) *DataFrame { return df.filter("filter", cond) }

// Where is Filter.
func (df *DataFrame) Where(cond any) *DataFrame { return df.filter("where", cond) }

func (df *DataFrame) filter(op string, cond any) *DataFrame {
	return df.derive(op, func() (plan.Node, error) {
		e, err := toCondition(cond)
		if err != nil {
			return nil, err
		}
		return &plan.Filter{Child: df.plan, Cond: e}, nil
	})
}

// WithColumn adds a column, or replaces the column of that name in place.
func (df *DataFrame) WithColumn(name string, col any) *DataFrame {
	return df.derive("withColumn", func() (plan.Node, error) {
		e, err := toExpr(col)
		if err != nil {
			return nil, err
		}
		return df.withColumns([]string{name}, []expr.Expr{e}), nil
	})
}

// WithColumns adds or replaces several columns; new ones are appended in
// the order of their names.
func (df *DataFrame) WithColumns(cols map[string]any) *DataFrame {
	return df.derive("withColumns", func() (plan.Node, error) {
		names := make([]string, 0, len(cols))
		for n := range cols {
			names = append(names, n)
		}
		sort.Strings(names)
		exprs := make([]expr.Expr, len(names))
		for i, n := range names {
			e, err := toExpr(cols[n])
			if err != nil {
				return nil, err
			}
			exprs[i] = e
		}
		return df.withColumns(names, exprs), nil
	})
}

func (df *DataFrame) withColumns(names []string, exprs []expr.Expr) plan.Node {
	out := make([]expr.Expr, 0, len(df.fields())+len(names))
	used := make([]bool, len(names))
	for _, f := range df.fields() {
		e := colRef(f.Name)
		for i, n := range names {
			if strings.EqualFold(n, f.Name) {
				e, used[i] = &expr.Alias{Child: exprs[i], Name: n}, true
			}
		}
		out = append(out, e)
	}
	for i, n := range names {
		if !used[i] {
			out = append(out, &expr.Alias{Child: exprs[i], Name: n})
		}
	}
	return &plan.Project{Child: df.plan, Exprs: out}
}

// WithColumnRenamed renames a column; it does nothing when there is no
// column of that name.
func (df *DataFrame) WithColumnRenamed(existing, newName string) *DataFrame {
	return df.WithColumnsRenamed(map[string]string{existing: newName})
}

// WithColumnsRenamed renames several columns at once.
func (df *DataFrame) WithColumnsRenamed(renames map[string]string) *DataFrame {
	return df.derive("withColumnsRenamed", func() (plan.Node, error) {
		out := make([]expr.Expr, len(df.fields()))
		changed := false
		for i, f := range df.fields() {
			out[i] = colRef(f.Name)
			for from, to := range renames {
				if strings.EqualFold(from, f.Name) {
					out[i] = &expr.Alias{Child: colRef(f.Name), Name: to}
					changed = true
				}
			}
		}
		if !changed {
			return df.plan, nil
		}
		return &plan.Project{Child: df.plan, Exprs: out}, nil
	})
}

// ToDF renames every column, in order.
func (df *DataFrame) ToDF(names ...string) *DataFrame {
	return df.derive("toDF", func() (plan.Node, error) {
		if len(names) != len(df.fields()) {
			return nil, fmt.Errorf("Number of column names (%d) does not match the number of columns (%d).", len(names), len(df.fields()))
		}
		out := make([]expr.Expr, len(names))
		for i, f := range df.fields() {
			out[i] = &expr.Alias{Child: colRef(f.Name), Name: names[i]}
		}
		return &plan.Project{Child: df.plan, Exprs: out}, nil
	})
}

// Drop removes columns, given by name or as column references; names that
// match no column are ignored, as in Spark.
func (df *DataFrame) Drop(cols ...any) *DataFrame {
	return df.derive("drop", func() (plan.Node, error) {
		drop := map[string]bool{}
		for _, c := range cols {
			switch x := c.(type) {
			case string:
				drop[strings.ToLower(x)] = true
			default:
				e, err := toExpr(c)
				if err != nil {
					return nil, err
				}
				ref, ok := e.(*expr.ColumnRef)
				if !ok || len(ref.Parts) != 1 {
					return nil, fmt.Errorf("drop takes column names or top-level column references, not %s", e)
				}
				drop[strings.ToLower(ref.Parts[0])] = true
			}
		}
		var out []expr.Expr
		for _, f := range df.fields() {
			if !drop[strings.ToLower(f.Name)] {
				out = append(out, colRef(f.Name))
			}
		}
		if len(out) == len(df.fields()) {
			return df.plan, nil
		}
		return &plan.Project{Child: df.plan, Exprs: out}, nil
	})
}

// Alias names the DataFrame so that its columns can be qualified:
// df.Alias("t").Select("t.a").
func (df *DataFrame) Alias(name string) *DataFrame {
	return df.derive("alias", func() (plan.Node, error) {
		return &plan.SubqueryAlias{Child: df.plan, Name: name}, nil
	})
}

// Union appends the rows of other, matching columns by position
// (union and unionAll are the same in Spark: no deduplication).
func (df *DataFrame) Union(other *DataFrame) *DataFrame {
	return df.union("union", other, false, false)
}

// UnionAll is Union.
func (df *DataFrame) UnionAll(other *DataFrame) *DataFrame {
	return df.union("unionAll", other, false, false)
}

// UnionByName appends the rows of other, matching columns by name. With
// allowMissingColumns, columns missing on one side are null.
func (df *DataFrame) UnionByName(other *DataFrame, allowMissingColumns ...bool) *DataFrame {
	allow := len(allowMissingColumns) > 0 && allowMissingColumns[0]
	return df.union("unionByName", other, true, allow)
}

func (df *DataFrame) union(op string, other *DataFrame, byName, allowMissing bool) *DataFrame {
	if df.err == nil && other.err != nil {
		return &DataFrame{s: df.s, err: fmt.Errorf("%s: the other DataFrame failed: %w", op, other.err)}
	}
	return df.derive(op, func() (plan.Node, error) {
		return &plan.Union{Inputs: []plan.Node{df.plan, other.plan}, ByName: byName, AllowMissing: allowMissing}, nil
	})
}

// Limit keeps the first n rows. A streaming query refuses it when it
// starts.
func (df *DataFrame) Limit(n int) *DataFrame {
	return df.derive("limit", func() (plan.Node, error) {
		if n < 0 {
			return nil, fmt.Errorf("[INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE] The limit like expression \"%d\" is invalid. The limit expression must be equal to or greater than 0, but got %d.", n, n)
		}
		return &plan.Limit{Child: df.plan, N: int64(n)}, nil
	})
}

// WithWatermark declares eventTime, a timestamp column, the event time of
// the stream, with delayThreshold ("10 seconds", "1 minute") of allowed
// lateness.
func (df *DataFrame) WithWatermark(eventTime, delayThreshold string) *DataFrame {
	return df.derive("withWatermark", func() (plan.Node, error) {
		d, err := parseDelay(delayThreshold)
		if err != nil {
			return nil, err
		}
		return &plan.EventTimeWatermark{Child: df.plan, Column: eventTime, Delay: d}, nil
	})
}

func parseDelay(s string) (time.Duration, error) {
	return sqlparse.ParseInterval(s)
}

// CreateOrReplaceTempView makes the DataFrame readable as
// Session.Table(name).
func (df *DataFrame) CreateOrReplaceTempView(name string) error {
	if df.err != nil {
		return df.err
	}
	df.s.registerTable(name, df.plan)
	return nil
}
