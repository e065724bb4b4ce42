package expr

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
)

func registerJSONFuncs() {
	register("from_json", KindScalar, 2, 3, bindFromJSON)
	register("to_json", KindScalar, 1, 2, bindToJSON)
	register("get_json_object", KindScalar, 2, 2, bindGetJSONObject)
}

var errJSON = errors.New("malformed JSON")

// jsonScanner walks JSON text without building an intermediate tree.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonScanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// skip passes over one value, checking its syntax.
func (s *jsonScanner) skip() error {
	switch s.peek() {
	case '{':
		s.i++
		if s.peek() == '}' {
			s.i++
			return nil
		}
		for {
			if s.peek() != '"' {
				return errJSON
			}
			if _, err := s.str(nil); err != nil {
				return err
			}
			if s.peek() != ':' {
				return errJSON
			}
			s.i++
			if err := s.skip(); err != nil {
				return err
			}
			switch s.peek() {
			case ',':
				s.i++
			case '}':
				s.i++
				return nil
			default:
				return errJSON
			}
		}
	case '[':
		s.i++
		if s.peek() == ']' {
			s.i++
			return nil
		}
		for {
			if err := s.skip(); err != nil {
				return err
			}
			switch s.peek() {
			case ',':
				s.i++
			case ']':
				s.i++
				return nil
			default:
				return errJSON
			}
		}
	case '"':
		_, err := s.str(nil)
		return err
	case 't':
		return s.word("true")
	case 'f':
		return s.word("false")
	case 'n':
		return s.word("null")
	case 0:
		return errJSON
	}
	_, err := s.number()
	return err
}

func (s *jsonScanner) word(w string) error {
	if !strings.HasPrefix(string(s.b[s.i:min(len(s.b), s.i+len(w))]), w) {
		return errJSON
	}
	s.i += len(w)
	return nil
}

func (s *jsonScanner) number() ([]byte, error) {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			s.i++
			continue
		}
		break
	}
	if s.i == start {
		return nil, errJSON
	}
	return s.b[start:s.i], nil
}

// str reads a string (at '"') and appends its unescaped text to dst.
func (s *jsonScanner) str(dst []byte) ([]byte, error) {
	s.i++ // opening quote
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return dst, nil
		case c == '\\':
			if s.i+1 >= len(s.b) {
				return nil, errJSON
			}
			e := s.b[s.i+1]
			s.i += 2
			switch e {
			case 'n':
				dst = append(dst, '\n')
			case 't':
				dst = append(dst, '\t')
			case 'r':
				dst = append(dst, '\r')
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'u':
				if s.i+4 > len(s.b) {
					return nil, errJSON
				}
				v, err := strconv.ParseUint(string(s.b[s.i:s.i+4]), 16, 32)
				if err != nil {
					return nil, errJSON
				}
				s.i += 4
				r := rune(v)
				if utf16.IsSurrogate(r) && s.i+6 <= len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
					if v2, err := strconv.ParseUint(string(s.b[s.i+2:s.i+6]), 16, 32); err == nil {
						r = utf16.DecodeRune(r, rune(v2))
						s.i += 6
					}
				}
				dst = utf8.AppendRune(dst, r)
			default:
				dst = append(dst, e)
			}
		default:
			dst = append(dst, c)
			s.i++
		}
	}
	return nil, errJSON
}

