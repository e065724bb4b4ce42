package format

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow/decimal128"
)

// value decodes one JSON value into n's column, appending exactly one
// entry on success. A value of the wrong JSON type is skipped and reported
// as a non-syntax error.
func (d *JSONDecoder) value(s *jscanner, n *jnode) *jsonError {
	s.ws()
	if s.p >= len(s.b) {
		return s.syntaxErr("unexpected end of input")
	}
	c := s.b[s.p]
	if c == 'n' {
		if err := s.literal("null"); err != nil {
			return err
		}
		n.col.AppendNull()
		return nil
	}
	switch n.kind {
	case jString:
		col := n.col.(*bytesColumn)
		switch {
		case c == '"':
			v, err := s.str(&d.scratch)
			if err != nil {
				return err
			}
			col.Append(v)
		case c == '{' || c == '[':
			start := s.p
			if err := s.skip(0); err != nil {
				return err
			}
			col.data = appendCompactJSON(col.data, s.b[start:s.p])
			col.commit()
		default:
			start := s.p
			if err := s.skip(0); err != nil {
				return err
			}
			col.Append(s.b[start:s.p])
		}
		return nil
	case jBool:
		switch c {
		case 't':
			if err := s.literal("true"); err != nil {
				return err
			}
			n.col.(*boolColumn).Append(true)
			return nil
		case 'f':
			if err := s.literal("false"); err != nil {
				return err
			}
			n.col.(*boolColumn).Append(false)
			return nil
		}
	case jInt8, jInt16, jInt32, jInt64:
		if c == '-' || isDigit(c) {
			return d.integer(s, n)
		}
	case jFloat32, jFloat64:
		var v float64
		start := s.p
		switch {
		case c == '-' || isDigit(c):
			_, err := s.number()
			if err != nil {
				return err
			}
			bits := 64
			if n.kind == jFloat32 {
				bits = 32
			}
			f, perr := strconv.ParseFloat(bytesString(s.b[start:s.p]), bits)
			if perr != nil && !math.IsInf(f, 0) {
				return s.mismatch(n, start, "a number out of range")
			}
			v = f
		case c == '"':
			str, err := s.str(&d.scratch)
			if err != nil {
				return err
			}
			f, ok := nonNumericFloat(str)
			if !ok {
				return s.mismatch(n, start, "")
			}
			v = f
		default:
			return d.wrongType(s, n)
		}
		if n.kind == jFloat32 {
			n.col.(*fixedColumn[float32]).Append(float32(v))
		} else {
			n.col.(*fixedColumn[float64]).Append(v)
		}
		return nil
	case jDecimal:
		start := s.p
		var text []byte
		switch {
		case c == '-' || isDigit(c):
			if _, err := s.number(); err != nil {
				return err
			}
			text = s.b[start:s.p]
		case c == '"':
			str, err := s.str(&d.scratch)
			if err != nil {
				return err
			}
			text = str
		default:
			return d.wrongType(s, n)
		}
		v, ok := parseDecimal(text, n.prec, n.scale)
		if !ok {
			return s.mismatch(n, start, fmt.Sprintf("not a decimal(%d,%d)", n.prec, n.scale))
		}
		n.col.(*fixedColumn[decimal128.Num]).Append(v)
		return nil
	case jTimestamp:
		start := s.p
		switch {
		case c == '"':
			str, err := s.str(&d.scratch)
			if err != nil {
				return err
			}
			v, perr := d.times.parseTimestamp(str)
			if perr != nil {
				return s.mismatchErr(n, start, perr)
			}
			n.col.(*fixedColumn[int64]).Append(v)
			return nil
		case c == '-' || isDigit(c):
			isFloat, err := s.number()
			if err != nil {
				return err
			}
			secs, ok := parseInt64(s.b[start:s.p])
			if isFloat || !ok || secs > math.MaxInt64/1000000 || secs < math.MinInt64/1000000 {
				return s.mismatch(n, start, "")
			}
			n.col.(*fixedColumn[int64]).Append(secs * 1e6)
			return nil
		}
	case jDate:
		if c == '"' {
			start := s.p
			str, err := s.str(&d.scratch)
			if err != nil {
				return err
			}
			v, perr := d.times.parseDate(str)
			if perr != nil {
				return s.mismatchErr(n, start, perr)
			}
			n.col.(*fixedColumn[int32]).Append(v)
			return nil
		}
	case jBinary:
		if c == '"' {
			start := s.p
			str, err := s.str(&d.scratch)
			if err != nil {
				return err
			}
			col := n.col.(*bytesColumn)
			base := len(col.data)
			col.data = append(col.data, make([]byte, base64.StdEncoding.DecodedLen(len(str)))...)
			m, derr := base64.StdEncoding.Decode(col.data[base:], str)
			if derr != nil {
				col.data = col.data[:base]
				return s.mismatchErr(n, start, derr)
			}
			col.data = col.data[:base+m]
			col.commit()
			return nil
		}
	case jStruct:
		if c == '{' {
			sc := n.col.(*structColumn)
			row := sc.Len()
			err := d.object(s, n, row)
			if err != nil && err.syntax {
				return err
			}
			for _, f := range n.fields {
				if f.col.Len() == row {
					f.col.AppendNull()
				}
			}
			sc.appendValid()
			return err
		}
	case jList:
		if c == '[' {
			return d.list(s, n)
		}
	case jMap:
		if c == '{' {
			return d.mapValue(s, n)
		}
	}
	return d.wrongType(s, n)
}

