package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/exec"
)

// Row is one row of a collected DataFrame (pyspark.sql.Row): values by
// position and by column name.
type Row struct {
	names  []string
	values []any
}

// NewRow makes a row from names and values of equal length.
func NewRow(names []string, values []any) Row { return Row{names: names, values: values} }

// Len is the number of values.
func (r Row) Len() int { return len(r.values) }

// At returns the value at position i.
func (r Row) At(i int) any { return r.values[i] }

// Get returns the value of the column name (exact match first, then
// case-insensitive), nil when there is none.
func (r Row) Get(name string) any {
	for i, n := range r.names {
		if n == name {
			return r.values[i]
		}
	}
	for i, n := range r.names {
		if strings.EqualFold(n, name) {
			return r.values[i]
		}
	}
	return nil
}

// Values returns the row's values in column order.
func (r Row) Values() []any { return r.values }

// Names returns the column names.
func (r Row) Names() []string { return r.names }

// AsDict returns the row as a map from column name to value.
func (r Row) AsDict() map[string]any {
	m := make(map[string]any, len(r.values))
	for i, n := range r.names {
		m[n] = r.values[i]
	}
	return m
}

// String renders the row as PySpark prints it: Row(a=1, b='x').
func (r Row) String() string {
	var b strings.Builder
	b.WriteString("Row(")
	for i, v := range r.values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.names[i])
		b.WriteByte('=')
		b.WriteString(pyRepr(v))
	}
	b.WriteByte(')')
	return b.String()
}

func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return "'" + strings.ReplaceAll(x, "'", "\\'") + "'"
	case time.Time:
		return x.Format("2006-01-02 15:04:05.999999")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// rowsOf converts records to rows.
func rowsOf(schema *arrow.Schema, recs []arrow.Record) []Row {
	names := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		names[i] = f.Name
	}
	var out []Row
	for _, rec := range recs {
		for i := 0; i < int(rec.NumRows()); i++ {
			vals := make([]any, rec.NumCols())
			for c := range vals {
				vals[c] = exec.Value(rec.Column(c), i)
			}
			out = append(out, Row{names: names, values: vals})
		}
	}
	return out
}
