package engine

import (
	"fmt"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/plan"
)

// CreateDataFrame makes a batch DataFrame from data:
//   - [][]any rows of Go values, with schema a DDL string ("a STRING, b
//     INT"), a types.Schema, an *arrow.Schema, or []string column names
//     whose types are inferred from the first non-null value of each
//     column (int kinds: bigint, floats: double, string, bool, time.Time:
//     timestamp);
//   - []Row, with the same schemas;
//   - an arrow.Record, []arrow.Record or arrow.Table (schema nil, or equal
//     to the data's).
func (s *Session) CreateDataFrame(data any, schema any) *DataFrame {
	recs, sc, err := s.createRecords(data, schema)
	if err != nil {
		return s.failed("createDataFrame", err)
	}
	return &DataFrame{s: s, plan: &plan.Relation{Source: localData{recs: recs}, Out: sc}}
}

func (s *Session) createRecords(data any, schema any) ([]arrow.Record, *arrow.Schema, error) {
	switch d := data.(type) {
	case arrow.Record:
		return s.createFromRecords([]arrow.Record{d}, d.Schema(), schema)
	case []arrow.Record:
		if len(d) == 0 {
			sc, err := toSchema(schema)
			return nil, sc, err
		}
		return s.createFromRecords(d, d[0].Schema(), schema)
	case arrow.Table:
		tr := array.NewTableReader(d, 0)
		defer tr.Release()
		var recs []arrow.Record
		for tr.Next() {
			r := tr.Record()
			r.Retain()
			recs = append(recs, r)
		}
		out, sc, err := s.createFromRecords(recs, d.Schema(), schema)
		exec.Release(recs)
		return out, sc, err
	case []Row:
		rows := make([][]any, len(d))
		for i, r := range d {
			rows[i] = r.values
		}
		if schema == nil && len(d) > 0 {
			schema = d[0].names
		}
		return s.createFromRows(rows, schema)
	case [][]any:
		return s.createFromRows(d, schema)
	}
	return nil, nil, fmt.Errorf("data must be [][]any rows, []Row, an arrow.Record, []arrow.Record or an arrow.Table, not %T", data)
}

func (s *Session) createFromRecords(recs []arrow.Record, have *arrow.Schema, schema any) ([]arrow.Record, *arrow.Schema, error) {
	if schema != nil {
		want, err := toSchema(schema)
		if err != nil {
			return nil, nil, err
		}
		if !want.Equal(have) {
			return nil, nil, fmt.Errorf("the records' schema %s differs from the schema given %s", have, want)
		}
	}
	for _, r := range recs {
		if !r.Schema().Equal(have) {
			return nil, nil, fmt.Errorf("records of different schemas: %s and %s", have, r.Schema())
		}
		r.Retain()
	}
	return append([]arrow.Record(nil), recs...), have, nil
}

func (s *Session) createFromRows(rows [][]any, schema any) ([]arrow.Record, *arrow.Schema, error) {
	var sc *arrow.Schema
	var err error
	if names, ok := schema.([]string); ok {
		sc, err = inferSchema(names, rows)
	} else {
		sc, err = toSchema(schema)
	}
	if err != nil {
		return nil, nil, err
	}
	rec, err := exec.BuildRecord(s.mem, sc, rows)
	if err != nil {
		return nil, nil, err
	}
	return []arrow.Record{rec}, sc, nil
}

// inferSchema types each named column after its first non-null value, as
// PySpark infers a schema from Python values.
func inferSchema(names []string, rows [][]any) (*arrow.Schema, error) {
	fields := make([]arrow.Field, len(names))
	for c, n := range names {
		fields[c] = arrow.Field{Name: n, Type: arrow.Null, Nullable: true}
		for _, row := range rows {
			if c >= len(row) || row[c] == nil {
				continue
			}
			t, err := inferType(row[c])
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", n, err)
			}
			fields[c].Type = t
			break
		}
		if fields[c].Type == arrow.Null {
			return nil, fmt.Errorf("[CANNOT_DETERMINE_TYPE] Some of types cannot be determined after inferring: column %s has only nulls; give a schema", n)
		}
	}
	return arrow.NewSchema(fields, nil), nil
}

func inferType(v any) (arrow.DataType, error) {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint8, uint16, uint32:
		return arrow.PrimitiveTypes.Int64, nil
	case float32, float64:
		return arrow.PrimitiveTypes.Float64, nil
	case string:
		return arrow.BinaryTypes.String, nil
	case bool:
		return arrow.FixedWidthTypes.Boolean, nil
	case time.Time:
		return arrow.FixedWidthTypes.Timestamp_us, nil
	case []byte:
		return arrow.BinaryTypes.Binary, nil
	}
	return nil, fmt.Errorf("[CANNOT_INFER_TYPE] cannot infer a column type from %T; give a schema", v)
}
