package format

import (
	"strconv"
	"strings"
)

// JSONPath is a compiled get_json_object path: $ followed by steps .name,
// ['name'] and [index].
type JSONPath struct {
	steps []jsonPathStep
}

// jsonPathStep is one step of a path: a key, or an index when index >= 0.
type jsonPathStep struct {
	key   string
	index int
}

// ParseJSONPath compiles a path such as "$.a.b[0]['c d']". ok is false for
// a path Spark's get_json_object does not accept (which makes it return
// null).
func ParseJSONPath(path string) (p *JSONPath, ok bool) {
	if !strings.HasPrefix(path, "$") {
		return nil, false
	}
	p = &JSONPath{}
	for i := 1; i < len(path); {
		switch path[i] {
		case '.':
			j := i + 1
			for j < len(path) && path[j] != '.' && path[j] != '[' {
				j++
			}
			if j == i+1 {
				return nil, false
			}
			p.steps = append(p.steps, jsonPathStep{key: path[i+1 : j], index: -1})
			i = j
		case '[':
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				return nil, false
			}
			inner := path[i+1 : i+end]
			if len(inner) >= 2 && inner[0] == '\'' && inner[len(inner)-1] == '\'' {
				p.steps = append(p.steps, jsonPathStep{key: inner[1 : len(inner)-1], index: -1})
			} else {
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return nil, false
				}
				p.steps = append(p.steps, jsonPathStep{index: n})
			}
			i += end + 1
		default:
			return nil, false
		}
	}
	return p, true
}

// AppendValue appends the value the path names in the JSON text doc, as
// get_json_object returns it: a string's contents unescaped and without
// quotes, any other value as compact JSON. ok is false when the path names
// nothing, the value is null, or doc is not valid JSON up to the end of the
// value (text after it is not read).
func (p *JSONPath) AppendValue(dst, doc []byte) ([]byte, bool) {
	s := jscanner{b: doc}
	var scratch []byte
	if !p.follow(&s, &scratch) {
		return dst, false
	}
	s.ws()
	start := s.p
	switch s.peek() {
	case 'n':
		return dst, false
	case '"':
		v, err := s.str(&scratch)
		if err != nil {
			return dst, false
		}
		return append(dst, v...), true
	}
	if err := s.skip(0); err != nil {
		return dst, false
	}
	return appendCompactJSON(dst, doc[start:s.p]), true
}

// follow moves s to the value the path names.
func (p *JSONPath) follow(s *jscanner, scratch *[]byte) bool {
	for _, st := range p.steps {
		s.ws()
		if st.index < 0 {
			if s.peek() != '{' || !findKey(s, st.key, scratch) {
				return false
			}
			continue
		}
		if s.peek() != '[' || !findIndex(s, st.index) {
			return false
		}
	}
	return true
}

// findKey moves s from an object's '{' to the value of its first member
// named key.
func findKey(s *jscanner, key string, scratch *[]byte) bool {
	s.p++
	for {
		s.ws()
		if s.peek() != '"' {
			return false
		}
		k, err := s.str(scratch)
		if err != nil {
			return false
		}
		s.ws()
		if s.peek() != ':' {
			return false
		}
		s.p++
		if string(k) == key {
			return true
		}
		if !skipToNext(s) {
			return false
		}
	}
}

// findIndex moves s from an array's '[' to its element at index.
func findIndex(s *jscanner, index int) bool {
	s.p++
	for k := 0; ; k++ {
		s.ws()
		if s.peek() == ']' {
			return false
		}
		if k == index {
			return true
		}
		if !skipToNext(s) {
			return false
		}
	}
}

// skipToNext passes over a value and the ',' after it; it is false at the
// end of the object or array, and on invalid JSON.
func skipToNext(s *jscanner) bool {
	if s.skip(0) != nil {
		return false
	}
	s.ws()
	if s.peek() != ',' {
		return false
	}
	s.p++
	return true
}
