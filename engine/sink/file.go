package sink

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/fileindex"
	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/source"
)

// File writes every batch as one part file (csv, json or parquet) under a
// directory, exactly once: through fileindex.Sink's commit protocol, a
// batch is visible only once <path>/_spark_metadata/<batchId> lists its
// files, and a batch id the manifest already holds is skipped.
type File struct {
	out  *fileindex.Sink
	ext  string
	open func(w io.Writer) (format.RecordWriter, error)
}

// NewFile opens the file sink of format writing to path, with the
// format's options (header, sep, compression, timestampFormat, ...). It
// removes the part files of batches that never committed.
func NewFile(formatName, path string, schema *arrow.Schema, opts source.Options) (*File, error) {
	name := strings.ToLower(formatName)
	open, ok, err := format.FileWriter(name, schema, opts)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: %s. Please find packages at https://spark.apache.org/third-party-projects.html.", formatName)
	}
	f := &File{open: open, ext: "." + name}
	if name == "parquet" {
		if c := strings.ToLower(format.ParquetWriteOptionsFromMap(opts).Compression); c == "" || c == "snappy" {
			f.ext = ".snappy.parquet"
		}
	}
	out, err := fileindex.OpenSink(path)
	if err != nil {
		return nil, err
	}
	if _, err := out.RemoveUncommitted(); err != nil {
		return nil, err
	}
	f.out = out
	return f, nil
}

func (f *File) AddBatch(_ context.Context, batchID int64, recs []arrow.Record) error {
	b, err := f.out.Begin(batchID)
	if errors.Is(err, fileindex.ErrAlreadyCommitted) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := f.write(b, recs); err != nil {
		return errors.Join(err, b.Abort())
	}
	if _, err := b.Commit(); err != nil {
		return errors.Join(err, b.Abort())
	}
	return nil
}

func (f *File) write(b *fileindex.SinkBatch, recs []arrow.Record) error {
	var rows int64
	for _, r := range recs {
		rows += r.NumRows()
	}
	if rows == 0 {
		return nil
	}
	part, err := b.Create(0, "", f.ext)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(part, 256<<10)
	if err := f.encode(w, recs); err != nil {
		return errors.Join(err, part.Abort())
	}
	if err := w.Flush(); err != nil {
		return errors.Join(err, part.Abort())
	}
	return part.Close()
}

// encode writes recs as one file of the sink's format.
func (f *File) encode(w io.Writer, recs []arrow.Record) error {
	rw, err := f.open(w)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := rw.Write(r); err != nil {
			return err
		}
	}
	return rw.Close()
}

func (f *File) String() string { return "FileSink[" + f.out.Path() + "]" }
