package expr

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func registerStringFuncs() {
	register("upper", KindScalar, 1, 1, bindCase(true))
	register("ucase", KindScalar, 1, 1, bindCase(true))
	register("lower", KindScalar, 1, 1, bindCase(false))
	register("lcase", KindScalar, 1, 1, bindCase(false))
	register("length", KindScalar, 1, 1, bindLength)
	register("char_length", KindScalar, 1, 1, bindLength)
	register("trim", KindScalar, 1, 1, bindTrim(true, true))
	register("ltrim", KindScalar, 1, 1, bindTrim(true, false))
	register("rtrim", KindScalar, 1, 1, bindTrim(false, true))
	register("concat", KindScalar, 0, -1, bindConcat)
	register("concat_ws", KindScalar, 1, -1, bindConcatWS)
	register("substring", KindScalar, 2, 3, bindSubstring)
	register("substr", KindScalar, 2, 3, bindSubstring)
	register("split", KindScalar, 2, 3, bindSplit)
	register("regexp_extract", KindScalar, 2, 3, bindRegexpExtract)
	register("regexp_replace", KindScalar, 3, 4, bindRegexpReplace)
	register("rlike", KindScalar, 2, 2, bindStringPredicate("rlike"))
	register("regexp_like", KindScalar, 2, 2, bindStringPredicate("rlike"))
	register("contains", KindScalar, 2, 2, bindStringPredicate("contains"))
	register("startswith", KindScalar, 2, 2, bindStringPredicate("startswith"))
	register("endswith", KindScalar, 2, 2, bindStringPredicate("endswith"))
}

// mapStrings builds a string array by applying f to every non-null value.
func mapStrings(c *evalCtx, in arrow.Array, f func(dst, s []byte) []byte) arrow.Array {
	s := in.(binaryLike)
	n := in.Len()
	offs, data := binData(s)
	so := newStrOut(c.mem, n, len(data))
	bits, off := validity(in)
	for i := 0; i < n; i++ {
		if !isValid(bits, off, i) {
			so.pushNull()
			continue
		}
		v := data[offs[i]:offs[i+1]]
		so.push(f(so.scratch(len(v)), v))
	}
	return so.finish(TypeString)
}

func bindCase(upper bool) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		a, err := argAs(x, args, 0, TypeString)
		if err != nil {
			return nil, err
		}
		return unary(x, TypeString, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			return changeCase(c, in.(*array.String), upper), nil
		}), nil
	}
}

// changeCase maps ASCII text byte by byte, sharing the offsets and
// validity buffers with the input; non-ASCII text goes through Unicode
// case mapping.
func changeCase(c *evalCtx, s *array.String, upper bool) arrow.Array {
	d := s.Data()
	offs := s.ValueOffsets()
	n := s.Len()
	if n == 0 {
		s.Retain()
		return s
	}
	raw := d.Buffers()[2]
	var src []byte
	if raw != nil {
		src = raw.Bytes()
	}
	lo, hi := int(offs[0]), int(offs[n])
	ascii := true
	for _, ch := range src[lo:hi] {
		if ch >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii {
		return mapStrings(c, s, func(dst, v []byte) []byte {
			if upper {
				return append(dst, bytes.ToUpper(v)...)
			}
			return append(dst, bytes.ToLower(v)...)
		})
	}
	out := allocBuf(c.mem, len(src))
	ob := out.Bytes()
	if upper {
		for i := lo; i < hi; i++ {
			ch := src[i]
			ob[i] = ch - 32*b2u(ch >= 'a' && ch <= 'z')
		}
	} else {
		for i := lo; i < hi; i++ {
			ch := src[i]
			ob[i] = ch + 32*b2u(ch >= 'A' && ch <= 'Z')
		}
	}
	bufs := []*memory.Buffer{d.Buffers()[0], d.Buffers()[1], out}
	nd := array.NewData(TypeString, n, bufs, nil, d.NullN(), d.Offset())
	res := array.MakeFromData(nd)
	nd.Release()
	out.Release()
	return res
}

func bindLength(b *binder, x *Call, args []*node) (*node, error) {
	a := args[0]
	if a.typ.ID() != arrow.BINARY {
		var err error
		if a, err = argAs(x, args, 0, TypeString); err != nil {
			return nil, err
		}
	}
	isBinary := a.typ.ID() == arrow.BINARY
	return unary(x, TypeInt, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		s := in.(binaryLike)
		offs, data := binData(s)
		buf, out := fixedBuf[int32](c.mem, in.Len())
		for i := range out {
			v := data[offs[i]:offs[i+1]]
			if isBinary {
				out[i] = int32(len(v))
			} else {
				out[i] = int32(utf8.RuneCount(v))
			}
		}
		valid, nulls := copyValidity(c.mem, in)
		return makeArray(TypeInt, in.Len(), valid, nulls, buf), nil
	}), nil
}

