package sqlparse

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/internal/sqlsyntax"
)

// Binding powers, lowest first: Spark's precedence.
const (
	precOr        = 1
	precAnd       = 2
	precNot       = 3
	precPredicate = 4 // IS, IN, LIKE, RLIKE, BETWEEN
	precCompare   = 5 // = == <=> != <> < <= > >=
	precBitOr     = 6
	precBitXor    = 7
	precBitAnd    = 8
	precAdd       = 9 // + - ||
	precMul       = 10
	precUnary     = 11
)

// reserved words cannot be column names or aliases without backticks.
var reserved = map[string]bool{
	"AND": true, "OR": true, "NOT": true, "IS": true, "IN": true, "LIKE": true,
	"ILIKE": true, "RLIKE": true, "REGEXP": true, "BETWEEN": true, "AS": true,
	"FROM": true, "WHEN": true, "THEN": true, "ELSE": true, "END": true,
	"CASE": true, "DIV": true, "ESCAPE": true, "SELECT": true, "WHERE": true,
}

// parser parses expressions on the token cursor of package sqlsyntax,
// which also reads the data types inside them (CAST(x AS t), x::t).
type parser struct {
	*sqlsyntax.Parser
}

func newParser(src string) *parser {
	return &parser{sqlsyntax.NewParser(src)}
}

// expr parses an expression whose operators bind at least as tightly as min.
func (p *parser) expr(min int) (expr.Expr, error) {
	p.Depth++
	defer func() { p.Depth-- }()
	if p.Depth > sqlsyntax.MaxDepth {
		return nil, p.SyntaxErr(p.Peek(), fmt.Sprintf("expression nested more than %d levels deep", sqlsyntax.MaxDepth))
	}
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.Peek()
		prec, ok := p.infixPrec()
		if !ok || prec < min {
			return left, nil
		}
		if prec == precPredicate {
			if left, err = p.predicate(left); err != nil {
				return nil, err
			}
			continue
		}
		p.Next()
		right, err := p.expr(prec + 1)
		if err != nil {
			return nil, err
		}
		left = binary(t, left, right)
	}
}

// infixPrec returns the binding power of the infix operator that comes
// next, if any.
func (p *parser) infixPrec() (int, bool) {
	t := p.Peek()
	switch t.Kind {
	case sqlsyntax.Op:
		switch t.Text {
		case "=", "==", "<=>", "!=", "<>", "<", "<=", ">", ">=":
			return precCompare, true
		case "|":
			return precBitOr, true
		case "^":
			return precBitXor, true
		case "&":
			return precBitAnd, true
		case "+", "-", "||":
			return precAdd, true
		case "*", "/", "%":
			return precMul, true
		}
	case sqlsyntax.Ident:
		switch strings.ToUpper(t.Text) {
		case "OR":
			return precOr, true
		case "AND":
			return precAnd, true
		case "DIV":
			return precMul, true
		case "IS", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "BETWEEN":
			return precPredicate, true
		case "NOT":
			switch strings.ToUpper(p.PeekAt(1).Text) {
			case "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "BETWEEN":
				return precPredicate, true
			}
		}
	}
	return 0, false
}

var binaryOps = map[string]expr.BinaryOp{
	"+": expr.OpAdd, "-": expr.OpSub, "*": expr.OpMul, "/": expr.OpDiv, "%": expr.OpMod,
	"=": expr.OpEq, "==": expr.OpEq, "!=": expr.OpNeq, "<>": expr.OpNeq,
	"<=>": expr.OpEqNullSafe, "<": expr.OpLt, "<=": expr.OpLe, ">": expr.OpGt, ">=": expr.OpGe,
	"AND": expr.OpAnd, "OR": expr.OpOr,
}

var binaryCalls = map[string]string{
	"||": "concat", "DIV": "div", "&": "bitwise_and", "|": "bitwise_or", "^": "bitwise_xor",
}

func binary(op sqlsyntax.Token, left, right expr.Expr) expr.Expr {
	name := op.Text
	if op.Kind == sqlsyntax.Ident {
		name = strings.ToUpper(name)
	}
	if fn, ok := binaryCalls[name]; ok {
		return &expr.Call{Name: fn, Args: []expr.Expr{left, right}}
	}
	return &expr.Binary{Op: binaryOps[name], Left: left, Right: right}
}

