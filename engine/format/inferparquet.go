package format

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// ParquetSchema reads the schema of a Parquet file from its footer (the
// Arrow schema stored by an Arrow writer when there is one, else the
// Parquet schema) and maps it to the engine's types: timestamps of any
// unit and zone become timestamp (microseconds, UTC), large strings and
// binaries their plain forms, and every field, list element and map value
// becomes nullable, as Spark makes file source schemas. A column of a type
// the engine has no counterpart for (unsigned integers, float16, fixed-size
// binary, time of day, intervals, ...) is an error naming it.
func ParquetSchema(r parquet.ReaderAtSeeker, source string) (*arrow.Schema, error) {
	pf, err := file.NewParquetReader(r)
	if err != nil {
		return nil, fmt.Errorf("[CANNOT_READ_FILE_FOOTER] Could not read footer for file: %s. %v", source, err)
	}
	defer pf.Close()
	md := pf.MetaData()
	sc, err := pqarrow.FromParquet(md.Schema, &pqarrow.ArrowReadProperties{}, md.KeyValueMetadata())
	if err != nil {
		return nil, fmt.Errorf("parquet: schema of %s: %w", source, err)
	}
	fields := make([]arrow.Field, sc.NumFields())
	for i, f := range sc.Fields() {
		t, err := parquetEngineType(f.Type)
		if err != nil {
			return nil, fmt.Errorf("parquet: %w: column %q of %s has type %s; %s", ErrUnsupportedType, f.Name, source, f.Type, err)
		}
		fields[i] = arrow.Field{Name: f.Name, Type: t, Nullable: true}
	}
	return arrow.NewSchema(fields, nil), nil
}

// parquetEngineType maps a type read from a Parquet file to the engine's
// mapping, nullable all the way down; the error says what to do instead.
func parquetEngineType(t arrow.DataType) (arrow.DataType, error) {
	switch t := t.(type) {
	case *arrow.NullType, *arrow.BooleanType, *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type,
		*arrow.Float32Type, *arrow.Float64Type, *arrow.StringType, *arrow.BinaryType, *arrow.Date32Type:
		return t, nil
	case *arrow.LargeStringType:
		return arrow.BinaryTypes.String, nil
	case *arrow.LargeBinaryType:
		return arrow.BinaryTypes.Binary, nil
	case *arrow.TimestampType:
		return arrow.FixedWidthTypes.Timestamp_us, nil
	case *arrow.Decimal128Type:
		if t.Precision < 1 || t.Precision > maxInferPrecision || t.Scale < 0 || t.Scale > t.Precision {
			return nil, fmt.Errorf("Spark's decimals have a precision of 1 to 38 and a scale from 0 to the precision")
		}
		return t, nil
	case *arrow.ListType:
		elem, err := parquetEngineType(t.Elem())
		if err != nil {
			return nil, err
		}
		return arrow.ListOf(elem), nil
	case *arrow.MapType:
		k, err := parquetEngineType(t.KeyType())
		if err != nil {
			return nil, err
		}
		v, err := parquetEngineType(t.ItemType())
		if err != nil {
			return nil, err
		}
		return arrow.MapOf(k, v), nil
	case *arrow.StructType:
		fields := make([]arrow.Field, t.NumFields())
		for i, f := range t.Fields() {
			ft, err := parquetEngineType(f.Type)
			if err != nil {
				return nil, fmt.Errorf("struct field %q: %w", f.Name, err)
			}
			fields[i] = arrow.Field{Name: f.Name, Type: ft, Nullable: true}
		}
		return arrow.StructOf(fields...), nil
	}
	return nil, fmt.Errorf("give a schema that leaves the column out, or rewrite the file with the column as one of string, boolean, tinyint, smallint, int, bigint, float, double, decimal, timestamp, date, binary, struct, array or map")
}