func (d *JSONDecoder) list(s *jscanner, n *jnode) *jsonError {
	lc := n.col.(*listColumn)
	s.p++
	s.ws()
	if s.peek() == ']' {
		s.p++
		lc.closeList()
		return nil
	}
	var first *jsonError
	for {
		before := lc.child.Len()
		if err := d.value(s, n.elem); err != nil {
			if err.syntax {
				return err
			}
			lc.child.Truncate(before)
			if first == nil {
				first = err
			}
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.p++
		case ']':
			s.p++
			lc.closeList()
			return first
		default:
			return s.syntaxErr("expected ',' or ']' in array")
		}
	}
}

func (d *JSONDecoder) mapValue(s *jscanner, n *jnode) *jsonError {
	lc := n.col.(*listColumn)
	entries := lc.child.(*structColumn)
	keys := entries.children[0].(*bytesColumn)
	s.p++
	s.ws()
	if s.peek() == '}' {
		s.p++
		lc.closeList()
		return nil
	}
	var first *jsonError
	for {
		s.ws()
		if s.peek() != '"' {
			return s.syntaxErr("expected a field name")
		}
		key, err := s.str(&d.scratch)
		if err != nil {
			return err
		}
		s.ws()
		if s.peek() != ':' {
			return s.syntaxErr("expected ':' after a field name")
		}
		s.p++
		before := entries.Len()
		keys.Append(key)
		if err := d.value(s, n.elem); err != nil {
			if err.syntax {
				return err
			}
			entries.Truncate(before)
			if first == nil {
				first = err
			}
		} else {
			entries.appendValid()
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.p++
		case '}':
			s.p++
			lc.closeList()
			return first
		default:
			return s.syntaxErr("expected ',' or '}' in object")
		}
	}
}

func (d *JSONDecoder) integer(s *jscanner, n *jnode) *jsonError {
	start := s.p
	isFloat, err := s.number()
	if err != nil {
		return err
	}
	if isFloat {
		return s.mismatch(n, start, "")
	}
	v, ok := parseInt64(s.b[start:s.p])
	switch n.kind {
	case jInt8:
		if !ok || v < math.MinInt8 || v > math.MaxInt8 {
			return s.mismatch(n, start, "out of range")
		}
		n.col.(*fixedColumn[int8]).Append(int8(v))
	case jInt16:
		if !ok || v < math.MinInt16 || v > math.MaxInt16 {
			return s.mismatch(n, start, "out of range")
		}
		n.col.(*fixedColumn[int16]).Append(int16(v))
	case jInt32:
		if !ok || v < math.MinInt32 || v > math.MaxInt32 {
			return s.mismatch(n, start, "out of range")
		}
		n.col.(*fixedColumn[int32]).Append(int32(v))
	default:
		if !ok {
			return s.mismatch(n, start, "out of range")
		}
		n.col.(*fixedColumn[int64]).Append(v)
	}
	return nil
}

// wrongType skips a value whose JSON type cannot go into n's column.
func (d *JSONDecoder) wrongType(s *jscanner, n *jnode) *jsonError {
	start := s.p
	if err := s.skip(0); err != nil {
		return err
	}
	return s.mismatch(n, start, "")
}

// parseInt64 parses an optionally signed decimal integer.
func parseInt64(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// nonNumericFloat reads the strings Spark accepts for special doubles.
func nonNumericFloat(b []byte) (float64, bool) {
	switch string(b) {
	case "NaN", "+NaN", "-NaN":
		return math.NaN(), true
	case "Infinity", "+Infinity", "+INF", "INF", "Inf", "+Inf":
		return math.Inf(1), true
	case "-Infinity", "-INF", "-Inf":
		return math.Inf(-1), true
	}
	return 0, false
}

// appendCompactJSON copies a JSON value without the whitespace outside
// strings, as Jackson re-serialises nested values read into a string
// column.
func appendCompactJSON(dst, v []byte) []byte {
	inStr := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if inStr {
			dst = append(dst, c)
			if c == '\\' && i+1 < len(v) {
				i++
				dst = append(dst, v[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			inStr = true
		}
		dst = append(dst, c)
	}
	return dst
}
