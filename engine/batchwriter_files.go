package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/google/uuid"

	"github.com/gostream/gostream/engine/checkpoint"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/source"
	"github.com/gostream/gostream/engine/types"
)

// stagingDir is the hidden folder under the output path where a write job
// puts its part files until it commits (Hadoop's and Spark's name).
const stagingDir = "_temporary"

// successMarker is the empty file a committed write job leaves.
const successMarker = "_SUCCESS"

// hiveDefaultPartition names the folder of a null or empty partition value.
const hiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__"

// fileEncoder makes the part files of one format.
type fileEncoder struct {
	schema *arrow.Schema
	ext    string // with its leading dot: ".csv", ".snappy.parquet"
	open   func(w io.Writer) (format.RecordWriter, error)
}

// newFileEncoder checks the schema and options for format and returns its
// encoder. Errors name the column or option at fault.
func newFileEncoder(formatName string, schema *arrow.Schema, opts source.Options) (*fileEncoder, error) {
	if err := plainCompression(formatName, opts); err != nil {
		return nil, err
	}
	enc := &fileEncoder{schema: schema, ext: "." + formatName}
	open, ok, err := format.FileWriter(formatName, schema, opts)
	switch {
	case err != nil:
		return nil, err
	case ok:
		enc.open = open
	case formatName == "text":
		if n := len(schema.Fields()); n != 1 {
			return nil, &expr.AnalysisError{Message: fmt.Sprintf(
				"Text data source supports only a single column, and you have %d columns. Select one string column first.", n)}
		}
		if f := schema.Field(0); f.Type.ID() != arrow.STRING {
			return nil, &expr.AnalysisError{Class: "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE", Message: fmt.Sprintf(
				"The Text datasource doesn't support the column `%s` of the type %q. Cast it to a string first.",
				f.Name, strings.ToUpper(types.SimpleString(f.Type)))}
		}
		enc.ext = ".txt"
		enc.open = func(w io.Writer) (format.RecordWriter, error) {
			return format.RecordWriterFunc(func(r arrow.Record) error { return format.EncodeText(w, r) }), nil
		}
	default:
		return nil, fmt.Errorf("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: %s. Please find packages at https://spark.apache.org/third-party-projects.html.", formatName)
	}
	if formatName == "parquet" {
		if enc.ext, err = parquetExtension(format.ParquetWriteOptionsFromMap(opts).Compression); err != nil {
			return nil, err
		}
	}
	return enc, nil
}

// plainCompression refuses a compression codec for the text formats: their
// readers here read plain files only.
func plainCompression(formatName string, opts source.Options) error {
	if formatName == "parquet" {
		return nil
	}
	c, ok := opts.Get("compression")
	if !ok {
		return nil
	}
	switch strings.ToLower(c) {
	case "", "none", "uncompressed":
		return nil
	}
	return fmt.Errorf("option compression=%s is not supported for %s output: leave it unset (or none), or write parquet, which compresses", c, formatName)
}

// parquetExtension is the file extension Spark gives a Parquet file
// compressed with codec.
func parquetExtension(codec string) (string, error) {
	switch strings.ToLower(codec) {
	case "", "snappy":
		return ".snappy.parquet", nil
	case "none", "uncompressed":
		return ".parquet", nil
	case "gzip":
		return ".gz.parquet", nil
	case "zstd":
		return ".zstd.parquet", nil
	case "brotli":
		return ".br.parquet", nil
	}
	return "", fmt.Errorf("parquet: unknown compression %q: use none, snappy, gzip, zstd or brotli", codec)
}

// partitionLayout splits rows into Hive-style partition folders.
type partitionLayout struct {
	data     *arrow.Schema // the columns written into the files
	dataCols []int
	partCols []int
	names    []string // partition column names, as the schema spells them
}

func newPartitionLayout(schema *arrow.Schema, cols []string) (*partitionLayout, error) {
	l := &partitionLayout{data: schema}
	if len(cols) == 0 {
		return l, nil
	}
	isPart := map[int]bool{}
	for _, c := range cols {
		i := fieldIndex(schema, c)
		if i < 0 {
			return nil, &expr.AnalysisError{Message: fmt.Sprintf("Partition column `%s` not found in schema %s.",
				c, types.SimpleString(arrow.StructOf(schema.Fields()...)))}
		}
		if isPart[i] {
			return nil, &expr.AnalysisError{Class: "COLUMN_ALREADY_EXISTS", Message: fmt.Sprintf(
				"The column `%s` already exists. Consider to choose another name or rename the existing column.", strings.ToLower(c))}
		}
		switch schema.Field(i).Type.(type) {
		case *arrow.StructType, *arrow.ListType, *arrow.MapType, *arrow.BinaryType:
			return nil, &expr.AnalysisError{Message: fmt.Sprintf("Cannot use %s for partition column `%s`.",
				types.SimpleString(schema.Field(i).Type), schema.Field(i).Name)}
		}
		isPart[i] = true
		l.partCols = append(l.partCols, i)
		l.names = append(l.names, schema.Field(i).Name)
	}
	if len(l.partCols) == len(schema.Fields()) {
		return nil, &expr.AnalysisError{Message: "Cannot use all columns for partition columns."}
	}
	var fields []arrow.Field
	for i, f := range schema.Fields() {
		if !isPart[i] {
			l.dataCols = append(l.dataCols, i)
			fields = append(fields, f)
		}
	}
	l.data = arrow.NewSchema(fields, nil)
	return l, nil
}