// compact appends one value with insignificant whitespace removed.
func (s *jsonScanner) compact(dst []byte) ([]byte, error) {
	s.ws()
	start := s.i
	if err := s.skip(); err != nil {
		return nil, err
	}
	raw := s.b[start:s.i]
	inStr := false
	for k := 0; k < len(raw); k++ {
		c := raw[k]
		if inStr {
			dst = append(dst, c)
			if c == '\\' && k+1 < len(raw) {
				k++
				dst = append(dst, raw[k])
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
	return dst, nil
}

// decodeInto appends one value of type t to b. The text's syntax has been
// checked already; values of the wrong JSON type become null.
func (s *jsonScanner) decodeInto(b array.Builder, t arrow.DataType) {
	c := s.peek()
	if c == 'n' {
		_ = s.skip()
		b.AppendNull()
		return
	}
	switch bb := b.(type) {
	case *array.StructBuilder:
		if c != '{' {
			_ = s.skip()
			bb.AppendNull()
			return
		}
		st := t.(*arrow.StructType)
		bb.Append(true)
		seen := make([]bool, st.NumFields())
		s.i++
		var key []byte
		for s.peek() != '}' {
			key, _ = s.str(key[:0])
			s.peek()
			s.i++ // ':'
			f := -1
			for k := 0; k < st.NumFields(); k++ {
				if !seen[k] && st.Field(k).Name == string(key) {
					f = k
					break
				}
			}
			if f < 0 {
				_ = s.skip()
			} else {
				seen[f] = true
				s.decodeInto(bb.FieldBuilder(f), st.Field(f).Type)
			}
			if s.peek() == ',' {
				s.i++
			}
		}
		s.i++
		for k, ok := range seen {
			if !ok {
				bb.FieldBuilder(k).AppendNull()
			}
		}
	case *array.ListBuilder:
		if c != '[' {
			_ = s.skip()
			bb.AppendNull()
			return
		}
		bb.Append(true)
		elem := t.(*arrow.ListType).Elem()
		s.i++
		for s.peek() != ']' {
			s.decodeInto(bb.ValueBuilder(), elem)
			if s.peek() == ',' {
				s.i++
			}
		}
		s.i++
	case *array.MapBuilder:
		if c != '{' {
			_ = s.skip()
			bb.AppendNull()
			return
		}
		mt := t.(*arrow.MapType)
		bb.Append(true)
		s.i++
		for s.peek() != '}' {
			key, _ := s.str(nil)
			appendParsedString(bb.KeyBuilder(), mt.KeyType(), key)
			s.peek()
			s.i++
			s.decodeInto(bb.ItemBuilder(), mt.ItemType())
			if s.peek() == ',' {
				s.i++
			}
		}
		s.i++
	default:
		switch c {
		case '"':
			v, _ := s.str(nil)
			appendParsedString(b, t, v)
		case '{', '[':
			if t.ID() == arrow.STRING {
				raw, _ := s.compact(nil)
				b.(*array.StringBuilder).BinaryBuilder.Append(raw)
				return
			}
			_ = s.skip()
			b.AppendNull()
		case 't', 'f':
			_ = s.skip()
			switch bb := b.(type) {
			case *array.BooleanBuilder:
				bb.Append(c == 't')
			case *array.StringBuilder:
				bb.Append(strconv.FormatBool(c == 't'))
			default:
				b.AppendNull()
			}
		default:
			num, _ := s.number()
			appendNumber(b, t, num)
		}
	}
}

// appendParsedString stores a JSON string in a field of type t.
func appendParsedString(b array.Builder, t arrow.DataType, v []byte) {
	switch bb := b.(type) {
	case *array.StringBuilder:
		bb.BinaryBuilder.Append(v)
	case *array.BinaryBuilder:
		bb.Append(v)
	case *array.TimestampBuilder:
		if us, ok := parseTimestamp(v); ok {
			bb.Append(arrow.Timestamp(us))
		} else {
			bb.AppendNull()
		}
	case *array.Date32Builder:
		if d, ok := parseDate(v); ok {
			bb.Append(arrow.Date32(d))
		} else {
			bb.AppendNull()
		}
	default:
		b.AppendNull()
	}
}

func appendNumber(b array.Builder, t arrow.DataType, num []byte) {
	switch bb := b.(type) {
	case *array.Int8Builder, *array.Int16Builder, *array.Int32Builder, *array.Int64Builder:
		v, err := strconv.ParseInt(string(num), 10, 64)
		lo, hi := intRange(t)
		if err != nil || v < lo || v > hi {
			b.AppendNull()
			return
		}
		switch bb := b.(type) {
		case *array.Int8Builder:
			bb.Append(int8(v))
		case *array.Int16Builder:
			bb.Append(int16(v))
		case *array.Int32Builder:
			bb.Append(int32(v))
		case *array.Int64Builder:
			bb.Append(v)
		}
	case *array.Float64Builder:
		v, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			bb.AppendNull()
			return
		}
		bb.Append(v)
	case *array.Float32Builder:
		v, err := strconv.ParseFloat(string(num), 32)
		if err != nil {
			bb.AppendNull()
			return
		}
		bb.Append(float32(v))
	case *array.Decimal128Builder:
		dt := t.(*arrow.Decimal128Type)
		v, err := decimal128.FromString(string(num), dt.Precision, dt.Scale)
		if err != nil {
			bb.AppendNull()
			return
		}
		bb.Append(v)
	case *array.StringBuilder:
		bb.BinaryBuilder.Append(num)
	case *array.TimestampBuilder:
		v, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil {
			bb.AppendNull()
			return
		}
		bb.Append(arrow.Timestamp(saturatingMul(v, 1e6)))
	default:
		b.AppendNull()
	}
}

// SchemaFromString reads a from_json schema: a DDL field list
// ("a INT, b STRING") or a type ("array<int>", "map<string,int>",
// "struct<...>").
func SchemaFromString(s string) (arrow.DataType, error) {
	if t, err := ParseType(s); err == nil {
		return t, nil
	}
	st, err := ParseSchema(s)
	if err != nil {
		return nil, err
	}
	return st, nil
}

func bindFromJSON(b *binder, x *Call, args []*node) (*node, error) {
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	ddl, ok, err := constString(x, args, 1)
	if err != nil || !ok {
		return nil, analysisErr("INVALID_SCHEMA.NON_STRING_LITERAL",
			"The input schema %q must be a STRING literal.", x.Args[1].String())
	}
	t, err := SchemaFromString(ddl)
	if err != nil {
		return nil, analysisErr("INVALID_SCHEMA.PARSE_ERROR",
			"The input schema %q is not a valid schema string. %v", ddl, err)
	}
	out := unary(x, t, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		str := in.(*array.String)
		bld := array.NewBuilder(c.mem, t)
		defer bld.Release()
		bld.Reserve(c.n)
		var sc jsonScanner
		for i := 0; i < c.n; i++ {
			if str.IsNull(i) {
				bld.AppendNull()
				continue
			}
			sc = jsonScanner{b: binValue(str, i)}
			err := sc.skip()
			if err == nil {
				sc.ws()
				if sc.i != len(sc.b) {
					err = errJSON
				}
			}
			if err != nil {
				// Spark 3 PERMISSIVE: a struct of nulls; arrays and maps are null.
				if sb, ok := bld.(*array.StructBuilder); ok {
					sb.Append(true)
					for f := 0; f < sb.NumField(); f++ {
						sb.FieldBuilder(f).AppendNull()
					}
				} else {
					bld.AppendNull()
				}
				continue
			}
			sc.i = 0
			sc.decodeInto(bld, t)
		}
		return bld.NewArray(), nil
	})
	out.nullable = true
	return out, nil
}

func bindToJSON(b *binder, x *Call, args []*node) (*node, error) {
	a := args[0]
	switch a.typ.ID() {
	case arrow.STRUCT, arrow.LIST, arrow.MAP:
	default:
		return nil, unexpectedType(x, 0, `("STRUCT" or "ARRAY" or "MAP")`, a.typ)
	}
	return unary(x, TypeString, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		so := newStrOut(c.mem, c.n, 32*c.n)
		for i := 0; i < c.n; i++ {
			if in.IsNull(i) {
				so.pushNull()
				continue
			}
			so.push(appendJSON(so.scratch(64), in, i))
		}
		return so.finish(TypeString), nil
	}), nil
}

