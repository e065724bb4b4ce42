package format

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// NoQuote as CSVOptions.Quote turns quoting off (Spark's quote="").
const NoQuote = "\x00"

// CSVOptions are the CSV reader and writer options, named after Spark's.
// Zero values mean Spark's defaults; pointer fields are the options whose
// default differs between reading and writing or is true.
type CSVOptions struct {
	Header bool   // first line holds column names
	Sep    string // delimiter, one or more characters; "" means ","; `\t` means tab
	Quote  string // "" means `"`; NoQuote turns quoting off
	Escape string // escapes the quote inside quoted values; "" means `\`
	// Comment starts lines to skip; "" means none.
	Comment string
	// NullValue is the text of a null (default ""): a value equal to it
	// reads as null, and nulls are written as it.
	NullValue string
	// EmptyValue is the text of an empty string; nil means "" on read and
	// `""` on write.
	EmptyValue *string
	// NaNValue, PositiveInf, NegativeInf default to NaN, Inf and -Inf.
	NaNValue, PositiveInf, NegativeInf string
	// TimestampFormat and DateFormat are datetime patterns; empty means
	// Spark's lenient parsing on read and yyyy-MM-dd'T'HH:mm:ss.SSSXXX and
	// yyyy-MM-dd on write.
	TimestampFormat, DateFormat string
	TimeZone                    string // "" means UTC
	// IgnoreLeadingWhiteSpace and IgnoreTrailingWhiteSpace trim values; nil
	// means false on read and true on write, as Spark.
	IgnoreLeadingWhiteSpace, IgnoreTrailingWhiteSpace *bool
	Mode                                              Mode
	CorruptColumn                                     string // "" means "_corrupt_record"
	// EnforceSchema (nil means true) applies the schema by position and
	// ignores header names; false checks the header names against the
	// schema (case-insensitively) and fails on a difference.
	EnforceSchema *bool
	// MultiLine lets quoted values span lines.
	MultiLine bool
	// QuoteAll quotes every written value; EscapeQuotes (nil means true)
	// quotes written values that contain the quote character.
	QuoteAll     bool
	EscapeQuotes *bool
}

// CSVOptionsFromMap reads Spark option names (case-insensitive): header,
// sep (or delimiter), quote, escape, comment, nullValue, emptyValue,
// nanValue, positiveInf, negativeInf, timestampFormat, dateFormat,
// timeZone, ignoreLeadingWhiteSpace, ignoreTrailingWhiteSpace, mode,
// columnNameOfCorruptRecord, enforceSchema, multiLine, quoteAll,
// escapeQuotes. Other keys are ignored, as Spark does.
func CSVOptionsFromMap(m map[string]string) (CSVOptions, error) {
	om := optionMap(m)
	mode, _ := ParseMode(om.str("mode", ""))
	o := CSVOptions{
		Sep:             om.str("sep", om.str("delimiter", "")),
		Escape:          om.str("escape", ""),
		Comment:         om.str("comment", ""),
		NullValue:       om.str("nullValue", ""),
		NaNValue:        om.str("nanValue", ""),
		PositiveInf:     om.str("positiveInf", ""),
		NegativeInf:     om.str("negativeInf", ""),
		TimestampFormat: om.str("timestampFormat", ""),
		DateFormat:      om.str("dateFormat", ""),
		TimeZone:        om.str("timeZone", ""),
		Mode:            mode,
		CorruptColumn:   om.str("columnNameOfCorruptRecord", ""),
	}
	if q, ok := om.get("quote"); ok {
		o.Quote = q
		if q == "" {
			o.Quote = NoQuote
		}
	}
	if v, ok := om.get("emptyValue"); ok {
		o.EmptyValue = &v
	}
	var errs []error
	flag := func(dst *bool, key string) {
		v, err := om.boolean(key, false)
		errs = append(errs, err)
		*dst = v
	}
	optFlag := func(dst **bool, key string) {
		if _, ok := om.get(key); ok {
			v, err := om.boolean(key, false)
			errs = append(errs, err)
			*dst = &v
		}
	}
	flag(&o.Header, "header")
	flag(&o.MultiLine, "multiLine")
	flag(&o.QuoteAll, "quoteAll")
	optFlag(&o.IgnoreLeadingWhiteSpace, "ignoreLeadingWhiteSpace")
	optFlag(&o.IgnoreTrailingWhiteSpace, "ignoreTrailingWhiteSpace")
	optFlag(&o.EnforceSchema, "enforceSchema")
	optFlag(&o.EscapeQuotes, "escapeQuotes")
	return o, errors.Join(errs...)
}