// write hands the rows of recs to job, one partition folder at a time. An
// unpartitioned write with no rows still writes one (empty) part file, so
// the output folder keeps the schema, as Spark does.
func (l *partitionLayout) write(ctx context.Context, job *writeJob, recs []arrow.Record) error {
	if len(l.partCols) == 0 {
		if err := job.startFile(""); err != nil {
			return err
		}
		for _, r := range recs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := job.write(r); err != nil {
				return err
			}
		}
		return job.closeFile()
	}
	type rows struct {
		dir string
		idx [][]int32 // per record
	}
	var groups []*rows
	byDir := map[string]*rows{}
	for ri, r := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := 0; i < int(r.NumRows()); i++ {
			dir := l.dir(r, i)
			g := byDir[dir]
			if g == nil {
				g = &rows{dir: dir, idx: make([][]int32, len(recs))}
				byDir[dir] = g
				groups = append(groups, g)
			}
			g.idx[ri] = append(g.idx[ri], int32(i))
		}
	}
	sort.SliceStable(groups, func(a, b int) bool { return groups[a].dir < groups[b].dir })
	for _, g := range groups {
		if err := job.startFile(g.dir); err != nil {
			return err
		}
		for ri, idx := range g.idx {
			if len(idx) == 0 {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			part := l.project(expr.TakeRecord(memory.DefaultAllocator, recs[ri], idx))
			err := job.write(part)
			part.Release()
			if err != nil {
				return err
			}
		}
		if err := job.closeFile(); err != nil {
			return err
		}
	}
	return nil
}

// dir is row i's partition folder: col=value/col=value, both escaped as
// Spark escapes path names.
func (l *partitionLayout) dir(r arrow.Record, i int) string {
	var b strings.Builder
	for k, c := range l.partCols {
		if k > 0 {
			b.WriteByte('/')
		}
		b.WriteString(escapePathName(l.names[k]))
		b.WriteByte('=')
		col := r.Column(c)
		v := ""
		if col.IsValid(i) {
			v = format.FormatValue(col, i)
		}
		if v == "" {
			b.WriteString(hiveDefaultPartition)
		} else {
			b.WriteString(escapePathName(v))
		}
	}
	return b.String()
}

// project keeps the data columns of rec, releasing rec.
func (l *partitionLayout) project(rec arrow.Record) arrow.Record {
	defer rec.Release()
	cols := make([]arrow.Array, len(l.dataCols))
	for k, c := range l.dataCols {
		cols[k] = rec.Column(c)
	}
	return array.NewRecord(l.data, cols, rec.NumRows())
}

// escapePathName %-escapes the characters Hive and Spark escape in
// partition folder names.
func escapePathName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte("\"#%'*/:=?\\{[]^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// writeJob writes part files under <path>/_temporary/<id>/ and moves them
// into place on commit.
type writeJob struct {
	path       string
	staging    string
	id         string
	created    bool // the job created the output folder
	enc        *fileEncoder
	maxRecords int64

	counters map[string]int // next cNNN per partition folder
	files    []string       // committed-to-be part files, relative to staging
	cur      *partFile
}

// partFile is the part file being written.
type partFile struct {
	dir  string
	rel  string
	f    *os.File
	buf  *bufio.Writer
	w    format.RecordWriter
	rows int64
}

func newWriteJob(path string, enc *fileEncoder, maxRecords int64) (*writeJob, error) {
	id := uuid.NewString()
	staging := filepath.Join(path, stagingDir, id)
	_, err := os.Stat(path)
	created := errors.Is(err, fs.ErrNotExist)
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, fmt.Errorf("create the output folder: %w", err)
	}
	return &writeJob{path: path, staging: staging, id: id, created: created, enc: enc, maxRecords: maxRecords,
		counters: map[string]int{}}, nil
}

