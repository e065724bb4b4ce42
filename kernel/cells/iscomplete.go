package cells

import (
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"

	"github.com/gostream/gostream/kernel"
)

// IsComplete tells a console whether code can run as it is: "incomplete"
// when brackets are open, a raw string or comment is unterminated, or the
// code ends with a binary operator or a comma; "invalid" when it has a
// syntax error that more input cannot fix; "complete" otherwise.
func (e *Executor) IsComplete(code string) kernel.IsCompleteReply {
	if strings.TrimSpace(code) == "" {
		return kernel.IsCompleteReply{Status: "complete"}
	}
	incomplete := kernel.IsCompleteReply{Status: "incomplete", Indent: nextIndent(code)}
	invalid := kernel.IsCompleteReply{Status: "invalid"}

	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(code))
	var errs []string
	var s scanner.Scanner
	s.Init(file, []byte(code), func(_ token.Position, msg string) { errs = append(errs, msg) }, scanner.ScanComments)
	var stack []token.Token
	last := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.COMMENT:
			continue
		case token.SEMICOLON:
			if lit == "\n" {
				continue // automatic: keep the last real token
			}
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, tok)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			want := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK, token.RBRACE: token.LBRACE}[tok]
			if len(stack) == 0 || stack[len(stack)-1] != want {
				return invalid
			}
			stack = stack[:len(stack)-1]
		}
		last = tok
	}
	for _, m := range errs {
		if m == "raw string literal not terminated" || m == "comment not terminated" {
			return incomplete
		}
	}
	if len(errs) > 0 {
		return invalid
	}
	if len(stack) > 0 {
		return incomplete
	}
	if continues(last) {
		return incomplete
	}
	if !parses(code) {
		return invalid
	}
	return kernel.IsCompleteReply{Status: "complete"}
}

// continues reports whether a line ending in t must go on.
func continues(t token.Token) bool {
	switch t {
	case token.COMMA, token.PERIOD, token.ASSIGN, token.DEFINE, token.COLON, token.ARROW:
		return true
	}
	return t.IsOperator() && t != token.RPAREN && t != token.RBRACK && t != token.RBRACE &&
		t != token.INC && t != token.DEC && t != token.SEMICOLON && t != token.ELLIPSIS
}

// parses reports whether every top-level item of code parses, magic lines
// aside.
func parses(code string) bool {
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "%") {
			lines[i] = ""
		}
	}
	items, err := splitCell("cell", strings.Join(lines, "\n"))
	if err != nil {
		return false
	}
	for _, it := range items {
		var src string
		switch it.kind {
		case itemImport, itemDecl:
			src = "package p\n" + it.text
		default:
			src = "package p\nfunc _() {\n" + it.text + "\n}"
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution); err != nil {
			return false
		}
	}
	return true
}

// nextIndent is the indentation of the last line plus one tab.
func nextIndent(code string) string {
	lines := strings.Split(code, "\n")
	last := lines[len(lines)-1]
	if strings.TrimSpace(last) == "" && len(lines) > 1 {
		last = lines[len(lines)-2]
	}
	return last[:len(last)-len(strings.TrimLeft(last, " \t"))] + "\t"
}
