package notebook

import (
	"context"
	"io"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/kernel/notebook/host"
)

// Engine types that need no notebook wrapper: they carry no errors.
type (
	Row                    = engine.Row
	Trigger                = engine.Trigger
	StreamingQueryStatus   = engine.StreamingQueryStatus
	StreamingQueryProgress = engine.StreamingQueryProgress
	RuntimeConfig          = engine.RuntimeConfig
)

// ProcessingTime runs a batch every interval ("2 seconds", "1 minute").
func ProcessingTime(interval string) Trigger { return engine.ProcessingTime(interval) }

// Once runs one batch with the data available at start, then stops.
func Once() Trigger { return engine.Once() }

// AvailableNow processes all data available at start, in as many batches
// as the source's per-trigger limits require, then stops.
func AvailableNow() Trigger { return engine.AvailableNow() }

// Session is the notebook's spark session.
type Session struct {
	h *host.Host
}

// Spark returns the session of this notebook (bound to `spark` in cells).
func Spark() *Session { return &Session{h: host.Default} }

func (s *Session) engine() *engine.Session { return s.h.Spark() }

// ctx returns the running cell's context, for blocking calls.
func (s *Session) ctx() context.Context { return s.h.Current().Ctx }

// Read returns a reader for batch DataFrames (spark.read).
func (s *Session) Read() *DataFrameReader {
	return &DataFrameReader{r: s.engine().Read(), s: s}
}

// ReadStream returns a reader for streaming DataFrames (spark.readStream).
func (s *Session) ReadStream() *DataStreamReader {
	return &DataStreamReader{r: s.engine().ReadStream(), s: s}
}

// CreateDataFrame makes a batch DataFrame from rows ([][]any, []Row) or
// Arrow records, with a schema (DDL string, T.StructType, column names).
func (s *Session) CreateDataFrame(data any, schema any) *DataFrame {
	return s.wrap(s.engine().CreateDataFrame(data, schema))
}

// Table returns the memory-sink table or temp view with this name.
func (s *Session) Table(name string) *DataFrame {
	return s.wrap(s.engine().Table(name))
}

// Conf is the session's runtime configuration (spark.conf).
func (s *Session) Conf() *RuntimeConfig { return s.engine().Conf() }

// Streams returns the session's query manager (spark.streams).
func (s *Session) Streams() *StreamingQueryManager { return &StreamingQueryManager{s: s} }

// MemoryStream returns an in-memory stream that cells push rows into.
func (s *Session) MemoryStream(schema any) *MemoryStream {
	m := s.engine().MemoryStream(schema)
	raise(m.Err())
	return &MemoryStream{m: m, s: s}
}

// wrap raises df's analysis error at once, as PySpark does, or wraps it.
func (s *Session) wrap(df *engine.DataFrame) *DataFrame {
	raise(df.Err())
	return &DataFrame{df: df, s: s}
}

// MemoryStream is a stream source fed from cells (and tests).
type MemoryStream struct {
	m *engine.MemoryStream
	s *Session
}

// AddRows appends rows, each a slice of column values in schema order.
func (m *MemoryStream) AddRows(rows ...[]any) { raise(m.m.AddRows(rows...)) }

// AddJSON appends rows given as JSON objects, one per string.
func (m *MemoryStream) AddJSON(lines ...string) { raise(m.m.AddJSON(lines...)) }

// AddRecord appends an Arrow record with the stream's schema.
func (m *MemoryStream) AddRecord(rec arrow.Record) { raise(m.m.AddRecord(rec)) }

// ToDF returns the streaming DataFrame reading this stream.
func (m *MemoryStream) ToDF() *DataFrame { return m.s.wrap(m.m.ToDF()) }

// NumRows is the number of rows added so far.
func (m *MemoryStream) NumRows() int64 { return m.m.NumRows() }

// DataFrameReader loads batch DataFrames (spark.read).
type DataFrameReader struct {
	r *engine.DataFrameReader
	s *Session
}

// Format sets the source format: json, csv, parquet, text.
func (r *DataFrameReader) Format(source string) *DataFrameReader { r.r.Format(source); return r }

// Schema sets the schema: a DDL string, T.StructType(...) or Arrow schema.
func (r *DataFrameReader) Schema(schema any) *DataFrameReader { r.r.Schema(schema); return r }

// Option sets one source option.
func (r *DataFrameReader) Option(key string, value any) *DataFrameReader {
	r.r.Option(key, value)
	return r
}

// Options sets several source options.
func (r *DataFrameReader) Options(opts map[string]string) *DataFrameReader {
	r.r.Options(opts)
	return r
}

// Load reads the paths.
func (r *DataFrameReader) Load(path ...string) *DataFrame { return r.s.wrap(r.r.Load(path...)) }

// Json reads JSON lines files.
func (r *DataFrameReader) Json(path ...string) *DataFrame { return r.s.wrap(r.r.Json(path...)) }

// Csv reads CSV files.
func (r *DataFrameReader) Csv(path ...string) *DataFrame { return r.s.wrap(r.r.Csv(path...)) }

// Parquet reads Parquet files.
func (r *DataFrameReader) Parquet(path ...string) *DataFrame {
	return r.s.wrap(r.r.Parquet(path...))
}

// Text reads text files, one row per line in column value.
func (r *DataFrameReader) Text(path ...string) *DataFrame { return r.s.wrap(r.r.Text(path...)) }

// DataStreamReader loads streaming DataFrames (spark.readStream).
type DataStreamReader struct {
	r *engine.DataStreamReader
	s *Session
}

// Format sets the source: json, csv, parquet, text, socket, rate.
func (r *DataStreamReader) Format(source string) *DataStreamReader { r.r.Format(source); return r }

// Schema sets the schema: a DDL string, T.StructType(...) or Arrow schema.
func (r *DataStreamReader) Schema(schema any) *DataStreamReader { r.r.Schema(schema); return r }

// Option sets one source option (maxFilesPerTrigger, header, host, ...).
func (r *DataStreamReader) Option(key string, value any) *DataStreamReader {
	r.r.Option(key, value)
	return r
}

// Options sets several source options.
func (r *DataStreamReader) Options(opts map[string]string) *DataStreamReader {
	r.r.Options(opts)
	return r
}

// Load starts reading the source (a folder for file formats).
func (r *DataStreamReader) Load(path ...string) *DataFrame {
	return r.s.wrap(r.r.Load(path...))
}

// Json streams the JSON lines files of a folder.
func (r *DataStreamReader) Json(path string) *DataFrame { return r.s.wrap(r.r.Json(path)) }

// Csv streams the CSV files of a folder.
func (r *DataStreamReader) Csv(path string) *DataFrame { return r.s.wrap(r.r.Csv(path)) }

// Parquet streams the Parquet files of a folder.
func (r *DataStreamReader) Parquet(path string) *DataFrame {
	return r.s.wrap(r.r.Parquet(path))
}

// Text streams the lines of the text files of a folder.
func (r *DataStreamReader) Text(path string) *DataFrame { return r.s.wrap(r.r.Text(path)) }

// output is where a DataFrame or query of the running cell prints.
func (s *Session) output() io.Writer { return host.StreamWriter(s.h.Current().Out, "stdout") }
