// Package functions is the public column API that notebook cells import as
// F, in the spirit of pyspark.sql.functions and pyspark.sql.Column: Col,
// Lit, Expr, When, the scalar functions, and the aggregate, generator and
// window constructors. It only builds expression trees (package expr);
// resolution happens when a DataFrame binds them. Nothing here panics: a
// bad argument (an unknown type name in Cast, SQL that does not parse in
// Expr) is kept in the Column and reported when the DataFrame resolves it.
//
// The API is non-generic so that the cell interpreter can expose it.
// Arguments PySpark takes as "column name or Column" are typed any here: a
// string names a column, a Column is itself. Operands of operators and
// values (Plus, EqualTo, IsIn, ...) are literals unless they are Columns.
package functions

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/sqlparse"
)

// Column is an expression over the columns of a DataFrame.
type Column struct {
	e expr.Expr
}

// Expr returns the expression tree.
func (c Column) Expr() expr.Expr {
	if c.e == nil {
		return &expr.Invalid{Err: fmt.Errorf("empty Column: build columns with F.Col, F.Lit or F.Expr")}
	}
	return c.e
}

// String renders the column as Spark names it: "(a + 1)", "upper(s)".
func (c Column) String() string { return expr.OutputName(c.Expr()) }

// Err returns the error recorded while building the column, if any.
func (c Column) Err() error {
	var err error
	expr.Walk(c.Expr(), func(e expr.Expr) bool {
		if inv, ok := e.(*expr.Invalid); ok && err == nil {
			err = inv.Err
		}
		return err == nil
	})
	return err
}

func wrap(e expr.Expr) Column { return Column{e: e} }

func invalid(format string, args ...any) Column {
	return wrap(&expr.Invalid{Err: fmt.Errorf(format, args...)})
}

// colExpr reads a "column name or Column" argument.
func colExpr(v any) expr.Expr {
	switch x := v.(type) {
	case Column:
		return x.Expr()
	case *Column:
		if x == nil {
			return &expr.Invalid{Err: fmt.Errorf("[NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got nil")}
		}
		return x.Expr()
	case string:
		return nameExpr(x)
	case expr.Expr:
		return x
	}
	return &expr.Invalid{Err: fmt.Errorf("[NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got %T.", v)}
}

// litExpr reads a value argument: a Column is itself, anything else a
// literal.
func litExpr(v any) expr.Expr {
	switch x := v.(type) {
	case Column:
		return x.Expr()
	case *Column:
		if x != nil {
			return x.Expr()
		}
		return expr.NewLiteral(nil)
	case expr.Expr:
		return x
	}
	return expr.NewLiteral(v)
}

func colExprs(vs []any) []expr.Expr {
	out := make([]expr.Expr, len(vs))
	for i, v := range vs {
		out[i] = colExpr(v)
	}
	return out
}

// nameExpr parses a column name: "a", "a.b", "`a.b`", "*", "t.*".
func nameExpr(name string) expr.Expr {
	if name == "*" {
		return &expr.Star{}
	}
	if strings.HasSuffix(name, ".*") {
		parts, err := sqlparse.ParseColumnPath(name[:len(name)-2])
		if err != nil {
			return &expr.Invalid{Err: err}
		}
		return &expr.Star{Qualifier: parts}
	}
	parts, err := sqlparse.ParseColumnPath(name)
	if err != nil {
		return &expr.Invalid{Err: err}
	}
	return &expr.ColumnRef{Parts: parts}
}

// Alias names the column (Column.alias).
func (c Column) Alias(name string) Column { return wrap(&expr.Alias{Child: c.Expr(), Name: name}) }

// As is Alias.
func (c Column) As(name string) Column { return c.Alias(name) }

// Name is Alias.
func (c Column) Name(name string) Column { return c.Alias(name) }

// Cast converts the column to a type given by name ("int", "string",
// "decimal(10,2)", "array<string>") or as an arrow.DataType.
func (c Column) Cast(dataType any) Column {
	var t arrow.DataType
	switch x := dataType.(type) {
	case string:
		var err error
		if t, err = sqlparse.ParseDataType(x); err != nil {
			return wrap(&expr.Invalid{Err: err})
		}
	case arrow.DataType:
		t = x
	default:
		return invalid("[NOT_DATATYPE_OR_STR] Argument `dataType` should be a DataType or str, got %T.", dataType)
	}
	return wrap(&expr.Cast{Child: c.Expr(), To: t})
}

// Astype is Cast.
func (c Column) Astype(dataType any) Column { return c.Cast(dataType) }

func (c Column) binary(op expr.BinaryOp, other any) Column {
	return wrap(&expr.Binary{Op: op, Left: c.Expr(), Right: litExpr(other)})
}

// Plus is c + other.
func (c Column) Plus(other any) Column { return c.binary(expr.OpAdd, other) }

// Minus is c - other.
func (c Column) Minus(other any) Column { return c.binary(expr.OpSub, other) }

// Multiply is c * other.
func (c Column) Multiply(other any) Column { return c.binary(expr.OpMul, other) }

// Divide is c / other (always fractional, as in Spark).
func (c Column) Divide(other any) Column { return c.binary(expr.OpDiv, other) }

// Mod is c % other.
func (c Column) Mod(other any) Column { return c.binary(expr.OpMod, other) }

// Negate is -c.
func (c Column) Negate() Column { return wrap(&expr.Unary{Op: expr.OpNeg, Child: c.Expr()}) }

// EqualTo is c == other.
func (c Column) EqualTo(other any) Column { return c.binary(expr.OpEq, other) }

// Eq is EqualTo.
func (c Column) Eq(other any) Column { return c.EqualTo(other) }

