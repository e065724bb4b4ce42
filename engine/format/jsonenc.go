package format

import (
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/datetime"
)

// EncodeJSON writes rec as JSON lines the way Spark's JSON writer does: one
// object per row, fields in schema order, null fields omitted (unless
// WriteNullFields), timestamps as "2024-05-01T10:00:03.000Z" (or
// TimestampFormat in TimeZone), dates as "2024-05-01", doubles as Java
// prints them (40.5, 1.0E10, "NaN"), binary as base64, maps as objects.
func EncodeJSON(w io.Writer, rec arrow.Record, opts JSONOptions) error {
	enc, err := newJSONWriter(rec.Schema(), opts)
	if err != nil {
		return err
	}
	fields, err := enc.fieldFns(rec.Columns(), rec.Schema().Fields(), "")
	if err != nil {
		return err
	}
	names := fieldKeys(rec.Schema().Fields())
	var buf []byte
	for r := 0; r < int(rec.NumRows()); r++ {
		buf = enc.appendObject(buf, rec.Columns(), names, fields, r)
		buf = append(buf, '\n')
		if len(buf) >= 64<<10 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("json: write: %w", err)
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("json: write: %w", err)
		}
	}
	return nil
}

// JSONValueAppender returns a function that appends row i of arr, which
// must not be null, as one JSON text, the way Spark's to_json renders a
// struct, array or map and with EncodeJSON's rules for the values inside:
// null struct fields omitted (unless opts.WriteNullFields), timestamps in
// opts.TimestampFormat (default "2024-05-01T10:00:03.000Z"), dates in
// opts.DateFormat, doubles as Java prints them, binary as base64. It fails
// on a type the JSON writer cannot write, or an invalid datetime option.
func JSONValueAppender(arr arrow.Array, opts JSONOptions) (func(dst []byte, i int) []byte, error) {
	enc, err := newJSONWriter(nil, opts)
	if err != nil {
		return nil, err
	}
	return enc.valueFn(arr, "value")
}

type appendFn func(dst []byte, i int) []byte

type jsonWriter struct {
	times     timeSettings
	ts, date  *datetime.Pattern
	keepNulls bool
}

