package engine

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/fileindex"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/source"
)

// readerConfig is what DataFrameReader and DataStreamReader collect.
type readerConfig struct {
	s      *Session
	format string
	schema *arrow.Schema
	opts   map[string]string
	err    error
}

func (r *readerConfig) setSchema(op string, schema any) {
	sc, err := toSchema(schema)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("%s: %w", op, err)
	}
	r.schema = sc
}

func (r *readerConfig) setOption(key string, value any) {
	r.opts[key] = fmt.Sprint(value)
}

func (r *readerConfig) options() source.Options { return source.NewOptions(r.opts) }

// formatName is the format set, or Spark's default (parquet).
func (r *readerConfig) formatName() string {
	if r.format == "" {
		return "parquet"
	}
	return strings.ToLower(r.format)
}

// paths returns the path arguments, else the "path" option.
func (r *readerConfig) paths(args []string) []string {
	if len(args) > 0 {
		return args
	}
	if p, ok := r.options().Get("path"); ok {
		return []string{p}
	}
	return nil
}

// DataStreamReader builds streaming DataFrames (spark.readStream).
type DataStreamReader struct {
	readerConfig
}

// Format sets the source: json, csv, parquet, text, rate, socket, nexmark.
func (r *DataStreamReader) Format(source string) *DataStreamReader { r.format = source; return r }

// Schema sets the schema: a DDL string, a types.Schema or an *arrow.Schema.
func (r *DataStreamReader) Schema(schema any) *DataStreamReader {
	r.setSchema("readStream.schema", schema)
	return r
}

// Option sets one source option; value is formatted with fmt.Sprint.
func (r *DataStreamReader) Option(key string, value any) *DataStreamReader {
	r.setOption(key, value)
	return r
}

// Options sets several source options.
func (r *DataStreamReader) Options(opts map[string]string) *DataStreamReader {
	for k, v := range opts {
		r.opts[k] = v
	}
	return r
}

// Load returns the streaming DataFrame of the source; file formats take a
// path here or in the "path" option.
func (r *DataStreamReader) Load(path ...string) *DataFrame {
	if r.err != nil {
		return &DataFrame{s: r.s, err: r.err}
	}
	df, err := r.load(path)
	if err != nil {
		return r.s.failed("readStream.load", err)
	}
	return df
}

func (r *DataStreamReader) load(path []string) (*DataFrame, error) {
	opts := r.options()
	var src plan.Source
	schema := r.schema
	switch f := r.formatName(); f {
	case "rate", "socket":
		if schema != nil {
			return nil, fmt.Errorf("The %s source does not support a user-specified schema.", f)
		}
		if f == "rate" {
			// Validate the options now rather than at start.
			if _, err := source.NewRate(opts, nil); err != nil {
				return nil, err
			}
			src, schema = rateStream{opts}, source.RateSchema
			break
		}
		schema = source.TextSchema
		if b, _ := opts.Bool("includeTimestamp", false); b {
			schema = arrow.NewSchema(append(schema.Fields(), arrow.Field{Name: "timestamp", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true}), nil)
		}
		src = socketStream{opts}
	case "nexmark":
		var err error
		if src, schema, err = nexmarkRelation(schema, opts); err != nil {
			return nil, err
		}
	case "json", "csv", "parquet", "text":
		paths := r.paths(path)
		if len(paths) != 1 {
			return nil, fmt.Errorf("a streaming file source reads one path (a directory or a glob), got %d; pass it to Load or option(\"path\", ...)", len(paths))
		}
		if f == "text" {
			if schema != nil && !schema.Equal(source.TextSchema) {
				return nil, fmt.Errorf("the text source has one column, value STRING; drop the schema or use that one")
			}
			schema = source.TextSchema
		}
		if schema == nil {
			infer, err := r.s.confBool(StreamingSchemaInferenceConf, false)
			if err != nil {
				return nil, err
			}
			if infer {
				if schema, err = r.s.inferFileSchema(f, paths, opts); err != nil {
					return nil, err
				}
			}
		}
		if schema == nil {
			return nil, fmt.Errorf("Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.")
		}
		// Check format options now: a bad one fails load, not the query.
		if _, err := source.NewReader(f, schema, opts, nil); err != nil {
			return nil, err
		}
		if _, err := fileindex.ParseOptions(opts); err != nil {
			return nil, err
		}
		src = fileStream{format: f, path: paths[0], schema: schema, opts: opts}
	case "kafka":
		return r.kafka()
	default:
		return nil, fmt.Errorf("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: %s. Please find packages at https://spark.apache.org/third-party-projects.html.", r.format)
	}
	return &DataFrame{s: r.s, plan: &plan.Relation{Source: src, Out: schema, Streaming: true}}, nil
}

// Json is Format("json").Load(path).
func (r *DataStreamReader) Json(path string) *DataFrame { return r.Format("json").Load(path) }

// Csv is Format("csv").Load(path).
func (r *DataStreamReader) Csv(path string) *DataFrame { return r.Format("csv").Load(path) }

