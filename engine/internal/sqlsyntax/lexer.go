package sqlsyntax

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind classifies a Token.
type TokenKind int

const (
	EOF          TokenKind = iota
	Ident                  // unquoted identifier or keyword
	Quoted                 // `quoted identifier`
	Number                 // numeric literal, suffix included (1, 1.5, 1e3, 10L, 1.5BD)
	String                 // 'string' or "string", unescaped in text
	Hex                    // X'0AFF', hex digits in text
	Op                     // operator or punctuation
	Illegal                // a character that starts no token
	Unterminated           // a string, quoted identifier or comment without its end
)

// Token is one lexeme. For Quoted and String, Text is the decoded value;
// otherwise it is the source text. Pos and End are byte offsets.
type Token struct {
	Kind     TokenKind
	Text     string
	Pos, End int
}

// Is reports whether t is the keyword kw (upper case), in any case.
func (t Token) Is(kw string) bool {
	return t.Kind == Ident && strings.EqualFold(t.Text, kw)
}

// IsOp reports whether t is the operator op.
func (t Token) IsOp(op string) bool { return t.Kind == Op && t.Text == op }

// operators, longest first so that the first match is the longest.
var operators = []string{
	"<=>", "==", "!=", "<>", "<=", ">=", "||", "::", "->", "=>",
	"(", ")", "[", "]", ",", ".", "*", "+", "-", "/", "%", "=", "<", ">",
	"|", "&", "^", "~", "!", ":", ";",
}

// Lex splits src into tokens, ending with EOF. A lexical error becomes an
// Illegal or Unterminated token so that the parser reports it in place.
func Lex(src string) []Token {
	toks := make([]Token, 0, len(src)/3+1)
	i := 0
	for {
		// Skip whitespace and comments.
		for i < len(src) {
			c := src[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
				i++
			} else if c == '-' && strings.HasPrefix(src[i:], "--") {
				for i < len(src) && src[i] != '\n' {
					i++
				}
			} else if c == '/' && strings.HasPrefix(src[i:], "/*") {
				end := strings.Index(src[i+2:], "*/")
				if end < 0 {
					return append(toks, Token{Kind: Unterminated, Text: "/*", Pos: i, End: len(src)})
				}
				i += end + 4
			} else if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRuneInString(src[i:])
				if !unicode.IsSpace(r) {
					break
				}
				i += n
			} else {
				break
			}
		}
		if i >= len(src) {
			return append(toks, Token{Kind: EOF, Pos: len(src), End: len(src)})
		}
		start := i
		c := src[i]
		var prev Token
		if len(toks) > 0 {
			prev = toks[len(toks)-1]
		}
		switch {
		case (c == 'x' || c == 'X') && i+1 < len(src) && src[i+1] == '\'':
			end := strings.IndexByte(src[i+2:], '\'')
			if end < 0 {
				return append(toks, Token{Kind: Unterminated, Text: src[i:], Pos: i, End: len(src)})
			}
			i += end + 3
			toks = append(toks, Token{Kind: Hex, Text: src[start+2 : i-1], Pos: start, End: i})
		case (c == 'r' || c == 'R') && i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '"'):
			q := src[i+1]
			end := strings.IndexByte(src[i+2:], q)
			if end < 0 {
				return append(toks, Token{Kind: Unterminated, Text: src[i:], Pos: i, End: len(src)})
			}
			i += end + 3
			toks = append(toks, Token{Kind: String, Text: src[start+2 : i-1], Pos: start, End: i})
		case isIdentStart(src, i):
			for i < len(src) && isIdentPart(src, i) {
				_, n := utf8.DecodeRuneInString(src[i:])
				i += n
			}
			toks = append(toks, Token{Kind: Ident, Text: src[start:i], Pos: start, End: i})
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]) && !endsOperand(prev):
			i = scanNumber(src, i)
			kind := Number
			if i < len(src) && isIdentPart(src, i) {
				// Spark reads 1a or 10seconds as one identifier.
				for i < len(src) && isIdentPart(src, i) {
					_, n := utf8.DecodeRuneInString(src[i:])
					i += n
				}
				kind = Ident
				if strings.ContainsRune(src[start:i], '.') {
					kind = Illegal
				}
			}
			toks = append(toks, Token{Kind: kind, Text: src[start:i], Pos: start, End: i})
		case c == '\'' || c == '"':
			val, end, ok := scanString(src, i)
			if !ok {
				return append(toks, Token{Kind: Unterminated, Text: src[i:], Pos: i, End: len(src)})
			}
			i = end
			toks = append(toks, Token{Kind: String, Text: val, Pos: start, End: i})
		case c == '`':
			var b strings.Builder
			i++
			closed := false
			for i < len(src) {
				if src[i] == '`' {
					if i+1 < len(src) && src[i+1] == '`' {
						b.WriteByte('`')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteByte(src[i])
				i++
			}
			if !closed {
				return append(toks, Token{Kind: Unterminated, Text: src[start:], Pos: start, End: len(src)})
			}
			toks = append(toks, Token{Kind: Quoted, Text: b.String(), Pos: start, End: i})
		default:
			matched := false
			for _, op := range operators {
				if strings.HasPrefix(src[i:], op) {
					i += len(op)
					toks = append(toks, Token{Kind: Op, Text: op, Pos: start, End: i})
					matched = true
					break
				}
			}
			if !matched {
				_, n := utf8.DecodeRuneInString(src[i:])
				i += n
				toks = append(toks, Token{Kind: Illegal, Text: src[start:i], Pos: start, End: i})
			}
		}
	}
}