// prefix parses NOT, unary operators, or a primary expression with its
// postfix operators.
func (p *parser) prefix() (expr.Expr, error) {
	t := p.Peek()
	switch {
	case t.Is("NOT") || t.IsOp("!"):
		p.Next()
		child, err := p.expr(precNot)
		if err != nil {
			return nil, err
		}
		return &expr.Unary{Op: expr.OpNot, Child: child}, nil
	case t.IsOp("-") || t.IsOp("+"):
		p.Next()
		if n := p.Peek(); n.Kind == sqlsyntax.Number {
			// Spark folds the sign into a numeric literal: -5 is a literal.
			p.Next()
			sign := ""
			if t.Text == "-" {
				sign = "-"
			}
			lit, err := p.numberLiteral(n, sign)
			if err != nil {
				return nil, err
			}
			return p.postfix(lit, false)
		}
		child, err := p.expr(precUnary)
		if err != nil {
			return nil, err
		}
		if t.Text == "+" {
			return child, nil
		}
		return &expr.Unary{Op: expr.OpNeg, Child: child}, nil
	case t.IsOp("~"):
		p.Next()
		child, err := p.expr(precUnary)
		if err != nil {
			return nil, err
		}
		return &expr.Call{Name: "bitwise_not", Args: []expr.Expr{child}}, nil
	}
	e, plain, err := p.primary()
	if err != nil {
		return nil, err
	}
	return p.postfix(e, plain)
}

// postfix applies subscripts, field accesses, qualified stars and :: casts.
// plain tells whether e is a column reference written without parentheses,
// which a dotted name extends.
func (p *parser) postfix(e expr.Expr, plain bool) (expr.Expr, error) {
	for {
		t := p.Peek()
		switch {
		case t.IsOp("["):
			p.Next()
			idx, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			if err := p.ExpectOp("]"); err != nil {
				return nil, err
			}
			e, plain = &expr.GetItem{Child: e, Key: idx}, false
		case t.IsOp("."):
			p.Next()
			n := p.Next()
			switch {
			case n.IsOp("*"):
				ref, ok := e.(*expr.ColumnRef)
				if !ok || !plain {
					return nil, p.SyntaxErr(n, "'.*' must follow a column or table name")
				}
				return &expr.Star{Qualifier: ref.Parts}, nil
			case n.Kind == sqlsyntax.Ident || n.Kind == sqlsyntax.Quoted:
				if ref, ok := e.(*expr.ColumnRef); ok && plain {
					parts := make([]string, len(ref.Parts), len(ref.Parts)+1)
					copy(parts, ref.Parts)
					e = &expr.ColumnRef{Parts: append(parts, n.Text)}
				} else {
					e = &expr.GetField{Child: e, Name: n.Text}
				}
			default:
				return nil, p.SyntaxErr(n, "expected a field name after '.'")
			}
		case t.IsOp("::"):
			p.Next()
			to, err := p.DataType()
			if err != nil {
				return nil, err
			}
			e, plain = &expr.Cast{Child: e, To: to}, false
		default:
			return e, nil
		}
	}
}

