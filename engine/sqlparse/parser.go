package sqlparse

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
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

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 500

// reserved words cannot be column names or aliases without backticks.
var reserved = map[string]bool{
	"AND": true, "OR": true, "NOT": true, "IS": true, "IN": true, "LIKE": true,
	"ILIKE": true, "RLIKE": true, "REGEXP": true, "BETWEEN": true, "AS": true,
	"FROM": true, "WHEN": true, "THEN": true, "ELSE": true, "END": true,
	"CASE": true, "DIV": true, "ESCAPE": true, "SELECT": true, "WHERE": true,
}

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
}

func newParser(src string) *parser {
	return &parser{src: src, toks: lex(src)}
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// accept consumes the keyword kw (upper case) when it comes next.
func (p *parser) accept(kw string) bool {
	if p.peek().is(kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) acceptOp(op string) bool {
	if p.peek().isOp(op) {
		p.i++
		return true
	}
	return false
}

// describe renders a token as Spark names it in "at or near ...".
func (p *parser) describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tUnterminated:
		return "'" + firstChar(t.text) + "'"
	}
	return "'" + p.src[t.pos:t.end] + "'"
}

func firstChar(s string) string {
	for _, r := range s {
		return string(r)
	}
	return s
}

// syntaxErr reports a syntax error at t; hint (optional) says what was
// expected.
func (p *parser) syntaxErr(t token, hint string) *ParseError {
	msg := "Syntax error at or near " + p.describe(t)
	switch {
	case t.kind == tUnterminated && hint == "":
		hint = "unclosed " + unterminatedWhat(t.text)
	case t.kind == tIllegal && hint == "":
		hint = "unexpected character"
	}
	if hint != "" {
		msg += ": " + hint
	}
	return newError(p.src, t.pos, ClassSyntax, msg, nil)
}

func unterminatedWhat(text string) string {
	switch {
	case strings.HasPrefix(text, "/*"):
		return "comment, missing '*/'"
	case strings.HasPrefix(text, "`"):
		return "quoted identifier, missing '`'"
	default:
		return "string literal"
	}
}

// expect consumes the operator op or fails with "missing 'op'".
func (p *parser) expectOp(op string) error {
	if p.acceptOp(op) {
		return nil
	}
	return p.syntaxErr(p.peek(), "missing '"+op+"'")
}

func (p *parser) expectKeyword(kw string) error {
	if p.accept(kw) {
		return nil
	}
	return p.syntaxErr(p.peek(), "missing '"+kw+"'")
}

// expectEOF fails with "extra input" when tokens remain.
func (p *parser) expectEOF() error {
	t := p.peek()
	if t.kind == tEOF {
		return nil
	}
	if t.kind == tUnterminated || t.kind == tIllegal {
		return p.syntaxErr(t, "")
	}
	return p.syntaxErr(t, "extra input "+p.describe(t))
}

