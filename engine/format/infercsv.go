package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/gostream/gostream/engine/datetime"
)

// CSVInferOptions are the options of CSV schema inference, named after
// Spark's. The embedded CSVOptions give the syntax, header, nullValue,
// emptyValue, nanValue, positiveInf, negativeInf and the datetime
// settings.
type CSVInferOptions struct {
	CSVOptions
	// InferSchema types the columns from their values; false (Spark's
	// default) makes every column a string and reads only the first line.
	InferSchema bool
	// SamplingRatio is the fraction of records looked at, in (0, 1]; 0
	// means 1.
	SamplingRatio float64
	// PreferDate infers columns whose values all read as dates (with
	// DateFormat, else yyyy-MM-dd) as dates rather than timestamps or
	// strings. Spark's default is true.
	PreferDate bool
}

// CSVInferOptionsFromMap reads the CSVOptionsFromMap options plus
// inferSchema, samplingRatio and preferDate (case-insensitive).
func CSVInferOptionsFromMap(m map[string]string) (CSVInferOptions, error) {
	co, err := CSVOptionsFromMap(m)
	if err != nil {
		return CSVInferOptions{}, err
	}
	o := CSVInferOptions{CSVOptions: co}
	om := optionMap(m)
	if o.InferSchema, err = om.boolean("inferSchema", false); err != nil {
		return o, err
	}
	if o.PreferDate, err = om.boolean("preferDate", true); err != nil {
		return o, err
	}
	o.SamplingRatio, err = samplingRatioOption(om)
	return o, err
}

// CSVInferrer infers the schema of CSV inputs as Spark's CSVInferSchema
// does. The first record of the first non-empty input gives the columns:
// their names with Header (empty names become _c<i>, duplicates get their
// position appended), else _c0, _c1, ... With InferSchema each column's
// type starts from the narrowest that fits a value and widens across rows
// through int, bigint, decimal (integers past 64 bits), double, then date
// (PreferDate), timestamp and boolean, to string; dates mixed with
// timestamps give string; null and empty values do not count, and a
// column with no other value is a string. A CSVInferrer is not safe for
// concurrent use.
type CSVInferrer struct {
	opts                 CSVInferOptions
	syn                  csvSyntax
	times                timeSettings
	date                 *datetime.Pattern
	emptyValue, null     []byte
	nanV, posInf, negInf string
	trimLeft, trimRight  bool

	names   []string // nil until the first record
	types   []scalar
	sample  sampler
	records int64
	fields  [][]byte
	quoted  []bool
	scratch []byte
}

// NewCSVInferrer starts an inference. It fails on invalid syntax options,
// datetime patterns or time zone.
func NewCSVInferrer(opts CSVInferOptions) (*CSVInferrer, error) {
	in := &CSVInferrer{opts: opts, sample: newSampler(opts.SamplingRatio)}
	var err error
	if in.syn, err = opts.syntax(); err != nil {
		return nil, err
	}
	if in.times, err = newTimeSettings(opts.TimestampFormat, "", opts.TimeZone); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	datePattern := opts.DateFormat
	if datePattern == "" {
		datePattern = "yyyy-MM-dd" // Spark's strict default for inference
	}
	if in.date, err = datetime.Compile(datePattern); err != nil {
		return nil, fmt.Errorf("csv: option dateFormat: %w", err)
	}
	if opts.EmptyValue != nil {
		in.emptyValue = []byte(*opts.EmptyValue)
	}
	in.null = []byte(opts.NullValue)
	in.nanV, in.posInf, in.negInf = orDefault(opts.NaNValue, "NaN"), orDefault(opts.PositiveInf, "Inf"), orDefault(opts.NegativeInf, "-Inf")
	in.trimLeft = boolOr(opts.IgnoreLeadingWhiteSpace, false)
	in.trimRight = boolOr(opts.IgnoreTrailingWhiteSpace, false)
	return in, nil
}

// Done reports whether more input cannot change the schema: the columns
// are known and InferSchema is off.
func (in *CSVInferrer) Done() bool { return in.names != nil && !in.opts.InferSchema }

// Add reads the records of one input (a file's bytes). With Header the
// first record of every input is its header and is not typed.
func (in *CSVInferrer) Add(data []byte) {
	if in.Done() {
		return
	}
	t := csvTokenizer{data: data, syn: in.syn, multiLine: in.opts.MultiLine, trimLeft: in.trimLeft, trimRight: in.trimRight,
		fields: in.fields[:0], quoted: in.quoted[:0], scratch: in.scratch[:0]}
	first := true
	for t.next() {
		if in.names == nil {
			in.names = in.header(t.fields, t.quoted)
			in.types = make([]scalar, len(in.names))
			if in.Done() {
				break
			}
		}
		if first {
			first = false
			if in.opts.Header {
				continue
			}
		}
		if in.records > 0 && !in.sample.keep() {
			continue
		}
		in.records++
		in.row(t.fields, t.quoted)
	}
	in.fields, in.quoted, in.scratch = t.fields[:0], t.quoted[:0], t.scratch[:0]
}

// value applies emptyValue and nullValue as the decoder does; ok is false
// for a null.
func (in *CSVInferrer) value(v []byte, quoted bool) ([]byte, bool) {
	if len(v) == 0 {
		if quoted {
			v = in.emptyValue
		} else {
			v = in.null
		}
	}
	return v, len(v) > 0 && string(v) != in.opts.NullValue
}