// startFile opens the next part file of partition folder dir ("" for the
// output folder itself).
func (j *writeJob) startFile(dir string) error {
	if err := j.closeFile(); err != nil {
		return err
	}
	n := j.counters[dir]
	j.counters[dir] = n + 1
	rel := filepath.Join(dir, fmt.Sprintf("part-00000-%s-c%03d%s", j.id, n, j.enc.ext))
	full := filepath.Join(j.staging, rel)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	buf := bufio.NewWriterSize(f, 256<<10)
	w, err := j.enc.open(buf)
	if err != nil {
		f.Close()
		return err
	}
	j.cur = &partFile{dir: dir, rel: rel, f: f, buf: buf, w: w}
	return nil
}

// write appends rec to the open part file, starting new files of the same
// folder whenever maxRecordsPerFile is reached.
func (j *writeJob) write(rec arrow.Record) error {
	n := rec.NumRows()
	for off := int64(0); off < n; {
		cur := j.cur
		take := n - off
		if j.maxRecords > 0 {
			if cur.rows >= j.maxRecords {
				if err := j.startFile(cur.dir); err != nil {
					return err
				}
				continue
			}
			take = min(take, j.maxRecords-cur.rows)
		}
		part := rec
		if take != n {
			part = rec.NewSlice(off, off+take)
		}
		err := cur.w.Write(part)
		if part != rec {
			part.Release()
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", cur.rel, err)
		}
		cur.rows += take
		off += take
	}
	return nil
}

// closeFile finishes the open part file, if any: encoder footer, flush,
// fsync. A file that got no rows gets an empty record first, so that a
// CSV header or a Parquet schema is written.
func (j *writeJob) closeFile() error {
	cur := j.cur
	if cur == nil {
		return nil
	}
	j.cur = nil
	var err error
	if cur.rows == 0 {
		empty := array.NewRecord(j.enc.schema, emptyColumns(j.enc.schema), 0)
		err = cur.w.Write(empty)
		empty.Release()
	}
	if err == nil {
		err = cur.w.Close()
	}
	if err == nil {
		err = cur.buf.Flush()
	}
	if err == nil {
		err = cur.f.Sync()
	}
	if cerr := cur.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", cur.rel, err)
	}
	j.files = append(j.files, cur.rel)
	return nil
}

// emptyColumns returns zero-length arrays of schema's columns.
func emptyColumns(schema *arrow.Schema) []arrow.Array {
	cols := make([]arrow.Array, len(schema.Fields()))
	for i, f := range schema.Fields() {
		b := array.NewBuilder(memory.DefaultAllocator, f.Type)
		cols[i] = b.NewArray()
		b.Release()
	}
	return cols
}

// abort removes everything the job wrote, and the output folder when the
// job created it.
func (j *writeJob) abort() error {
	err := j.cleanup()
	if j.created {
		os.Remove(j.path) // only when empty
	}
	return err
}

// cleanup removes the job's staging folder.
func (j *writeJob) cleanup() error {
	if j.cur != nil {
		j.cur.f.Close()
		j.cur = nil
	}
	err := os.RemoveAll(j.staging)
	os.Remove(filepath.Join(j.path, stagingDir)) // only when no other job uses it
	return err
}

// commit moves the job's part files into the output folder, after removing
// what it held when overwrite is set, then writes _SUCCESS.
func (j *writeJob) commit(overwrite bool) error {
	if err := j.closeFile(); err != nil {
		return errors.Join(err, j.abort())
	}
	if overwrite {
		if err := j.clearOutput(); err != nil {
			return errors.Join(err, j.abort())
		}
	}
	dirs := map[string]bool{j.path: true}
	for _, rel := range j.files {
		dst := filepath.Join(j.path, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return errors.Join(err, j.abort())
		}
		if err := os.Rename(filepath.Join(j.staging, rel), dst); err != nil {
			return errors.Join(fmt.Errorf("commit %s: %w", dst, err), j.abort())
		}
		dirs[filepath.Dir(dst)] = true
	}
	if err := os.WriteFile(filepath.Join(j.path, successMarker), nil, 0o644); err != nil {
		return errors.Join(err, j.abort())
	}
	var errs []error
	for d := range dirs {
		errs = append(errs, checkpoint.SyncDir(d))
	}
	errs = append(errs, j.cleanup())
	return errors.Join(errs...)
}

// clearOutput removes the output folder's contents except the staging
// folder.
func (j *writeJob) clearOutput() error {
	entries, err := os.ReadDir(j.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, e := range entries {
		if e.Name() == stagingDir {
			continue
		}
		if err := os.RemoveAll(filepath.Join(j.path, e.Name())); err != nil {
			return fmt.Errorf("overwrite %s: %w", j.path, err)
		}
	}
	return nil
}