// predicate parses IS, [NOT] IN, [NOT] LIKE/ILIKE/RLIKE, [NOT] BETWEEN
// after left.
func (p *parser) predicate(left expr.Expr) (expr.Expr, error) {
	if p.Accept("IS") {
		not := p.Accept("NOT")
		var e expr.Expr
		switch t := p.Next(); {
		case t.Is("NULL"):
			if not {
				return &expr.Unary{Op: expr.OpIsNotNull, Child: left}, nil
			}
			return &expr.Unary{Op: expr.OpIsNull, Child: left}, nil
		case t.Is("TRUE"), t.Is("FALSE"):
			e = &expr.Binary{Op: expr.OpEqNullSafe, Left: left, Right: boolLit(t.Is("TRUE"))}
		case t.Is("UNKNOWN"):
			if not {
				return &expr.Unary{Op: expr.OpIsNotNull, Child: left}, nil
			}
			return &expr.Unary{Op: expr.OpIsNull, Child: left}, nil
		case t.Is("DISTINCT"):
			if err := p.ExpectKeyword("FROM"); err != nil {
				return nil, err
			}
			right, err := p.expr(precCompare)
			if err != nil {
				return nil, err
			}
			// IS DISTINCT FROM is the negation of <=>.
			e = &expr.Binary{Op: expr.OpEqNullSafe, Left: left, Right: right}
			not = !not
		default:
			return nil, p.SyntaxErr(t, "expected NULL, NOT NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS")
		}
		if not {
			return &expr.Unary{Op: expr.OpNot, Child: e}, nil
		}
		return e, nil
	}
	not := p.Accept("NOT")
	var e expr.Expr
	t := p.Next()
	switch strings.ToUpper(t.Text) {
	case "IN":
		list, err := p.inList()
		if err != nil {
			return nil, err
		}
		e = &expr.In{Child: left, List: list}
	case "LIKE", "ILIKE", "RLIKE", "REGEXP":
		kw := strings.ToUpper(t.Text)
		pt := p.Peek()
		if pt.Is("ANY") || pt.Is("ALL") || pt.Is("SOME") {
			return nil, sqlsyntax.NewError(p.Src, pt.Pos, ClassUnsupportedSQL, kw+" "+strings.ToUpper(pt.Text)+" is not supported; combine single "+kw+" predicates with OR / AND", nil)
		}
		pat, err := p.expr(precCompare)
		if err != nil {
			return nil, err
		}
		s, ok := litString(pat)
		if !ok {
			return nil, sqlsyntax.NewError(p.Src, pt.Pos, ClassUnsupportedSQL,
				"the pattern of "+kw+" must be a string literal such as 'abc%'", nil)
		}
		if p.Peek().Is("ESCAPE") {
			return nil, sqlsyntax.NewError(p.Src, p.Peek().Pos, ClassUnsupportedSQL,
				"LIKE ... ESCAPE is not supported; the escape character is always '\\'", nil)
		}
		switch kw {
		case "LIKE":
			e = &expr.Like{Child: left, Pattern: s}
		case "ILIKE":
			e = &expr.Like{Child: &expr.Call{Name: "lower", Args: []expr.Expr{left}}, Pattern: strings.ToLower(s)}
		default:
			e = &expr.Like{Child: left, Pattern: s, RLike: true}
		}
	case "BETWEEN":
		lo, err := p.expr(precCompare)
		if err != nil {
			return nil, err
		}
		if err := p.ExpectKeyword("AND"); err != nil {
			return nil, err
		}
		hi, err := p.expr(precCompare)
		if err != nil {
			return nil, err
		}
		e = &expr.Binary{Op: expr.OpAnd,
			Left:  &expr.Binary{Op: expr.OpGe, Left: left, Right: lo},
			Right: &expr.Binary{Op: expr.OpLe, Left: left, Right: hi}}
	default:
		return nil, p.SyntaxErr(t, "")
	}
	if not {
		return &expr.Unary{Op: expr.OpNot, Child: e}, nil
	}
	return e, nil
}

func (p *parser) inList() ([]expr.Expr, error) {
	if err := p.ExpectOp("("); err != nil {
		return nil, err
	}
	if t := p.Peek(); t.Is("SELECT") || t.Is("WITH") {
		return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassUnsupportedSQL, "IN (subquery) is not supported; join with the other DataFrame instead", nil)
	}
	if p.Peek().IsOp(")") {
		return nil, p.SyntaxErr(p.Peek(), "IN needs at least one value")
	}
	return p.exprList(")")
}

// exprList parses expressions separated by commas up to the closing op.
func (p *parser) exprList(closing string) ([]expr.Expr, error) {
	var list []expr.Expr
	for {
		e, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
		if p.AcceptOp(",") {
			continue
		}
		if p.AcceptOp(closing) {
			return list, nil
		}
		return nil, p.SyntaxErr(p.Peek(), "missing '"+closing+"'")
	}
}

// primary parses an operand: literal, name, call, CASE, CAST, parentheses.
func (p *parser) primary() (e expr.Expr, plain bool, err error) {
	t := p.Peek()
	switch t.Kind {
	case sqlsyntax.Number:
		p.Next()
		e, err := p.numberLiteral(t, "")
		return e, false, err
	case sqlsyntax.String:
		return p.stringLiteral(), false, nil
	case sqlsyntax.Hex:
		p.Next()
		e, err := p.hexLiteral(t)
		return e, false, err
	case sqlsyntax.Quoted:
		p.Next()
		if p.Peek().IsOp("(") {
			e, err := p.call(t)
			return e, false, err
		}
		return &expr.ColumnRef{Parts: []string{t.Text}}, true, nil
	case sqlsyntax.Op:
		switch t.Text {
		case "(":
			e, err := p.parens()
			return e, false, err
		case "*":
			p.Next()
			return &expr.Star{}, false, nil
		}
		return nil, false, p.SyntaxErr(t, "")
	case sqlsyntax.Ident:
		return p.word()
	}
	return nil, false, p.SyntaxErr(t, "")
}

