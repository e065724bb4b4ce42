package format

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/datetime"
)

// CSVWriter writes records as CSV the way Spark's CSV writer does: values
// as Spark casts them to strings (doubles as Java prints them, timestamps
// as 2024-05-01T10:00:03.000Z), nulls as NullValue, empty strings as `""`,
// string values trimmed, and values quoted when they contain the
// delimiter, the quote character or a line break (quotes inside escaped
// with Escape). The header, when asked for, is written before the first
// record, even an empty one.
type CSVWriter struct {
	w                          io.Writer
	schema                     *arrow.Schema
	opts                       CSVOptions
	syn                        csvSyntax
	ts, date                   *datetime.Pattern
	times                      timeSettings
	emptyValue                 string
	trimL, trimR, escapeQuotes bool
	wroteHeader                bool
	buf                        []byte
}

// NewCSVWriter prepares a writer of records with schema. Nested and binary
// columns are refused, as Spark's CSV source does.
func NewCSVWriter(w io.Writer, schema *arrow.Schema, opts CSVOptions) (*CSVWriter, error) {
	syn, err := opts.syntax()
	if err != nil {
		return nil, err
	}
	for _, f := range schema.Fields() {
		if _, err := csvKind(f); err != nil {
			return nil, err
		}
	}
	times, err := newWriteTimeSettings(opts.TimestampFormat, opts.DateFormat, opts.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	cw := &CSVWriter{w: w, schema: schema, opts: opts, syn: syn, ts: times.ts, date: times.date, times: times,
		emptyValue: `""`, trimL: boolOr(opts.IgnoreLeadingWhiteSpace, true), trimR: boolOr(opts.IgnoreTrailingWhiteSpace, true),
		escapeQuotes: boolOr(opts.EscapeQuotes, true)}
	if opts.EmptyValue != nil {
		cw.emptyValue = *opts.EmptyValue
	}
	return cw, nil
}

// EncodeCSV writes one record with a new CSVWriter.
func EncodeCSV(w io.Writer, rec arrow.Record, opts CSVOptions) error {
	cw, err := NewCSVWriter(w, rec.Schema(), opts)
	if err != nil {
		return err
	}
	return cw.Write(rec)
}

// Write writes the rows of rec, whose schema must be the writer's.
func (cw *CSVWriter) Write(rec arrow.Record) error {
	if !rec.Schema().Equal(cw.schema) {
		return fmt.Errorf("csv: record schema %s differs from the writer's %s", rec.Schema(), cw.schema)
	}
	buf := cw.buf[:0]
	if cw.opts.Header && !cw.wroteHeader {
		for i, f := range cw.schema.Fields() {
			if i > 0 {
				buf = append(buf, cw.syn.sep...)
			}
			buf = cw.appendText(buf, f.Name)
		}
		buf = append(buf, '\n')
	}
	cw.wroteHeader = true
	cols := rec.Columns()
	var cell []byte
	for r := 0; r < int(rec.NumRows()); r++ {
		for i, col := range cols {
			if i > 0 {
				buf = append(buf, cw.syn.sep...)
			}
			if col.IsNull(r) {
				buf = append(buf, cw.opts.NullValue...)
				continue
			}
			if s, ok := col.(*array.String); ok {
				buf = cw.appendText(buf, s.Value(r))
				continue
			}
			cell = cw.appendValue(cell[:0], col, r)
			buf = cw.appendQuoted(buf, cell)
		}
		buf = append(buf, '\n')
		if len(buf) >= 64<<10 {
			if _, err := cw.w.Write(buf); err != nil {
				return fmt.Errorf("csv: write: %w", err)
			}
			buf = buf[:0]
		}
	}
	cw.buf = buf[:0]
	if len(buf) > 0 {
		if _, err := cw.w.Write(buf); err != nil {
			return fmt.Errorf("csv: write: %w", err)
		}
	}
	return nil
}

func (cw *CSVWriter) appendValue(dst []byte, col arrow.Array, r int) []byte {
	switch a := col.(type) {
	case *array.Boolean:
		return strconv.AppendBool(dst, a.Value(r))
	case *array.Int8:
		return strconv.AppendInt(dst, int64(a.Value(r)), 10)
	case *array.Int16:
		return strconv.AppendInt(dst, int64(a.Value(r)), 10)
	case *array.Int32:
		return strconv.AppendInt(dst, int64(a.Value(r)), 10)
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(r), 10)
	case *array.Float32:
		return AppendJavaFloat(dst, float64(a.Value(r)), 32)
	case *array.Float64:
		return AppendJavaFloat(dst, a.Value(r), 64)
	case *array.Decimal128:
		return AppendJavaDecimal(dst, a.Value(r), a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Timestamp:
		return cw.ts.AppendTimestamp(dst, toMicros(int64(a.Value(r)), a.DataType().(*arrow.TimestampType).Unit), cw.times.loc)
	case *array.Date32:
		return cw.date.AppendDate(dst, int32(a.Value(r)))
	}
	return append(dst, FormatValue(col, r)...)
}

// appendText writes a string value: trimmed, empty as EmptyValue, quoted
// when needed.
func (cw *CSVWriter) appendText(dst []byte, s string) []byte {
	if cw.trimL {
		for len(s) > 0 && s[0] <= ' ' {
			s = s[1:]
		}
	}
	if cw.trimR {
		for len(s) > 0 && s[len(s)-1] <= ' ' {
			s = s[:len(s)-1]
		}
	}
	if s == "" {
		return append(dst, cw.emptyValue...)
	}
	return cw.appendQuoted(dst, []byte(s))
}

func (cw *CSVWriter) needsQuotes(v []byte) bool {
	if cw.opts.QuoteAll {
		return true
	}
	q := cw.syn.quote
	if q == 0 {
		return false
	}
	if bytes.IndexByte(v, '\n') >= 0 || bytes.IndexByte(v, '\r') >= 0 || bytes.Contains(v, cw.syn.sep) {
		return true
	}
	if cw.escapeQuotes && bytes.IndexByte(v, q) >= 0 {
		return true
	}
	if cw.syn.comment != 0 && v[0] == cw.syn.comment {
		return true
	}
	return (!cw.trimL && (v[0] == ' ' || v[0] == '\t')) || (!cw.trimR && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t'))
}

func (cw *CSVWriter) appendQuoted(dst, v []byte) []byte {
	if len(v) == 0 || !cw.needsQuotes(v) {
		return append(dst, v...)
	}
	q, esc := cw.syn.quote, cw.syn.escape
	if q == 0 {
		return append(dst, v...)
	}
	dst = append(dst, q)
	for _, c := range v {
		if c == q {
			dst = append(dst, esc)
		}
		dst = append(dst, c)
	}
	return append(dst, q)
}
