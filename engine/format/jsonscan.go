package format

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonError is a problem in one JSON record. Syntax errors make the whole
// record unreadable; other errors (a value of the wrong type for its
// column) leave the scanner after the value and spoil only that field.
type jsonError struct {
	pos    int
	syntax bool
	msg    string
}

func (e *jsonError) Error() string {
	return e.msg
}

// jscanner walks one JSON text.
type jscanner struct {
	b []byte
	p int
}

func (s *jscanner) ws() {
	for s.p < len(s.b) {
		switch s.b[s.p] {
		case ' ', '\t', '\n', '\r':
			s.p++
		default:
			return
		}
	}
}

func (s *jscanner) peek() byte {
	if s.p < len(s.b) {
		return s.b[s.p]
	}
	return 0
}

func (s *jscanner) syntaxErr(msg string) *jsonError {
	near := ""
	if s.p < len(s.b) {
		end := min(s.p+20, len(s.b))
		near = fmt.Sprintf(" near %q", s.b[s.p:end])
	}
	return &jsonError{pos: s.p, syntax: true, msg: fmt.Sprintf("invalid JSON at byte %d of the record: %s%s", s.p, msg, near)}
}

// mismatch reports that the value s.b[start:s.p] does not fit n's column.
func (s *jscanner) mismatch(n *jnode, start int, detail string) *jsonError {
	text := s.b[start:s.p]
	if len(text) > 60 {
		text = append(text[:57:57], "..."...)
	}
	msg := fmt.Sprintf("cannot read JSON %s %s into field %q of type %s", tokenName(s.b[start]), text, n.path, kindName(n))
	if detail != "" {
		msg += ": " + detail
	}
	return &jsonError{pos: start, msg: msg}
}

func (s *jscanner) mismatchErr(n *jnode, start int, err error) *jsonError {
	return s.mismatch(n, start, err.Error())
}

func tokenName(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	}
	return "number"
}

func kindName(n *jnode) string {
	switch n.kind {
	case jString:
		return "string"
	case jBinary:
		return "binary"
	case jBool:
		return "boolean"
	case jInt8:
		return "tinyint"
	case jInt16:
		return "smallint"
	case jInt32:
		return "int"
	case jInt64:
		return "bigint"
	case jFloat32:
		return "float"
	case jFloat64:
		return "double"
	case jDecimal:
		return fmt.Sprintf("decimal(%d,%d)", n.prec, n.scale)
	case jTimestamp:
		return "timestamp"
	case jDate:
		return "date"
	case jStruct:
		return "struct"
	case jList:
		return "array"
	}
	return "map"
}

func (s *jscanner) literal(lit string) *jsonError {
	if len(s.b)-s.p < len(lit) || string(s.b[s.p:s.p+len(lit)]) != lit {
		return s.syntaxErr("unrecognized token")
	}
	s.p += len(lit)
	return nil
}

// str reads the string at s.p (which holds '"') and returns its unescaped
// contents: a view of the input when there are no escapes, else a view of
// *scratch, valid until the next call.
func (s *jscanner) str(scratch *[]byte) ([]byte, *jsonError) {
	start := s.p + 1
	end := bytes.IndexByte(s.b[start:], '"')
	if end < 0 {
		s.p = len(s.b)
		return nil, s.syntaxErr("unterminated string")
	}
	seg := s.b[start : start+end]
	if bytes.IndexByte(seg, '\\') < 0 {
		s.p = start + end + 1
		return seg, nil
	}
	out := (*scratch)[:0]
	p := start
	for {
		if p >= len(s.b) {
			s.p = p
			return nil, s.syntaxErr("unterminated string")
		}
		c := s.b[p]
		switch c {
		case '"':
			s.p = p + 1
			*scratch = out
			return out, nil
		case '\\':
			if p+1 >= len(s.b) {
				s.p = p
				return nil, s.syntaxErr("unterminated string")
			}
			e := s.b[p+1]
			p += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(s.b, p)
				if !ok {
					s.p = p
					return nil, s.syntaxErr("invalid \\u escape")
				}
				p += 4
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(s.b, p+2); ok && p+1 < len(s.b) && s.b[p] == '\\' && s.b[p+1] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							r = dec
							p += 6
						}
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				s.p = p - 1
				return nil, s.syntaxErr("invalid escape")
			}
		default:
			out = append(out, c)
			p++
		}
	}
}

func hex4(b []byte, p int) (rune, bool) {
	if p+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[p:p+4]), 16, 32)
	return rune(v), err == nil
}

// number scans a JSON number at s.p and reports whether it has a fraction
// or an exponent.
func (s *jscanner) number() (bool, *jsonError) {
	p := s.p
	b := s.b
	if p < len(b) && b[p] == '-' {
		p++
	}
	d := p
	for p < len(b) && isDigit(b[p]) {
		p++
	}
	if p == d {
		s.p = p
		return false, s.syntaxErr("invalid number")
	}
	isFloat := false
	if p < len(b) && b[p] == '.' {
		isFloat = true
		p++
		d = p
		for p < len(b) && isDigit(b[p]) {
			p++
		}
		if p == d {
			s.p = p
			return false, s.syntaxErr("invalid number")
		}
	}
	if p < len(b) && (b[p] == 'e' || b[p] == 'E') {
		isFloat = true
		p++
		if p < len(b) && (b[p] == '+' || b[p] == '-') {
			p++
		}
		d = p
		for p < len(b) && isDigit(b[p]) {
			p++
		}
		if p == d {
			s.p = p
			return false, s.syntaxErr("invalid number")
		}
	}
	s.p = p
	return isFloat, nil
}

const maxJSONDepth = 1000

// skip passes over one complete JSON value, checking its syntax.
func (s *jscanner) skip(depth int) *jsonError {
	s.ws()
	if s.p >= len(s.b) {
		return s.syntaxErr("unexpected end of input")
	}
	if depth > maxJSONDepth {
		return s.syntaxErr("nesting too deep")
	}
	switch c := s.b[s.p]; {
	case c == '"':
		var scratch []byte
		_, err := s.str(&scratch)
		return err
	case c == '{':
		s.p++
		s.ws()
		if s.peek() == '}' {
			s.p++
			return nil
		}
		for {
			s.ws()
			if s.peek() != '"' {
				return s.syntaxErr("expected a field name")
			}
			var scratch []byte
			if _, err := s.str(&scratch); err != nil {
				return err
			}
			s.ws()
			if s.peek() != ':' {
				return s.syntaxErr("expected ':' after a field name")
			}
			s.p++
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			s.ws()
			switch s.peek() {
			case ',':
				s.p++
			case '}':
				s.p++
				return nil
			default:
				return s.syntaxErr("expected ',' or '}' in object")
			}
		}
	case c == '[':
		s.p++
		s.ws()
		if s.peek() == ']' {
			s.p++
			return nil
		}
		for {
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			s.ws()
			switch s.peek() {
			case ',':
				s.p++
			case ']':
				s.p++
				return nil
			default:
				return s.syntaxErr("expected ',' or ']' in array")
			}
		}
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || isDigit(c):
		_, err := s.number()
		return err
	}
	return s.syntaxErr("unexpected character")
}
