package format

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/compute"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// ErrParquetSchema is wrapped by errors about a file column whose type
// cannot be read as the requested one.
var ErrParquetSchema = errors.New("Parquet column cannot be converted")

// parquetBatchRows is the number of rows per record when reading.
const parquetBatchRows = 64 * 1024

// ReadParquet reads a Parquet file into records of schema (about 64K rows
// each; the caller releases them). Columns are matched by name (exactly,
// then case-insensitively, as Spark); a column the file lacks reads as
// nulls; integer widening, float to double and other timestamp units are
// converted; any other type difference is an error naming the column and
// the source.
func ReadParquet(ctx context.Context, r parquet.ReaderAtSeeker, schema *arrow.Schema, mem memory.Allocator, source string) ([]arrow.Record, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	pf, err := file.NewParquetReader(r, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return nil, fmt.Errorf("parquet: open %s: %w", source, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: parquetBatchRows}, mem)
	if err != nil {
		return nil, fmt.Errorf("parquet: read %s: %w", source, err)
	}
	fileSchema, err := fr.Schema()
	if err != nil {
		return nil, fmt.Errorf("parquet: schema of %s: %w", source, err)
	}

	// match requested columns to top-level file fields
	srcIdx := make([]int, schema.NumFields())
	var leaves []int
	for i, f := range schema.Fields() {
		srcIdx[i] = findField(fileSchema, f.Name)
		if srcIdx[i] < 0 {
			continue
		}
		ff := fileSchema.Field(srcIdx[i])
		if !parquetConvertible(ff.Type, f.Type) {
			return nil, fmt.Errorf("parquet: %w in file %s. Column: [%s], Expected: %s, Found: %s; read the column with its file type and cast it",
				ErrParquetSchema, source, f.Name, f.Type, ff.Type)
		}
		leaves = collectLeaves(&fr.Manifest.Fields[srcIdx[i]], leaves)
	}

	totalRows := pf.NumRows()
	if len(leaves) == 0 { // no requested column is in the file
		var out []arrow.Record
		for done := int64(0); done < totalRows; done += parquetBatchRows {
			n := min(parquetBatchRows, totalRows-done)
			out = append(out, nullRecord(schema, n, mem))
		}
		return out, nil
	}

	rr, err := fr.GetRecordReader(ctx, leaves, nil)
	if err != nil {
		return nil, fmt.Errorf("parquet: read %s: %w", source, err)
	}
	defer rr.Release()
	var out []arrow.Record
	release := func() {
		for _, r := range out {
			r.Release()
		}
	}
	for rr.Next() {
		rec := rr.Record()
		proj, err := projectRecord(ctx, rec, schema, mem)
		if err != nil {
			release()
			return nil, fmt.Errorf("parquet: %s: %w", source, err)
		}
		out = append(out, proj)
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		release()
		return nil, fmt.Errorf("parquet: read %s: %w", source, err)
	}
	return out, nil
}

