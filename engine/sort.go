package engine

import (
	"fmt"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sqlparse"
)

// OrderBy sorts the rows by columns: names, SQL sort strings
// ("window.start DESC", "n DESC NULLS FIRST"), or Columns with a
// direction (F.Col("n").Desc(), F.Asc("a")). Ascending keys put nulls
// first, descending keys last, as in Spark. On a stream it is allowed
// only over an aggregation in complete output mode.
func (df *DataFrame) OrderBy(cols ...any) *DataFrame { return df.sort("orderBy", cols) }

// Sort is OrderBy.
func (df *DataFrame) Sort(cols ...any) *DataFrame { return df.sort("sort", cols) }

func (df *DataFrame) sort(op string, cols []any) *DataFrame {
	return df.derive(op, func() (plan.Node, error) {
		cols = spreadCols(cols)
		if len(cols) == 0 {
			return nil, fmt.Errorf("%s needs at least one column", op)
		}
		orders := make([]*expr.SortOrder, len(cols))
		for i, c := range cols {
			o, err := sortOrder(c)
			if err != nil {
				return nil, err
			}
			orders[i] = o
		}
		return &plan.Sort{Child: df.plan, Orders: orders, Global: true}, nil
	})
}

// sortOrder reads one sort key.
func sortOrder(c any) (*expr.SortOrder, error) {
	if s, ok := c.(string); ok {
		if o, err := sqlparse.ParseSortOrder(s); err == nil {
			return o, nil
		}
		e, err := nameExpr(s)
		if err != nil {
			return nil, err
		}
		return &expr.SortOrder{Child: e, NullsFirst: true}, nil
	}
	e, err := toExpr(c)
	if err != nil {
		return nil, err
	}
	if o, ok := e.(*expr.SortOrder); ok {
		return o, nil
	}
	return &expr.SortOrder{Child: e, NullsFirst: true}, nil
}
