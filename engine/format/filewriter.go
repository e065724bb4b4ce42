package format

import (
	"io"

	"github.com/apache/arrow/go/v15/arrow"
)

// RecordWriter encodes records into one file. Close finishes the file
// (Parquet writes its footer) and leaves the underlying writer open.
type RecordWriter interface {
	Write(rec arrow.Record) error
	Close() error
}

// RecordWriterFunc adapts an encoding function of a format without a
// footer to RecordWriter.
type RecordWriterFunc func(rec arrow.Record) error

func (f RecordWriterFunc) Write(rec arrow.Record) error { return f(rec) }

func (f RecordWriterFunc) Close() error { return nil }

// FileWriter checks schema and opts for the csv, json or parquet format
// and returns the function that starts one file of it on w. ok is false
// for any other format name, which the caller reports or handles.
func FileWriter(name string, schema *arrow.Schema, opts map[string]string) (open func(w io.Writer) (RecordWriter, error), ok bool, err error) {
	switch name {
	case "csv":
		o, err := CSVOptionsFromMap(opts)
		if err != nil {
			return nil, true, err
		}
		if _, err := NewCSVWriter(io.Discard, schema, o); err != nil {
			return nil, true, err
		}
		return func(w io.Writer) (RecordWriter, error) {
			cw, err := NewCSVWriter(w, schema, o)
			if err != nil {
				return nil, err
			}
			return RecordWriterFunc(cw.Write), nil
		}, true, nil
	case "json":
		o, err := JSONOptionsFromMap(opts)
		if err != nil {
			return nil, true, err
		}
		return func(w io.Writer) (RecordWriter, error) {
			return RecordWriterFunc(func(r arrow.Record) error { return EncodeJSON(w, r, o) }), nil
		}, true, nil
	case "parquet":
		o := ParquetWriteOptionsFromMap(opts)
		return func(w io.Writer) (RecordWriter, error) {
			pw, err := NewParquetWriter(w, schema, o)
			if err != nil {
				return nil, err
			}
			return pw, nil
		}, true, nil
	}
	return nil, false, nil
}