// expr parses an expression whose operators bind at least as tightly as min.
func (p *parser) expr(min int) (expr.Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.syntaxErr(p.peek(), fmt.Sprintf("expression nested more than %d levels deep", maxDepth))
	}
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
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
		p.next()
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
	t := p.peek()
	switch t.kind {
	case tOp:
		switch t.text {
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
	case tIdent:
		switch strings.ToUpper(t.text) {
		case "OR":
			return precOr, true
		case "AND":
			return precAnd, true
		case "DIV":
			return precMul, true
		case "IS", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "BETWEEN":
			return precPredicate, true
		case "NOT":
			switch strings.ToUpper(p.peekAt(1).text) {
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

func binary(op token, left, right expr.Expr) expr.Expr {
	name := op.text
	if op.kind == tIdent {
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
	t := p.peek()
	switch {
	case t.is("NOT") || t.isOp("!"):
		p.next()
		child, err := p.expr(precNot)
		if err != nil {
			return nil, err
		}
		return &expr.Unary{Op: expr.OpNot, Child: child}, nil
	case t.isOp("-") || t.isOp("+"):
		p.next()
		if n := p.peek(); n.kind == tNumber {
			// Spark folds the sign into a numeric literal: -5 is a literal.
			p.next()
			sign := ""
			if t.text == "-" {
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
		if t.text == "+" {
			return child, nil
		}
		return &expr.Unary{Op: expr.OpNeg, Child: child}, nil
	case t.isOp("~"):
		p.next()
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
		t := p.peek()
		switch {
		case t.isOp("["):
			p.next()
			idx, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			if err := p.expectOp("]"); err != nil {
				return nil, err
			}
			e, plain = &expr.GetItem{Child: e, Key: idx}, false
		case t.isOp("."):
			p.next()
			n := p.next()
			switch {
			case n.isOp("*"):
				ref, ok := e.(*expr.ColumnRef)
				if !ok || !plain {
					return nil, p.syntaxErr(n, "'.*' must follow a column or table name")
				}
				return &expr.Star{Qualifier: ref.Parts}, nil
			case n.kind == tIdent || n.kind == tQuoted:
				if ref, ok := e.(*expr.ColumnRef); ok && plain {
					parts := make([]string, len(ref.Parts), len(ref.Parts)+1)
					copy(parts, ref.Parts)
					e = &expr.ColumnRef{Parts: append(parts, n.text)}
				} else {
					e = &expr.GetField{Child: e, Name: n.text}
				}
			default:
				return nil, p.syntaxErr(n, "expected a field name after '.'")
			}
		case t.isOp("::"):
			p.next()
			to, err := p.dataType()
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
	if p.accept("IS") {
		not := p.accept("NOT")
		var e expr.Expr
		switch t := p.next(); {
		case t.is("NULL"):
			if not {
				return &expr.Unary{Op: expr.OpIsNotNull, Child: left}, nil
			}
			return &expr.Unary{Op: expr.OpIsNull, Child: left}, nil
		case t.is("TRUE"), t.is("FALSE"):
			e = &expr.Binary{Op: expr.OpEqNullSafe, Left: left, Right: boolLit(t.is("TRUE"))}
		case t.is("UNKNOWN"):
			if not {
				return &expr.Unary{Op: expr.OpIsNotNull, Child: left}, nil
			}
			return &expr.Unary{Op: expr.OpIsNull, Child: left}, nil
		case t.is("DISTINCT"):
			if err := p.expectKeyword("FROM"); err != nil {
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
			return nil, p.syntaxErr(t, "expected NULL, NOT NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS")
		}
		if not {
			return &expr.Unary{Op: expr.OpNot, Child: e}, nil
		}
		return e, nil
	}
	not := p.accept("NOT")
	var e expr.Expr
	t := p.next()
	switch strings.ToUpper(t.text) {
	case "IN":
		list, err := p.inList()
		if err != nil {
			return nil, err
		}
		e = &expr.In{Child: left, List: list}
	case "LIKE", "ILIKE", "RLIKE", "REGEXP":
		kw := strings.ToUpper(t.text)
		pt := p.peek()
		if pt.is("ANY") || pt.is("ALL") || pt.is("SOME") {
			return nil, newError(p.src, pt.pos, ClassUnsupportedSQL, kw+" "+strings.ToUpper(pt.text)+" is not supported; combine single "+kw+" predicates with OR / AND", nil)
		}
		pat, err := p.expr(precCompare)
		if err != nil {
			return nil, err
		}
		s, ok := litString(pat)
		if !ok {
			return nil, newError(p.src, pt.pos, ClassUnsupportedSQL,
				"the pattern of "+kw+" must be a string literal such as 'abc%'", nil)
		}
		if p.peek().is("ESCAPE") {
			return nil, newError(p.src, p.peek().pos, ClassUnsupportedSQL,
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
		if err := p.expectKeyword("AND"); err != nil {
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
		return nil, p.syntaxErr(t, "")
	}
	if not {
		return &expr.Unary{Op: expr.OpNot, Child: e}, nil
	}
	return e, nil
}

func (p *parser) inList() ([]expr.Expr, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	if t := p.peek(); t.is("SELECT") || t.is("WITH") {
		return nil, newError(p.src, t.pos, ClassUnsupportedSQL, "IN (subquery) is not supported; join with the other DataFrame instead", nil)
	}
	if p.peek().isOp(")") {
		return nil, p.syntaxErr(p.peek(), "IN needs at least one value")
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
		if p.acceptOp(",") {
			continue
		}
		if p.acceptOp(closing) {
			return list, nil
		}
		return nil, p.syntaxErr(p.peek(), "missing '"+closing+"'")
	}
}

// primary parses an operand: literal, name, call, CASE, CAST, parentheses.
func (p *parser) primary() (e expr.Expr, plain bool, err error) {
	t := p.peek()
	switch t.kind {
	case tNumber:
		p.next()
		e, err := p.numberLiteral(t, "")
		return e, false, err
	case tString:
		return p.stringLiteral(), false, nil
	case tHex:
		p.next()
		e, err := p.hexLiteral(t)
		return e, false, err
	case tQuoted:
		p.next()
		if p.peek().isOp("(") {
			e, err := p.call(t)
			return e, false, err
		}
		return &expr.ColumnRef{Parts: []string{t.text}}, true, nil
	case tOp:
		switch t.text {
		case "(":
			e, err := p.parens()
			return e, false, err
		case "*":
			p.next()
			return &expr.Star{}, false, nil
		}
		return nil, false, p.syntaxErr(t, "")
	case tIdent:
		return p.word()
	}
	return nil, false, p.syntaxErr(t, "")
}

// word parses an operand that starts with an identifier or keyword.
func (p *parser) word() (expr.Expr, bool, error) {
	t := p.next()
	kw := strings.ToUpper(t.text)
	n := p.peek()
	switch kw {
	case "NULL":
		return &expr.Literal{Value: nil, Type: arrow.Null}, false, nil
	case "TRUE", "FALSE":
		return boolLit(kw == "TRUE"), false, nil
	case "CASE":
		e, err := p.caseWhen(t)
		return e, false, err
	case "CAST", "TRY_CAST":
		if n.isOp("(") {
			e, err := p.cast()
			return e, false, err
		}
	case "EXTRACT":
		if n.isOp("(") {
			e, err := p.extract()
			return e, false, err
		}
	case "DATE", "TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_NTZ":
		if n.kind == tString {
			e, err := p.typedLiteral(t)
			return e, false, err
		}
	case "INTERVAL":
		// A column may be called interval: only a value (and a unit after a
		// number) makes a literal.
		k := 0
		if n.isOp("-") || n.isOp("+") {
			k = 1
		}
		v := p.peekAt(k)
		u := p.peekAt(k + 1)
		if k == 0 && v.kind == tString || (v.kind == tNumber || v.kind == tString) && u.kind == tIdent && !reserved[strings.ToUpper(u.text)] {
			e, err := p.intervalLiteral(t)
			return e, false, err
		}
	case "CURRENT_DATE", "CURRENT_TIMESTAMP":
		if !n.isOp("(") {
			return &expr.Call{Name: strings.ToLower(kw)}, false, nil
		}
	}
	switch {
	case n.isOp("("):
		e, err := p.call(t)
		return e, false, err
	case n.isOp("->"):
		return nil, false, newError(p.src, t.pos, ClassUnsupportedSQL, "lambda functions (x -> ...) are not supported; use the built-in column functions", nil)
	}
	if reserved[kw] {
		return nil, false, p.syntaxErr(t, "")
	}
	return &expr.ColumnRef{Parts: []string{t.text}}, true, nil
}

// parens parses "(e)" or a row constructor "(a, b)", which becomes struct(a, b).
func (p *parser) parens() (expr.Expr, error) {
	open := p.next()
	if t := p.peek(); t.is("SELECT") || t.is("WITH") {
		return nil, newError(p.src, t.pos, ClassUnsupportedSQL, "scalar subqueries are not supported; join with the other DataFrame instead", nil)
	}
	if p.peek().isOp(")") {
		return nil, p.syntaxErr(p.peek(), "expected an expression inside '( )'")
	}
	list, err := p.exprList(")")
	if err != nil {
		return nil, err
	}
	if p.peek().isOp("->") {
		return nil, newError(p.src, open.pos, ClassUnsupportedSQL, "lambda functions ((x, y) -> ...) are not supported; use the built-in column functions", nil)
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return &expr.Call{Name: "struct", Args: list}, nil
}

// call parses name(args...). count(*) becomes count(1), as Spark's parser
// makes it.
func (p *parser) call(name token) (expr.Expr, error) {
	p.next() // (
	fn := strings.ToLower(name.text)
	c := &expr.Call{Name: fn}
	switch {
	case p.acceptOp(")"):
	case p.peek().isOp("*") && p.peekAt(1).isOp(")"):
		p.next()
		p.next()
		if fn == "count" {
			c.Args = []expr.Expr{&expr.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}}
		} else {
			c.Args = []expr.Expr{&expr.Star{}}
		}
	default:
		if p.accept("DISTINCT") {
			c.Distinct = true
		} else {
			p.accept("ALL")
		}
		if t := p.peek(); (t.kind == tIdent || t.kind == tQuoted) && p.peekAt(1).isOp("=>") {
			return nil, newError(p.src, t.pos, ClassUnsupportedSQL, "named arguments (name => value) are not supported; pass arguments by position", nil)
		}
		args, err := p.exprList(")")
		if err != nil {
			return nil, err
		}
		c.Args = args
	}
	switch t := p.peek(); {
	case t.is("OVER"):
		return nil, newError(p.src, t.pos, ClassUnsupportedSQL,
			"Non-time-based windows are not supported on streaming DataFrames/Datasets; use window(timeColumn, duration) in groupBy", nil)
	case t.is("FILTER") && p.peekAt(1).isOp("("):
		return nil, newError(p.src, t.pos, ClassUnsupportedSQL, "aggregate FILTER (WHERE ...) is not supported; aggregate a CASE WHEN ... END instead", nil)
	case t.is("WITHIN") || (t.is("IGNORE") || t.is("RESPECT")) && p.peekAt(1).is("NULLS"):
		return nil, newError(p.src, t.pos, ClassUnsupportedSQL, strings.ToUpper(t.text)+" ... after a function call is not supported", nil)
	}
	return c, nil
}

// cast parses the rest of CAST(x AS type) or TRY_CAST(x AS type); both
// become expr.Cast, whose invalid input is null as TRY_CAST's is.
func (p *parser) cast() (expr.Expr, error) {
	p.next() // (
	child, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if err := p.expectKeyword("AS"); err != nil {
		return nil, err
	}
	to, err := p.dataType()
	if err != nil {
		return nil, err
	}
	if err := p.expectOp(")"); err != nil {
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
	p.next() // (
	f := p.next()
	fn, ok := extractFields[strings.ToUpper(f.text)]
	if f.kind != tIdent || !ok {
		return nil, p.syntaxErr(f, "expected a field such as YEAR, MONTH, DAY, HOUR, MINUTE, SECOND")
	}
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	src, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	return &expr.Call{Name: fn, Args: []expr.Expr{src}}, nil
}

// caseWhen parses the rest of CASE [x] WHEN ... THEN ... [ELSE ...] END.
// The simple form CASE x WHEN v becomes the condition x = v.
func (p *parser) caseWhen(caseTok token) (expr.Expr, error) {
	var subject expr.Expr
	if !p.peek().is("WHEN") {
		s, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		subject = s
	}
	cw := &expr.CaseWhen{}
	for p.accept("WHEN") {
		cond, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if err := p.expectKeyword("THEN"); err != nil {
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
		return nil, p.syntaxErr(p.peek(), "missing 'WHEN'")
	}
	if p.accept("ELSE") {
		e, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		cw.Else = e
	}
	if !p.accept("END") {
		return nil, p.syntaxErr(p.peek(), "missing 'END' of the CASE at pos "+fmt.Sprint(newError(p.src, caseTok.pos, "", "", nil).Col))
	}
	return cw, nil
}
