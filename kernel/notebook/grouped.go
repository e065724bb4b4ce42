package notebook

import "github.com/gostream/gostream/engine"

// GroupedData is a DataFrame grouped by keys (df.GroupBy(...)); Agg and the
// shortcuts return one row per group: the keys, then the aggregates.
type GroupedData struct {
	g *engine.GroupedData
	d *DataFrame
}

// GroupBy groups rows by columns: names, F.Col(...), expressions, or an
// event-time window, as in PySpark:
//
//	df.WithWatermark("Datetime", "30 seconds").
//		GroupBy(F.Window(F.Col("Datetime"), "10 seconds")).
//		Agg(F.Sum("Clicks").Alias("clicks"))
//
// F.Window(col, "10 minutes", "5 minutes") makes sliding windows and
// F.SessionWindow(col, "5 minutes") session windows. With no columns the
// whole DataFrame is one group.
func (d *DataFrame) GroupBy(cols ...any) *GroupedData {
	g := d.df.GroupBy(cols...)
	raise(g.Err())
	return &GroupedData{g: g, d: d}
}

// GroupByExpr groups rows by SQL expressions ("upper(name)",
// "window(ts, '10 seconds')").
func (d *DataFrame) GroupByExpr(exprs ...string) *GroupedData {
	g := d.df.GroupByExpr(exprs...)
	raise(g.Err())
	return &GroupedData{g: g, d: d}
}

// Agg aggregates the whole DataFrame as one group: df.Agg(F.Max("a")).
func (d *DataFrame) Agg(aggs ...any) *DataFrame { return d.wrap(d.df.Agg(aggs...)) }

// OrderBy sorts rows by columns: names, SQL strings ("window.start DESC"),
// or F.Col("n").Desc(). On a stream it needs an aggregation and the
// complete output mode.
func (d *DataFrame) OrderBy(cols ...any) *DataFrame { return d.wrap(d.df.OrderBy(cols...)) }

// Sort is OrderBy.
func (d *DataFrame) Sort(cols ...any) *DataFrame { return d.wrap(d.df.Sort(cols...)) }

// Agg computes aggregates per group: F.Count("*"), F.Sum("x").Alias("total"),
// F.Avg("y"), F.Min, F.Max, F.First, F.Last, F.CollectList, F.CollectSet,
// F.ApproxCountDistinct, F.CountDistinct (batch only), or a
// map[string]string{"column": "function"}.
func (g *GroupedData) Agg(aggs ...any) *DataFrame { return g.d.wrap(g.g.Agg(aggs...)) }

// Count counts each group's rows into a column "count".
func (g *GroupedData) Count() *DataFrame { return g.d.wrap(g.g.Count()) }

// Sum sums numeric columns per group ("sum(x)"); every numeric column that
// is not a key when none is named.
func (g *GroupedData) Sum(cols ...string) *DataFrame { return g.d.wrap(g.g.Sum(cols...)) }

// Avg averages numeric columns per group ("avg(x)").
func (g *GroupedData) Avg(cols ...string) *DataFrame { return g.d.wrap(g.g.Avg(cols...)) }

// Mean is Avg.
func (g *GroupedData) Mean(cols ...string) *DataFrame { return g.d.wrap(g.g.Mean(cols...)) }

// Min is each group's smallest value of numeric columns ("min(x)").
func (g *GroupedData) Min(cols ...string) *DataFrame { return g.d.wrap(g.g.Min(cols...)) }

// Max is each group's largest value of numeric columns ("max(x)").
func (g *GroupedData) Max(cols ...string) *DataFrame { return g.d.wrap(g.g.Max(cols...)) }

// Engine returns the engine's GroupedData, for Go code that wants errors
// returned instead of raised.
func (g *GroupedData) Engine() *engine.GroupedData { return g.g }
