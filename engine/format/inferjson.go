package format

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/gostream/gostream/engine/datetime"
)

// JSONInferOptions are the options of JSON schema inference, named after
// Spark's. The embedded JSONOptions give the mode, the corrupt-record
// column, multiLine and the datetime settings.
type JSONInferOptions struct {
	JSONOptions
	// SamplingRatio is the fraction of records looked at, in (0, 1]; 0
	// means 1.
	SamplingRatio float64
	// PrimitivesAsString infers every number and boolean as a string.
	PrimitivesAsString bool
	// PrefersDecimal infers fractional numbers (and strings that are
	// numbers) as decimals when they fit in 38 digits.
	PrefersDecimal bool
	// InferTimestamp infers strings that read as timestamps (with
	// TimestampFormat, or Spark's lenient syntax) as timestamps. Spark 3.5's
	// default is false.
	InferTimestamp bool
	// DropFieldIfAllNull leaves out fields that are always null, empty
	// arrays and empty structs, instead of typing them as strings.
	DropFieldIfAllNull bool
}

// JSONInferOptionsFromMap reads the JSONOptionsFromMap options plus
// samplingRatio, primitivesAsString, prefersDecimal, inferTimestamp and
// dropFieldIfAllNull (case-insensitive).
func JSONInferOptionsFromMap(m map[string]string) (JSONInferOptions, error) {
	jo, err := JSONOptionsFromMap(m)
	if err != nil {
		return JSONInferOptions{}, err
	}
	o := JSONInferOptions{JSONOptions: jo}
	om := optionMap(m)
	if o.SamplingRatio, err = samplingRatioOption(om); err != nil {
		return o, err
	}
	for _, f := range []struct {
		dst *bool
		key string
	}{
		{&o.PrimitivesAsString, "primitivesAsString"},
		{&o.PrefersDecimal, "prefersDecimal"},
		{&o.InferTimestamp, "inferTimestamp"},
		{&o.DropFieldIfAllNull, "dropFieldIfAllNull"},
	} {
		if *f.dst, err = om.boolean(f.key, false); err != nil {
			return o, err
		}
	}
	return o, nil
}

// jtype is a node of the JSON type being inferred. Struct fields keep the
// order they were first seen in; Schema sorts them by name, as Spark does.
type jtype struct {
	scalar
	fields []jfield
	index  map[string]int // field name -> position, once there are many fields
	hint   int            // the field after the last one looked up
	elem   *jtype         // array element
	saved  uint64         // the record in which the node was last journaled
}

type jfield struct {
	name string
	t    *jtype
}

// jsave is the state of a node before the current record changed it.
type jsave struct {
	t   *jtype
	old jtype
}

// JSONInferrer infers the schema of JSON lines (or multi-line JSON) as
// Spark's JsonInferSchema does: integers are bigint (decimal past 64 bits),
// other numbers double, true and false boolean, strings string (or
// timestamp with InferTimestamp), objects structs with their fields sorted
// by name, arrays arrays of the merged element type. Conflicting types
// widen: bigint and double to double, decimals to the decimal that holds
// both, anything else to string. Fields that are only ever null, "" or []
// are strings; empty structs are dropped. A malformed record adds the
// corrupt-record column in PERMISSIVE mode, is skipped in DROPMALFORMED
// mode and fails in FAILFAST mode; it never contributes fields.
//
// A record is merged into the schema as it is scanned, without building
// its own type tree; the changes it makes are journaled so that a record
// found malformed half-way is taken back. A JSONInferrer is not safe for
// concurrent use.
type JSONInferrer struct {
	opts    JSONInferOptions
	times   timeSettings
	root    *jtype
	epoch   uint64
	journal []jsave
	scratch []byte
	sample  sampler
	records int64
}

// NewJSONInferrer starts an inference. It fails on an invalid datetime
// pattern or time zone.
func NewJSONInferrer(opts JSONInferOptions) (*JSONInferrer, error) {
	if opts.Mode == "" {
		opts.Mode = Permissive
	}
	in := &JSONInferrer{opts: opts, root: &jtype{scalar: scalar{kind: iStruct}}, sample: newSampler(opts.SamplingRatio)}
	var err error
	if in.times, err = newTimeSettings(opts.TimestampFormat, "", opts.TimeZone); err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	return in, nil
}

// Add merges the records of one input (a file's bytes) into the schema.
// In FAILFAST mode a malformed record is an *InferMalformedError naming
// source, line and byte offset.
func (in *JSONInferrer) Add(data []byte, source string) error {
	if in.opts.MultiLine {
		return in.record(data, 0, 1, source)
	}
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
		if err := in.record(rec, off, line, source); err != nil {
			return err
		}
		off = next
	}
	return nil
}

