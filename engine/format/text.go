package format

import (
	"bytes"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// TextSchema is the schema of the text source: one string column "value".
var TextSchema = arrow.NewSchema([]arrow.Field{{Name: "value", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)

// TextOptions are the text reader options, named after Spark's.
type TextOptions struct {
	// WholeText reads each input as a single row.
	WholeText bool
	// LineSep separates lines; empty means \n, \r\n or \r.
	LineSep string
}

// TextOptionsFromMap reads Spark option names (case-insensitive): wholetext,
// lineSep.
func TextOptionsFromMap(m map[string]string) (TextOptions, error) {
	om := optionMap(m)
	whole, err := om.boolean("wholetext", false)
	return TextOptions{WholeText: whole, LineSep: om.str("lineSep", "")}, err
}

// DecodeText returns the lines of data as rows of TextSchema (line breaks
// removed; a final line break does not start an empty row), or one row
// holding all of data with WholeText.
func DecodeText(data []byte, opts TextOptions, mem memory.Allocator) (arrow.Record, DecodeStats, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	col := &bytesColumn{typ: arrow.BinaryTypes.String}
	n := 0
	switch {
	case opts.WholeText:
		if len(data) > 0 {
			col.Append(data)
			n = 1
		}
	case opts.LineSep != "":
		sep := []byte(opts.LineSep)
		for off := 0; off < len(data); n++ {
			e := bytes.Index(data[off:], sep)
			if e < 0 {
				col.Append(data[off:])
				n++
				break
			}
			col.Append(data[off : off+e])
			off += e + len(sep)
		}
	default:
		for off := 0; off < len(data); n++ {
			e := bytes.IndexAny(data[off:], "\r\n")
			if e < 0 {
				col.Append(data[off:])
				n++
				break
			}
			col.Append(data[off : off+e])
			off += e + 1
			if data[off-1] == '\r' && off < len(data) && data[off] == '\n' {
				off++
			}
		}
	}
	rec := newRecord(TextSchema, []column{col}, n, mem)
	return rec, DecodeStats{Rows: int64(n), Bytes: int64(len(data))}, nil
}

// EncodeText writes the single string column of rec, one line per row, as
// Spark's text writer does; null rows are written as empty lines.
func EncodeText(w io.Writer, rec arrow.Record) error {
	if rec.NumCols() != 1 || rec.Column(0).DataType().ID() != arrow.STRING {
		return fmt.Errorf("text: %w: Text data source supports only a single column of string type, got %s; select one string column first",
			ErrUnsupportedType, rec.Schema())
	}
	col := rec.Column(0).(*array.String)
	var buf []byte
	for i := 0; i < col.Len(); i++ {
		if col.IsValid(i) {
			buf = append(buf, col.Value(i)...)
		}
		buf = append(buf, '\n')
		if len(buf) >= 64<<10 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("text: write: %w", err)
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("text: write: %w", err)
		}
	}
	return nil
}
