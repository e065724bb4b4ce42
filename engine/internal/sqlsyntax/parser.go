package sqlsyntax

import "strings"

// MaxDepth bounds nesting so that hostile input cannot exhaust the stack.
const MaxDepth = 500

// Parser is a cursor over the tokens of one text. Grammars built on it
// (the data types here, the expressions of package sqlparse) read tokens
// with Peek and Next and report errors with SyntaxErr or NewError.
type Parser struct {
	// Src is the text being parsed.
	Src string
	// Depth counts the nested constructs being parsed, which must stay
	// below MaxDepth.
	Depth int
	toks  []Token
	i     int
}

// NewParser lexes src and returns a cursor at its first token.
func NewParser(src string) *Parser {
	return &Parser{Src: src, toks: Lex(src)}
}

// Peek returns the next token without consuming it.
func (p *Parser) Peek() Token { return p.toks[p.i] }

// PeekAt returns the token n places after the next one (EOF past the end).
func (p *Parser) PeekAt(n int) Token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

// Next consumes and returns the next token; at the end it keeps returning
// EOF.
func (p *Parser) Next() Token {
	t := p.toks[p.i]
	if t.Kind != EOF {
		p.i++
	}
	return t
}

// Accept consumes the keyword kw (upper case) when it comes next.
func (p *Parser) Accept(kw string) bool {
	if p.Peek().Is(kw) {
		p.i++
		return true
	}
	return false
}

// AcceptOp consumes the operator op when it comes next.
func (p *Parser) AcceptOp(op string) bool {
	if p.Peek().IsOp(op) {
		p.i++
		return true
	}
	return false
}

// Describe renders a token as Spark names it in "at or near ...".
func (p *Parser) Describe(t Token) string {
	switch t.Kind {
	case EOF:
		return "end of input"
	case Unterminated:
		return "'" + firstChar(t.Text) + "'"
	}
	return "'" + p.Src[t.Pos:t.End] + "'"
}

func firstChar(s string) string {
	for _, r := range s {
		return string(r)
	}
	return s
}

// SyntaxErr reports a syntax error at t; hint (optional) says what was
// expected.
func (p *Parser) SyntaxErr(t Token, hint string) *ParseError {
	msg := "Syntax error at or near " + p.Describe(t)
	switch {
	case t.Kind == Unterminated && hint == "":
		hint = "unclosed " + unterminatedWhat(t.Text)
	case t.Kind == Illegal && hint == "":
		hint = "unexpected character"
	}
	if hint != "" {
		msg += ": " + hint
	}
	return NewError(p.Src, t.Pos, ClassSyntax, msg, nil)
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

// ExpectOp consumes the operator op or fails with "missing 'op'".
func (p *Parser) ExpectOp(op string) error {
	if p.AcceptOp(op) {
		return nil
	}
	return p.SyntaxErr(p.Peek(), "missing '"+op+"'")
}

// ExpectKeyword consumes the keyword kw or fails with "missing 'kw'".
func (p *Parser) ExpectKeyword(kw string) error {
	if p.Accept(kw) {
		return nil
	}
	return p.SyntaxErr(p.Peek(), "missing '"+kw+"'")
}

// ExpectEOF fails with "extra input" when tokens remain.
func (p *Parser) ExpectEOF() error {
	t := p.Peek()
	if t.Kind == EOF {
		return nil
	}
	if t.Kind == Unterminated || t.Kind == Illegal {
		return p.SyntaxErr(t, "")
	}
	return p.SyntaxErr(t, "extra input "+p.Describe(t))
}