// record merges one JSON text. The first record is always looked at, so
// that a small sample of a non-empty input is never empty.
func (in *JSONInferrer) record(rec []byte, off, line int, source string) error {
	s := jscanner{b: rec}
	s.ws()
	if s.p == len(rec) {
		return nil
	}
	if in.records > 0 && !in.sample.keep() {
		return nil
	}
	in.records++
	in.epoch++
	in.journal = in.journal[:0]
	var err *jsonError
	var other *scalar // the type of a record that is not an object
	switch rec[s.p] {
	case '{':
		err = in.object(&s, in.root, 0)
	case '[':
		other, err = in.rootArray(&s, 0)
	default:
		t := jtype{saved: in.epoch}
		if err = in.value(&s, &t, 0); err == nil && t.kind != iNull {
			other = &t.scalar
		}
	}
	if err == nil && other == nil {
		return nil
	}
	in.undo()
	switch in.opts.Mode {
	case DropMalformed:
	case FailFast:
		e := &InferMalformedError{}
		reason := error(err)
		if err == nil {
			e.NotStruct = other.catalogName()
			reason = fmt.Errorf("Failed to infer a common schema. Struct types are expected, but `%s` was found.", e.NotStruct)
		} else if in.opts.MultiLine {
			pos := min(err.pos, len(rec))
			line += bytes.Count(rec[:pos], []byte{'\n'})
			off += pos
		}
		e.Record = newMalformed(source, line, int64(off), rec, reason)
		return e
	default:
		name := in.opts.CorruptColumn
		if name == "" {
			name = DefaultCorruptColumn
		}
		in.widen(in.field(in.root, []byte(name)), scalar{kind: iString})
	}
	return nil
}

// InferMalformedError reports a malformed record met by schema inference
// in FAILFAST mode. It unwraps to the *MalformedError of the record.
type InferMalformedError struct {
	// Record is the record, where it is and what is wrong with it.
	Record *MalformedError
	// NotStruct is the type of a record that is valid JSON but not an
	// object (or array of objects), "" for a syntax error.
	NotStruct string
}

func (e *InferMalformedError) Error() string {
	var b strings.Builder
	b.WriteString("Malformed records are detected in schema inference. Parse Mode: FAILFAST.")
	r := e.Record
	if e.NotStruct != "" {
		fmt.Fprintf(&b, " Reasons: %v", r.Reason)
	}
	src := r.Source
	if src == "" {
		src = "input"
	}
	fmt.Fprintf(&b, " %s, line %d, byte offset %d", src, r.Line, r.Offset)
	if e.NotStruct == "" {
		fmt.Fprintf(&b, ": %v", r.Reason)
	}
	fmt.Fprintf(&b, "; record: %s. To infer the schema from the other records, set the option mode to PERMISSIVE or DROPMALFORMED, or give the schema.",
		strconv.Quote(r.Record))
	return b.String()
}

// Unwrap returns the malformed record's error.
func (e *InferMalformedError) Unwrap() error { return e.Record }

// save journals t before the current record first changes it.
func (in *JSONInferrer) save(t *jtype) {
	if t.saved == in.epoch {
		return
	}
	in.journal = append(in.journal, jsave{t: t, old: *t})
	t.saved = in.epoch
}

// undo takes back every change of the current record. Nodes the record
// created become unreachable; index maps may keep entries for fields
// taken back, which lookups check against the fields.
func (in *JSONInferrer) undo() {
	for i := len(in.journal) - 1; i >= 0; i-- {
		*in.journal[i].t = in.journal[i].old
	}
	in.journal = in.journal[:0]
}

func (in *JSONInferrer) newType() *jtype { return &jtype{saved: in.epoch} }

// widen makes t the type that holds both t and v (v atomic).
func (in *JSONInferrer) widen(t *jtype, v scalar) {
	if w := jsonCompat(t.scalar, v); w != t.scalar {
		in.save(t)
		t.scalar = w
	}
}

// jsonCompat is Spark's JsonInferSchema.compatibleType for the cases that
// do not merge two structs or two arrays.
func jsonCompat(a, b scalar) scalar {
	switch {
	case a.kind == iNull:
		return b
	case b.kind == iNull:
		return a
	case a.kind == b.kind:
		if a.kind == iDecimal {
			return mergeDecimals(a.prec, a.scale, b.prec, b.scale)
		}
		return a
	case a.kind == iLong && b.kind == iDouble, a.kind == iDouble && b.kind == iLong,
		a.kind == iDouble && b.kind == iDecimal, a.kind == iDecimal && b.kind == iDouble:
		return scalar{kind: iDouble}
	case a.kind == iLong && b.kind == iDecimal:
		return integralDecimal(20, b)
	case a.kind == iDecimal && b.kind == iLong:
		return integralDecimal(20, a)
	}
	return scalar{kind: iString}
}

