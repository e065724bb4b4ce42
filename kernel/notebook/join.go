package notebook

import "github.com/gostream/gostream/engine"

// Join joins with other, as PySpark's df.join(other, on, how): on is nil,
// a column name or a []string of names both sides have (a using-join, one
// output column per name), a Column condition
// (F.Col("player").EqualTo(F.Col("name")), F.Expr("player = name")) or a
// SQL condition string; how is "inner" (default), "left", "left_outer",
// "right", "right_outer", "full", "outer", "left_semi", "semi",
// "left_anti", "anti" or "cross".
//
//	enriched := events.Join(players, F.Expr("player = name"), "left_outer")
func (d *DataFrame) Join(other *DataFrame, on any, how ...string) *DataFrame {
	var o *engine.DataFrame
	if other != nil {
		o = other.df
	}
	return d.wrap(d.df.Join(o, on, how...))
}

// CrossJoin returns the cartesian product with other.
func (d *DataFrame) CrossJoin(other *DataFrame) *DataFrame { return d.Join(other, nil, "cross") }

// DropDuplicates keeps the first row of each distinct value of the named
// columns (all columns when none is named). On a stream the keys seen are
// kept in state: for ever, unless a named column carries a watermark.
func (d *DataFrame) DropDuplicates(cols ...string) *DataFrame {
	return d.wrap(d.df.DropDuplicates(cols...))
}

// DropDuplicatesWithinWatermark drops the rows of a stream whose key was
// seen within the watermark delay of the key's first row.
func (d *DataFrame) DropDuplicatesWithinWatermark(cols ...string) *DataFrame {
	return d.wrap(d.df.DropDuplicatesWithinWatermark(cols...))
}

// Distinct keeps one of each distinct row.
func (d *DataFrame) Distinct() *DataFrame { return d.wrap(d.df.Distinct()) }
