package sqlparse

import (
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/internal/sqlsyntax"
)

// ParseExpr parses one Spark SQL expression, as expr() and filter() take:
// "a + 1", "upper(name) LIKE 'A%'", "CAST(ts AS DATE)". Errors are
// *ParseError.
func ParseExpr(s string) (expr.Expr, error) {
	p := newParser(s)
	e, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if err := p.ExpectEOF(); err != nil {
		return nil, err
	}
	return e, nil
}

// ParseSelectItem parses one item of selectExpr: an expression with an
// optional alias ("a + 1 AS b", "a + 1 b", "cast(value AS string) AS
// value"), "*", or "qualifier.*". An alias yields *expr.Alias.
func ParseSelectItem(s string) (expr.Expr, error) {
	p := newParser(s)
	e, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	t := p.Peek()
	if t.Is("AS") {
		p.Next()
		t = p.Peek()
		if t.IsOp("(") {
			return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassUnsupportedSQL, "multi-column aliases AS (a, b) are not supported; alias each column", nil)
		}
		if t.Kind != sqlsyntax.Ident && t.Kind != sqlsyntax.Quoted {
			return nil, p.SyntaxErr(t, "expected an alias after AS")
		}
	}
	if t.Kind == sqlsyntax.Quoted || t.Kind == sqlsyntax.Ident && !reserved[strings.ToUpper(t.Text)] {
		p.Next()
		if _, ok := e.(*expr.Star); ok {
			return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassSyntax, "Syntax error at or near "+p.Describe(t)+": '*' cannot have an alias", nil)
		}
		e = &expr.Alias{Child: e, Name: t.Text}
	}
	if err := p.ExpectEOF(); err != nil {
		return nil, err
	}
	return e, nil
}

// ParseSortOrder parses a sort key: an expression with optional ASC / DESC
// and NULLS FIRST / NULLS LAST. As in Spark, ascending keys put nulls first
// and descending keys put them last unless told otherwise.
func ParseSortOrder(s string) (*expr.SortOrder, error) {
	p := newParser(s)
	e, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	so := &expr.SortOrder{Child: e}
	if p.Accept("DESC") {
		so.Descending = true
	} else {
		p.Accept("ASC")
	}
	so.NullsFirst = !so.Descending
	if p.Accept("NULLS") {
		switch t := p.Next(); {
		case t.Is("FIRST"):
			so.NullsFirst = true
		case t.Is("LAST"):
			so.NullsFirst = false
		default:
			return nil, p.SyntaxErr(t, "expected FIRST or LAST after NULLS")
		}
	}
	if err := p.ExpectEOF(); err != nil {
		return nil, err
	}
	return so, nil
}

// ParseDataType parses a Spark type name: "string", "INT", "bigint",
// "decimal(10,2)", "array<string>", "map<string, int>",
// "struct<a: int, b: array<string>>". Types outside the mapping of package
// types are refused with a *ParseError that wraps a
// *types.UnsupportedTypeError saying what to use instead.
func ParseDataType(s string) (arrow.DataType, error) {
	return sqlsyntax.ParseDataType(s)
}

// ParseDDL parses a schema written as a DDL column list, as
// DataStreamReader.schema takes it: "a STRING, b INT NOT NULL, t TIMESTAMP,
// s STRUCT<x: INT, y: ARRAY<STRING>>, m MAP<STRING, DOUBLE>, d
// DECIMAL(10,2)". Columns are nullable unless NOT NULL; COMMENT '...' is
// accepted and dropped. A whole "struct<...>" type is accepted too.
func ParseDDL(s string) (*arrow.Schema, error) {
	return sqlsyntax.ParseDDL(s)
}

// ParseColumnPath splits a column name as col() and DataFrame["..."] read it
// (Spark's attribute-name parsing): dots separate parts, backticks quote a
// part that contains dots ("a.`b.c`" is a, b.c), and a doubled backtick
// inside quotes is one backtick. Nothing is trimmed: "my col" is one part.
func ParseColumnPath(name string) ([]string, error) {
	var parts []string
	var cur strings.Builder
	inQuote, quotedPart := false, false
	fail := func(i int) error {
		return sqlsyntax.NewError(name, i, ClassSyntax, "Syntax error in attribute name: "+name, nil)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case inQuote && c == '`':
			if i+1 < len(name) && name[i+1] == '`' {
				cur.WriteByte('`')
				i++
				continue
			}
			inQuote = false
			if i+1 < len(name) && name[i+1] != '.' {
				return nil, fail(i + 1)
			}
		case inQuote:
			cur.WriteByte(c)
		case c == '`':
			if cur.Len() > 0 {
				return nil, fail(i)
			}
			inQuote, quotedPart = true, true
		case c == '.':
			if cur.Len() == 0 && !quotedPart {
				return nil, fail(i)
			}
			parts = append(parts, cur.String())
			cur.Reset()
			quotedPart = false
		default:
			cur.WriteByte(c)
		}
	}
	if inQuote || cur.Len() == 0 && !quotedPart {
		return nil, fail(len(name))
	}
	return append(parts, cur.String()), nil
}
