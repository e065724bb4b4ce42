package format

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet/file"
)

var parquetSchema = schemaOf(
	field("s", strType), field("n", i32Type), field("f", f64Type), field("t", tsType), field("d", dateType),
	field("st", arrow.StructOf(field("x", i64Type), field("y", strType))), field("l", arrow.ListOf(i64Type)),
	field("m", arrow.MapOf(strType, f64Type)), field("b", arrow.BinaryTypes.Binary),
	field("dec", &arrow.Decimal128Type{Precision: 10, Scale: 2}), field("ok", boolType))

var parquetRows = []string{
	`{"s":"a","n":1,"f":1.5,"t":"2024-05-01 10:00:03.5","d":"2024-05-01","st":{"x":1,"y":"p"},"l":[1,null,3],"m":{"k":2.5},"b":"AP8=","dec":40.5,"ok":true}`,
	`{"st":{"x":2},"l":[],"m":{}}`,
	`{"s":"","n":-1,"f":"NaN"}`,
}

func writeParquet(t *testing.T, opts ParquetWriteOptions, recs ...arrow.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewParquetWriter(&buf, recs[0].Schema(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readParquetRows(t *testing.T, mem memory.Allocator, data []byte, schema *arrow.Schema) ([]string, error) {
	t.Helper()
	recs, err := ReadParquet(context.Background(), bytes.NewReader(data), schema, mem, "part-0.parquet")
	if err != nil {
		return nil, err
	}
	var rows []string
	for _, r := range recs {
		if !r.Schema().Equal(schema) {
			t.Errorf("record schema %s, want %s", r.Schema(), schema)
		}
		rows = append(rows, rowStrings(r)...)
		r.Release()
	}
	return rows, nil
}

func TestParquetRoundTrip(t *testing.T) {
	for _, codec := range []string{"", "none", "snappy", "gzip", "zstd", "brotli"} {
		t.Run("compression="+codec, func(t *testing.T) {
			mem := checkedMem(t)
			rec := jsonRecord(t, mem, parquetSchema, parquetRows...)
			defer rec.Release()
			data := writeParquet(t, ParquetWriteOptions{Compression: codec}, rec)
			got, err := readParquetRows(t, mem, data, parquetSchema)
			if err != nil {
				t.Fatal(err)
			}
			if want := rowStrings(rec); !equalStrings(got, want) {
				t.Errorf("got %q\nwant %q", got, want)
			}
		})
	}
}

func TestParquetProjection(t *testing.T) {
	mem := checkedMem(t)
	rec := jsonRecord(t, mem, parquetSchema, parquetRows...)
	defer rec.Release()
	data := writeParquet(t, ParquetWriteOptions{}, rec)
	tests := []struct {
		name    string
		schema  *arrow.Schema
		want    []string
		wantErr string
	}{
		{"subset in another order", schemaOf(field("ok", boolType), field("s", strType)),
			[]string{"{true, a}", "{null, null}", "{null, }"}, ""},
		{"missing column reads as null", schemaOf(field("s", strType), field("extra", i64Type)),
			[]string{"{a, null}", "{null, null}", "{, null}"}, ""},
		{"only missing columns", schemaOf(field("extra", i64Type)),
			[]string{"{null}", "{null}", "{null}"}, ""},
		{"case-insensitive names and widening", schemaOf(field("N", i64Type)),
			[]string{"{1}", "{null}", "{-1}"}, ""},
		{"incompatible type", schemaOf(field("s", i64Type)), nil,
			"Parquet column cannot be converted in file part-0.parquet. Column: [s], Expected: int64, Found: utf8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readParquetRows(t, mem, data, tc.schema)
			if tc.wantErr != "" {
				if !errors.Is(err, ErrParquetSchema) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want ErrParquetSchema containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !equalStrings(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParquetRowGroups(t *testing.T) {
	mem := checkedMem(t)
	var recs []arrow.Record
	for i := 0; i < 8; i++ {
		rec, _, err := DecodeJSON(tutorialJSON(64<<10), tutorialSchema, JSONOptions{}, mem, fmt.Sprint(i))
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		recs = append(recs, rec)
	}
	tests := []struct {
		name       string
		groupBytes int64
		minGroups  int
		maxGroups  int
	}{
		{"default size keeps one group", 0, 1, 1},
		{"small groups are cut by size", 20 << 10, 3, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := writeParquet(t, ParquetWriteOptions{RowGroupBytes: tc.groupBytes, Compression: "none"}, recs...)
			pf, err := file.NewParquetReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			defer pf.Close()
			n := pf.NumRowGroups()
			if n < tc.minGroups || n > tc.maxGroups {
				t.Errorf("%d row groups, want %d..%d", n, tc.minGroups, tc.maxGroups)
			}
			var want int64
			for _, r := range recs {
				want += r.NumRows()
			}
			if pf.NumRows() != want {
				t.Errorf("%d rows, want %d", pf.NumRows(), want)
			}
		})
	}
}

func TestParquetWriterErrors(t *testing.T) {
	if _, err := NewParquetWriter(&bytes.Buffer{}, parquetSchema, ParquetWriteOptions{Compression: "lzma"}); err == nil ||
		!strings.Contains(err.Error(), `unknown compression "lzma"`) {
		t.Errorf("err = %v, want unknown compression", err)
	}
}

func TestParquetManyBatches(t *testing.T) {
	mem := checkedMem(t)
	rec, _, err := DecodeJSON(tutorialJSON(10<<20), tutorialSchema, JSONOptions{}, mem, "big.json")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() <= parquetBatchRows {
		t.Fatalf("only %d rows; the test needs more than one read batch", rec.NumRows())
	}
	data := writeParquet(t, ParquetWriteOptions{RowGroupBytes: 1 << 20}, rec)
	got, err := readParquetRows(t, mem, data, tutorialSchema)
	if err != nil {
		t.Fatal(err)
	}
	if want := rowStrings(rec); !equalStrings(got, want) {
		t.Errorf("read back %d rows differing from the %d written", len(got), len(want))
	}
}