func newJSONWriter(schema *arrow.Schema, opts JSONOptions) (*jsonWriter, error) {
	times, err := newWriteTimeSettings(opts.TimestampFormat, opts.DateFormat, opts.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	return &jsonWriter{times: times, ts: times.ts, date: times.date, keepNulls: opts.WriteNullFields}, nil
}

func fieldKeys(fields []arrow.Field) [][]byte {
	keys := make([][]byte, len(fields))
	for i, f := range fields {
		keys[i] = append(appendJSONString(nil, f.Name), ':')
	}
	return keys
}

// fieldFns returns the writers of the fields of an object; a field of
// Spark's NullType (always null) gets none.
func (e *jsonWriter) fieldFns(cols []arrow.Array, fields []arrow.Field, path string) ([]appendFn, error) {
	fns := make([]appendFn, len(cols))
	for k, col := range cols {
		if _, ok := col.(*array.Null); ok {
			continue
		}
		var err error
		if fns[k], err = e.valueFn(col, path+fields[k].Name); err != nil {
			return nil, err
		}
	}
	return fns, nil
}

func (e *jsonWriter) appendObject(dst []byte, cols []arrow.Array, keys [][]byte, fns []appendFn, r int) []byte {
	dst = append(dst, '{')
	first := true
	for k, col := range cols {
		null := fns[k] == nil || col.IsNull(r)
		if null && !e.keepNulls {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, keys[k]...)
		if null {
			dst = append(dst, "null"...)
		} else {
			dst = fns[k](dst, r)
		}
	}
	return append(dst, '}')
}

// valueFn returns the writer of non-null values of arr.
func (e *jsonWriter) valueFn(arr arrow.Array, path string) (appendFn, error) {
	switch a := arr.(type) {
	case *array.Null:
		return func(dst []byte, i int) []byte { return append(dst, "null"...) }, nil
	case *array.String:
		return func(dst []byte, i int) []byte { return appendJSONString(dst, a.Value(i)) }, nil
	case *array.Binary:
		return func(dst []byte, i int) []byte {
			v := a.Value(i)
			dst = append(dst, '"')
			dst = base64.StdEncoding.AppendEncode(dst, v)
			return append(dst, '"')
		}, nil
	case *array.Boolean:
		return func(dst []byte, i int) []byte { return strconv.AppendBool(dst, a.Value(i)) }, nil
	case *array.Int8:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }, nil
	case *array.Int16:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }, nil
	case *array.Int32:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }, nil
	case *array.Int64:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, a.Value(i), 10) }, nil
	case *array.Float32:
		return func(dst []byte, i int) []byte { return appendJSONFloat(dst, float64(a.Value(i)), 32) }, nil
	case *array.Float64:
		return func(dst []byte, i int) []byte { return appendJSONFloat(dst, a.Value(i), 64) }, nil
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(dst []byte, i int) []byte { return AppendJavaDecimal(dst, a.Value(i), scale) }, nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(dst []byte, i int) []byte {
			dst = append(dst, '"')
			dst = e.ts.AppendTimestamp(dst, toMicros(int64(a.Value(i)), unit), e.times.loc)
			return append(dst, '"')
		}, nil
	case *array.Date32:
		return func(dst []byte, i int) []byte {
			dst = append(dst, '"')
			dst = e.date.AppendDate(dst, int32(a.Value(i)))
			return append(dst, '"')
		}, nil
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		cols := make([]arrow.Array, a.NumField())
		for k := range cols {
			cols[k] = a.Field(k)
		}
		fns, err := e.fieldFns(cols, st.Fields(), path+".")
		if err != nil {
			return nil, err
		}
		keys := fieldKeys(st.Fields())
		return func(dst []byte, i int) []byte { return e.appendObject(dst, cols, keys, fns, i) }, nil
	case *array.Map:
		keys, items := a.Keys(), a.Items()
		keyFn := func(dst []byte, i int) []byte {
			return appendJSONString(dst, FormatValue(keys, i))
		}
		if ks, ok := keys.(*array.String); ok {
			keyFn = func(dst []byte, i int) []byte { return appendJSONString(dst, ks.Value(i)) }
		}
		itemFn, err := e.valueFn(items, path+".value")
		if err != nil {
			return nil, err
		}
		return func(dst []byte, i int) []byte {
			start, end := a.ValueOffsets(i)
			dst = append(dst, '{')
			for j := int(start); j < int(end); j++ {
				if j > int(start) {
					dst = append(dst, ',')
				}
				dst = keyFn(dst, j)
				dst = append(dst, ':')
				if items.IsNull(j) {
					dst = append(dst, "null"...)
				} else {
					dst = itemFn(dst, j)
				}
			}
			return append(dst, '}')
		}, nil
	case *array.List:
		child := a.ListValues()
		elemFn, err := e.valueFn(child, path+".element")
		if err != nil {
			return nil, err
		}
		return func(dst []byte, i int) []byte {
			start, end := a.ValueOffsets(i)
			dst = append(dst, '[')
			for j := int(start); j < int(end); j++ {
				if j > int(start) {
					dst = append(dst, ',')
				}
				if child.IsNull(j) {
					dst = append(dst, "null"...)
				} else {
					dst = elemFn(dst, j)
				}
			}
			return append(dst, ']')
		}, nil
	}
	return nil, fmt.Errorf("json: %w: column %q has type %s", ErrUnsupportedType, path, arr.DataType())
}

func appendJSONFloat(dst []byte, v float64, bits int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		dst = append(dst, '"')
		dst = AppendJavaFloat(dst, v, bits)
		return append(dst, '"')
	}
	return AppendJavaFloat(dst, v, bits)
}

// appendJSONString quotes s as Jackson does: ", \ and control characters
// escaped, everything else (non-ASCII included) written as is.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