// word parses an operand that starts with an identifier or keyword.
func (p *parser) word() (expr.Expr, bool, error) {
	t := p.Next()
	kw := strings.ToUpper(t.Text)
	n := p.Peek()
	switch kw {
	case "NULL":
		return &expr.Literal{Value: nil, Type: arrow.Null}, false, nil
	case "TRUE", "FALSE":
		return boolLit(kw == "TRUE"), false, nil
	case "CASE":
		e, err := p.caseWhen(t)
		return e, false, err
	case "CAST", "TRY_CAST":
		if n.IsOp("(") {
			e, err := p.cast()
			return e, false, err
		}
	case "EXTRACT":
		if n.IsOp("(") {
			e, err := p.extract()
			return e, false, err
		}
	case "DATE", "TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_NTZ":
		if n.Kind == sqlsyntax.String {
			e, err := p.typedLiteral(t)
			return e, false, err
		}
	case "INTERVAL":
		// A column may be called interval: only a value (and a unit after a
		// number) makes a literal.
		k := 0
		if n.IsOp("-") || n.IsOp("+") {
			k = 1
		}
		v := p.PeekAt(k)
		u := p.PeekAt(k + 1)
		if k == 0 && v.Kind == sqlsyntax.String || (v.Kind == sqlsyntax.Number || v.Kind == sqlsyntax.String) && u.Kind == sqlsyntax.Ident && !reserved[strings.ToUpper(u.Text)] {
			e, err := p.intervalLiteral(t)
			return e, false, err
		}
	case "CURRENT_DATE", "CURRENT_TIMESTAMP":
		if !n.IsOp("(") {
			return &expr.Call{Name: strings.ToLower(kw)}, false, nil
		}
	}
	switch {
	case n.IsOp("("):
		e, err := p.call(t)
		return e, false, err
	case n.IsOp("->"):
		return nil, false, sqlsyntax.NewError(p.Src, t.Pos, ClassUnsupportedSQL, "lambda functions (x -> ...) are not supported; use the built-in column functions", nil)
	}
	if reserved[kw] {
		return nil, false, p.SyntaxErr(t, "")
	}
	return &expr.ColumnRef{Parts: []string{t.Text}}, true, nil
}

// parens parses "(e)" or a row constructor "(a, b)", which becomes struct(a, b).
func (p *parser) parens() (expr.Expr, error) {
	open := p.Next()
	if t := p.Peek(); t.Is("SELECT") || t.Is("WITH") {
		return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassUnsupportedSQL, "scalar subqueries are not supported; join with the other DataFrame instead", nil)
	}
	if p.Peek().IsOp(")") {
		return nil, p.SyntaxErr(p.Peek(), "expected an expression inside '( )'")
	}
	list, err := p.exprList(")")
	if err != nil {
		return nil, err
	}
	if p.Peek().IsOp("->") {
		return nil, sqlsyntax.NewError(p.Src, open.Pos, ClassUnsupportedSQL, "lambda functions ((x, y) -> ...) are not supported; use the built-in column functions", nil)
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return &expr.Call{Name: "struct", Args: list}, nil
}

// call parses name(args...). count(*) becomes count(1), as Spark's parser
// makes it.
func (p *parser) call(name sqlsyntax.Token) (expr.Expr, error) {
	p.Next() // (
	fn := strings.ToLower(name.Text)
	c := &expr.Call{Name: fn}
	switch {
	case p.AcceptOp(")"):
	case p.Peek().IsOp("*") && p.PeekAt(1).IsOp(")"):
		p.Next()
		p.Next()
		if fn == "count" {
			c.Args = []expr.Expr{&expr.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}}
		} else {
			c.Args = []expr.Expr{&expr.Star{}}
		}
	default:
		if p.Accept("DISTINCT") {
			c.Distinct = true
		} else {
			p.Accept("ALL")
		}
		if t := p.Peek(); (t.Kind == sqlsyntax.Ident || t.Kind == sqlsyntax.Quoted) && p.PeekAt(1).IsOp("=>") {
			return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassUnsupportedSQL, "named arguments (name => value) are not supported; pass arguments by position", nil)
		}
		args, err := p.exprList(")")
		if err != nil {
			return nil, err
		}
		c.Args = args
	}
	switch t := p.Peek(); {
	case t.Is("OVER"):
		return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassUnsupportedSQL,
			"Non-time-based windows are not supported on streaming DataFrames/Datasets; use window(timeColumn, duration) in groupBy", nil)
	case t.Is("FILTER") && p.PeekAt(1).IsOp("("):
		return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassUnsupportedSQL, "aggregate FILTER (WHERE ...) is not supported; aggregate a CASE WHEN ... END instead", nil)
	case t.Is("WITHIN") || (t.Is("IGNORE") || t.Is("RESPECT")) && p.PeekAt(1).Is("NULLS"):
		return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassUnsupportedSQL, strings.ToUpper(t.Text)+" ... after a function call is not supported", nil)
	}
	return c, nil
}