// csvSyntax is the resolved delimiter, quote, escape and comment.
type csvSyntax struct {
	sep     []byte
	quote   byte // 0: no quoting
	escape  byte
	comment byte // 0: none
}

func (o *CSVOptions) syntax() (csvSyntax, error) {
	var s csvSyntax
	sep := o.Sep
	switch sep {
	case "":
		sep = ","
	case `\t`:
		sep = "\t"
	case `\\`:
		sep = `\`
	}
	if strings.HasPrefix(sep, `\u`) && len(sep) == 6 {
		if v, err := strconv.ParseUint(sep[2:], 16, 16); err == nil {
			sep = string(rune(v))
		}
	}
	if strings.ContainsAny(sep, "\r\n") {
		return s, fmt.Errorf("csv: option sep %q may not contain a line break", o.Sep)
	}
	s.sep = []byte(sep)
	single := func(name, v, def string) (byte, error) {
		if v == "" {
			v = def
		}
		if len(v) != 1 {
			return 0, fmt.Errorf("csv: option %s must be a single character, got %q", name, v)
		}
		return v[0], nil
	}
	var err error
	if s.quote, err = single("quote", o.Quote, `"`); err != nil {
		return s, err
	}
	if s.escape, err = single("escape", o.Escape, `\`); err != nil {
		return s, err
	}
	if o.Comment != "" {
		if s.comment, err = single("comment", o.Comment, ""); err != nil {
			return s, err
		}
	}
	return s, nil
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// csvConv converts one CSV value into its column.
type csvConv struct {
	kind        jkind
	col         column
	name        string
	prec, scale int32
}

// CSVDecoder decodes CSV text into Arrow records of a fixed schema. It keeps
// its buffers between calls; reuse one decoder for the files of a stream.
// A CSVDecoder is not safe for concurrent use.
type CSVDecoder struct {
	schema               *arrow.Schema
	opts                 CSVOptions
	mem                  memory.Allocator
	syn                  csvSyntax
	times                timeSettings
	cols                 []column
	convs                []csvConv // schema columns except the corrupt one
	corrupt              *bytesColumn
	emptyValue           string
	nanV, posInf, negInf string
	trimLeft, trimRight  bool
	enforceSchema        bool
	fields               [][]byte
	quoted               []bool
	scratch              []byte
	nrows                int
}

// NewCSVDecoder prepares a decoder for schema. Column types must be
// atomic (no struct, list, map or binary: Spark's CSV source refuses them).
func NewCSVDecoder(schema *arrow.Schema, opts CSVOptions, mem memory.Allocator) (*CSVDecoder, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if opts.Mode == "" {
		opts.Mode = Permissive
	}
	d := &CSVDecoder{schema: schema, opts: opts, mem: mem}
	var err error
	if d.syn, err = opts.syntax(); err != nil {
		return nil, err
	}
	if d.times, err = newTimeSettings(opts.TimestampFormat, opts.DateFormat, opts.TimeZone); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	ci, err := corruptColumnIndex(schema, opts.CorruptColumn)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	if opts.EmptyValue != nil {
		d.emptyValue = *opts.EmptyValue
	}
	d.nanV, d.posInf, d.negInf = orDefault(opts.NaNValue, "NaN"), orDefault(opts.PositiveInf, "Inf"), orDefault(opts.NegativeInf, "-Inf")
	d.trimLeft = boolOr(opts.IgnoreLeadingWhiteSpace, false)
	d.trimRight = boolOr(opts.IgnoreTrailingWhiteSpace, false)
	d.enforceSchema = boolOr(opts.EnforceSchema, true)
	for i, f := range schema.Fields() {
		kind, err := csvKind(f)
		if err != nil {
			return nil, err
		}
		col, err := newColumn(f.Type, f.Name)
		if err != nil {
			return nil, fmt.Errorf("csv: %w", err)
		}
		d.cols = append(d.cols, col)
		if i == ci {
			d.corrupt = col.(*bytesColumn)
			continue
		}
		c := csvConv{kind: kind, col: col, name: f.Name}
		if dt, ok := f.Type.(*arrow.Decimal128Type); ok {
			c.prec, c.scale = dt.Precision, dt.Scale
		}
		d.convs = append(d.convs, c)
	}
	return d, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func csvKind(f arrow.Field) (jkind, error) {
	switch f.Type.ID() {
	case arrow.STRING:
		return jString, nil
	case arrow.BOOL:
		return jBool, nil
	case arrow.INT8:
		return jInt8, nil
	case arrow.INT16:
		return jInt16, nil
	case arrow.INT32:
		return jInt32, nil
	case arrow.INT64:
		return jInt64, nil
	case arrow.FLOAT32:
		return jFloat32, nil
	case arrow.FLOAT64:
		return jFloat64, nil
	case arrow.DECIMAL128:
		return jDecimal, nil
	case arrow.TIMESTAMP:
		return jTimestamp, nil
	case arrow.DATE32:
		return jDate, nil
	}
	return 0, fmt.Errorf("csv: %w: CSV data source does not support %s data type (column %q); store it as a string or use JSON or Parquet",
		ErrUnsupportedType, f.Type, f.Name)
}

// DecodeCSV decodes data with a one-off decoder; see CSVDecoder.Decode.
func DecodeCSV(data []byte, schema *arrow.Schema, opts CSVOptions, mem memory.Allocator, source string) (arrow.Record, DecodeStats, error) {
	d, err := NewCSVDecoder(schema, opts, mem)
	if err != nil {
		return nil, DecodeStats{}, err
	}
	return d.Decode(data, source)
}

// ErrCSVHeader is wrapped by header/schema mismatch errors (enforceSchema
// false).
var ErrCSVHeader = errors.New("CSV header does not conform to the schema")

// Decode reads one input (a file's bytes) and returns its rows as one
// record, which the caller releases. Empty lines and comment lines are
// skipped; with Header the first record is the header. In FAILFAST mode a
// malformed record stops decoding with a *MalformedError naming source,
// line and byte offset.
func (d *CSVDecoder) Decode(data []byte, source string) (arrow.Record, DecodeStats, error) {
	stats := DecodeStats{Bytes: int64(len(data))}
	t := csvTokenizer{data: data, syn: d.syn, multiLine: d.opts.MultiLine, trimLeft: d.trimLeft, trimRight: d.trimRight,
		fields: d.fields[:0], quoted: d.quoted[:0], scratch: d.scratch[:0]}
	d.nrows = 0
	headerPending := d.opts.Header
	var err error
	for t.next() {
		if headerPending {
			headerPending = false
			if !d.enforceSchema {
				if err = d.checkHeader(t.fields, source); err != nil {
					break
				}
			}
			continue
		}
		if err = d.record(&t, source, &stats); err != nil {
			break
		}
	}
	d.fields, d.quoted, d.scratch = t.fields[:0], t.quoted[:0], t.scratch[:0]
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

func (d *CSVDecoder) checkHeader(fields [][]byte, source string) error {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = string(f)
	}
	want := make([]string, len(d.convs))
	for i, c := range d.convs {
		want[i] = c.name
	}
	if len(names) != len(want) {
		return fmt.Errorf("csv: %w: Number of column in CSV header is not equal to number of fields in the schema:\n Header length: %d, schema size: %d\nCSV file: %s",
			ErrCSVHeader, len(names), len(want), source)
	}
	for i := range names {
		if !strings.EqualFold(names[i], want[i]) {
			return fmt.Errorf("csv: %w.\n Header: %s\n Schema: %s\nExpected: %s but found: %s\nCSV file: %s",
				ErrCSVHeader, strings.Join(names, ", "), strings.Join(want, ", "), want[i], names[i], source)
		}
	}
	return nil
}

// record converts the tokens of one record into a row.
func (d *CSVDecoder) record(t *csvTokenizer, source string, stats *DecodeStats) error {
	row := d.nrows
	var bad error
	n := len(t.fields)
	if n != len(d.convs) {
		bad = fmt.Errorf("Malformed CSV record: %d values for %d columns", n, len(d.convs))
	}
	for i := range d.convs {
		c := &d.convs[i]
		if i >= n {
			c.col.AppendNull()
			continue
		}
		if err := d.convert(c, t.fields[i], t.quoted[i]); err != nil {
			c.col.AppendNull()
			if bad == nil {
				bad = err
			}
		}
	}
	d.nrows++
	if bad == nil {
		if d.corrupt != nil {
			d.corrupt.AppendNull()
		}
		return nil
	}
	stats.Malformed++
	rec := t.data[t.recStart:t.recEnd]
	switch d.opts.Mode {
	case DropMalformed:
		truncateAll(d.cols, row)
		d.nrows = row
	case FailFast:
		return newMalformed(source, t.recLine, int64(t.recStart), rec, bad)
	default:
		if d.corrupt != nil {
			d.corrupt.Append(rec)
		}
	}
	return nil
}

// convert appends one value, or returns why it does not fit the column.
func (d *CSVDecoder) convert(c *csvConv, v []byte, quoted bool) error {
	if len(v) == 0 {
		if quoted {
			v = []byte(d.emptyValue)
		} else {
			v = []byte(d.opts.NullValue)
		}
	}
	if string(v) == d.opts.NullValue {
		c.col.AppendNull()
		return nil
	}
	switch c.kind {
	case jString:
		c.col.(*bytesColumn).Append(v)
		return nil
	case jBool:
		switch {
		case strings.EqualFold(bytesString(v), "true"):
			c.col.(*boolColumn).Append(true)
			return nil
		case strings.EqualFold(bytesString(v), "false"):
			c.col.(*boolColumn).Append(false)
			return nil
		}
	case jInt8, jInt16, jInt32, jInt64:
		x, ok := parseInt64(v)
		switch c.kind {
		case jInt8:
			if ok && x >= math.MinInt8 && x <= math.MaxInt8 {
				c.col.(*fixedColumn[int8]).Append(int8(x))
				return nil
			}
		case jInt16:
			if ok && x >= math.MinInt16 && x <= math.MaxInt16 {
				c.col.(*fixedColumn[int16]).Append(int16(x))
				return nil
			}
		case jInt32:
			if ok && x >= math.MinInt32 && x <= math.MaxInt32 {
				c.col.(*fixedColumn[int32]).Append(int32(x))
				return nil
			}
		default:
			if ok {
				c.col.(*fixedColumn[int64]).Append(x)
				return nil
			}
		}
	case jFloat32, jFloat64:
		var f float64
		var err error
		switch s := bytesString(v); s {
		case d.nanV:
			f = math.NaN()
		case d.posInf:
			f = math.Inf(1)
		case d.negInf:
			f = math.Inf(-1)
		default:
			bits := 64
			if c.kind == jFloat32 {
				bits = 32
			}
			f, err = strconv.ParseFloat(s, bits)
			if err != nil && errors.Is(err, strconv.ErrRange) {
				err = nil
			}
		}
		if err == nil {
			if c.kind == jFloat32 {
				c.col.(*fixedColumn[float32]).Append(float32(f))
			} else {
				c.col.(*fixedColumn[float64]).Append(f)
			}
			return nil
		}
	case jDecimal:
		if x, ok := parseDecimal(v, c.prec, c.scale); ok {
			c.col.(*fixedColumn[decimal128.Num]).Append(x)
			return nil
		}
	case jTimestamp:
		x, err := d.times.parseTimestamp(v)
		if err != nil {
			return fmt.Errorf("column %q: %w", c.name, err)
		}
		c.col.(*fixedColumn[int64]).Append(x)
		return nil
	case jDate:
		x, err := d.times.parseDate(v)
		if err != nil {
			return fmt.Errorf("column %q: %w", c.name, err)
		}
		c.col.(*fixedColumn[int32]).Append(x)
		return nil
	}
	return fmt.Errorf("column %q: cannot parse %q as %s", c.name, v, kindName(&jnode{kind: c.kind, prec: c.prec, scale: c.scale}))
}