// NotEqual is c != other.
func (c Column) NotEqual(other any) Column { return c.binary(expr.OpNeq, other) }

// Lt is c < other.
func (c Column) Lt(other any) Column { return c.binary(expr.OpLt, other) }

// Leq is c <= other.
func (c Column) Leq(other any) Column { return c.binary(expr.OpLe, other) }

// Gt is c > other.
func (c Column) Gt(other any) Column { return c.binary(expr.OpGt, other) }

// Geq is c >= other.
func (c Column) Geq(other any) Column { return c.binary(expr.OpGe, other) }

// EqNullSafe is c <=> other: true when both are null.
func (c Column) EqNullSafe(other any) Column { return c.binary(expr.OpEqNullSafe, other) }

// And is c AND other.
func (c Column) And(other any) Column { return c.binary(expr.OpAnd, other) }

// Or is c OR other.
func (c Column) Or(other any) Column { return c.binary(expr.OpOr, other) }

// Not is NOT c.
func (c Column) Not() Column { return wrap(&expr.Unary{Op: expr.OpNot, Child: c.Expr()}) }

// IsNull is c IS NULL.
func (c Column) IsNull() Column { return wrap(&expr.Unary{Op: expr.OpIsNull, Child: c.Expr()}) }

// IsNotNull is c IS NOT NULL.
func (c Column) IsNotNull() Column { return wrap(&expr.Unary{Op: expr.OpIsNotNull, Child: c.Expr()}) }

// IsIn is c IN (values...). A single slice argument is spread, as
// PySpark's isin([1, 2]).
func (c Column) IsIn(values ...any) Column {
	values = spread(values)
	list := make([]expr.Expr, len(values))
	for i, v := range values {
		list[i] = litExpr(v)
	}
	return wrap(&expr.In{Child: c.Expr(), List: list})
}

func spread(values []any) []any {
	if len(values) != 1 {
		return values
	}
	switch x := values[0].(type) {
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = v
		}
		return out
	case []int:
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = v
		}
		return out
	case []int64:
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = v
		}
		return out
	case []float64:
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = v
		}
		return out
	}
	return values
}

// Like is SQL LIKE with % and _ wildcards.
func (c Column) Like(pattern string) Column {
	return wrap(&expr.Like{Child: c.Expr(), Pattern: pattern})
}

// RLike matches a regular expression anywhere in the string.
func (c Column) RLike(pattern string) Column {
	return wrap(&expr.Like{Child: c.Expr(), Pattern: pattern, RLike: true})
}

// Contains tests for a substring.
func (c Column) Contains(other any) Column { return callCols("contains", c.Expr(), litExpr(other)) }

// StartsWith tests for a prefix.
func (c Column) StartsWith(other any) Column {
	return callCols("startswith", c.Expr(), litExpr(other))
}

// EndsWith tests for a suffix.
func (c Column) EndsWith(other any) Column { return callCols("endswith", c.Expr(), litExpr(other)) }

// Substr is substring(c, startPos, length) with a 1-based start.
func (c Column) Substr(startPos, length any) Column {
	return callCols("substring", c.Expr(), litExpr(startPos), litExpr(length))
}

// GetField extracts a struct field.
func (c Column) GetField(name string) Column {
	return wrap(&expr.GetField{Child: c.Expr(), Name: name})
}

// GetItem extracts an array element (0-based) or a map value.
func (c Column) GetItem(key any) Column {
	return wrap(&expr.GetItem{Child: c.Expr(), Key: litExpr(key)})
}

// Asc sorts ascending, nulls first.
func (c Column) Asc() Column { return c.sort(false, true) }

// AscNullsFirst sorts ascending, nulls first.
func (c Column) AscNullsFirst() Column { return c.sort(false, true) }

// AscNullsLast sorts ascending, nulls last.
func (c Column) AscNullsLast() Column { return c.sort(false, false) }

// Desc sorts descending, nulls last.
func (c Column) Desc() Column { return c.sort(true, false) }

// DescNullsFirst sorts descending, nulls first.
func (c Column) DescNullsFirst() Column { return c.sort(true, true) }

// DescNullsLast sorts descending, nulls last.
func (c Column) DescNullsLast() Column { return c.sort(true, false) }

func (c Column) sort(desc, nullsFirst bool) Column {
	return wrap(&expr.SortOrder{Child: c.Expr(), Descending: desc, NullsFirst: nullsFirst})
}

// When adds a branch to a column made by F.When.
func (c Column) When(condition, value any) Column {
	cw, ok := c.Expr().(*expr.CaseWhen)
	if !ok || cw.Else != nil {
		return invalid("when() can only be applied on a Column previously generated by when() function")
	}
	branches := append(append([]expr.When(nil), cw.Branches...), expr.When{Cond: litExpr(condition), Value: litExpr(value)})
	return wrap(&expr.CaseWhen{Branches: branches})
}

// Otherwise sets the value when no branch of F.When matched.
func (c Column) Otherwise(value any) Column {
	cw, ok := c.Expr().(*expr.CaseWhen)
	if !ok {
		return invalid("otherwise() can only be applied on a Column previously generated by when()")
	}
	if cw.Else != nil {
		return invalid("otherwise() can only be applied once on a Column previously generated by when()")
	}
	return wrap(&expr.CaseWhen{Branches: cw.Branches, Else: litExpr(value)})
}

// Between is lower <= c AND c <= upper.
func (c Column) Between(lower, upper any) Column {
	return c.Geq(lower).And(c.Leq(upper))
}

// IsNaN tests for a floating point NaN.
func (c Column) IsNaN() Column { return callCols("isnan", c.Expr()) }