func bindTrim(left, right bool) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		a, err := argAs(x, args, 0, TypeString)
		if err != nil {
			return nil, err
		}
		return unary(x, TypeString, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			return mapStrings(c, in, func(dst, v []byte) []byte {
				if left {
					v = bytes.TrimLeft(v, " ")
				}
				if right {
					v = bytes.TrimRight(v, " ")
				}
				return append(dst, v...)
			}), nil
		}), nil
	}
}

func bindConcat(b *binder, x *Call, args []*node) (*node, error) {
	strs := make([]*node, len(args))
	for i := range args {
		a, err := argAs(x, args, i, TypeString)
		if err != nil {
			return nil, err
		}
		strs[i] = a
	}
	return multi(x, TypeString, strs, func(c *evalCtx, in []arrow.Array) (arrow.Array, error) {
		so := newStrOut(c.mem, c.n, 16*c.n)
		for i := 0; i < c.n; i++ {
			dst := so.scratch(32)
			null := false
			for _, a := range in {
				if a.IsNull(i) {
					null = true
					break
				}
				dst = append(dst, binValue(a.(binaryLike), i)...)
			}
			if null {
				so.pushNull()
			} else {
				so.push(dst)
			}
		}
		return so.finish(TypeString), nil
	}), nil
}

func bindConcatWS(b *binder, x *Call, args []*node) (*node, error) {
	nodes := make([]*node, len(args))
	for i, a := range args {
		if _, ok := a.typ.(*arrow.ListType); ok && i > 0 {
			nodes[i] = a
			continue
		}
		s, err := argAs(x, args, i, TypeString)
		if err != nil {
			return nil, err
		}
		nodes[i] = s
	}
	out := multi(x, TypeString, nodes, func(c *evalCtx, in []arrow.Array) (arrow.Array, error) {
		so := newStrOut(c.mem, c.n, 16*c.n)
		sep := in[0].(binaryLike)
		for i := 0; i < c.n; i++ {
			if sep.IsNull(i) {
				so.pushNull()
				continue
			}
			sv := binValue(sep, i)
			dst := so.scratch(32)
			first := true
			add := func(v []byte) {
				if !first {
					dst = append(dst, sv...)
				}
				dst = append(dst, v...)
				first = false
			}
			for _, a := range in[1:] {
				if a.IsNull(i) {
					continue
				}
				if l, ok := a.(*array.List); ok {
					start, end := l.ValueOffsets(i)
					vals := l.ListValues().(binaryLike)
					for j := start; j < end; j++ {
						if !vals.IsNull(int(j)) {
							add(binValue(vals, int(j)))
						}
					}
					continue
				}
				add(binValue(a.(binaryLike), i))
			}
			so.push(dst)
		}
		return so.finish(TypeString), nil
	})
	out.nullable = args[0].nullable
	return out, nil
}

// substringSQL is Spark's UTF8String.substringSQL: 1-based pos, 0 means 1,
// negative counts from the end.
func substringSQL(v []byte, pos, length int64) []byte {
	ascii := true
	for _, ch := range v {
		if ch >= 0x80 {
			ascii = false
			break
		}
	}
	var n int64
	if ascii {
		n = int64(len(v))
	} else {
		n = int64(utf8.RuneCount(v))
	}
	var start int64
	switch {
	case pos > 0:
		start = pos - 1
	case pos < 0:
		start = n + pos
	}
	end := start + length
	if length > 1<<40 {
		end = 1 << 40
	}
	start = max(start, 0)
	if start >= end {
		return nil
	}
	end = min(end, n)
	if start >= end {
		return nil
	}
	if ascii {
		return v[start:end]
	}
	bi, ci := 0, int64(0)
	var bs, be = -1, len(v)
	for bi < len(v) {
		if ci == start {
			bs = bi
		}
		if ci == end {
			be = bi
			break
		}
		_, size := utf8.DecodeRune(v[bi:])
		bi += size
		ci++
	}
	if bs < 0 {
		return nil
	}
	return v[bs:be]
}

