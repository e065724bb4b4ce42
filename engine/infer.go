package engine

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/source"
	"github.com/gostream/gostream/engine/types"
)

// Schema inference for file sources read without a schema, as Spark's
// DataSource.getOrInferFileFormatSchema: parquet takes the schema of one
// file's footer (or merges all footers with mergeSchema), JSON and CSV
// read every file once through the format package's inferrers. Streaming
// file sources infer only when StreamingSchemaInferenceConf is true, from
// the files present when the DataFrame is created.

const (
	// StreamingSchemaInferenceConf lets streaming file sources without a
	// schema infer it from the files already in their folder.
	StreamingSchemaInferenceConf = "spark.sql.streaming.schemaInference"
	// ParquetMergeSchemaConf is the default of the parquet mergeSchema
	// option.
	ParquetMergeSchemaConf = "spark.sql.parquet.mergeSchema"
)

// confBool reads a boolean session setting.
func (s *Session) confBool(key string, def bool) (bool, error) {
	v := strings.TrimSpace(s.conf.Get(key))
	switch strings.ToLower(v) {
	case "":
		return def, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%s should be boolean, but was %s; set it to true or false", key, v)
}

// formatDisplayName is the name Spark's FileFormat.toString gives.
func formatDisplayName(f string) string {
	switch f {
	case "parquet":
		return "Parquet"
	case "json", "csv":
		return strings.ToUpper(f)
	}
	return f
}

// unableToInfer is Spark's error for a format with no files to infer from.
func unableToInfer(f string) error {
	return &expr.AnalysisError{Class: "UNABLE_TO_INFER_SCHEMA",
		Message: fmt.Sprintf("Unable to infer schema for %s. It must be specified manually.", formatDisplayName(f))}
}

// inferFileSchema returns the schema of the data files at paths (files,
// directories or globs, listed as a batch read lists them).
func (s *Session) inferFileSchema(f string, paths []string, opts source.Options) (*arrow.Schema, error) {
	switch f {
	case "parquet", "json", "csv":
	default:
		if _, err := source.NewReader(f, nil, opts, nil); err != nil {
			return nil, err // an unknown format
		}
		return nil, unableToInfer(f)
	}
	files, err := listFiles(paths)
	if err != nil {
		return nil, err
	}
	// Empty files hold no records and no Parquet footer.
	nonEmpty := files[:0:0]
	for _, p := range files {
		if st, err := os.Stat(p); err != nil {
			return nil, err
		} else if st.Size() > 0 {
			nonEmpty = append(nonEmpty, p)
		}
	}
	if len(nonEmpty) == 0 && (f == "parquet" || len(files) == 0) {
		return nil, unableToInfer(f)
	}
	switch f {
	case "parquet":
		return s.inferParquet(nonEmpty, opts)
	case "json":
		return inferJSON(nonEmpty, opts)
	}
	return inferCSV(nonEmpty, opts)
}

func inferJSON(files []string, opts source.Options) (*arrow.Schema, error) {
	o, err := format.JSONInferOptionsFromMap(opts)
	if err != nil {
		return nil, err
	}
	in, err := format.NewJSONInferrer(o)
	if err != nil {
		return nil, err
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if err := in.Add(data, p); err != nil {
			return nil, err
		}
	}
	return in.Schema(), nil
}

func inferCSV(files []string, opts source.Options) (*arrow.Schema, error) {
	o, err := format.CSVInferOptionsFromMap(opts)
	if err != nil {
		return nil, err
	}
	in, err := format.NewCSVInferrer(o)
	if err != nil {
		return nil, err
	}
	for _, p := range files {
		if in.Done() {
			break
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		in.Add(data)
	}
	return in.Schema(), nil
}

// inferParquet reads the footer of the first file in path order, or with
// mergeSchema (option, else ParquetMergeSchemaConf) the footers of all the
// files, merged as Spark's StructType.merge.
func (s *Session) inferParquet(files []string, opts source.Options) (*arrow.Schema, error) {
	merge, err := s.confBool(ParquetMergeSchemaConf, false)
	if err != nil {
		return nil, err
	}
	if merge, err = opts.Bool("mergeSchema", merge); err != nil {
		return nil, err
	}
	files = append([]string(nil), files...)
	sort.Strings(files)
	if !merge {
		files = files[:1]
	}
	var merged *arrow.Schema
	for _, p := range files {
		sc, err := parquetFileSchema(p)
		if err != nil {
			return nil, err
		}
		if merged == nil {
			merged = sc
			continue
		}
		fields, err := mergeFields(merged.Fields(), sc.Fields())
		if err != nil {
			return nil, &SchemaMergeError{Err: fmt.Errorf("[CANNOT_MERGE_SCHEMAS] Failed merging schemas:\nInitial schema:\n%q\nSchema that cannot be merged with the initial schema:\n%q.\nCause: %w\nFile: %s. Read the files without mergeSchema, give the schema, or rewrite the files so that the column has one type.",
				types.SQL(arrow.StructOf(merged.Fields()...)), types.SQL(arrow.StructOf(sc.Fields()...)), err, p)}
		}
		merged = arrow.NewSchema(fields, nil)
	}
	return merged, nil
}

func parquetFileSchema(p string) (*arrow.Schema, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return format.ParquetSchema(f, p)
}

// SchemaMergeError reports files whose schemas cannot be merged
// (mergeSchema); Spark raises it as a SparkException.
type SchemaMergeError struct{ Err error }

func (e *SchemaMergeError) Error() string { return e.Err.Error() }

// Unwrap returns the merge failure with its cause.
func (e *SchemaMergeError) Unwrap() error { return e.Err }

// mergeFields is Spark's StructType.merge with case-insensitive names: the
// left fields in order, each merged with the right field of the same name,
// then the right fields the left lacks.
func mergeFields(left, right []arrow.Field) ([]arrow.Field, error) {
	rightIdx := make(map[string]int, len(right))
	for i, f := range right {
		rightIdx[strings.ToLower(f.Name)] = i
	}
	leftNames := make(map[string]bool, len(left))
	out := make([]arrow.Field, 0, len(left)+len(right))
	for _, lf := range left {
		leftNames[strings.ToLower(lf.Name)] = true
		j, ok := rightIdx[strings.ToLower(lf.Name)]
		if !ok {
			out = append(out, lf)
			continue
		}
		rf := right[j]
		t, err := mergeTypes(lf.Type, rf.Type)
		if err != nil {
			return nil, fmt.Errorf("Failed to merge fields '%s' and '%s'. %w", lf.Name, rf.Name, err)
		}
		out = append(out, arrow.Field{Name: lf.Name, Type: t, Nullable: lf.Nullable || rf.Nullable})
	}
	for _, rf := range right {
		if !leftNames[strings.ToLower(rf.Name)] {
			out = append(out, rf)
		}
	}
	return out, nil
}

// mergeTypes is Spark's StructType.merge of two field types.
func mergeTypes(l, r arrow.DataType) (arrow.DataType, error) {
	switch lt := l.(type) {
	case *arrow.ListType:
		if rt, ok := r.(*arrow.ListType); ok {
			elem, err := mergeTypes(lt.Elem(), rt.Elem())
			if err != nil {
				return nil, err
			}
			return arrow.ListOfField(arrow.Field{Name: "item", Type: elem, Nullable: lt.ElemField().Nullable || rt.ElemField().Nullable}), nil
		}
	case *arrow.MapType:
		if rt, ok := r.(*arrow.MapType); ok {
			k, err := mergeTypes(lt.KeyType(), rt.KeyType())
			if err != nil {
				return nil, err
			}
			v, err := mergeTypes(lt.ItemType(), rt.ItemType())
			if err != nil {
				return nil, err
			}
			m := arrow.MapOf(k, v)
			m.SetItemNullable(lt.ItemField().Nullable || rt.ItemField().Nullable)
			return m, nil
		}
	case *arrow.StructType:
		if rt, ok := r.(*arrow.StructType); ok {
			fields, err := mergeFields(lt.Fields(), rt.Fields())
			if err != nil {
				return nil, err
			}
			return arrow.StructOf(fields...), nil
		}
	case *arrow.Decimal128Type:
		if rt, ok := r.(*arrow.Decimal128Type); ok {
			if lt.Scale != rt.Scale {
				return nil, fmt.Errorf("Failed to merge decimal types with incompatible scale %d and %d.", lt.Scale, rt.Scale)
			}
			return &arrow.Decimal128Type{Precision: max(lt.Precision, rt.Precision), Scale: lt.Scale}, nil
		}
	}
	if arrow.TypeEqual(l, r) {
		return l, nil
	}
	return nil, fmt.Errorf("[CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE] Failed to merge incompatible data types %q and %q. Please check the data types of the columns being merged and ensure that they are compatible. If necessary, consider casting the columns to compatible data types before attempting the merge.",
		types.SQL(l), types.SQL(r))
}
