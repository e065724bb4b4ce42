package format

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/datetime"
)

// Mode says what a decoder does with a malformed record, as Spark's mode
// option.
type Mode string

const (
	// Permissive keeps malformed records: the fields that could not be read
	// are null (all fields when the record cannot be parsed at all) and the
	// raw record goes to the corrupt-record column when the schema has one.
	Permissive Mode = "PERMISSIVE"
	// DropMalformed skips malformed records and counts them.
	DropMalformed Mode = "DROPMALFORMED"
	// FailFast stops at the first malformed record with a *MalformedError.
	FailFast Mode = "FAILFAST"
)

// ParseMode reads a mode option value case-insensitively. Like Spark, an
// unknown value means PERMISSIVE; ok reports whether the value was known.
func ParseMode(s string) (m Mode, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "PERMISSIVE":
		return Permissive, true
	case "DROPMALFORMED":
		return DropMalformed, true
	case "FAILFAST":
		return FailFast, true
	}
	return Permissive, false
}

// DefaultCorruptColumn is Spark's default columnNameOfCorruptRecord.
const DefaultCorruptColumn = "_corrupt_record"

// DecodeStats describes one decoded input.
type DecodeStats struct {
	Rows      int64 // rows in the returned record
	Malformed int64 // malformed records seen (kept, dropped or failed on)
	Bytes     int64 // input bytes consumed
}

// failFastMessage is Spark's text for a malformed record in FAILFAST mode.
const failFastMessage = "Malformed records are detected in record parsing. Parse Mode: FAILFAST. " +
	"To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'."

// ErrMalformed is wrapped by every *MalformedError.
var ErrMalformed = errors.New("malformed record")

// MalformedError reports a malformed record met in FAILFAST mode.
type MalformedError struct {
	Source string // file name (or other input name) given to the decoder
	Line   int    // 1-based line where the record starts
	Offset int64  // byte offset of the record in the input
	Record string // the record's text, cut to 200 bytes
	Reason error  // what was wrong with it
}

func (e *MalformedError) Error() string {
	src := e.Source
	if src == "" {
		src = "input"
	}
	return fmt.Sprintf("%s %s, line %d, byte offset %d: %v; record: %s",
		failFastMessage, src, e.Line, e.Offset, e.Reason, strconv.Quote(e.Record))
}

// Unwrap returns ErrMalformed and the reason.
func (e *MalformedError) Unwrap() []error { return []error{ErrMalformed, e.Reason} }

func newMalformed(source string, line int, offset int64, record []byte, reason error) *MalformedError {
	const maxRecord = 200
	rec := string(record)
	if len(rec) > maxRecord {
		rec = rec[:maxRecord] + "..."
	}
	return &MalformedError{Source: source, Line: line, Offset: offset, Record: rec, Reason: reason}
}

// corruptColumnIndex finds the corrupt-record column in schema and checks
// that it is a nullable string, as Spark requires. It returns -1 when the
// schema has no such column.
func corruptColumnIndex(schema *arrow.Schema, name string) (int, error) {
	if name == "" {
		name = DefaultCorruptColumn
	}
	idx := schema.FieldIndices(name)
	if len(idx) == 0 {
		return -1, nil
	}
	f := schema.Field(idx[0])
	if f.Type.ID() != arrow.STRING || !f.Nullable {
		return -1, fmt.Errorf("The field for corrupt records must be string type and nullable: column %q is %s (nullable %v); declare it as a nullable string", name, f.Type, f.Nullable)
	}
	return idx[0], nil
}

// timeSettings holds the compiled datetime options shared by the JSON and
// CSV readers and writers.
type timeSettings struct {
	ts   *datetime.Pattern // nil: Spark's lenient parsing
	date *datetime.Pattern // nil: Spark's lenient parsing
	loc  *time.Location
}

func newTimeSettings(tsPattern, datePattern, zone string) (timeSettings, error) {
	var s timeSettings
	var err error
	if s.loc, err = datetime.LoadZone(zone); err != nil {
		return s, fmt.Errorf("option timeZone: %w", err)
	}
	if tsPattern != "" {
		if s.ts, err = datetime.Compile(tsPattern); err != nil {
			return s, fmt.Errorf("option timestampFormat: %w", err)
		}
	}
	if datePattern != "" {
		if s.date, err = datetime.Compile(datePattern); err != nil {
			return s, fmt.Errorf("option dateFormat: %w", err)
		}
	}
	return s, nil
}

// newWriteTimeSettings is newTimeSettings for writers, whose patterns
// default to Spark's: yyyy-MM-dd'T'HH:mm:ss.SSSXXX and yyyy-MM-dd.
func newWriteTimeSettings(tsPattern, datePattern, zone string) (timeSettings, error) {
	if tsPattern == "" {
		tsPattern = datetime.DefaultTimestampWritePattern
	}
	if datePattern == "" {
		datePattern = datetime.DefaultDatePattern
	}
	return newTimeSettings(tsPattern, datePattern, zone)
}

func (s *timeSettings) parseTimestamp(b []byte) (int64, error) {
	if s.ts == nil {
		if v, ok := datetime.StringToTimestamp(bytesString(b), s.loc); ok {
			return v, nil
		}
		return datetime.ParseTimestamp(string(b), s.loc)
	}
	if v, ok := s.ts.StringToTimestamp(bytesString(b), s.loc); ok {
		return v, nil
	}
	return s.ts.ParseTimestamp(string(b), s.loc)
}

func (s *timeSettings) parseDate(b []byte) (int32, error) {
	if s.date == nil {
		if v, ok := datetime.StringToDate(bytesString(b)); ok {
			return v, nil
		}
		return datetime.ParseDate(string(b))
	}
	if v, ok := s.date.StringToDate(bytesString(b)); ok {
		return v, nil
	}
	return s.date.ParseDate(string(b))
}

// optionMap reads Spark-style string options case-insensitively.
type optionMap map[string]string

func (m optionMap) get(key string) (string, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

func (m optionMap) str(key, def string) string {
	if v, ok := m.get(key); ok {
		return v
	}
	return def
}

func (m optionMap) boolean(key string, def bool) (bool, error) {
	v, ok := m.get(key)
	if !ok {
		return def, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return def, fmt.Errorf("option %s must be true or false, got %q", key, v)
}

// bytesString views b as a string without copying; the string must not
// outlive b's contents.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
