package plan

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// Aggregate groups the rows of Child by Keys and computes Aggs over each
// group (groupBy(keys).agg(aggs); no keys is one group over all rows).
// Keys may be column references, expressions, window(...) or
// session_window(...). The output is the keys followed by the aggs.
//
// The analyzer fills the fields after Out: the distinct aggregate calls
// the operator computes, and Results, the Aggs rewritten to refer to the
// keys and calls by the internal column names of the operator's output
// (keys by their output names, calls as AggColumn(i)).
type Aggregate struct {
	Child Node
	Keys  []expr.Expr
	Aggs  []expr.Expr
	Out   *arrow.Schema

	// Calls are the distinct aggregate function calls of Aggs, in order of
	// first appearance.
	Calls []AggCall
	// KeyFields are the key columns the operator produces (names, types,
	// and the watermark marker of event-time keys).
	KeyFields []arrow.Field
	// Results are Aggs over the operator's output: KeyFields then one
	// column per call named AggColumn(i).
	Results []expr.Expr
}

// AggCall is one aggregate function call with its result type.
type AggCall struct {
	Call     *expr.Call
	Type     arrow.DataType
	Nullable bool
}

// AggColumn is the internal name of the i-th aggregate call's column.
func AggColumn(i int) string { return fmt.Sprintf("_agg%d", i) }

// GroupingNames returns the output names of the grouping columns, which
// come first in the output; nil before the analyzer resolved the node.
func (a *Aggregate) GroupingNames() []string {
	names := make([]string, len(a.KeyFields))
	for i, f := range a.KeyFields {
		names[i] = f.Name
	}
	return names
}

func (a *Aggregate) Schema() *arrow.Schema { return a.Out }
func (a *Aggregate) Resolved() bool        { return a.Out != nil }
func (a *Aggregate) Children() []Node      { return []Node{a.Child} }
func (a *Aggregate) WithChildren(c ...Node) Node {
	checkArity(a, c, 1)
	cp := *a
	cp.Child = c[0]
	cp.Out, cp.Calls, cp.KeyFields, cp.Results = nil, nil, nil, nil
	return &cp
}

func (a *Aggregate) String() string {
	return "Aggregate " + exprList(a.Keys) + ", " + exprList(a.aggOutputs())
}

// aggOutputs is what Spark lists as the aggregate expressions: the keys
// then the aggs.
func (a *Aggregate) aggOutputs() []expr.Expr {
	return append(append([]expr.Expr(nil), a.Keys...), a.Aggs...)
}

// KeyedOnWatermark reports whether a key is an event-time column or a
// time window over one that carries a watermark.
func (a *Aggregate) KeyedOnWatermark() bool { return a.EventTimeKey() >= 0 }

// EventTimeKey is the index of the key that carries the watermark, -1
// when none does.
func (a *Aggregate) EventTimeKey() int {
	for i, f := range a.KeyFields {
		if f.HasMetadata() && f.Metadata.FindKey(WatermarkDelayKey) >= 0 {
			return i
		}
	}
	return -1
}

// HasDistinct reports whether an aggregate call is DISTINCT.
func (a *Aggregate) HasDistinct() bool {
	for _, c := range a.Calls {
		if c.Call.Distinct {
			return true
		}
	}
	return false
}

// TimeWindowKey returns the window(...) or session_window(...) call among
// the keys and its index; -1 when there is none.
func (a *Aggregate) TimeWindowKey() (*expr.Call, int) {
	for i, k := range a.Keys {
		if c, ok := stripAlias(k).(*expr.Call); ok && expr.IsTimeWindow(c.Name) {
			return c, i
		}
	}
	return nil, -1
}

func stripAlias(e expr.Expr) expr.Expr {
	for {
		a, ok := e.(*expr.Alias)
		if !ok {
			return e
		}
		e = a.Child
	}
}