func bindSubstring(b *binder, x *Call, args []*node) (*node, error) {
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	pos, err := argAs(x, args, 1, TypeLong)
	if err != nil {
		return nil, err
	}
	nodes := []*node{s, pos}
	if len(args) == 3 {
		l, err := argAs(x, args, 2, TypeLong)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, l)
	}
	return multi(x, TypeString, nodes, func(c *evalCtx, in []arrow.Array) (arrow.Array, error) {
		str := in[0].(binaryLike)
		ps := values[int64](in[1])
		so := newStrOut(c.mem, c.n, c.n*8)
		var ls []int64
		if len(in) == 3 {
			ls = values[int64](in[2])
		}
		for i := 0; i < c.n; i++ {
			null := false
			for _, a := range in {
				null = null || a.IsNull(i)
			}
			if null {
				so.pushNull()
				continue
			}
			length := int64(1 << 40)
			if ls != nil {
				length = ls[i]
			}
			so.push(substringSQL(binValue(str, i), ps[i], length))
		}
		return so.finish(TypeString), nil
	}), nil
}

// compileJavaRegex compiles a Java regular expression with Go's RE2 engine;
// constructs RE2 lacks (lookaround, backreferences) are reported.
func compileJavaRegex(x *Call, pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, analysisErr("INVALID_PARAMETER_VALUE.PATTERN",
			"The value of parameter(s) `regexp` in %s is invalid: %q is not a supported regular expression: %v.", quoteID(x.Name), pattern, err)
	}
	return re, nil
}

func bindSplit(b *binder, x *Call, args []*node) (*node, error) {
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	pat, ok, err := constString(x, args, 1)
	if err != nil {
		return nil, err
	}
	t := ArrayOf(TypeString)
	if !ok {
		return nullConst(t, x), nil
	}
	limit := int64(-1)
	if len(args) == 3 {
		if limit, _, err = constInt(x, args, 2); err != nil {
			return nil, err
		}
		if limit <= 0 {
			limit = -1
		}
	}
	re, err := compileJavaRegex(x, pat)
	if err != nil {
		return nil, err
	}
	return unary(x, t, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		str := in.(*array.String)
		lb := array.NewListBuilder(c.mem, TypeString)
		defer lb.Release()
		vb := lb.ValueBuilder().(*array.StringBuilder)
		lb.Reserve(in.Len())
		for i := 0; i < in.Len(); i++ {
			if str.IsNull(i) {
				lb.AppendNull()
				continue
			}
			lb.Append(true)
			v := str.Value(i)
			if v == "" {
				vb.Append("")
				continue
			}
			for _, part := range re.Split(v, int(limit)) {
				vb.Append(part)
			}
		}
		return lb.NewArray(), nil
	}), nil
}

func bindRegexpExtract(b *binder, x *Call, args []*node) (*node, error) {
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	pat, ok, err := constString(x, args, 1)
	if err != nil {
		return nil, err
	}
	idx := int64(1)
	if len(args) == 3 {
		if idx, _, err = constInt(x, args, 2); err != nil {
			return nil, err
		}
	}
	if !ok {
		return nullConst(TypeString, x), nil
	}
	re, err := compileJavaRegex(x, pat)
	if err != nil {
		return nil, err
	}
	if idx < 0 || int(idx) > re.NumSubexp() {
		return nil, analysisErr("INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX",
			"The value of parameter(s) `idx` in %s is invalid: Expects group index between 0 and %d, but got %d.",
			quoteID("regexp_extract"), re.NumSubexp(), idx)
	}
	g := int(idx)
	return unary(x, TypeString, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		return mapStrings(c, in, func(dst, v []byte) []byte {
			m := re.FindSubmatchIndex(v)
			if m == nil || m[2*g] < 0 {
				return dst
			}
			return append(dst, v[m[2*g]:m[2*g+1]]...)
		}), nil
	}), nil
}