// endsOperand reports whether a '.' after t is a field access rather than
// the start of a number such as .5.
func endsOperand(t Token) bool {
	return t.Kind == Ident || t.Kind == Quoted || t.IsOp(")") || t.IsOp("]")
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(s string, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func isIdentPart(s string, i int) bool {
	return isIdentStart(s, i) || isDigit(s[i])
}

// scanNumber reads digits, an optional fraction and exponent, and a type
// suffix (L, S, Y, D, F, BD), returning the end offset.
func scanNumber(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	if i+1 < len(s) && (s[i] == 'b' || s[i] == 'B') && (s[i+1] == 'd' || s[i+1] == 'D') {
		return i + 2
	}
	if i < len(s) && strings.IndexByte("lLsSyYdDfF", s[i]) >= 0 {
		return i + 1
	}
	return i
}

// scanString reads a quoted string starting at s[i] and decodes Spark's
// backslash escapes: \0 \b \n \r \t \Z (ctrl-Z), \uXXXX, three octal
// digits, \% and \_ (kept with their backslash, for LIKE), and \c for any
// other c.
func scanString(s string, i int) (val string, end int, ok bool) {
	q := s[i]
	i++
	var b strings.Builder
	for i < len(s) {
		c := s[i]
		switch {
		case c == q:
			return b.String(), i + 1, true
		case c == '\\' && i+1 < len(s):
			n := s[i+1]
			switch n {
			case '0':
				if i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) && s[i+1] <= '3' {
					b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
					i += 4
					continue
				}
				b.WriteByte(0)
			case 'b':
				b.WriteByte('\b')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'Z':
				b.WriteByte(0x1A)
			case '%', '_':
				b.WriteByte('\\')
				b.WriteByte(n)
			case 'u':
				if i+6 <= len(s) && isHex(s[i+2:i+6]) {
					var r rune
					for _, h := range s[i+2 : i+6] {
						r = r<<4 | rune(hexVal(byte(h)))
					}
					b.WriteRune(r)
					i += 6
					continue
				}
				b.WriteByte('u')
			default:
				if n >= '1' && n <= '3' && i+3 < len(s) && isOctal(s[i+2]) && isOctal(s[i+3]) {
					b.WriteByte((n-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
					i += 4
					continue
				}
				b.WriteByte(n)
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", len(s), false
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if hexVal(s[i]) < 0 {
			return false
		}
	}
	return true
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
