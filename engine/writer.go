package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/google/uuid"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sink"
	"github.com/gostream/gostream/engine/source"
	"github.com/gostream/gostream/engine/stream"
)

// DataStreamWriter starts a streaming query from a DataFrame
// (df.writeStream).
type DataStreamWriter struct {
	df      *DataFrame
	format  string
	mode    string
	opts    map[string]string
	name    string
	trigger Trigger
	foreach func(df *DataFrame, batchID int64) error
	out     io.Writer
}

// WriteStream returns a writer for the streaming DataFrame.
func (df *DataFrame) WriteStream() *DataStreamWriter {
	return &DataStreamWriter{df: df, mode: "append", opts: map[string]string{}}
}

// Format sets the sink: console, memory, csv, json, parquet (Spark's
// default when none is set).
func (w *DataStreamWriter) Format(sink string) *DataStreamWriter { w.format = sink; return w }

// OutputMode sets append (default), update or complete.
func (w *DataStreamWriter) OutputMode(mode string) *DataStreamWriter { w.mode = mode; return w }

// Option sets one sink option (path, checkpointLocation, numRows,
// truncate, header, ...); value is formatted with fmt.Sprint.
func (w *DataStreamWriter) Option(key string, value any) *DataStreamWriter {
	w.opts[key] = fmt.Sprint(value)
	return w
}

// Options sets several sink options.
func (w *DataStreamWriter) Options(opts map[string]string) *DataStreamWriter {
	for k, v := range opts {
		w.opts[k] = v
	}
	return w
}

// QueryName names the query; a memory sink's table takes this name.
func (w *DataStreamWriter) QueryName(name string) *DataStreamWriter { w.name = name; return w }

// Trigger sets when batches run: ProcessingTime("2 seconds"), Once(),
// AvailableNow(); the default runs batches back to back as data arrives.
func (w *DataStreamWriter) Trigger(t Trigger) *DataStreamWriter { w.trigger = t; return w }

// ForeachBatch hands every micro-batch to fn as a batch DataFrame, with its
// batch id; a replayed batch comes again with the same id. An error or a
// panic in fn fails the query.
func (w *DataStreamWriter) ForeachBatch(fn func(df *DataFrame, batchID int64) error) *DataStreamWriter {
	w.foreach = fn
	w.format = "foreachBatch"
	return w
}

// Output sets where the console sink prints; the default is the
// session's output (Session.SetOutput). A notebook uses it to keep a
// query's console output in the cell that started the query.
func (w *DataStreamWriter) Output(out io.Writer) *DataStreamWriter {
	w.out = out
	return w
}

// Start starts the query; path, when given, is the file sink's output
// directory.
func (w *DataStreamWriter) Start(path ...string) (*StreamingQuery, error) {
	if len(path) > 1 {
		return nil, fmt.Errorf("writeStream.start takes at most one path, got %d", len(path))
	}
	if len(path) == 1 {
		w.opts["path"] = path[0]
	}
	q, err := w.start()
	if err != nil {
		return nil, fmt.Errorf("writeStream.start: %w", err)
	}
	return q, nil
}

