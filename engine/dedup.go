package engine

import "github.com/gostream/gostream/engine/plan"

// DropDuplicates keeps the first row of each distinct combination of the
// named columns (of every column when none is named). On a stream the
// keys seen are kept in state: for ever, unless one of the named columns
// is an event-time column with a watermark, whose rows then leave the
// state once the watermark passes them; rows at or before the watermark
// are dropped as late.
func (df *DataFrame) DropDuplicates(cols ...string) *DataFrame {
	return df.derive("dropDuplicates", func() (plan.Node, error) {
		return &plan.Deduplicate{Child: df.plan, Keys: append([]string(nil), cols...)}, nil
	})
}

// DropDuplicatesWithinWatermark drops the rows of a stream whose key (the
// named columns, or every column) was seen within the watermark delay:
// each key is remembered until the watermark passes the event time of its
// first row plus the delay. The stream needs a watermark (WithWatermark);
// a batch query refuses it, as Spark does.
func (df *DataFrame) DropDuplicatesWithinWatermark(cols ...string) *DataFrame {
	return df.derive("dropDuplicatesWithinWatermark", func() (plan.Node, error) {
		return &plan.Deduplicate{Child: df.plan, Keys: append([]string(nil), cols...), WithinWatermark: true}, nil
	})
}

// Distinct keeps one row of each distinct row (DropDuplicates on every
// column).
func (df *DataFrame) Distinct() *DataFrame {
	return df.derive("distinct", func() (plan.Node, error) {
		return &plan.Deduplicate{Child: df.plan}, nil
	})
}