// header is Spark's CSVUtils.makeSafeHeader (case-insensitive).
func (in *CSVInferrer) header(fields [][]byte, quoted []bool) []string {
	names := make([]string, len(fields))
	if !in.opts.Header {
		for i := range names {
			names[i] = "_c" + strconv.Itoa(i)
		}
		return names
	}
	count := map[string]int{}
	for i, f := range fields {
		if v, ok := in.value(f, quoted[i]); ok {
			names[i] = string(v)
			count[strings.ToLower(names[i])]++
		}
	}
	for i, name := range names {
		switch {
		case name == "":
			names[i] = "_c" + strconv.Itoa(i)
		case count[strings.ToLower(name)] > 1:
			names[i] = name + strconv.Itoa(i)
		}
	}
	return names
}

// row widens the column types with one record's values; values past the
// last column are ignored and missing ones do not count.
func (in *CSVInferrer) row(fields [][]byte, quoted []bool) {
	n := min(len(fields), len(in.types))
	for i := 0; i < n; i++ {
		if v, ok := in.value(fields[i], quoted[i]); ok {
			in.types[i] = in.inferField(in.types[i], v)
		}
	}
}

// inferField is Spark's CSVInferSchema.inferField: it tries the types from
// the one so far upwards and merges.
func (in *CSVInferrer) inferField(t scalar, v []byte) scalar {
	var vt scalar
	switch t.kind {
	case iNull, iInt:
		vt = in.tryInt(v)
	case iLong:
		vt = in.tryLong(v)
	case iDecimal:
		vt = in.tryDecimal(v)
	case iDouble:
		vt = in.tryDouble(v)
	case iDate:
		vt = in.tryDate(v)
	case iTimestamp:
		vt = in.tryTimestamp(v)
	case iBool:
		vt = in.tryBool(v)
	default:
		return t
	}
	return csvCompat(t, vt)
}

func (in *CSVInferrer) tryInt(v []byte) scalar {
	if x, ok := parseInt64(v); ok && x >= math.MinInt32 && x <= math.MaxInt32 {
		return scalar{kind: iInt}
	}
	return in.tryLong(v)
}

func (in *CSVInferrer) tryLong(v []byte) scalar {
	if _, ok := parseInt64(v); ok {
		return scalar{kind: iLong}
	}
	return in.tryDecimal(v)
}

// tryDecimal takes numbers without a fractional part (after the
// exponent), as Spark, which leaves 1.5 to double.
func (in *CSVInferrer) tryDecimal(v []byte) scalar {
	if p, sc, ok := decimalShape(v); ok && sc == 0 && p <= maxInferPrecision {
		return scalar{kind: iDecimal, prec: int32(p)}
	}
	return in.tryDouble(v)
}

func (in *CSVInferrer) tryDouble(v []byte) scalar {
	if s := bytesString(v); isJavaDouble(v) || s == in.nanV || s == in.posInf || s == in.negInf {
		return scalar{kind: iDouble}
	}
	if in.opts.PreferDate {
		return in.tryDate(v)
	}
	return in.tryTimestamp(v)
}

func (in *CSVInferrer) tryDate(v []byte) scalar {
	if _, ok := in.date.StringToDate(bytesString(v)); ok {
		return scalar{kind: iDate}
	}
	return in.tryTimestamp(v)
}

func (in *CSVInferrer) tryTimestamp(v []byte) scalar {
	if in.times.isTimestamp(v) {
		return scalar{kind: iTimestamp}
	}
	return in.tryBool(v)
}

func (in *CSVInferrer) tryBool(v []byte) scalar {
	if s := bytesString(v); strings.EqualFold(s, "true") || strings.EqualFold(s, "false") {
		return scalar{kind: iBool}
	}
	return scalar{kind: iString}
}

// csvCompat is Spark's CSVInferSchema.compatibleType, with string for the
// pairs that have no common type.
func csvCompat(a, b scalar) scalar {
	integral := func(k ikind) int32 {
		switch k {
		case iInt:
			return 10
		case iLong:
			return 20
		}
		return 0
	}
	switch {
	case a == b:
		return a
	case a.kind == iNull:
		return b
	case b.kind == iNull:
		return a
	case a.kind == iString || b.kind == iString:
		return scalar{kind: iString}
	case integral(a.kind) > 0 && integral(b.kind) > 0:
		return scalar{kind: iLong}
	case integral(a.kind) > 0 && b.kind == iDouble, a.kind == iDouble && integral(b.kind) > 0,
		a.kind == iDouble && b.kind == iDecimal, a.kind == iDecimal && b.kind == iDouble:
		return scalar{kind: iDouble}
	case integral(a.kind) > 0 && b.kind == iDecimal:
		return integralDecimal(integral(a.kind), b)
	case a.kind == iDecimal && integral(b.kind) > 0:
		return integralDecimal(integral(b.kind), a)
	case a.kind == iDecimal && b.kind == iDecimal:
		return mergeDecimals(a.prec, a.scale, b.prec, b.scale)
	}
	return scalar{kind: iString} // includes date with timestamp
}

// Schema returns the inferred schema: every column nullable, columns
// without a value typed string. With no record at all it is the empty
// schema, as in Spark.
func (in *CSVInferrer) Schema() *arrow.Schema {
	fields := make([]arrow.Field, len(in.names))
	for i, name := range in.names {
		fields[i] = arrow.Field{Name: name, Type: in.types[i].arrowType(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}
