package format

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// TestParquetSchemaRoundTrip writes every type of the engine's mapping with
// NewParquetWriter and reads the schema back from the footer, then the
// rows with it.
func TestParquetSchemaRoundTrip(t *testing.T) {
	mem := checkedMem(t)
	rec := jsonRecord(t, mem, parquetSchema, parquetRows...)
	defer rec.Release()
	data := writeParquet(t, ParquetWriteOptions{}, rec)
	sc, err := ParquetSchema(bytes.NewReader(data), "part-0.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if !sc.Equal(parquetSchema) {
		t.Fatalf("schema\n got %s\nwant %s", sc, parquetSchema)
	}
	got, err := readParquetRows(t, mem, data, sc)
	if err != nil {
		t.Fatal(err)
	}
	if want := rowStrings(rec); !equalStrings(got, want) {
		t.Errorf("rows %q\nwant %q", got, want)
	}
}

// writeArrowParquet writes rec with pqarrow's defaults, as other writers
// do: no stored Arrow schema unless storeSchema.
func writeArrowParquet(t *testing.T, rec arrow.Record, storeSchema bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	var opts []pqarrow.WriterOption
	if storeSchema {
		opts = append(opts, pqarrow.WithStoreSchema())
	}
	w, err := pqarrow.NewFileWriter(rec.Schema(), &buf, parquet.NewWriterProperties(), pqarrow.NewArrowWriterProperties(opts...))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestParquetSchemaMapping reads files of other writers: their types map
// onto the engine's, nullable, and the rows read back with that schema.
func TestParquetSchemaMapping(t *testing.T) {
	mem := memory.NewGoAllocator()
	tests := []struct {
		name  string
		field arrow.Field
		build func(b array.Builder)
		want  string // catalogString of the inferred schema
		row   string // the row read back
	}{
		{"required int", arrow.Field{Name: "n", Type: arrow.PrimitiveTypes.Int32},
			func(b array.Builder) { b.(*array.Int32Builder).Append(7) }, "struct<n:int>", "{7}"},
		{"millisecond timestamp without zone", arrow.Field{Name: "t", Type: &arrow.TimestampType{Unit: arrow.Millisecond}, Nullable: true},
			func(b array.Builder) { b.(*array.TimestampBuilder).Append(1714557600500) }, "struct<t:timestamp>", "{2024-05-01 10:00:00.5}"},
		{"nanosecond timestamp in a zone", arrow.Field{Name: "t", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "Europe/Paris"}, Nullable: true},
			func(b array.Builder) { b.(*array.TimestampBuilder).Append(1714557600000000000) }, "struct<t:timestamp>", "{2024-05-01 10:00:00}"},
		{"large string", arrow.Field{Name: "s", Type: arrow.BinaryTypes.LargeString, Nullable: true},
			func(b array.Builder) { b.(*array.LargeStringBuilder).Append("x") }, "struct<s:string>", "{x}"},
		{"list of required ints", arrow.Field{Name: "l", Type: arrow.ListOfNonNullable(arrow.PrimitiveTypes.Int64), Nullable: true},
			func(b array.Builder) {
				lb := b.(*array.ListBuilder)
				lb.Append(true)
				lb.ValueBuilder().(*array.Int64Builder).AppendValues([]int64{1, 2}, nil)
			}, "struct<l:array<bigint>>", "{[1, 2]}"},
		{"struct with a required field", arrow.Field{Name: "st", Type: arrow.StructOf(arrow.Field{Name: "a", Type: arrow.BinaryTypes.String}), Nullable: true},
			func(b array.Builder) {
				sb := b.(*array.StructBuilder)
				sb.Append(true)
				sb.FieldBuilder(0).(*array.StringBuilder).Append("v")
			}, "struct<st:struct<a:string>>", "{{v}}"},
	}
	for _, tc := range tests {
		for _, stored := range []bool{false, true} {
			name := tc.name
			if stored {
				name += " with stored schema"
			}
			t.Run(name, func(t *testing.T) {
				b := array.NewBuilder(mem, tc.field.Type)
				defer b.Release()
				tc.build(b)
				col := b.NewArray()
				defer col.Release()
				rec := array.NewRecord(arrow.NewSchema([]arrow.Field{tc.field}, nil), []arrow.Array{col}, 1)
				defer rec.Release()
				data := writeArrowParquet(t, rec, stored)
				sc, err := ParquetSchema(bytes.NewReader(data), "other.parquet")
				if err != nil {
					t.Fatal(err)
				}
				if got := catalog(sc); got != tc.want {
					t.Errorf("schema %s, want %s", got, tc.want)
				}
				checkNullable(t, sc)
				rows, err := readParquetRows(t, mem, data, sc)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != 1 || rows[0] != tc.row {
					t.Errorf("rows %q, want [%q]", rows, tc.row)
				}
			})
		}
	}
}

func TestParquetSchemaErrors(t *testing.T) {
	mem := memory.NewGoAllocator()
	b := array.NewUint32Builder(mem)
	b.Append(1)
	col := b.NewArray()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "u", Type: arrow.PrimitiveTypes.Uint32, Nullable: true}}, nil), []arrow.Array{col}, 1)
	data := writeArrowParquet(t, rec, true)
	rec.Release()
	col.Release()
	b.Release()

	tests := []struct {
		name string
		data []byte
		want []string
		is   error
	}{
		{"unsigned column", data, []string{`column "u" of f.parquet has type uint32`, "rewrite the file"}, ErrUnsupportedType},
		{"not parquet", []byte("hello, this is not a parquet file at all"), []string{"[CANNOT_READ_FILE_FOOTER] Could not read footer for file: f.parquet."}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParquetSchema(bytes.NewReader(tc.data), "f.parquet")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error does not wrap %v", tc.is)
			}
		})
	}
}

// TestParquetReadsWiderDecimal: a merged schema can widen a decimal's
// precision (same scale); the file's values read into the wider type.
func TestParquetReadsWiderDecimal(t *testing.T) {
	mem := checkedMem(t)
	narrow := schemaOf(field("d", &arrow.Decimal128Type{Precision: 5, Scale: 2}))
	rec := jsonRecord(t, mem, narrow, `{"d":123.45}`, `{"d":-0.5}`)
	defer rec.Release()
	data := writeParquet(t, ParquetWriteOptions{}, rec)
	tests := []struct {
		name string
		to   arrow.DataType
		rows []string
		err  bool
	}{
		{"wider precision", &arrow.Decimal128Type{Precision: 12, Scale: 2}, []string{"{123.45}", "{-0.50}"}, false},
		{"other scale", &arrow.Decimal128Type{Precision: 12, Scale: 3}, nil, true},
		{"narrower precision", &arrow.Decimal128Type{Precision: 4, Scale: 2}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := readParquetRows(t, mem, data, schemaOf(field("d", tc.to)))
			if tc.err {
				if !errors.Is(err, ErrParquetSchema) {
					t.Errorf("error %v, want ErrParquetSchema", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !equalStrings(rows, tc.rows) {
				t.Errorf("rows %q, want %q", rows, tc.rows)
			}
		})
	}
}
