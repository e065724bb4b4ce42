package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/fileindex"
	"github.com/gostream/gostream/engine/format"
)

// File reads new files of a folder (or glob) as they appear: json, csv,
// parquet or text. New files are found by fileindex.Index, which records
// every batch's files in the checkpoint's seen-files log, so a re-run batch
// reads the same files. Offsets are that log's batch ids,
// {"logOffset":N}.
type File struct {
	format string
	path   string
	schema *arrow.Schema
	ix     *fileindex.Index
	read   ReadFunc
	tmpDir string // the seen-files log of a query without a checkpoint

	// OnCleanError receives errors from cleanSource, which do not fail the
	// query. Nil drops them.
	OnCleanError func(error)
	stopOnce     sync.Once
}

// ReadFunc reads one whole file into records of a fixed schema.
type ReadFunc func(ctx context.Context, path string) ([]arrow.Record, error)

// TextSchema is the schema of the text format: one string column value.
var TextSchema = arrow.NewSchema([]arrow.Field{{Name: "value", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)

// NewReader returns the reader of files of format (json, csv, parquet,
// text) decoding into schema, with the format's options (mode, header,
// sep, timestampFormat, ...).
func NewReader(formatName string, schema *arrow.Schema, opts Options, mem memory.Allocator) (ReadFunc, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	one := func(rec arrow.Record, _ format.DecodeStats, err error) ([]arrow.Record, error) {
		if err != nil {
			return nil, err
		}
		if rec.NumRows() == 0 {
			rec.Release()
			return nil, nil
		}
		return []arrow.Record{rec}, nil
	}
	switch strings.ToLower(formatName) {
	case "json":
		o, err := format.JSONOptionsFromMap(opts)
		if err != nil {
			return nil, err
		}
		if _, err := format.NewJSONDecoder(schema, o, mem); err != nil {
			return nil, err
		}
		return func(_ context.Context, path string) ([]arrow.Record, error) {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			return one(format.DecodeJSON(data, schema, o, mem, path))
		}, nil
	case "csv":
		o, err := format.CSVOptionsFromMap(opts)
		if err != nil {
			return nil, err
		}
		if _, err := format.NewCSVDecoder(schema, o, mem); err != nil {
			return nil, err
		}
		return func(_ context.Context, path string) ([]arrow.Record, error) {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			return one(format.DecodeCSV(data, schema, o, mem, path))
		}, nil
	case "text":
		o, err := format.TextOptionsFromMap(opts)
		if err != nil {
			return nil, err
		}
		return func(_ context.Context, path string) ([]arrow.Record, error) {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			return one(format.DecodeText(data, o, mem))
		}, nil
	case "parquet":
		return func(ctx context.Context, path string) ([]arrow.Record, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return format.ReadParquet(ctx, f, schema, mem, path)
		}, nil
	}
	return nil, fmt.Errorf("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: %s. Please find packages at https://spark.apache.org/third-party-projects.html.", formatName)
}

// NewFile opens the file source of format over path, decoding into schema.
// logDir is the source's checkpoint directory; "" keeps the seen-files log
// in a temporary directory removed by Stop.
func NewFile(formatName, path string, schema *arrow.Schema, opts Options, logDir string) (*File, error) {
	read, err := NewReader(formatName, schema, opts, nil)
	if err != nil {
		return nil, err
	}
	ixOpts, err := fileindex.ParseOptions(opts)
	if err != nil {
		return nil, err
	}
	f := &File{format: strings.ToLower(formatName), path: path, schema: schema, read: read}
	if logDir == "" {
		if f.tmpDir, err = os.MkdirTemp("", "gostream-filesource-"); err != nil {
			return nil, err
		}
		logDir = f.tmpDir
	}
	if f.ix, err = fileindex.Open(path, ixOpts, logDir); err != nil {
		f.removeTemp()
		return nil, err
	}
	return f, nil
}

func (f *File) Schema() *arrow.Schema { return f.schema }

func parseFileOffset(o Offset) (fileindex.Offset, error) {
	if o == "" {
		return fileindex.NoOffset, nil
	}
	var off fileindex.Offset
	if err := json.Unmarshal([]byte(o), &off); err != nil {
		return 0, err
	}
	return off, nil
}

func (f *File) LatestOffset(ctx context.Context, start Offset) (Offset, error) {
	end, err := f.ix.Latest(ctx)
	if err != nil {
		return "", err
	}
	if end == fileindex.NoOffset {
		return start, nil
	}
	b, err := json.Marshal(end)
	if err != nil {
		return "", err
	}
	return Offset(b), nil
}

func (f *File) Batch(ctx context.Context, start, end Offset) ([]arrow.Record, error) {
	s, err := parseFileOffset(start)
	if err != nil {
		return nil, err
	}
	e, err := parseFileOffset(end)
	if err != nil {
		return nil, err
	}
	files, err := f.ix.Files(s, e)
	if err != nil {
		return nil, err
	}
	var out []arrow.Record
	for _, fe := range files {
		p, err := fe.LocalPath()
		if err != nil {
			return nil, err
		}
		recs, err := f.read(ctx, p)
		if err != nil {
			for _, r := range out {
				r.Release()
			}
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		out = append(out, recs...)
	}
	return out, nil
}

// Commit lets cleanSource delete or archive the committed files.
func (f *File) Commit(_ context.Context, end Offset) error {
	e, err := parseFileOffset(end)
	if err != nil {
		return err
	}
	err = f.ix.Commit(e)
	if err != nil && errors.Is(err, fileindex.ErrCleanSource) {
		if f.OnCleanError != nil {
			f.OnCleanError(err)
		}
		return nil
	}
	return err
}

// ReadAllAvailable implements Unlimited.
func (f *File) ReadAllAvailable() { f.ix.ReadAllAvailable() }

// PrepareAvailableNow implements AvailableNow.
func (f *File) PrepareAvailableNow(ctx context.Context) error {
	return f.ix.PrepareAvailableNow(ctx)
}

// Stop removes the temporary seen-files log, if any.
func (f *File) Stop() error {
	f.stopOnce.Do(f.removeTemp)
	return nil
}

func (f *File) removeTemp() {
	if f.tmpDir != "" {
		os.RemoveAll(f.tmpDir)
	}
}

func (f *File) String() string {
	return "FileStreamSource[" + f.path + "]"
}
