package cells

import (
	"fmt"
	"go/scanner"
	"go/token"
	"strings"
)

// itemKind says how a top-level piece of a cell is compiled.
type itemKind int

const (
	itemImport itemKind = iota // import declaration
	itemDecl                   // func, method, type, var or const declaration
	itemVar                    // var declaration
	itemDefine                 // x, y := ... at the top level
	itemStmt                   // any other statement
)

// item is one top-level statement or declaration of a cell, in source order.
type item struct {
	kind      itemKind
	text      string
	line, col int // 1-based position of text in the cell
	first     token.Token
}

// splitCell cuts src into its top-level items, using the scanner's automatic
// semicolons at bracket depth 0 as boundaries. Scanner errors (an
// unterminated string, say) are returned as a scanner.ErrorList positioned
// in name.
func splitCell(name, src string) ([]item, error) {
	fset := token.NewFileSet()
	file := fset.AddFile(name, -1, len(src))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, 0)

	type tok struct {
		pos token.Pos
		tok token.Token
		lit string
	}
	var items []item
	var cur []tok
	depth := 0
	flush := func(end int) {
		if len(cur) == 0 {
			return
		}
		start := file.Offset(cur[0].pos)
		p := file.Position(cur[0].pos)
		it := item{text: strings.TrimRight(src[start:end], " \t\r\n;"), line: p.Line, col: p.Column, first: cur[0].tok}
		it.kind = classify(cur[0].tok, func(i int) (token.Token, string) {
			if i < len(cur) {
				return cur[i].tok, cur[i].lit
			}
			return token.EOF, ""
		})
		items = append(items, it)
		cur = cur[:0]
	}
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			flush(len(src))
			break
		}
		switch t {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		if t == token.SEMICOLON && depth == 0 {
			flush(file.Offset(pos))
			continue
		}
		cur = append(cur, tok{pos, t, lit})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return items, nil
}

// classify tells declarations from statements by their first tokens; at(i)
// returns the i-th token of the item.
func classify(first token.Token, at func(int) (token.Token, string)) itemKind {
	switch first {
	case token.IMPORT:
		return itemImport
	case token.VAR:
		return itemVar
	case token.TYPE, token.CONST:
		return itemDecl
	case token.FUNC:
		t1, _ := at(1)
		if t1 == token.IDENT {
			return itemDecl
		}
		if t1 == token.LPAREN {
			// func (r T) M(...) is a method; func(...) {...}() a statement.
			depth, i := 0, 1
			for ; ; i++ {
				t, _ := at(i)
				if t == token.EOF {
					return itemStmt
				}
				if t == token.LPAREN {
					depth++
				} else if t == token.RPAREN {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if t, _ := at(i + 1); t == token.IDENT {
				return itemDecl
			}
		}
		return itemStmt
	case token.IDENT:
		// a, b := ... with only identifiers before :=
		for i := 1; ; i += 2 {
			t, _ := at(i)
			if t == token.DEFINE {
				return itemDefine
			}
			if t != token.COMMA {
				return itemStmt
			}
			if t, _ := at(i + 1); t != token.IDENT {
				return itemStmt
			}
		}
	}
	return itemStmt
}

// srcFile is the base name of every position in compiled code. yaegi keys
// a file's imports by the base name of its positions, so one base name for
// all cells makes imports session-wide; the directory part carries the cell
// name, and userPos drops the base name from messages.
const srcFile = "_"

// lineDirective returns the //line comment that gives the text after it the
// position line:col of cell name.
func lineDirective(name string, line, col int) string {
	return fmt.Sprintf("\n//line %s/%s:%d:%d\n", name, srcFile, line, col)
}

// userPos rewrites positions of compiled code (cell3/_:2:5) as users see
// them (cell3:2:5).
func userPos(s string) string {
	return strings.ReplaceAll(s, "/"+srcFile+":", ":")
}
