package notebook

import (
	"fmt"
	"io"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/types"
)

// DataFrame is a batch or streaming table. Transformations are checked at
// once: a mistake raises on the line that makes it.
type DataFrame struct {
	df *engine.DataFrame
	s  *Session
	// out, when set, is where Show prints: the cell that started the query
	// a foreachBatch DataFrame belongs to.
	out io.Writer
}

// Engine returns the engine DataFrame, for Go code that wants errors
// returned instead of raised.
func (d *DataFrame) Engine() *engine.DataFrame { return d.df }

func (d *DataFrame) wrap(df *engine.DataFrame) *DataFrame {
	raise(df.Err())
	return &DataFrame{df: df, s: d.s, out: d.out}
}

func (d *DataFrame) writer() io.Writer {
	if d.out != nil {
		return d.out
	}
	return d.s.output()
}

// Select projects columns: names, "*", "a.*", F.Col(...) or expressions.
func (d *DataFrame) Select(cols ...any) *DataFrame { return d.wrap(d.df.Select(cols...)) }

// SelectExpr projects SQL expressions: "cast(value as string) as value".
func (d *DataFrame) SelectExpr(exprs ...string) *DataFrame {
	return d.wrap(d.df.SelectExpr(exprs...))
}

// Filter keeps rows where cond (a Column or SQL string) is true.
func (d *DataFrame) Filter(cond any) *DataFrame { return d.wrap(d.df.Filter(cond)) }

// Where is Filter.
func (d *DataFrame) Where(cond any) *DataFrame { return d.wrap(d.df.Where(cond)) }

// WithColumn adds or replaces a column.
func (d *DataFrame) WithColumn(name string, col any) *DataFrame {
	return d.wrap(d.df.WithColumn(name, col))
}

// WithColumns adds or replaces several columns.
func (d *DataFrame) WithColumns(cols map[string]any) *DataFrame {
	return d.wrap(d.df.WithColumns(cols))
}

// WithColumnRenamed renames a column.
func (d *DataFrame) WithColumnRenamed(existing, newName string) *DataFrame {
	return d.wrap(d.df.WithColumnRenamed(existing, newName))
}

// WithColumnsRenamed renames several columns.
func (d *DataFrame) WithColumnsRenamed(renames map[string]string) *DataFrame {
	return d.wrap(d.df.WithColumnsRenamed(renames))
}

// ToDF renames all columns.
func (d *DataFrame) ToDF(names ...string) *DataFrame { return d.wrap(d.df.ToDF(names...)) }

// Drop removes columns.
func (d *DataFrame) Drop(cols ...any) *DataFrame { return d.wrap(d.df.Drop(cols...)) }

// Alias names the DataFrame for qualified column references.
func (d *DataFrame) Alias(name string) *DataFrame { return d.wrap(d.df.Alias(name)) }

// Union appends other's rows, matching columns by position.
func (d *DataFrame) Union(other *DataFrame) *DataFrame {
	return d.wrap(d.df.Union(other.df))
}

// UnionAll is Union.
func (d *DataFrame) UnionAll(other *DataFrame) *DataFrame {
	return d.wrap(d.df.UnionAll(other.df))
}

// UnionByName appends other's rows, matching columns by name.
func (d *DataFrame) UnionByName(other *DataFrame, allowMissingColumns ...bool) *DataFrame {
	return d.wrap(d.df.UnionByName(other.df, allowMissingColumns...))
}

// Limit keeps the first n rows (batch DataFrames).
func (d *DataFrame) Limit(n int) *DataFrame { return d.wrap(d.df.Limit(n)) }

// WithWatermark declares eventTime's lateness bound ("30 seconds").
func (d *DataFrame) WithWatermark(eventTime, delayThreshold string) *DataFrame {
	return d.wrap(d.df.WithWatermark(eventTime, delayThreshold))
}

// CreateOrReplaceTempView names the DataFrame for spark.Table.
func (d *DataFrame) CreateOrReplaceTempView(name string) {
	raise(d.df.CreateOrReplaceTempView(name))
}

// Schema returns the schema.
func (d *DataFrame) Schema() types.Schema { return d.df.Schema() }

// ArrowSchema returns the schema as Arrow's.
func (d *DataFrame) ArrowSchema() *arrow.Schema { return d.df.ArrowSchema() }

// Columns returns the column names.
func (d *DataFrame) Columns() []string { return d.df.Columns() }

// DTypes returns (name, type) pairs.
func (d *DataFrame) DTypes() [][2]string { return d.df.DTypes() }

// IsStreaming reports whether the DataFrame reads a stream.
func (d *DataFrame) IsStreaming() bool { return d.df.IsStreaming() }

// Collect returns all rows (batch DataFrames).
func (d *DataFrame) Collect() []Row {
	rows, err := d.df.Collect()
	raise(err)
	return rows
}

// Take returns the first n rows.
func (d *DataFrame) Take(n int) []Row {
	rows, err := d.df.Take(n)
	raise(err)
	return rows
}

// First returns the first row, or nil when there is none.
func (d *DataFrame) First() *Row {
	rows := d.Take(1)
	if len(rows) == 0 {
		return nil
	}
	return &rows[0]
}

// Count returns the number of rows.
func (d *DataFrame) Count() int64 {
	n, err := d.df.Count()
	raise(err)
	return n
}

// ToArrow returns the rows as Arrow records.
func (d *DataFrame) ToArrow() []arrow.Record {
	recs, err := d.df.ToArrow()
	raise(err)
	return recs
}

// Show prints the first rows as Spark's show does: Show(), Show(n),
// Show(n, truncate), Show(n, truncate, vertical).
func (d *DataFrame) Show(args ...any) {
	s, err := d.df.ShowString(args...)
	raise(err)
	fmt.Fprint(d.writer(), s)
}

// ShowString returns what Show prints.
func (d *DataFrame) ShowString(args ...any) string {
	s, err := d.df.ShowString(args...)
	raise(err)
	return s
}

// PrintSchema prints the schema tree.
func (d *DataFrame) PrintSchema() { fmt.Fprint(d.writer(), d.df.TreeString()) }

// Explain prints the plan; Explain(true) prints every stage.
func (d *DataFrame) Explain(extended ...bool) {
	s, err := d.df.ExplainString(extended...)
	raise(err)
	fmt.Fprint(d.writer(), s)
}

// WriteStream returns the writer that starts a streaming query.
func (d *DataFrame) WriteStream() *DataStreamWriter {
	return &DataStreamWriter{w: d.df.WriteStream(), s: d.s}
}

// String describes the DataFrame as PySpark's repr does.
func (d *DataFrame) String() string {
	var b []byte
	b = append(b, "DataFrame["...)
	for i, t := range d.df.DTypes() {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, t[0]+": "+t[1]...)
	}
	return string(append(b, ']'))
}