func (w *DataStreamWriter) start() (*StreamingQuery, error) {
	df, s := w.df, w.df.s
	if df.err != nil {
		return nil, df.err
	}
	if w.trigger.err != nil {
		return nil, w.trigger.err
	}
	mode, err := plan.ParseOutputMode(w.mode)
	if err != nil {
		return nil, err
	}
	if err := plan.CheckStreaming(df.plan, mode); err != nil {
		return nil, err
	}
	format := strings.ToLower(w.format)
	if format == "" {
		format = "parquet"
	}
	if format == "foreachbatch" && w.foreach == nil {
		return nil, fmt.Errorf("'foreachBatch' is not a format: call ForeachBatch(func(df *DataFrame, batchID int64) error)")
	}
	if err := checkSinkMode(format, mode); err != nil {
		return nil, err
	}
	if format == "memory" && w.name == "" {
		return nil, fmt.Errorf("queryName must be specified for memory sink")
	}
	opts := source.NewOptions(w.opts)

	release, err := s.streams.reserve(w.name)
	if err != nil {
		return nil, err
	}
	var started bool
	defer func() {
		if !started {
			release()
		}
	}()

	log, err := w.openLog(format, opts)
	if err != nil {
		return nil, err
	}
	rels := plan.StreamingRelations(df.plan)
	var srcs []source.Source
	closeAll := func() {
		for _, src := range srcs {
			src.Stop()
		}
		log.Close()
	}
	ctx := context.Background()
	for i, r := range rels {
		op, ok := r.Source.(streamOpener)
		if !ok {
			closeAll()
			return nil, fmt.Errorf("source %s cannot be read as a stream", r.Source)
		}
		src, err := op.open(ctx, log.SourceDir(i))
		if err != nil {
			closeAll()
			return nil, err
		}
		srcs = append(srcs, src)
	}
	snk, err := w.openSink(format, mode, opts)
	if err != nil {
		closeAll()
		return nil, err
	}
	q, err := stream.Start(stream.Config{
		Name: w.name, Plan: df.plan, Sources: srcs, Sink: snk, Trigger: w.trigger.t,
		Log: log, Listener: s.streams, OutputMode: mode, Conf: s.conf.streamingConf(),
	})
	if err != nil {
		closeAll()
		return nil, err
	}
	started = true
	return s.streams.add(q, df), nil
}

// checkSinkMode refuses output modes a sink cannot write.
func checkSinkMode(format string, mode plan.OutputMode) error {
	ok := true
	switch format {
	case "csv", "json", "parquet", "text":
		ok = mode == plan.Append
	case "memory":
		ok = mode != plan.Update
	case "console", "foreachbatch", "kafka":
	default:
		return fmt.Errorf("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: %s. Please find packages at https://spark.apache.org/third-party-projects.html.", format)
	}
	if !ok {
		return fmt.Errorf("Data source %s does not support %s output mode", format, mode)
	}
	return nil
}

// openLog opens the checkpoint: the checkpointLocation option, else
// <spark.sql.streaming.checkpointLocation>/<name or id>, else, except for
// file sinks, a query without a checkpoint.
func (w *DataStreamWriter) openLog(format string, opts source.Options) (stream.Log, error) {
	dir, ok := opts.Get("checkpointLocation")
	if !ok {
		if root := w.df.s.conf.Get(CheckpointLocationConf); root != "" {
			name := w.name
			if name == "" {
				name = uuid.NewString()
			}
			dir, ok = filepath.Join(root, name), true
		}
	}
	if !ok {
		switch format {
		case "csv", "json", "parquet", "text":
			return nil, errors.New(`checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)`)
		}
		return stream.NewMemoryLog(), nil
	}
	return stream.OpenCheckpointLog(dir, "")
}

func (w *DataStreamWriter) openSink(format string, mode plan.OutputMode, opts source.Options) (sink.Sink, error) {
	schema := w.df.plan.Schema()
	s := w.df.s
	switch format {
	case "console":
		out := w.out
		if out == nil {
			out = s.Output()
		}
		return sink.NewConsole(out, schema, opts)
	case "memory":
		return s.memorySinkTable(w.name, schema, mode == plan.Complete), nil
	case "kafka":
		return w.openKafkaSink(opts)
	case "foreachbatch":
		fn := w.foreach
		return sink.NewForeachBatch(func(ctx context.Context, batchID int64, recs []arrow.Record) error {
			for _, r := range recs {
				r.Retain()
			}
			data := localData{recs: append([]arrow.Record(nil), recs...)}
			defer exec.Release(data.recs)
			return fn(&DataFrame{s: s, plan: &plan.Relation{Source: data, Out: schema}}, batchID)
		}), nil
	}
	path, ok := opts.Get("path")
	if !ok || path == "" {
		return nil, fmt.Errorf("'path' is not specified: pass the output directory to Start or option(\"path\", ...)")
	}
	return sink.NewFile(format, path, schema, opts)
}
