package format

import (
	"bytes"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// JSONOptions are the JSON reader and writer options, named after Spark's.
type JSONOptions struct {
	// Mode handles malformed records; empty means Permissive.
	Mode Mode
	// CorruptColumn is columnNameOfCorruptRecord; empty means
	// "_corrupt_record". The column is filled only when the schema has it.
	CorruptColumn string
	// TimestampFormat is a datetime pattern; empty means Spark's lenient
	// ISO-8601 parsing on read and "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" on write.
	TimestampFormat string
	// DateFormat is a date pattern; empty means lenient yyyy-[m]m-[d]d on
	// read and "yyyy-MM-dd" on write.
	DateFormat string
	// TimeZone is used for values without a zone and for writing; empty
	// means UTC.
	TimeZone string
	// MultiLine reads each input as one JSON value: an object (one row) or
	// an array of objects.
	MultiLine bool
	// WriteNullFields writes null struct fields as "k":null instead of
	// omitting them (Spark's ignoreNullFields=false).
	WriteNullFields bool
}

// JSONOptionsFromMap reads Spark option names (case-insensitive): mode,
// columnNameOfCorruptRecord, timestampFormat, dateFormat, timeZone,
// multiLine, ignoreNullFields. Other keys are ignored, as Spark does.
func JSONOptionsFromMap(m map[string]string) (JSONOptions, error) {
	om := optionMap(m)
	mode, _ := ParseMode(om.str("mode", ""))
	o := JSONOptions{
		Mode:            mode,
		CorruptColumn:   om.str("columnNameOfCorruptRecord", ""),
		TimestampFormat: om.str("timestampFormat", ""),
		DateFormat:      om.str("dateFormat", ""),
		TimeZone:        om.str("timeZone", ""),
	}
	var err error
	if o.MultiLine, err = om.boolean("multiLine", false); err != nil {
		return o, err
	}
	ignoreNulls, err := om.boolean("ignoreNullFields", true)
	o.WriteNullFields = !ignoreNulls
	return o, err
}

type jkind uint8

const (
	jString jkind = iota
	jBinary
	jBool
	jInt8
	jInt16
	jInt32
	jInt64
	jFloat32
	jFloat64
	jDecimal
	jTimestamp
	jDate
	jStruct
	jList
	jMap
)

// jnode decodes one schema position (a column, a struct field, a list
// element or a map value).
type jnode struct {
	kind        jkind
	path        string
	col         column
	prec, scale int32

	// struct
	fields []*jnode
	names  []string
	index  map[string]int
	hint   int
	// list element or map value
	elem *jnode
}

func newJNode(t arrow.DataType, col column, path string) (*jnode, error) {
	n := &jnode{path: path, col: col}
	switch t.ID() {
	case arrow.STRING:
		n.kind = jString
	case arrow.BINARY:
		n.kind = jBinary
	case arrow.BOOL:
		n.kind = jBool
	case arrow.INT8:
		n.kind = jInt8
	case arrow.INT16:
		n.kind = jInt16
	case arrow.INT32:
		n.kind = jInt32
	case arrow.INT64:
		n.kind = jInt64
	case arrow.FLOAT32:
		n.kind = jFloat32
	case arrow.FLOAT64:
		n.kind = jFloat64
	case arrow.DECIMAL128:
		n.kind = jDecimal
		dt := t.(*arrow.Decimal128Type)
		n.prec, n.scale = dt.Precision, dt.Scale
	case arrow.TIMESTAMP:
		n.kind = jTimestamp
	case arrow.DATE32:
		n.kind = jDate
	case arrow.STRUCT:
		n.kind = jStruct
		st := t.(*arrow.StructType)
		sc := col.(*structColumn)
		for i, f := range st.Fields() {
			child, err := newJNode(f.Type, sc.children[i], path+"."+f.Name)
			if err != nil {
				return nil, err
			}
			n.fields = append(n.fields, child)
			n.names = append(n.names, f.Name)
		}
		n.buildIndex()
	case arrow.LIST:
		n.kind = jList
		elem, err := newJNode(t.(*arrow.ListType).Elem(), col.(*listColumn).child, path+".element")
		if err != nil {
			return nil, err
		}
		n.elem = elem
	case arrow.MAP:
		n.kind = jMap
		mt := t.(*arrow.MapType)
		if mt.KeyType().ID() != arrow.STRING {
			return nil, fmt.Errorf("%w: JSON map column %q has %s keys; JSON object keys are strings, use map<string, ...>", ErrUnsupportedType, path, mt.KeyType())
		}
		entries := col.(*listColumn).child.(*structColumn)
		val, err := newJNode(mt.ItemType(), entries.children[1], path+".value")
		if err != nil {
			return nil, err
		}
		n.elem = val
	default:
		return nil, fmt.Errorf("%w: column %q has type %s", ErrUnsupportedType, path, t)
	}
	return n, nil
}

func (n *jnode) buildIndex() {
	if len(n.names) > 8 {
		n.index = make(map[string]int, len(n.names))
		for i, name := range n.names {
			if _, dup := n.index[name]; !dup {
				n.index[name] = i
			}
		}
	}
}

// lookup finds a struct field by its case-sensitive name, trying the field
// after the previous match first since records usually keep one key order.
func (n *jnode) lookup(key []byte) int {
	if h := n.hint; h < len(n.names) && n.names[h] == string(key) {
		n.hint = h + 1
		return h
	}
	if n.index != nil {
		if i, ok := n.index[string(key)]; ok {
			n.hint = i + 1
			return i
		}
		return -1
	}
	for i, name := range n.names {
		if name == string(key) {
			n.hint = i + 1
			return i
		}
	}
	return -1
}

// JSONDecoder decodes JSON lines (or multi-line JSON) into Arrow records of
// a fixed schema. It keeps its buffers between calls, so reuse one decoder
// for the files of a stream. A JSONDecoder is not safe for concurrent use.
type JSONDecoder struct {
	schema  *arrow.Schema
	opts    JSONOptions
	mem     memory.Allocator
	times   timeSettings
	cols    []column
	root    *jnode
	corrupt *bytesColumn
	nrows   int
	scratch []byte
}

// NewJSONDecoder prepares a decoder for schema. It fails on a column type
// outside the engine's mapping, a corrupt-record column that is not a
// nullable string, or an invalid datetime pattern or time zone.
func NewJSONDecoder(schema *arrow.Schema, opts JSONOptions, mem memory.Allocator) (*JSONDecoder, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if opts.Mode == "" {
		opts.Mode = Permissive
	}
	d := &JSONDecoder{schema: schema, opts: opts, mem: mem}
	var err error
	if d.times, err = newTimeSettings(opts.TimestampFormat, opts.DateFormat, opts.TimeZone); err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	ci, err := corruptColumnIndex(schema, opts.CorruptColumn)
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	d.root = &jnode{kind: jStruct}
	for i, f := range schema.Fields() {
		col, err := newColumn(f.Type, f.Name)
		if err != nil {
			return nil, fmt.Errorf("json: %w", err)
		}
		d.cols = append(d.cols, col)
		if i == ci {
			d.corrupt = col.(*bytesColumn)
			continue
		}
		n, err := newJNode(f.Type, col, f.Name)
		if err != nil {
			return nil, fmt.Errorf("json: %w", err)
		}
		d.root.fields = append(d.root.fields, n)
		d.root.names = append(d.root.names, f.Name)
	}
	d.root.buildIndex()
	return d, nil
}

// DecodeJSON decodes data with a one-off decoder; see JSONDecoder.Decode.
func DecodeJSON(data []byte, schema *arrow.Schema, opts JSONOptions, mem memory.Allocator, source string) (arrow.Record, DecodeStats, error) {
	d, err := NewJSONDecoder(schema, opts, mem)
	if err != nil {
		return nil, DecodeStats{}, err
	}
	return d.Decode(data, source)
}

// Decode reads one input (a file's bytes) and returns its rows as one
// record, which the caller releases. Blank lines are skipped. Malformed
// records are handled by the mode; in FAILFAST mode the error is a
// *MalformedError naming source, line and byte offset, and no record is
// returned.
func (d *JSONDecoder) Decode(data []byte, source string) (arrow.Record, DecodeStats, error) {
	stats := DecodeStats{Bytes: int64(len(data))}
	d.nrows = 0
	var err error
	if d.opts.MultiLine {
		err = d.decodeRecord(data, 0, 1, source, &stats)
	} else {
		line := 1
		for off := 0; off < len(data); line++ {
			end := bytes.IndexByte(data[off:], '\n')
			next := off + end + 1
			if end < 0 {
				end = len(data) - off
				next = len(data)
			}
			rec := data[off : off+end]
			if n := len(rec); n > 0 && rec[n-1] == '\r' {
				rec = rec[:n-1]
			}
			if err = d.decodeRecord(rec, off, line, source, &stats); err != nil {
				break
			}
			off = next
		}
	}
	if err != nil {
		truncateAll(d.cols, 0)
		d.nrows = 0
		return nil, stats, err
	}
	stats.Rows = int64(d.nrows)
	rec := newRecord(d.schema, d.cols, d.nrows, d.mem)
	d.nrows = 0
	return rec, stats, nil
}

// decodeRecord decodes one JSON text (a line, or the whole input in
// multiLine mode) into zero or more rows.
func (d *JSONDecoder) decodeRecord(rec []byte, off, line int, source string, stats *DecodeStats) error {
	s := jscanner{b: rec}
	s.ws()
	if s.p == len(rec) {
		return nil // blank
	}
	rowStart := d.nrows
	var err *jsonError
	switch rec[s.p] {
	case '{':
		err = d.rootObject(&s)
	case '[':
		err = d.rootArray(&s)
	default:
		err = &jsonError{pos: s.p, syntax: true, msg: "a record must be a JSON object or an array of objects"}
	}
	if err == nil {
		if d.corrupt != nil {
			for d.corrupt.Len() < d.nrows {
				d.corrupt.AppendNull()
			}
		}
		return nil
	}
	stats.Malformed++
	switch d.opts.Mode {
	case DropMalformed:
		truncateAll(d.cols, rowStart)
		d.nrows = rowStart
	case FailFast:
		if d.opts.MultiLine {
			pos := min(err.pos, len(rec))
			line += bytes.Count(rec[:pos], []byte{'\n'})
			off += pos
		}
		return newMalformed(source, line, int64(off), rec, err)
	default:
		if err.syntax || d.nrows != rowStart+1 {
			truncateAll(d.cols, rowStart)
			for _, c := range d.cols {
				c.AppendNull()
			}
			d.nrows = rowStart + 1
		}
		if d.corrupt != nil {
			d.corrupt.Truncate(rowStart)
			d.corrupt.Append(rec)
		}
	}
	return nil
}

// rootObject decodes a top-level object into one row. A value that does
// not fit its column leaves that column null and returns a non-syntax
// error (Spark's partial result); a syntax error leaves the row unfinished.
func (d *JSONDecoder) rootObject(s *jscanner) *jsonError {
	row := d.nrows
	err := d.object(s, d.root, row)
	if err != nil && err.syntax {
		return err
	}
	for _, f := range d.root.fields {
		if f.col.Len() == row {
			f.col.AppendNull()
		}
	}
	d.nrows++
	return err
}

// rootArray decodes a top-level array of objects, one row each; any error
// makes the whole array one malformed record.
func (d *JSONDecoder) rootArray(s *jscanner) *jsonError {
	s.p++
	s.ws()
	if s.peek() == ']' {
		s.p++
		return nil
	}
	for {
		s.ws()
		if s.peek() != '{' {
			if s.p >= len(s.b) {
				return s.syntaxErr("unexpected end of input in array")
			}
			return &jsonError{pos: s.p, syntax: true, msg: "an array element of a record must be a JSON object"}
		}
		if err := d.rootObject(s); err != nil {
			err.syntax = true
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
}

// object decodes the members of an object into the fields of n, whose
// columns all have row entries before the call. Fields left without a
// value are not filled in here.
func (d *JSONDecoder) object(s *jscanner, n *jnode, row int) *jsonError {
	s.p++ // '{'
	s.ws()
	if s.peek() == '}' {
		s.p++
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
		if i := n.lookup(key); i >= 0 {
			f := n.fields[i]
			if f.col.Len() > row { // duplicate key: the last value wins
				f.col.Truncate(row)
			}
			if err := d.value(s, f); err != nil {
				if err.syntax {
					return err
				}
				if f.col.Len() > row {
					f.col.Truncate(row)
				}
				if first == nil {
					first = err
				}
			}
		} else if err := s.skip(0); err != nil {
			return err
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.p++
		case '}':
			s.p++
			return first
		default:
			return s.syntaxErr("expected ',' or '}' in object")
		}
	}
}