// appendJSON renders row i of a as JSON the way Spark's to_json does:
// null struct fields are left out, timestamps are ISO-8601 with millis.
func appendJSON(dst []byte, a arrow.Array, i int) []byte {
	if a.IsNull(i) {
		return append(dst, "null"...)
	}
	switch x := a.(type) {
	case *array.Struct:
		st := x.DataType().(*arrow.StructType)
		dst = append(dst, '{')
		first := true
		for f := 0; f < x.NumField(); f++ {
			if x.Field(f).IsNull(i) {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = jsonQuote(dst, st.Field(f).Name)
			dst = append(dst, ':')
			dst = appendJSON(dst, x.Field(f), i)
		}
		return append(dst, '}')
	case *array.Map:
		start, end := x.ValueOffsets(i)
		dst = append(dst, '{')
		for j := start; j < end; j++ {
			if j > start {
				dst = append(dst, ',')
			}
			dst = jsonQuote(dst, string(appendValueText(nil, x.Keys(), int(j))))
			dst = append(dst, ':')
			dst = appendJSON(dst, x.Items(), int(j))
		}
		return append(dst, '}')
	case *array.List:
		start, end := x.ValueOffsets(i)
		dst = append(dst, '[')
		for j := start; j < end; j++ {
			if j > start {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, x.ListValues(), int(j))
		}
		return append(dst, ']')
	case *array.String:
		return jsonQuote(dst, x.Value(i))
	case *array.Binary:
		return jsonQuote(dst, string(x.Value(i)))
	case *array.Timestamp:
		p, _ := ParseDatetimePattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
		dst = append(dst, '"')
		dst = p.AppendFormat(dst, int64(x.Value(i)))
		return append(dst, '"')
	case *array.Date32:
		return jsonQuote(dst, formatDate(int32(x.Value(i))))
	case *array.Float64:
		v := x.Value(i)
		if v != v || v > 1.7976931348623157e308 || v < -1.7976931348623157e308 {
			return jsonQuote(dst, formatDouble(v, 64))
		}
	case *array.Float32:
		v := x.Value(i)
		if v != v || v > 3.4028235e38 || v < -3.4028235e38 {
			return jsonQuote(dst, formatDouble(float64(v), 32))
		}
	}
	return appendValueText(dst, a, i)
}

func jsonQuote(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for _, r := range s {
		switch r {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			if r < 0x20 {
				dst = append(dst, []byte("\\u00")...)
				dst = append(dst, "0123456789abcdef"[r>>4], "0123456789abcdef"[r&15])
			} else {
				dst = utf8.AppendRune(dst, r)
			}
		}
	}
	return append(dst, '"')
}

// jsonPathStep is one step of a get_json_object path: a key or an index.
type jsonPathStep struct {
	key   string
	index int // -1 for a key step
}

// parseJSONPath reads $.a.b[0]['c'] paths.
func parseJSONPath(p string) ([]jsonPathStep, bool) {
	if !strings.HasPrefix(p, "$") {
		return nil, false
	}
	var steps []jsonPathStep
	i := 1
	for i < len(p) {
		switch p[i] {
		case '.':
			j := i + 1
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			if j == i+1 {
				return nil, false
			}
			steps = append(steps, jsonPathStep{key: p[i+1 : j], index: -1})
			i = j
		case '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, false
			}
			inner := p[i+1 : i+end]
			if len(inner) >= 2 && inner[0] == '\'' && inner[len(inner)-1] == '\'' {
				steps = append(steps, jsonPathStep{key: inner[1 : len(inner)-1], index: -1})
			} else {
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return nil, false
				}
				steps = append(steps, jsonPathStep{index: n})
			}
			i += end + 1
		default:
			return nil, false
		}
	}
	return steps, true
}