// Parquet is Format("parquet").Load(path).
func (r *DataStreamReader) Parquet(path string) *DataFrame { return r.Format("parquet").Load(path) }

// Text is Format("text").Load(path).
func (r *DataStreamReader) Text(path string) *DataFrame { return r.Format("text").Load(path) }

// fileStream is a streaming file source.
type fileStream struct {
	format, path string
	schema       *arrow.Schema
	opts         source.Options
}

func (f fileStream) String() string { return fmt.Sprintf("FileSource[%s] %s", f.path, f.format) }

func (f fileStream) open(_ context.Context, dir string) (source.Source, error) {
	return source.NewFile(f.format, f.path, f.schema, f.opts, dir)
}

// DataFrameReader builds batch DataFrames from files (spark.read).
type DataFrameReader struct {
	readerConfig
}

// Format sets the file format: json, csv, parquet, text.
func (r *DataFrameReader) Format(source string) *DataFrameReader { r.format = source; return r }

// Schema sets the schema: a DDL string, a types.Schema or an *arrow.Schema.
func (r *DataFrameReader) Schema(schema any) *DataFrameReader {
	r.setSchema("read.schema", schema)
	return r
}

// Option sets one reader option; value is formatted with fmt.Sprint.
func (r *DataFrameReader) Option(key string, value any) *DataFrameReader {
	r.setOption(key, value)
	return r
}

// Options sets several reader options.
func (r *DataFrameReader) Options(opts map[string]string) *DataFrameReader {
	for k, v := range opts {
		r.opts[k] = v
	}
	return r
}

// Load returns the DataFrame of the files at the paths (files,
// directories or globs). A directory written by a file sink is read
// through its manifest: only committed files. Files are read when an
// action runs.
func (r *DataFrameReader) Load(path ...string) *DataFrame {
	if r.err != nil {
		return &DataFrame{s: r.s, err: r.err}
	}
	df, err := r.load(path)
	if err != nil {
		return r.s.failed("read.load", err)
	}
	return df
}

func (r *DataFrameReader) load(path []string) (*DataFrame, error) {
	f := r.formatName()
	if f == "kafka" {
		return r.kafka()
	}
	schema := r.schema
	if f == "text" {
		schema = source.TextSchema
	}
	paths := r.paths(path)
	if len(paths) == 0 {
		return nil, fmt.Errorf("'path' is not specified: pass it to Load or option(\"path\", ...)")
	}
	if schema == nil {
		var err error
		if schema, err = r.s.inferFileSchema(f, paths, r.options()); err != nil {
			return nil, err
		}
	}
	read, err := source.NewReader(f, schema, r.options(), r.s.mem)
	if err != nil {
		return nil, err
	}
	return &DataFrame{s: r.s, plan: &plan.Relation{Source: fileScan{format: f, paths: paths, read: read}, Out: schema}}, nil
}

// Json is Format("json").Load(path...).
func (r *DataFrameReader) Json(path ...string) *DataFrame { return r.Format("json").Load(path...) }

// Csv is Format("csv").Load(path...).
func (r *DataFrameReader) Csv(path ...string) *DataFrame { return r.Format("csv").Load(path...) }

// Parquet is Format("parquet").Load(path...).
func (r *DataFrameReader) Parquet(path ...string) *DataFrame {
	return r.Format("parquet").Load(path...)
}

// Text is Format("text").Load(path...).
func (r *DataFrameReader) Text(path ...string) *DataFrame { return r.Format("text").Load(path...) }

// fileScan reads files as a batch relation.
type fileScan struct {
	format string
	paths  []string
	read   source.ReadFunc
}

func (f fileScan) String() string {
	return fmt.Sprintf("FileScan %s [%s]", f.format, strings.Join(f.paths, ", "))
}

func (f fileScan) Records(ctx context.Context) ([]arrow.Record, error) {
	files, err := listFiles(f.paths)
	if err != nil {
		return nil, err
	}
	var out []arrow.Record
	for _, p := range files {
		recs, err := f.read(ctx, p)
		if err != nil {
			exec.Release(out)
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		out = append(out, recs...)
	}
	return out, nil
}

// listFiles expands paths into data files, in name order: a file sink's
// directory gives its committed files; another directory its visible files,
// recursively; a glob its matches.
func listFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		matches := []string{p}
		if strings.ContainsAny(p, "*?[") {
			var err error
			if matches, err = filepath.Glob(p); err != nil {
				return nil, err
			}
		}
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, fmt.Errorf("[PATH_NOT_FOUND] Path does not exist: %s.", m)
			}
			if !st.IsDir() {
				out = append(out, m)
				continue
			}
			if ok, err := fileindex.HasManifest(m); err != nil {
				return nil, err
			} else if ok {
				files, err := fileindex.ManifestFiles(m)
				if err != nil {
					return nil, err
				}
				out = append(out, files...)
				continue
			}
			var found []string
			err = filepath.WalkDir(m, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if path != m && fileindex.IsHidden(d.Name()) {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if !d.IsDir() {
					found = append(found, path)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			sort.Strings(found)
			out = append(out, found...)
		}
	}
	return out, nil
}