// javaReplacement converts a Java replacement string ($1, \$) to Go's
// template syntax (${1}, $$).
func javaReplacement(r string) string {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		ch := r[i]
		switch {
		case ch == '\\' && i+1 < len(r):
			i++
			if r[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(r[i])
			}
		case ch == '$' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			j := i + 1
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			b.WriteString("${" + r[i+1:j] + "}")
			i = j - 1
		case ch == '$' && i+1 < len(r) && r[i+1] == '{':
			end := strings.IndexByte(r[i:], '}')
			if end < 0 {
				b.WriteString("$$")
				continue
			}
			b.WriteString(r[i : i+end+1])
			i += end
		case ch == '$':
			b.WriteString("$$")
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

func bindRegexpReplace(b *binder, x *Call, args []*node) (*node, error) {
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	pat, ok1, err := constString(x, args, 1)
	if err != nil {
		return nil, err
	}
	rep, ok2, err := constString(x, args, 2)
	if err != nil {
		return nil, err
	}
	pos := int64(1)
	if len(args) == 4 {
		if pos, _, err = constInt(x, args, 3); err != nil {
			return nil, err
		}
		if pos < 1 {
			return nil, analysisErr("INVALID_PARAMETER_VALUE.REGEX_POSITION",
				"The value of parameter(s) `position` in %s is invalid: expects a positive number, but got %d.", quoteID("regexp_replace"), pos)
		}
	}
	if !ok1 || !ok2 {
		return nullConst(TypeString, x), nil
	}
	re, err := compileJavaRegex(x, pat)
	if err != nil {
		return nil, err
	}
	tmpl := []byte(javaReplacement(rep))
	skip := int(pos - 1)
	return unary(x, TypeString, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		return mapStrings(c, in, func(dst, v []byte) []byte {
			prefix, head := splitAtRune(v, skip)
			dst = append(dst, prefix...)
			last := 0
			for _, m := range re.FindAllSubmatchIndex(head, -1) {
				dst = append(dst, head[last:m[0]]...)
				dst = re.Expand(dst, tmpl, head, m)
				last = m[1]
			}
			return append(dst, head[last:]...)
		}), nil
	}), nil
}

func splitAtRune(v []byte, k int) ([]byte, []byte) {
	i := 0
	for r := 0; r < k && i < len(v); r++ {
		_, size := utf8.DecodeRune(v[i:])
		i += size
	}
	return v[:i], v[i:]
}

func bindStringPredicate(kind string) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		s, err := argAs(x, args, 0, TypeString)
		if err != nil {
			return nil, err
		}
		if kind == "rlike" {
			pat, ok, err := constString(x, args, 1)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nullConst(TypeBoolean, x), nil
			}
			re, err := compileJavaRegex(x, pat)
			if err != nil {
				return nil, err
			}
			return unary(x, TypeBoolean, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
				return matchStrings(c, in, re.Match), nil
			}), nil
		}
		p, err := argAs(x, args, 1, TypeString)
		if err != nil {
			return nil, err
		}
		test := map[string]func(a, b []byte) bool{
			"contains": bytes.Contains, "startswith": bytes.HasPrefix, "endswith": bytes.HasSuffix,
		}[kind]
		if p.isConst {
			if p.value == nil {
				return nullConst(TypeBoolean, x), nil
			}
			pv := []byte(p.value.(string))
			return unary(x, TypeBoolean, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
				return matchStrings(c, in, func(v []byte) bool { return test(v, pv) }), nil
			}), nil
		}
		return multi(x, TypeBoolean, []*node{s, p}, func(c *evalCtx, in []arrow.Array) (arrow.Array, error) {
			bits := allocBitmap(c.mem, c.n)
			out := bits.Bytes()
			a, pa := in[0].(binaryLike), in[1].(binaryLike)
			for i := 0; i < c.n; i++ {
				if test(binValue(a, i), binValue(pa, i)) {
					setBit(out, i)
				}
			}
			return boolResult(c, bits, in...), nil
		}), nil
	}
}

