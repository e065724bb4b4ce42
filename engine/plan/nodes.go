package plan

import (
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// Relation is a leaf: the rows of Source, batch or streaming.
type Relation struct {
	Source    Source
	Out       *arrow.Schema
	Streaming bool
}

func (r *Relation) Schema() *arrow.Schema       { return r.Out }
func (r *Relation) Resolved() bool              { return r.Out != nil }
func (r *Relation) Children() []Node            { return nil }
func (r *Relation) WithChildren(c ...Node) Node { checkArity(r, c, 0); return r }
func (r *Relation) String() string {
	if r.Streaming {
		return fmt.Sprintf("StreamingRelation %s, %s", r.Source, columnList(r.Out))
	}
	return fmt.Sprintf("%s %s", r.Source, columnList(r.Out))
}

// Project computes Exprs over every row of Child (select, withColumn,
// drop, ...). Out is set by the analyzer.
type Project struct {
	Child Node
	Exprs []expr.Expr
	Out   *arrow.Schema
}

func (p *Project) Schema() *arrow.Schema { return p.Out }
func (p *Project) Resolved() bool        { return p.Out != nil }
func (p *Project) Children() []Node      { return []Node{p.Child} }
func (p *Project) WithChildren(c ...Node) Node {
	checkArity(p, c, 1)
	cp := *p
	cp.Child = c[0]
	cp.Out = nil
	return &cp
}
func (p *Project) String() string { return "Project " + exprList(p.Exprs) }

// Filter keeps the rows of Child for which Cond is true (null and false
// rows are dropped).
type Filter struct {
	Child Node
	Cond  expr.Expr
	// Checked is set by the analyzer once Cond resolves to a boolean.
	Checked bool
}

func (f *Filter) Schema() *arrow.Schema {
	if !f.Checked {
		return nil
	}
	return f.Child.Schema()
}
func (f *Filter) Resolved() bool   { return f.Checked }
func (f *Filter) Children() []Node { return []Node{f.Child} }
func (f *Filter) WithChildren(c ...Node) Node {
	checkArity(f, c, 1)
	cp := *f
	cp.Child = c[0]
	cp.Checked = false
	return &cp
}
func (f *Filter) String() string { return "Filter " + f.Cond.String() }

// Union concatenates the rows of its inputs, matched by position. The
// analyzer turns unionByName into a positional Union over projections.
type Union struct {
	Inputs []Node
	// ByName matches columns by name instead of position
	// (unionByName); AllowMissing fills absent columns with nulls.
	ByName, AllowMissing bool
	Out                  *arrow.Schema
}

func (u *Union) Schema() *arrow.Schema { return u.Out }
func (u *Union) Resolved() bool        { return u.Out != nil }
func (u *Union) Children() []Node      { return u.Inputs }
func (u *Union) WithChildren(c ...Node) Node {
	checkArity(u, c, len(u.Inputs))
	cp := *u
	cp.Inputs = append([]Node(nil), c...)
	cp.Out = nil
	return &cp
}
func (u *Union) String() string {
	if u.ByName {
		return fmt.Sprintf("Union false, %t", u.AllowMissing)
	}
	return "Union"
}

// Limit keeps the first N rows of Child.
type Limit struct {
	Child Node
	N     int64
}

func (l *Limit) Schema() *arrow.Schema { return l.Child.Schema() }
func (l *Limit) Resolved() bool        { return l.Child.Resolved() }
func (l *Limit) Children() []Node      { return []Node{l.Child} }
func (l *Limit) WithChildren(c ...Node) Node {
	checkArity(l, c, 1)
	cp := *l
	cp.Child = c[0]
	return &cp
}
func (l *Limit) String() string { return fmt.Sprintf("GlobalLimit %d", l.N) }

// WatermarkDelayKey is the field metadata key that marks the event-time
// column of an EventTimeWatermark, as Spark does; its value is the delay
// in milliseconds.
const WatermarkDelayKey = "spark.watermarkDelayMs"

// EventTimeWatermark passes rows through and declares Column the event
// time of the stream with the given lateness Delay (withWatermark).
type EventTimeWatermark struct {
	Child  Node
	Column string
	Delay  time.Duration
	Out    *arrow.Schema
}

func (w *EventTimeWatermark) Schema() *arrow.Schema { return w.Out }
func (w *EventTimeWatermark) Resolved() bool        { return w.Out != nil }
func (w *EventTimeWatermark) Children() []Node      { return []Node{w.Child} }
func (w *EventTimeWatermark) WithChildren(c ...Node) Node {
	checkArity(w, c, 1)
	cp := *w
	cp.Child = c[0]
	cp.Out = nil
	return &cp
}
func (w *EventTimeWatermark) String() string {
	return fmt.Sprintf("EventTimeWatermark %s, %s", w.Column, formatDelay(w.Delay))
}

// SubqueryAlias names its child (DataFrame.alias) so that columns can be
// qualified with the name: col("t.a").
type SubqueryAlias struct {
	Child Node
	Name  string
}

func (a *SubqueryAlias) Schema() *arrow.Schema { return a.Child.Schema() }
func (a *SubqueryAlias) Resolved() bool        { return a.Child.Resolved() }
func (a *SubqueryAlias) Children() []Node      { return []Node{a.Child} }
func (a *SubqueryAlias) WithChildren(c ...Node) Node {
	checkArity(a, c, 1)
	cp := *a
	cp.Child = c[0]
	return &cp
}
func (a *SubqueryAlias) String() string { return "SubqueryAlias " + a.Name }

func checkArity(n Node, c []Node, want int) {
	if len(c) != want {
		panic(fmt.Sprintf("plan: %T.WithChildren got %d children, want %d", n, len(c), want))
	}
}

func exprList(es []expr.Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// formatDelay renders a delay as Spark prints intervals: "10 seconds".
func formatDelay(d time.Duration) string {
	units := []struct {
		name string
		size time.Duration
	}{{"days", 24 * time.Hour}, {"hours", time.Hour}, {"minutes", time.Minute}, {"seconds", time.Second}, {"milliseconds", time.Millisecond}, {"microseconds", time.Microsecond}}
	if d == 0 {
		return "0 seconds"
	}
	var parts []string
	for _, u := range units {
		if n := d / u.size; n != 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, u.name))
			d -= n * u.size
		}
	}
	return strings.Join(parts, " ")
}

// Generate turns each row of Child into one row per element of the array
// (or entry of the map) that Generator yields (explode): the child's
// columns followed by the generated ones, named Names (col for arrays;
// key, value for maps). Outer keeps rows whose array is null or empty,
// with nulls (explode_outer).
type Generate struct {
	Child     Node
	Generator expr.Expr // the array or map argument of the generator call
	Func      string    // explode or explode_outer
	Outer     bool
	Names     []string
	Out       *arrow.Schema
}

func (g *Generate) Schema() *arrow.Schema { return g.Out }
func (g *Generate) Resolved() bool        { return g.Out != nil }
func (g *Generate) Children() []Node      { return []Node{g.Child} }
func (g *Generate) WithChildren(c ...Node) Node {
	checkArity(g, c, 1)
	cp := *g
	cp.Child = c[0]
	return &cp
}
func (g *Generate) String() string {
	return fmt.Sprintf("Generate %s(%s), %t, [%s]", g.Func, g.Generator, g.Outer, strings.Join(g.Names, ", "))
}