// field returns the type of t's field key, adding it (as null) when new.
func (in *JSONInferrer) field(t *jtype, key []byte) *jtype {
	if h := t.hint; h < len(t.fields) && t.fields[h].name == string(key) {
		t.hint = h + 1
		return t.fields[h].t
	}
	if t.index != nil {
		if i, ok := t.index[string(key)]; ok && i < len(t.fields) && t.fields[i].name == string(key) {
			t.hint = i + 1
			return t.fields[i].t
		}
	} else {
		for i := range t.fields {
			if t.fields[i].name == string(key) {
				t.hint = i + 1
				return t.fields[i].t
			}
		}
	}
	in.save(t)
	nt := in.newType()
	name := string(key)
	t.fields = append(t.fields, jfield{name: name, t: nt})
	n := len(t.fields)
	switch {
	case t.index != nil:
		t.index[name] = n - 1
	case n > 8:
		t.index = make(map[string]int, 2*n)
		for i, f := range t.fields {
			t.index[f.name] = i
		}
	}
	t.hint = n
	return nt
}

// object merges the object at s.p into the struct t.
func (in *JSONInferrer) object(s *jscanner, t *jtype, depth int) *jsonError {
	s.p++ // '{'
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
		key, err := s.str(&in.scratch)
		if err != nil {
			return err
		}
		f := in.field(t, key)
		s.ws()
		if s.peek() != ':' {
			return s.syntaxErr("expected ':' after a field name")
		}
		s.p++
		if err := in.value(s, f, depth+1); err != nil {
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
}

// array merges the elements of the array at s.p into elem.
func (in *JSONInferrer) array(s *jscanner, elem *jtype, depth int) *jsonError {
	s.p++ // '['
	s.ws()
	if s.peek() == ']' {
		s.p++
		return nil
	}
	for {
		if err := in.value(s, elem, depth+1); err != nil {
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

// value merges the value at s.p into t.
func (in *JSONInferrer) value(s *jscanner, t *jtype, depth int) *jsonError {
	s.ws()
	if s.p >= len(s.b) {
		return s.syntaxErr("unexpected end of input")
	}
	if depth > maxJSONDepth {
		return s.syntaxErr("nesting too deep")
	}
	if t.kind == iString { // a string holds any value
		return s.skip(depth)
	}
	switch c := s.b[s.p]; {
	case c == '{':
		switch t.kind {
		case iNull:
			in.save(t)
			t.scalar = scalar{kind: iStruct}
		case iStruct:
		default:
			in.widen(t, scalar{kind: iString})
			return s.skip(depth)
		}
		return in.object(s, t, depth)
	case c == '[':
		switch t.kind {
		case iNull:
			in.save(t)
			t.scalar = scalar{kind: iArray}
			t.elem = in.newType()
		case iArray:
		default:
			in.widen(t, scalar{kind: iString})
			return s.skip(depth)
		}
		return in.array(s, t.elem, depth)
	case c == '"':
		v, err := s.str(&in.scratch)
		if err != nil {
			return err
		}
		if len(v) > 0 { // "" counts as null, as in Spark
			in.widen(t, in.stringType(v))
		}
	case c == 't', c == 'f':
		lit := "true"
		if c == 'f' {
			lit = "false"
		}
		if err := s.literal(lit); err != nil {
			return err
		}
		if in.opts.PrimitivesAsString {
			in.widen(t, scalar{kind: iString})
		} else {
			in.widen(t, scalar{kind: iBool})
		}
	case c == 'n':
		return s.literal("null")
	case c == '-' || inferDigit(c):
		start := s.p
		isFloat, err := s.number()
		if err != nil {
			return err
		}
		in.widen(t, in.numberType(s.b[start:s.p], isFloat))
	default:
		return s.syntaxErr("unexpected character")
	}
	return nil
}

// rootArray merges the objects of a top-level array into the root. It
// returns the type of the first element that is neither an object, an
// array of objects nor null: Spark then treats the record as malformed.
func (in *JSONInferrer) rootArray(s *jscanner, depth int) (*scalar, *jsonError) {
	s.p++ // '['
	s.ws()
	if s.peek() == ']' {
		s.p++
		return nil, nil
	}
	var other *scalar
	for {
		s.ws()
		if s.p >= len(s.b) {
			return nil, s.syntaxErr("unexpected end of input in array")
		}
		if depth > maxJSONDepth {
			return nil, s.syntaxErr("nesting too deep")
		}
		switch s.b[s.p] {
		case '{':
			if err := in.object(s, in.root, depth+1); err != nil {
				return nil, err
			}
		case '[':
			o, err := in.rootArray(s, depth+1)
			if err != nil {
				return nil, err
			}
			if other == nil {
				other = o
			}
		default:
			t := jtype{saved: in.epoch}
			if err := in.value(s, &t, depth+1); err != nil {
				return nil, err
			}
			if other == nil && t.kind != iNull {
				other = &t.scalar
			}
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.p++
		case ']':
			s.p++
			return other, nil
		default:
			return nil, s.syntaxErr("expected ',' or ']' in array")
		}
	}
}

// stringType is the type of a non-empty JSON string.
func (in *JSONInferrer) stringType(v []byte) scalar {
	if in.opts.PrefersDecimal {
		// Spark: DecimalType(precision, scale) of the BigDecimal, when valid.
		if p, sc, ok := decimalShape(v); ok && sc >= 0 && sc <= p && p <= maxInferPrecision {
			return scalar{kind: iDecimal, prec: int32(p), scale: int32(sc)}
		}
	}
	if in.opts.InferTimestamp && in.times.isTimestamp(v) {
		return scalar{kind: iTimestamp}
	}
	return scalar{kind: iString}
}

// numberType is the type of a JSON number: bigint when it fits, a decimal
// for larger integers (double past 38 digits), double for fractions, or
// with PrefersDecimal decimal(max(precision, scale), scale).
func (in *JSONInferrer) numberType(v []byte, isFloat bool) scalar {
	if in.opts.PrimitivesAsString {
		return scalar{kind: iString}
	}
	if !isFloat {
		if _, ok := parseInt64(v); ok {
			return scalar{kind: iLong}
		}
		if p, _, ok := decimalShape(v); ok && p <= maxInferPrecision {
			return scalar{kind: iDecimal, prec: int32(p)}
		}
		return scalar{kind: iDouble}
	}
	if in.opts.PrefersDecimal {
		if p, sc, ok := decimalShape(v); ok && sc >= 0 {
			if p = max(p, sc); p <= maxInferPrecision {
				return scalar{kind: iDecimal, prec: int32(p), scale: int32(sc)}
			}
		}
	}
	return scalar{kind: iDouble}
}

// isTimestamp reports whether b reads as a timestamp with the
// timestampFormat, or with Spark's lenient syntax when there is none.
func (s *timeSettings) isTimestamp(b []byte) bool {
	if s.ts == nil {
		_, ok := datetime.StringToTimestamp(bytesString(b), s.loc)
		return ok
	}
	_, ok := s.ts.StringToTimestamp(bytesString(b), s.loc)
	return ok
}

// Schema returns the schema inferred so far: the root struct's fields
// sorted by name, nulls as strings (or left out with DropFieldIfAllNull),
// empty structs left out. Every field is nullable. With no records it is
// the empty schema, as in Spark.
func (in *JSONInferrer) Schema() *arrow.Schema {
	return arrow.NewSchema(in.structFields(in.root), nil)
}

func (in *JSONInferrer) structFields(t *jtype) []arrow.Field {
	fields := make([]jfield, 0, len(t.fields))
	for _, f := range t.fields {
		if f.name != "" {
			fields = append(fields, f)
		}
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].name < fields[j].name })
	out := make([]arrow.Field, 0, len(fields))
	for _, f := range fields {
		if dt, ok := in.canonical(f.t); ok {
			out = append(out, arrow.Field{Name: f.name, Type: dt, Nullable: true})
		}
	}
	return out
}

// canonical is Spark's canonicalizeType: the Arrow type of t, or false
// when t is to be left out.
func (in *JSONInferrer) canonical(t *jtype) (arrow.DataType, bool) {
	switch t.kind {
	case iNull:
		if in.opts.DropFieldIfAllNull {
			return nil, false
		}
		return arrow.BinaryTypes.String, true
	case iStruct:
		fields := in.structFields(t)
		if len(fields) == 0 {
			return nil, false
		}
		return arrow.StructOf(fields...), true
	case iArray:
		et, ok := in.canonical(t.elem)
		if !ok {
			return nil, false
		}
		return arrow.ListOf(et), true
	}
	return t.arrowType(), true
}
