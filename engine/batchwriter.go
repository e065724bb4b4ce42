package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/source"
)

// SaveMode says what DataFrameWriter.Save does when the output path exists.
type SaveMode int

const (
	// SaveErrorIfExists fails when the path exists (Spark's default,
	// "error", "errorifexists" or "default").
	SaveErrorIfExists SaveMode = iota
	// SaveAppend adds part files next to the ones already there.
	SaveAppend
	// SaveOverwrite replaces what the path holds once the new files are
	// written.
	SaveOverwrite
	// SaveIgnore writes nothing when the path exists.
	SaveIgnore
)

// String is Spark's name of the mode: Append, Overwrite, ErrorIfExists,
// Ignore.
func (m SaveMode) String() string {
	switch m {
	case SaveAppend:
		return "Append"
	case SaveOverwrite:
		return "Overwrite"
	case SaveIgnore:
		return "Ignore"
	}
	return "ErrorIfExists"
}

// ParseSaveMode reads a save mode name as Spark does, ignoring case.
func ParseSaveMode(s string) (SaveMode, error) {
	switch strings.ToLower(s) {
	case "append":
		return SaveAppend, nil
	case "overwrite":
		return SaveOverwrite, nil
	case "ignore":
		return SaveIgnore, nil
	case "error", "errorifexists", "default":
		return SaveErrorIfExists, nil
	}
	return 0, fmt.Errorf("Unknown save mode: %s. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'.", s)
}

// DataFrameWriter writes a batch DataFrame to files (df.write):
//
//	err := df.Write().Mode("append").Option("header", true).Csv("out/")
//
// Like Spark, the output is a folder of part files
// (part-00000-<uuid>-c000.csv) and an empty _SUCCESS marker, written as one
// job: the part files are written and fsynced under
// <path>/_temporary/<job uuid>/, which readers skip, and renamed into place
// only once all of them are complete, so a failed write leaves the folder
// as it was. Overwrite removes the old contents only at that point.
// A crash during the final renames may leave some of the job's files
// visible, as with Spark's default committer.
type DataFrameWriter struct {
	df          *DataFrame
	format      string
	mode        string
	opts        map[string]string
	partitionBy []string
}

// Write returns the writer of the batch DataFrame (df.write).
func (df *DataFrame) Write() *DataFrameWriter {
	return &DataFrameWriter{df: df, mode: "errorifexists", opts: map[string]string{}}
}

// Mode sets what happens when the path exists: "error" (the default, also
// "errorifexists"), "append", "overwrite" or "ignore".
func (w *DataFrameWriter) Mode(mode string) *DataFrameWriter { w.mode = mode; return w }

// Format sets the format: parquet (the default), csv, json or text files,
// or kafka (the rows' value, key, topic... columns go to a topic; see
// DataFrame.WriteKafka).
func (w *DataFrameWriter) Format(source string) *DataFrameWriter { w.format = source; return w }

// Option sets one format option (header, sep, compression,
// timestampFormat, maxRecordsPerFile, ...); value is formatted with
// fmt.Sprint.
func (w *DataFrameWriter) Option(key string, value any) *DataFrameWriter {
	w.opts[key] = fmt.Sprint(value)
	return w
}

// Options sets several format options.
func (w *DataFrameWriter) Options(opts map[string]string) *DataFrameWriter {
	for k, v := range opts {
		w.opts[k] = v
	}
	return w
}

// PartitionBy lays the output out in one folder per value of the columns,
// Hive style (<path>/country=FR/part-...); the columns are left out of the
// files themselves.
func (w *DataFrameWriter) PartitionBy(cols ...string) *DataFrameWriter {
	w.partitionBy = append([]string(nil), cols...)
	return w
}

// Save runs the DataFrame and writes its rows under path (or the path
// option).
func (w *DataFrameWriter) Save(path ...string) error {
	return w.SaveContext(context.Background(), path...)
}

// SaveContext is Save, stopping when ctx is cancelled; nothing is left
// behind then.
func (w *DataFrameWriter) SaveContext(ctx context.Context, path ...string) error {
	if err := w.save(ctx, path); err != nil {
		return fmt.Errorf("save: %w", err)
	}
	return nil
}

