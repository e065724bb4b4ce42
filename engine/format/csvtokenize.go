package format

import "bytes"

// csvTokenizer splits CSV text into records and values.
type csvTokenizer struct {
	data                []byte
	p                   int
	syn                 csvSyntax
	multiLine           bool
	trimLeft, trimRight bool

	line             int // lines consumed so far
	recStart, recEnd int // bounds of the current record, without its line break
	recLine          int // 1-based line of the current record
	fields           [][]byte
	quoted           []bool
	scratch          []byte
}

// next reads the next record into t.fields, skipping empty and comment
// lines; it returns false at the end of the input.
func (t *csvTokenizer) next() bool {
	data := t.data
	for {
		if t.p >= len(data) {
			return false
		}
		c := data[t.p]
		if c == '\n' || c == '\r' {
			t.p = t.lineBreak(t.p)
			continue
		}
		if t.syn.comment != 0 && c == t.syn.comment {
			e := bytes.IndexAny(data[t.p:], "\r\n")
			if e < 0 {
				t.p = len(data)
				t.line++
				return false
			}
			t.p = t.lineBreak(t.p + e)
			continue
		}
		break
	}
	t.recStart = t.p
	t.recLine = t.line + 1
	t.fields = t.fields[:0]
	t.quoted = t.quoted[:0]
	t.scratch = t.scratch[:0]
	sep := t.syn.sep
	sep0 := sep[0]
	multiSep := len(sep) > 1
	p := t.p
	for {
		if t.trimLeft {
			for p < len(data) && (data[p] == ' ' || data[p] == '\t') {
				p++
			}
		}
		var val []byte
		quoted := false
		if t.syn.quote != 0 && p < len(data) && data[p] == t.syn.quote {
			quoted = true
			val, p = t.quotedValue(p)
		} else {
			start := p
			for p < len(data) {
				c := data[p]
				if c == '\n' || c == '\r' {
					break
				}
				if c == sep0 && (!multiSep || bytes.HasPrefix(data[p:], sep)) {
					break
				}
				p++
			}
			val = data[start:p]
			if t.trimRight {
				for len(val) > 0 && (val[len(val)-1] == ' ' || val[len(val)-1] == '\t') {
					val = val[:len(val)-1]
				}
			}
		}
		t.fields = append(t.fields, val)
		t.quoted = append(t.quoted, quoted)
		if p < len(data) && data[p] == sep0 && (!multiSep || bytes.HasPrefix(data[p:], sep)) {
			p += len(sep)
			continue
		}
		// end of record: a line break or the end of the input
		t.recEnd = p
		if p < len(data) {
			p = t.lineBreak(p)
		} else {
			t.line++
		}
		if t.multiLine {
			t.line += bytes.Count(data[t.recStart:t.recEnd], []byte{'\n'})
		}
		t.p = p
		return true
	}
}

// lineBreak consumes the \n, \r\n or \r at p.
func (t *csvTokenizer) lineBreak(p int) int {
	t.line++
	if t.data[p] == '\r' && p+1 < len(t.data) && t.data[p+1] == '\n' {
		return p + 2
	}
	return p + 1
}

// quotedValue reads a value starting with the quote character at p. Inside
// it, escape+quote and a doubled quote stand for a quote; without
// multiLine a line break ends the value even when the quote is open.
// Characters between the closing quote and the next delimiter are kept.
// Values with escapes are unescaped into t.scratch.
func (t *csvTokenizer) quotedValue(p int) ([]byte, int) {
	data := t.data
	q, esc := t.syn.quote, t.syn.escape
	p++
	start := p
	base := -1 // start of the value in t.scratch once copied
	flush := func(end int) {
		if base < 0 {
			base = len(t.scratch)
		}
		t.scratch = append(t.scratch, data[start:end]...)
	}
	for p < len(data) {
		c := data[p]
		if c != q && c != esc && c != '\n' && c != '\r' {
			p++
			continue
		}
		if c == '\n' || c == '\r' {
			if !t.multiLine {
				break
			}
			p++
			continue
		}
		if c == esc && esc != q {
			if p+1 < len(data) && (data[p+1] == q || data[p+1] == esc) {
				flush(p)
				t.scratch = append(t.scratch, data[p+1])
				p += 2
				start = p
				continue
			}
			p++
			continue
		}
		if p+1 < len(data) && data[p+1] == q { // doubled quote
			flush(p)
			t.scratch = append(t.scratch, q)
			p += 2
			start = p
			continue
		}
		// closing quote
		end := p
		p++
		tail := p
		sep := t.syn.sep
		for p < len(data) && data[p] != '\n' && data[p] != '\r' && !(data[p] == sep[0] && bytes.HasPrefix(data[p:], sep)) {
			p++
		}
		extra := data[tail:p]
		if t.trimRight || len(bytes.TrimRight(extra, " \t")) == 0 {
			extra = bytes.TrimRight(extra, " \t")
		}
		if base < 0 && len(extra) == 0 {
			return data[start:end], p
		}
		flush(end)
		t.scratch = append(t.scratch, extra...)
		return t.scratch[base:], p
	}
	// unterminated: the rest of the line (or input) is the value
	if base < 0 {
		return data[start:p], p
	}
	flush(p)
	return t.scratch[base:], p
}