// matchStrings evaluates a predicate on every string; nulls stay null.
func matchStrings(c *evalCtx, in arrow.Array, f func([]byte) bool) arrow.Array {
	s := in.(binaryLike)
	offs, data := binData(s)
	bits := allocBitmap(c.mem, in.Len())
	out := bits.Bytes()
	for i := 0; i < in.Len(); i++ {
		if f(data[offs[i]:offs[i+1]]) {
			setBit(out, i)
		}
	}
	return boolResult(c, bits, in)
}

// likeMatcher compiles a SQL LIKE pattern (% and _ wildcards, \ escapes)
// to a byte predicate, with fast paths for prefix, suffix, infix and
// exact patterns.
func likeMatcher(pattern string) (func([]byte) bool, error) {
	var lit strings.Builder
	var re strings.Builder
	re.WriteString("(?s)^")
	simple := true
	var parts []string
	cur := strings.Builder{}
	wild := []bool{}
	for i := 0; i < len(pattern); i++ {
		ch := pattern[i]
		switch ch {
		case '\\':
			if i+1 >= len(pattern) {
				return nil, fmt.Errorf("[INVALID_FORMAT.ESC_AT_THE_END] the escape character is not allowed to end the pattern %q", pattern)
			}
			i++
			re.WriteString(regexp.QuoteMeta(string(pattern[i])))
			cur.WriteByte(pattern[i])
			lit.WriteByte(pattern[i])
		case '%':
			re.WriteString(".*")
			parts = append(parts, cur.String())
			cur.Reset()
			wild = append(wild, true)
		case '_':
			re.WriteString(".")
			simple = false
		default:
			re.WriteString(regexp.QuoteMeta(string(ch)))
			cur.WriteByte(ch)
			lit.WriteByte(ch)
		}
	}
	parts = append(parts, cur.String())
	re.WriteString("$")
	if simple {
		switch {
		case len(parts) == 1:
			p := []byte(parts[0])
			return func(v []byte) bool { return bytes.Equal(v, p) }, nil
		case len(parts) == 2 && parts[1] == "":
			p := []byte(parts[0])
			return func(v []byte) bool { return bytes.HasPrefix(v, p) }, nil
		case len(parts) == 2 && parts[0] == "":
			p := []byte(parts[1])
			return func(v []byte) bool { return bytes.HasSuffix(v, p) }, nil
		case len(parts) == 3 && parts[0] == "" && parts[2] == "":
			p := []byte(parts[1])
			return func(v []byte) bool { return bytes.Contains(v, p) }, nil
		}
	}
	r, err := regexp.Compile(re.String())
	if err != nil {
		return nil, err
	}
	return r.Match, nil
}

func (b *binder) bindLike(x *Like) (*node, error) {
	child, err := b.bind(x.Child)
	if err != nil {
		return nil, err
	}
	if !isString(child.typ) && !isNull(child.typ) {
		if !implicitCastable(child.typ, TypeString) {
			return nil, dataTypeMismatch("UNEXPECTED_INPUT_TYPE", x,
				"The first parameter requires the %q type, however %q has the type %q.", "STRING", x.Child.String(), SQLTypeName(child.typ))
		}
	}
	if child, err = castNode(child, TypeString, x.Child); err != nil {
		return nil, err
	}
	var match func([]byte) bool
	if x.RLike {
		re, err := regexp.Compile(x.Pattern)
		if err != nil {
			return nil, analysisErr("INVALID_PARAMETER_VALUE.PATTERN",
				"The value of parameter(s) `regexp` in `rlike` is invalid: %q is not a supported regular expression: %v.", x.Pattern, err)
		}
		match = re.Match
	} else if match, err = likeMatcher(x.Pattern); err != nil {
		return nil, err
	}
	if child.isConst && child.value == nil {
		return nullConst(TypeBoolean, x), nil
	}
	out := &node{typ: TypeBoolean, nullable: child.nullable, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
		in, err := child.run(c)
		if err != nil {
			return nil, err
		}
		defer in.Release()
		return matchStrings(c, in, match), nil
	}}
	if child.isConst {
		return fold(out), nil
	}
	return out, nil
}