// cast parses the rest of CAST(x AS type) or TRY_CAST(x AS type); both
// become expr.Cast, whose invalid input is null as TRY_CAST's is.
func (p *parser) cast() (expr.Expr, error) {
	p.Next() // (
	child, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if err := p.ExpectKeyword("AS"); err != nil {
		return nil, err
	}
	to, err := p.DataType()
	if err != nil {
		return nil, err
	}
	if err := p.ExpectOp(")"); err != nil {
		return nil, err
	}
	return &expr.Cast{Child: child, To: to}, nil
}

// extractFields maps EXTRACT fields (and Spark's abbreviations) to the
// functions that compute them.
var extractFields = map[string]string{
	"YEAR": "year", "Y": "year", "YEARS": "year", "YR": "year", "YRS": "year",
	"QUARTER": "quarter", "QTR": "quarter",
	"MONTH": "month", "MON": "month", "MONS": "month", "MONTHS": "month",
	"WEEK": "weekofyear", "W": "weekofyear", "WEEKS": "weekofyear",
	"DAY": "day", "D": "day", "DAYS": "day",
	"DAYOFWEEK": "dayofweek", "DOW": "dayofweek",
	"DOY":  "dayofyear",
	"HOUR": "hour", "H": "hour", "HOURS": "hour", "HR": "hour", "HRS": "hour",
	"MINUTE": "minute", "M": "minute", "MIN": "minute", "MINS": "minute", "MINUTES": "minute",
	"SECOND": "second", "S": "second", "SEC": "second", "SECONDS": "second", "SECS": "second",
}

// extract parses EXTRACT(field FROM source) into Call{field's function}.
func (p *parser) extract() (expr.Expr, error) {
	p.Next() // (
	f := p.Next()
	fn, ok := extractFields[strings.ToUpper(f.Text)]
	if f.Kind != sqlsyntax.Ident || !ok {
		return nil, p.SyntaxErr(f, "expected a field such as YEAR, MONTH, DAY, HOUR, MINUTE, SECOND")
	}
	if err := p.ExpectKeyword("FROM"); err != nil {
		return nil, err
	}
	src, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if err := p.ExpectOp(")"); err != nil {
		return nil, err
	}
	return &expr.Call{Name: fn, Args: []expr.Expr{src}}, nil
}

// caseWhen parses the rest of CASE [x] WHEN ... THEN ... [ELSE ...] END.
// The simple form CASE x WHEN v becomes the condition x = v.
func (p *parser) caseWhen(caseTok sqlsyntax.Token) (expr.Expr, error) {
	var subject expr.Expr
	if !p.Peek().Is("WHEN") {
		s, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		subject = s
	}
	cw := &expr.CaseWhen{}
	for p.Accept("WHEN") {
		cond, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if err := p.ExpectKeyword("THEN"); err != nil {
			return nil, err
		}
		val, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if subject != nil {
			cond = &expr.Binary{Op: expr.OpEq, Left: subject, Right: cond}
		}
		cw.Branches = append(cw.Branches, expr.When{Cond: cond, Value: val})
	}
	if len(cw.Branches) == 0 {
		return nil, p.SyntaxErr(p.Peek(), "missing 'WHEN'")
	}
	if p.Accept("ELSE") {
		e, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		cw.Else = e
	}
	if !p.Accept("END") {
		return nil, p.SyntaxErr(p.Peek(), "missing 'END' of the CASE at pos "+fmt.Sprint(sqlsyntax.NewError(p.Src, caseTok.Pos, "", "", nil).Col))
	}
	return cw, nil
}
