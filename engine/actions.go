package engine

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/stream"
	"github.com/gostream/gostream/engine/types"
)

// execute runs the DataFrame as a batch query.
func (df *DataFrame) execute(ctx context.Context, op string, n plan.Node) ([]arrow.Record, error) {
	if df.err != nil {
		return nil, df.err
	}
	recs, err := stream.Execute(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return recs, nil
}

// Collect returns every row.
func (df *DataFrame) Collect() ([]Row, error) {
	recs, err := df.execute(context.Background(), "collect", df.plan)
	if err != nil {
		return nil, err
	}
	defer exec.Release(recs)
	return rowsOf(df.plan.Schema(), recs), nil
}

// Take returns the first n rows.
func (df *DataFrame) Take(n int) ([]Row, error) { return df.Limit(n).Collect() }

// ToArrow returns the rows as Arrow records, which the caller releases.
func (df *DataFrame) ToArrow() ([]arrow.Record, error) {
	return df.execute(context.Background(), "toArrow", df.plan)
}

// ToTable returns the rows as an Arrow table, which the caller releases.
func (df *DataFrame) ToTable() (arrow.Table, error) {
	recs, err := df.ToArrow()
	if err != nil {
		return nil, err
	}
	defer exec.Release(recs)
	return array.NewTableFromRecords(df.plan.Schema(), recs), nil
}

// Count returns the number of rows.
func (df *DataFrame) Count() (int64, error) {
	recs, err := df.execute(context.Background(), "count", df.plan)
	if err != nil {
		return 0, err
	}
	defer exec.Release(recs)
	return exec.NumRows(recs), nil
}

// showArgs reads Show's optional arguments as PySpark takes them:
// n (int), truncate (bool, or int for a width), vertical (bool).
func showArgs(args []any) (n, truncate int, vertical bool, err error) {
	n, truncate = 20, 20
	for i, a := range args {
		switch {
		case i == 0:
			v, ok := a.(int)
			if !ok {
				return 0, 0, false, fmt.Errorf("show: n must be an int, not %T", a)
			}
			n = v
		case i == 1:
			switch v := a.(type) {
			case bool:
				if !v {
					truncate = 0
				}
			case int:
				truncate = v
			default:
				return 0, 0, false, fmt.Errorf("show: truncate must be a bool or an int, not %T", a)
			}
		case i == 2:
			v, ok := a.(bool)
			if !ok {
				return 0, 0, false, fmt.Errorf("show: vertical must be a bool, not %T", a)
			}
			vertical = v
		default:
			return 0, 0, false, fmt.Errorf("show takes at most 3 arguments (n, truncate, vertical), got %d", len(args))
		}
	}
	return n, truncate, vertical, nil
}

// ShowString renders the first rows as Show prints them. Arguments as
// Show.
func (df *DataFrame) ShowString(args ...any) (string, error) {
	if df.err != nil {
		return "", df.err
	}
	n, truncate, vertical, err := showArgs(args)
	if err != nil {
		return "", err
	}
	if n < 0 {
		n = 0
	}
	recs, err := df.execute(context.Background(), "show", &plan.Limit{Child: df.plan, N: int64(n) + 1})
	if err != nil {
		return "", err
	}
	defer exec.Release(recs)
	return showString(df.plan.Schema(), recs, n, truncate, vertical), nil
}

// Show prints the first n rows (default 20) as a table to the session's
// output, followed by an empty line as PySpark prints it. Optional
// arguments, as PySpark's: n int, truncate bool or int (cell width;
// default true = 20), vertical bool.
func (df *DataFrame) Show(args ...any) error {
	s, err := df.ShowString(args...)
	if err != nil {
		return err
	}
	_, err = io.WriteString(df.s.Output(), s+"\n")
	return err
}

// TreeString is the schema as PrintSchema prints it.
func (df *DataFrame) TreeString() string {
	if df.err != nil {
		return ""
	}
	return types.TreeString(df.plan.Schema())
}

// PrintSchema prints the schema as a tree to the session's output.
func (df *DataFrame) PrintSchema() error {
	if df.err != nil {
		return df.err
	}
	_, err := io.WriteString(df.s.Output(), df.TreeString())
	return err
}

// ExplainString returns the plan as Explain prints it.
func (df *DataFrame) ExplainString(extended ...bool) (string, error) {
	if df.err != nil {
		return "", df.err
	}
	return explain(df.plan, len(extended) > 0 && extended[0]), nil
}

// Explain prints the plan to the session's output; extended adds the
// analysed logical plan with its schema.
func (df *DataFrame) Explain(extended ...bool) error {
	s, err := df.ExplainString(extended...)
	if err != nil {
		return err
	}
	_, err = io.WriteString(df.s.Output(), s)
	return err
}

func explain(n plan.Node, extended bool) string {
	var b strings.Builder
	if extended {
		b.WriteString("== Analyzed Logical Plan ==\n")
		var cols []string
		for _, f := range n.Schema().Fields() {
			cols = append(cols, f.Name+": "+types.SimpleString(f.Type))
		}
		b.WriteString(strings.Join(cols, ", "))
		b.WriteString("\n")
		b.WriteString(plan.Format(n))
		b.WriteString("\n")
	}
	b.WriteString("== Physical Plan ==\n")
	b.WriteString(plan.Format(n))
	b.WriteString("\n")
	return b.String()
}