// Csv is Format("csv").Save(path).
func (w *DataFrameWriter) Csv(path string) error { return w.Format("csv").Save(path) }

// Json is Format("json").Save(path).
func (w *DataFrameWriter) Json(path string) error { return w.Format("json").Save(path) }

// Parquet is Format("parquet").Save(path).
func (w *DataFrameWriter) Parquet(path string) error { return w.Format("parquet").Save(path) }

// Text is Format("text").Save(path); the DataFrame must have one string
// column (besides partition columns).
func (w *DataFrameWriter) Text(path string) error { return w.Format("text").Save(path) }

func (w *DataFrameWriter) save(ctx context.Context, args []string) error {
	df := w.df
	if df.err != nil {
		return df.err
	}
	if plan.IsStreaming(df.plan) {
		return &expr.AnalysisError{Message: "'write' can not be called on streaming Dataset/DataFrame. Use WriteStream() instead."}
	}
	mode, err := ParseSaveMode(w.mode)
	if err != nil {
		return err
	}
	formatName := strings.ToLower(w.format)
	if formatName == "" {
		formatName = "parquet"
	}
	if formatName == "kafka" {
		return w.saveKafka(ctx, mode)
	}
	path, err := w.outputPath(args)
	if err != nil {
		return err
	}
	layout, err := newPartitionLayout(df.plan.Schema(), w.partitionBy)
	if err != nil {
		return err
	}
	opts := source.NewOptions(w.opts)
	enc, err := newFileEncoder(formatName, layout.data, opts)
	if err != nil {
		return err
	}
	maxRecords, err := maxRecordsPerFile(opts)
	if err != nil {
		return err
	}

	st, err := os.Stat(path)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if exists {
		switch mode {
		case SaveIgnore:
			return nil
		case SaveErrorIfExists:
			return &expr.AnalysisError{Class: "PATH_ALREADY_EXISTS", Message: fmt.Sprintf(
				"Path file:%s already exists. Set mode as \"overwrite\" to overwrite the existing path.", path)}
		}
		if !st.IsDir() {
			if mode != SaveOverwrite {
				return fmt.Errorf("output path %s is a file, not a folder: write to a folder, or use mode \"overwrite\" to replace the file", path)
			}
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}

	recs, err := df.execute(ctx, "save", df.plan)
	if err != nil {
		return err
	}
	defer exec.Release(recs)

	job, err := newWriteJob(path, enc, maxRecords)
	if err != nil {
		return err
	}
	if err := layout.write(ctx, job, recs); err != nil {
		return errors.Join(err, job.abort())
	}
	return job.commit(mode == SaveOverwrite)
}

// saveKafka is Format("kafka").Save(): the rows go to a Kafka topic, with
// the save modes Spark allows there.
func (w *DataFrameWriter) saveKafka(ctx context.Context, mode SaveMode) error {
	if mode == SaveOverwrite || mode == SaveIgnore {
		return &expr.AnalysisError{Message: fmt.Sprintf(
			"Save mode %s not allowed for Kafka. Allowed save modes are Append and ErrorIfExists (default).", mode)}
	}
	if len(w.partitionBy) > 0 {
		return errors.New("partitionBy is not supported for Kafka: write a partition column instead")
	}
	return w.df.WriteKafka(ctx, w.opts)
}

// outputPath returns the absolute output folder: the argument, else the
// path option.
func (w *DataFrameWriter) outputPath(args []string) (string, error) {
	if len(args) > 1 {
		return "", fmt.Errorf("write.save takes at most one path, got %d", len(args))
	}
	path := w.opts["path"]
	if len(args) == 1 {
		path = args[0]
	}
	if path == "" {
		return "", errors.New("'path' is not specified: pass the output folder to Save or Option(\"path\", ...)")
	}
	return filepath.Abs(path)
}

// maxRecordsPerFile reads the option of that name: 0 (or less) means no
// limit.
func maxRecordsPerFile(opts source.Options) (int64, error) {
	n, err := opts.Int("maxRecordsPerFile", 0)
	return max(n, 0), err
}

// fieldIndex finds a column by name, ignoring case as Spark's resolver does.
func fieldIndex(schema *arrow.Schema, name string) int {
	for i, f := range schema.Fields() {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}
