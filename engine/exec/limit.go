package exec

import (
	"context"

	"github.com/apache/arrow/go/v15/arrow"
)

// Limit forwards the first n rows it sees and drops the rest.
type Limit struct {
	forward
	left int64
}

// NewLimit returns a limit of n rows.
func NewLimit(n int64, next Operator) *Limit {
	return &Limit{forward: forward{next}, left: n}
}

func (l *Limit) Process(ctx context.Context, rec arrow.Record) error {
	if l.left <= 0 {
		return nil
	}
	n := rec.NumRows()
	if n <= l.left {
		l.left -= n
		return l.next.Process(ctx, rec)
	}
	out := rec.NewSlice(0, l.left)
	defer out.Release()
	l.left = 0
	return l.next.Process(ctx, out)
}
