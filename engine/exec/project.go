package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/expr"
)

// Project computes one output column per bound expression. Plain column
// references come back from Eval as the input's own arrays, so selecting
// and renaming columns copies no data.
type Project struct {
	forward
	schema *arrow.Schema
	exprs  []expr.Bound
}

// NewProject returns a projection producing records of schema, whose
// fields match exprs one to one.
func NewProject(schema *arrow.Schema, exprs []expr.Bound, next Operator) (*Project, error) {
	if schema.NumFields() != len(exprs) {
		return nil, fmt.Errorf("exec: projection of %d expressions for a schema of %d fields", len(exprs), schema.NumFields())
	}
	return &Project{forward: forward{next}, schema: schema, exprs: exprs}, nil
}

func (p *Project) Process(ctx context.Context, rec arrow.Record) error {
	cols := make([]arrow.Array, len(p.exprs))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, e := range p.exprs {
		c, err := e.Eval(ctx, rec)
		if err != nil {
			return fmt.Errorf("evaluating %s: %w", e.Name(), err)
		}
		cols[i] = c
	}
	out := array.NewRecord(p.schema, cols, rec.NumRows())
	defer out.Release()
	return p.next.Process(ctx, out)
}