// follow moves the scanner to the value the path names.
func (s *jsonScanner) follow(steps []jsonPathStep) bool {
	for _, st := range steps {
		c := s.peek()
		if st.index < 0 {
			if c != '{' {
				return false
			}
			s.i++
			found := false
			var key []byte
			for s.peek() != '}' {
				var err error
				if key, err = s.str(key[:0]); err != nil {
					return false
				}
				s.peek()
				s.i++
				if string(key) == st.key {
					found = true
					break
				}
				if s.skip() != nil {
					return false
				}
				if s.peek() == ',' {
					s.i++
				}
			}
			if !found {
				return false
			}
			continue
		}
		if c != '[' {
			return false
		}
		s.i++
		for k := 0; ; k++ {
			if s.peek() == ']' {
				return false
			}
			if k == st.index {
				break
			}
			if s.skip() != nil {
				return false
			}
			if s.peek() == ',' {
				s.i++
			}
		}
	}
	return true
}

func bindGetJSONObject(b *binder, x *Call, args []*node) (*node, error) {
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	path, ok, err := constString(x, args, 1)
	if err != nil {
		return nil, err
	}
	steps, valid := parseJSONPath(path)
	if !ok || !valid {
		return nullConst(TypeString, x), nil
	}
	out := unary(x, TypeString, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		str := in.(*array.String)
		so := newStrOut(c.mem, c.n, 8*c.n)
		for i := 0; i < c.n; i++ {
			if str.IsNull(i) {
				so.pushNull()
				continue
			}
			sc := jsonScanner{b: binValue(str, i)}
			if !sc.follow(steps) {
				so.pushNull()
				continue
			}
			switch sc.peek() {
			case 'n':
				so.pushNull()
			case '"':
				v, err := sc.str(so.scratch(16))
				if err != nil {
					so.pushNull()
					continue
				}
				so.push(v)
			default:
				v, err := sc.compact(so.scratch(16))
				if err != nil {
					so.pushNull()
					continue
				}
				so.push(v)
			}
		}
		return so.finish(TypeString), nil
	})
	out.nullable = true
	return out, nil
}
