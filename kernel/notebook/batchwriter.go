package notebook

import (
	"context"

	"github.com/gostream/gostream/engine"
)

// DataFrameWriter writes a batch DataFrame to files (df.write):
//
//	df.Write().Mode("append").Parquet("data/parquet_files")
//
// The output is a folder of part files and a _SUCCESS marker; a failed
// write leaves the folder as it was.
type DataFrameWriter struct {
	w *engine.DataFrameWriter
	d *DataFrame
}

// Write returns the writer of the batch DataFrame (df.write). Inside
// ForeachBatch it writes each micro-batch.
func (d *DataFrame) Write() *DataFrameWriter { return &DataFrameWriter{w: d.df.Write(), d: d} }

// Mode sets what happens when the path exists: "error" (the default, also
// "errorifexists"), "append", "overwrite" or "ignore".
func (w *DataFrameWriter) Mode(mode string) *DataFrameWriter { w.w.Mode(mode); return w }

// Format sets the format: parquet (the default), csv, json or text files,
// or kafka (Save() with the kafka.bootstrap.servers and topic options).
func (w *DataFrameWriter) Format(source string) *DataFrameWriter { w.w.Format(source); return w }

// Option sets one format option (header, sep, compression,
// maxRecordsPerFile, ...).
func (w *DataFrameWriter) Option(key string, value any) *DataFrameWriter {
	w.w.Option(key, value)
	return w
}

// Options sets several format options.
func (w *DataFrameWriter) Options(opts map[string]string) *DataFrameWriter {
	w.w.Options(opts)
	return w
}

// PartitionBy writes one folder per value of the columns
// (<path>/country=FR/...), leaving the columns out of the files.
func (w *DataFrameWriter) PartitionBy(cols ...string) *DataFrameWriter {
	w.w.PartitionBy(cols...)
	return w
}

// Save writes the rows under path (or the path option). In a cell the
// stop button cancels the write; inside ForeachBatch the write belongs to
// the query, not to whichever cell runs.
func (w *DataFrameWriter) Save(path ...string) {
	s := w.d.s
	ctx := context.Background()
	if w.d.out == nil {
		ctx = s.ctx()
	}
	err := w.w.SaveContext(ctx, path...)
	if err != nil && ctx.Err() != nil {
		s.checkWait(ctx, nil)
	}
	raise(err)
}

// Csv is Format("csv").Save(path).
func (w *DataFrameWriter) Csv(path string) { w.Format("csv").Save(path) }

// Json is Format("json").Save(path).
func (w *DataFrameWriter) Json(path string) { w.Format("json").Save(path) }

// Parquet is Format("parquet").Save(path).
func (w *DataFrameWriter) Parquet(path string) { w.Format("parquet").Save(path) }

// Text is Format("text").Save(path): one string column, one line per row.
func (w *DataFrameWriter) Text(path string) { w.Format("text").Save(path) }
