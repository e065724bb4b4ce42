package engine

import (
	"fmt"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sqlparse"
)

// Join joins the DataFrame with other, as PySpark's df.join(other, on, how):
//
//   - on nil: every pair of rows (with how "inner" or "cross");
//   - on a column name, or a []string of names, that both sides have: a
//     using-join on equal values, with one output column per name;
//   - on a Column (F.Col("a").EqualTo(F.Col("b")), F.Expr("player = person"))
//     or a SQL condition string ("clickAdId = impressionAdId AND ..."): the
//     pairs for which the condition holds; a []any of Columns is their AND.
//
// how is "inner" (the default), "left" / "left_outer" / "leftouter",
// "right" / "right_outer", "full" / "full_outer" / "outer", "left_semi" /
// "semi", "left_anti" / "anti" or "cross". Equality conditions between the
// sides are hash-joined; the rest of a condition is evaluated on the
// candidate pairs. A join without equality is a nested loop over both
// sides.
//
// A streaming join is checked when its query starts, with Spark's rules
// and messages. Joined with a stream, a batch DataFrame is read once, when
// the stream first brings rows, and kept in a hash table until the query
// stops: unlike Spark, which reads it again every micro-batch, changes to
// it are seen when the query restarts. Two streams are joined with both
// sides kept in state (see DataStreamWriter for the checkpoint); outer
// joins need a watermark and a time-range condition to ever emit their
// null rows.
func (df *DataFrame) Join(other *DataFrame, on any, how ...string) *DataFrame {
	if df.err == nil && other == nil {
		return &DataFrame{s: df.s, err: fmt.Errorf("join: the other DataFrame is nil")}
	}
	if df.err == nil && other.err != nil {
		return &DataFrame{s: df.s, err: fmt.Errorf("join: the other DataFrame failed: %w", other.err)}
	}
	return df.derive("join", func() (plan.Node, error) {
		t := plan.Inner
		switch len(how) {
		case 0:
		case 1:
			var err error
			if t, err = plan.ParseJoinType(how[0]); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("join takes one join type, got %d: %q", len(how), how)
		}
		j := &plan.Join{Left: df.plan, Right: other.plan, Type: t}
		var err error
		if j.Using, j.Cond, err = joinOn(on); err != nil {
			return nil, err
		}
		return j, nil
	})
}

// CrossJoin returns the cartesian product with other.
func (df *DataFrame) CrossJoin(other *DataFrame) *DataFrame {
	return df.Join(other, nil, "cross")
}

// joinOn reads Join's on argument: using-join names or a condition.
func joinOn(on any) ([]string, expr.Expr, error) {
	switch x := on.(type) {
	case nil:
		return nil, nil, nil
	case string:
		if name, ok := plainName(x); ok {
			return []string{name}, nil, nil
		}
		e, err := sqlparse.ParseExpr(x)
		return nil, e, err
	case []string:
		if len(x) == 0 {
			return nil, nil, nil
		}
		return append([]string(nil), x...), nil, nil
	case []any:
		var names []string
		var conds []expr.Expr
		for _, v := range x {
			if s, ok := v.(string); ok {
				names = append(names, s)
				continue
			}
			e, err := toExpr(v)
			if err != nil {
				return nil, nil, fmt.Errorf("join: on must be column names or Columns, not %T", v)
			}
			conds = append(conds, e)
		}
		if len(names) > 0 && len(conds) > 0 {
			return nil, nil, fmt.Errorf("join: on mixes column names and Columns; give names for a using-join or Columns for a condition")
		}
		var cond expr.Expr
		for _, c := range conds {
			if cond == nil {
				cond = c
			} else {
				cond = &expr.Binary{Op: expr.OpAnd, Left: cond, Right: c}
			}
		}
		return names, cond, nil
	}
	e, err := toExpr(on)
	if err != nil {
		return nil, nil, fmt.Errorf("join: on must be a column name, a list of names, a Column or a SQL condition, not %T", on)
	}
	return nil, e, nil
}

// plainName reports whether s is one column name (a, `a b`), which makes
// a using-join, rather than a condition.
func plainName(s string) (string, bool) {
	parts, err := sqlparse.ParseColumnPath(s)
	if err != nil || len(parts) != 1 {
		return "", false
	}
	e, err := sqlparse.ParseExpr(s)
	if err != nil {
		return "", false
	}
	if ref, ok := e.(*expr.ColumnRef); ok && len(ref.Parts) == 1 {
		return ref.Parts[0], true
	}
	return "", false
}
