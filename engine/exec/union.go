package exec

import (
	"context"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// Union merges n inputs into one stream of records of the union's schema
// (the first input's names). It ends an epoch once every input has
// finished it, and forwards the smallest watermark its inputs announced.
type Union struct {
	next     Operator
	schema   *arrow.Schema
	inputs   int
	finished int
	marks    int
	wm       time.Time
	err      error
}

// NewUnion returns a union of n inputs producing records of schema.
func NewUnion(schema *arrow.Schema, n int, next Operator) *Union {
	return &Union{next: next, schema: schema, inputs: n}
}

func (u *Union) Process(ctx context.Context, rec arrow.Record) error {
	if rec.Schema().Equal(u.schema) {
		return u.next.Process(ctx, rec)
	}
	out := array.NewRecord(u.schema, rec.Columns(), rec.NumRows())
	defer out.Release()
	return u.next.Process(ctx, out)
}

func (u *Union) Watermark(ctx context.Context, wm time.Time) error {
	if u.marks == 0 || wm.Before(u.wm) {
		u.wm = wm
	}
	u.marks++
	if u.marks < u.inputs {
		return nil
	}
	u.marks = 0
	return u.next.Watermark(ctx, u.wm)
}

func (u *Union) Finish(ctx context.Context, err error) error {
	if err != nil && u.err == nil {
		u.err = err
	}
	u.finished++
	if u.finished < u.inputs {
		return nil
	}
	err, u.err, u.finished = u.err, nil, 0
	return u.next.Finish(ctx, err)
}