func findField(s *arrow.Schema, name string) int {
	if idx := s.FieldIndices(name); len(idx) > 0 {
		return idx[0]
	}
	for i, f := range s.Fields() {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

func collectLeaves(f *pqarrow.SchemaField, dst []int) []int {
	if len(f.Children) == 0 { // group fields do not all carry ColIndex -1 in v15
		return append(dst, f.ColIndex)
	}
	for i := range f.Children {
		dst = collectLeaves(&f.Children[i], dst)
	}
	return dst
}

// parquetConvertible reports whether a file column of type from can be read
// as type to.
func parquetConvertible(from, to arrow.DataType) bool {
	if sameShape(from, to) {
		return true
	}
	rank := func(t arrow.DataType) int {
		switch t.ID() {
		case arrow.INT8:
			return 1
		case arrow.INT16:
			return 2
		case arrow.INT32:
			return 3
		case arrow.INT64:
			return 4
		}
		return 0
	}
	switch {
	case rank(from) > 0 && rank(to) > 0:
		return rank(from) <= rank(to)
	case from.ID() == arrow.FLOAT32 && to.ID() == arrow.FLOAT64:
		return true
	case from.ID() == arrow.TIMESTAMP && to.ID() == arrow.TIMESTAMP:
		return true
	case from.ID() == arrow.DECIMAL128 && to.ID() == arrow.DECIMAL128:
		// a wider precision at the same scale, as a merged schema has
		f, t := from.(*arrow.Decimal128Type), to.(*arrow.Decimal128Type)
		return f.Scale == t.Scale && f.Precision <= t.Precision
	case from.ID() == arrow.LARGE_STRING && to.ID() == arrow.STRING,
		from.ID() == arrow.LARGE_BINARY && to.ID() == arrow.BINARY:
		return true
	}
	return false
}

// sameShape compares types ignoring field nullability and the names of
// list elements and map entries.
func sameShape(a, b arrow.DataType) bool {
	if a.ID() != b.ID() {
		return false
	}
	switch at := a.(type) {
	case *arrow.StructType:
		bt := b.(*arrow.StructType)
		if at.NumFields() != bt.NumFields() {
			return false
		}
		for i := 0; i < at.NumFields(); i++ {
			if at.Field(i).Name != bt.Field(i).Name || !sameShape(at.Field(i).Type, bt.Field(i).Type) {
				return false
			}
		}
		return true
	case *arrow.ListType:
		return sameShape(at.Elem(), b.(*arrow.ListType).Elem())
	case *arrow.MapType:
		bt := b.(*arrow.MapType)
		return sameShape(at.KeyType(), bt.KeyType()) && sameShape(at.ItemType(), bt.ItemType())
	case *arrow.TimestampType:
		bt := b.(*arrow.TimestampType)
		return at.Unit == bt.Unit && (at.TimeZone == bt.TimeZone || (at.TimeZone != "" && bt.TimeZone != ""))
	}
	return arrow.TypeEqual(a, b)
}

// retype gives data of a sameShape type the requested type.
func retype(data arrow.ArrayData, t arrow.DataType) arrow.ArrayData {
	kids := data.Children()
	var newKids []arrow.ArrayData
	switch tt := t.(type) {
	case *arrow.StructType:
		for i, k := range kids {
			newKids = append(newKids, retype(k, tt.Field(i).Type))
		}
	case *arrow.ListType:
		newKids = []arrow.ArrayData{retype(kids[0], tt.Elem())}
	case *arrow.MapType:
		newKids = []arrow.ArrayData{retype(kids[0], tt.Elem())}
	}
	out := array.NewData(t, data.Len(), data.Buffers(), newKids, data.NullN(), data.Offset())
	for _, k := range newKids {
		k.Release()
	}
	return out
}

func projectRecord(ctx context.Context, rec arrow.Record, schema *arrow.Schema, mem memory.Allocator) (arrow.Record, error) {
	n := rec.NumRows()
	cols := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, f := range schema.Fields() {
		j := findField(rec.Schema(), f.Name)
		if j < 0 {
			cols[i] = array.MakeArrayOfNull(mem, f.Type, int(n))
			continue
		}
		src := rec.Column(j)
		src.Retain() // the reader's record is only valid until its next batch
		switch {
		case arrow.TypeEqual(src.DataType(), f.Type):
			cols[i] = src
			continue
		case sameShape(src.DataType(), f.Type) && src.DataType().ID() != arrow.TIMESTAMP:
			data := retype(src.Data(), f.Type)
			cols[i] = array.MakeFromData(data)
			data.Release()
		default:
			out, err := compute.CastArray(compute.WithAllocator(ctx, mem), src, compute.SafeCastOptions(f.Type))
			if err != nil {
				src.Release()
				return nil, fmt.Errorf("%w. Column: [%s], Expected: %s, Found: %s: %v", ErrParquetSchema, f.Name, f.Type, src.DataType(), err)
			}
			cols[i] = out
		}
		src.Release()
	}
	return array.NewRecord(schema, cols, n), nil
}

func nullRecord(schema *arrow.Schema, n int64, mem memory.Allocator) arrow.Record {
	cols := make([]arrow.Array, schema.NumFields())
	for i, f := range schema.Fields() {
		cols[i] = array.MakeArrayOfNull(mem, f.Type, int(n))
	}
	rec := array.NewRecord(schema, cols, n)
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// ParquetWriteOptions are the Parquet writer options.
type ParquetWriteOptions struct {
	// Compression is none (or uncompressed), snappy (default), gzip, zstd
	// or brotli, as Spark's compression option.
	Compression string
	// RowGroupBytes starts a new row group once the records buffered in the
	// current one reach this many bytes in memory (before encoding and
	// compression); 0 means 128 MiB (Spark's parquet.block.size).
	RowGroupBytes int64
}

// ParquetWriteOptionsFromMap reads Spark option names: compression (or
// parquet.compression).
func ParquetWriteOptionsFromMap(m map[string]string) ParquetWriteOptions {
	om := optionMap(m)
	return ParquetWriteOptions{Compression: om.str("compression", om.str("parquet.compression", ""))}
}

// ParquetWriter writes records into one Parquet file, buffering rows into
// row groups of about RowGroupBytes.
type ParquetWriter struct {
	fw       *pqarrow.FileWriter
	rgBytes  int64
	buffered int64 // estimated bytes in the current row group
}

// NewParquetWriter starts a Parquet file on w for records of schema. The
// Arrow schema is stored in the file so that it reads back with the same
// types. The writer buffers on the Go heap: arrow's Parquet encoders in
// v15 do not hand every page buffer back to a custom allocator.
func NewParquetWriter(w io.Writer, schema *arrow.Schema, opts ParquetWriteOptions) (*ParquetWriter, error) {
	mem := memory.DefaultAllocator
	codec, err := parquetCodec(opts.Compression)
	if err != nil {
		return nil, err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(codec), parquet.WithAllocator(mem),
		parquet.WithMaxRowGroupLength(1<<40))
	arrProps := pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem))
	fw, err := pqarrow.NewFileWriter(schema, writerOnly{w}, props, arrProps)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	rg := opts.RowGroupBytes
	if rg <= 0 {
		rg = 128 << 20
	}
	return &ParquetWriter{fw: fw, rgBytes: rg}, nil
}

func parquetCodec(name string) (compress.Compression, error) {
	switch strings.ToLower(name) {
	case "", "snappy":
		return compress.Codecs.Snappy, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "zstd":
		return compress.Codecs.Zstd, nil
	case "brotli":
		return compress.Codecs.Brotli, nil
	}
	return 0, fmt.Errorf("parquet: unknown compression %q: use none, snappy, gzip, zstd or brotli", name)
}

// Write buffers the rows of rec into the current row group, starting a new
// one when it has grown past RowGroupBytes.
func (pw *ParquetWriter) Write(rec arrow.Record) error {
	if pw.buffered > 0 && pw.buffered >= pw.rgBytes {
		pw.fw.NewBufferedRowGroup()
		pw.buffered = 0
	}
	if err := pw.fw.WriteBuffered(rec); err != nil {
		return fmt.Errorf("parquet: write: %w", err)
	}
	for _, col := range rec.Columns() {
		pw.buffered += dataBytes(col.Data())
	}
	return nil
}

// dataBytes estimates the in-memory size of an array, the measure row
// groups are cut by (buffered pages are not counted by the writer until
// they are flushed).
func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	return n
}

// Close flushes the last row group and writes the file footer. It does not
// close the underlying writer.
func (pw *ParquetWriter) Close() error {
	if err := pw.fw.Close(); err != nil {
		return fmt.Errorf("parquet: close: %w", err)
	}
	return nil
}

// writerOnly hides a Close method so that closing the Parquet writer leaves
// the caller's writer open.
type writerOnly struct{ io.Writer }
