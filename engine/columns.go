package engine

import (
	"fmt"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/sqlparse"
)

// Column is anything that carries an expression: functions.Column (from
// Col, Lit, Expr, When, ...) satisfies it.
type Column interface {
	Expr() expr.Expr
}

// toExpr reads a column argument: a name ("a", "a.b", "*", "t.*"), a
// Column, or an expr.Expr.
func toExpr(v any) (expr.Expr, error) {
	switch c := v.(type) {
	case string:
		return nameExpr(c)
	case Column:
		if c == nil {
			return nil, notColumn(v)
		}
		return c.Expr(), nil
	case expr.Expr:
		return c, nil
	}
	return nil, notColumn(v)
}

func notColumn(v any) error {
	return fmt.Errorf("[NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got %T.", v)
}

// nameExpr turns a column name into a reference: "*" and "t.*" are stars,
// anything else a (possibly nested, backtick-quoted) column path.
func nameExpr(name string) (expr.Expr, error) {
	if name == "*" {
		return &expr.Star{}, nil
	}
	parts, err := sqlparse.ParseColumnPath(name)
	if err != nil {
		return nil, err
	}
	if len(parts) > 1 && parts[len(parts)-1] == "*" && len(name) > 2 && name[len(name)-2:] == ".*" {
		return &expr.Star{Qualifier: parts[:len(parts)-1]}, nil
	}
	return &expr.ColumnRef{Parts: parts}, nil
}

// toCondition reads a filter condition: a Column or a SQL string.
func toCondition(v any) (expr.Expr, error) {
	if s, ok := v.(string); ok {
		return sqlparse.ParseExpr(s)
	}
	return toExpr(v)
}

// colRef refers to a top-level column by its exact name, dots and all.
func colRef(name string) expr.Expr { return &expr.ColumnRef{Parts: []string{name}} }
