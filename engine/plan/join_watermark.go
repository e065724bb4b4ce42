package plan

import (
	"math"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// A stream-stream join buffers the rows of both sides in state. The
// watermark tells which buffered rows can no longer match, as Spark's
// StreamingSymmetricHashJoinHelper works it out:
//
//   - When a join key is an event-time column (or a window over one)
//     carrying a watermark, both sides drop the rows whose key time is at or
//     before the watermark (the "state key watermark").
//   - Otherwise a side with a watermark column drops the rows at or before
//     its "state value watermark", solved from a time-range condition such
//     as leftTime >= rightTime AND leftTime <= rightTime + interval 1 hour:
//     the other side's rows older than the watermark are late, so leftTime
//     can no longer match below watermark + (the condition's offset).

// JoinSide names one input of a join.
type JoinSide int

const (
	// JoinLeft is the left input.
	JoinLeft JoinSide = iota
	// JoinRight is the right input.
	JoinRight
)

func (s JoinSide) String() string {
	if s == JoinRight {
		return "right"
	}
	return "left"
}

// TimeBound is one range condition solved for a side's time column: the
// column can no longer match at or below watermark + Micros, less one
// millisecond when the condition is inclusive (<=, >=).
type TimeBound struct {
	Micros    int64
	Inclusive bool
}

// SideEviction is how one side of a stream-stream join drops buffered rows
// once the watermark passes them.
type SideEviction struct {
	// ByKey: the join key at KeyOrdinal holds the time; a row leaves when
	// that time is at or before the watermark.
	ByKey      bool
	KeyOrdinal int
	// ByValue: column Column of the side holds the time; a row leaves when
	// it is at or before the state value watermark, the least of Bounds.
	ByValue bool
	Column  int
	Bounds  []TimeBound
	// Struct: the time is the end of a window struct.
	Struct bool
}

// ThresholdMicros is the time at or below which buffered rows leave,
// given the watermark in milliseconds; ok is false when the side keeps its
// rows for ever.
func (e SideEviction) ThresholdMicros(watermarkMs int64) (micros int64, ok bool) {
	switch {
	case e.ByKey:
		return watermarkMs * 1000, true
	case e.ByValue:
		return stateValueWatermark(e.Bounds, watermarkMs) * 1000, len(e.Bounds) > 0
	}
	return 0, false
}

func stateValueWatermark(bounds []TimeBound, watermarkMs int64) int64 {
	out := int64(math.MaxInt64)
	for _, b := range bounds {
		v := int64((float64(watermarkMs)*1000 + float64(b.Micros)) / 1000)
		if b.Inclusive {
			v--
		}
		if v < out {
			out = v
		}
	}
	return out
}

// WatermarkKeyOrdinal returns the first join key whose left or right
// expression is a column carrying a watermark, or -1.
func (j *Join) WatermarkKeyOrdinal() int {
	s := j.Spec
	for i := range s.LeftKeys {
		if watermarkColumn(s.LeftKeys[i], s.LeftSchema) >= 0 || watermarkColumn(s.RightKeys[i], s.RightSchema) >= 0 {
			return i
		}
	}
	return -1
}

// watermarkColumn returns the column e is when it is a top-level column
// that carries a watermark, else -1.
func watermarkColumn(e expr.Expr, s *arrow.Schema) int {
	ref, ok := e.(*expr.ColumnRef)
	if !ok || len(ref.Parts) != 1 {
		return -1
	}
	i := fieldIndexFold(s, ref.Parts[0])
	if i < 0 || !hasWatermark(s.Field(i)) {
		return -1
	}
	return i
}

func hasWatermark(f arrow.Field) bool {
	return f.HasMetadata() && f.Metadata.FindKey(WatermarkDelayKey) >= 0
}

func (j *Join) sideSchemas(find JoinSide) (this, other *arrow.Schema) {
	if find == JoinRight {
		return j.Spec.RightSchema, j.Spec.LeftSchema
	}
	return j.Spec.LeftSchema, j.Spec.RightSchema
}

// StateValueBounds solves the range conditions of the join for the time of
// side find, using the watermark of the other side. ok is false when no
// condition bounds it (or the other side has no watermark).
func (j *Join) StateValueBounds(find JoinSide) (bounds []TimeBound, ok bool) {
	this, other := j.sideSchemas(find)
	if EventTimeColumn(other) < 0 || j.Spec.Residual == nil {
		return nil, false
	}
	for _, c := range splitConjuncts(j.Spec.Residual) {
		b, ok := c.(*expr.Binary)
		if !ok {
			continue
		}
		var l, r expr.Expr
		inclusive := false
		switch b.Op {
		case expr.OpLt:
			l, r = b.Left, b.Right
		case expr.OpLe:
			l, r, inclusive = b.Left, b.Right, true
		case expr.OpGt:
			l, r = b.Right, b.Left
		case expr.OpGe:
			l, r, inclusive = b.Right, b.Left, true
		default:
			continue
		}
		if micros, ok := solveLessThan(l, r, this, other); ok {
			bounds = append(bounds, TimeBound{Micros: micros, Inclusive: inclusive})
		}
	}
	return bounds, len(bounds) > 0
}

// Eviction returns how side s of a stream-stream join drops state.
func (j *Join) Eviction(s JoinSide) SideEviction {
	this, _ := j.sideSchemas(s)
	if k := j.WatermarkKeyOrdinal(); k >= 0 {
		keys := j.Spec.LeftKeys
		if s == JoinRight {
			keys = j.Spec.RightKeys
		}
		b, err := expr.Bind(keys[k], this)
		isStruct := err == nil && b.Type().ID() == arrow.STRUCT
		return SideEviction{ByKey: true, KeyOrdinal: k, Struct: isStruct}
	}
	col := EventTimeColumn(this)
	if col < 0 {
		return SideEviction{}
	}
	bounds, ok := j.StateValueBounds(s)
	if !ok {
		return SideEviction{}
	}
	return SideEviction{ByValue: true, Column: col, Bounds: bounds, Struct: this.Field(col).Type.ID() == arrow.STRUCT}
}

// solveLessThan solves l < r for the one time column of schema this in
// it, as Spark's getStateWatermarkFromLessThenPredicate: l - r is split
// into terms; the column must appear negated, and every other column must
// be the other side's watermark column, which stands for the watermark. It
// returns the constant part in microseconds.
func solveLessThan(l, r expr.Expr, this, other *arrow.Schema) (int64, bool) {
	var terms []term
	if !collectTerms(&expr.Binary{Op: expr.OpSub, Left: l, Right: r}, false, &terms) {
		return 0, false
	}
	thisCols, otherCols := map[int]bool{}, map[int]bool{}
	constraint := -1
	var constant float64
	watermarks := 0
	for i, t := range terms {
		if t.col == "" {
			constant += t.signed()
			continue
		}
		if k := fieldIndexExact(this, t.col); k >= 0 {
			thisCols[k] = true
			if constraint >= 0 {
				return 0, false
			}
			constraint = i
			continue
		}
		k := fieldIndexExact(other, t.col)
		if k < 0 || !hasWatermark(other.Field(k)) {
			return 0, false
		}
		otherCols[k] = true
		if t.negate {
			watermarks--
		} else {
			watermarks++
		}
	}
	if constraint < 0 || !terms[constraint].negate || len(thisCols) > 1 || len(otherCols) > 1 || watermarks != 1 {
		return 0, false
	}
	return int64(constant), true
}

// term is one summand of a time expression: a column (col) or a constant
// in microseconds, possibly negated.
type term struct {
	col    string
	micros float64
	negate bool
}

func (t term) signed() float64 {
	if t.negate {
		return -t.micros
	}
	return t.micros
}

// collectTerms splits e into summands; false when e has a part that is not
// a sum of time columns and constants (intervals, or numbers of seconds).
func collectTerms(e expr.Expr, negate bool, out *[]term) bool {
	switch x := e.(type) {
	case *expr.Binary:
		switch x.Op {
		case expr.OpAdd:
			return collectTerms(x.Left, negate, out) && collectTerms(x.Right, negate, out)
		case expr.OpSub:
			return collectTerms(x.Left, negate, out) && collectTerms(x.Right, !negate, out)
		}
	case *expr.Unary:
		if x.Op == expr.OpNeg {
			return collectTerms(x.Child, !negate, out)
		}
	case *expr.Cast:
		if expr.IsNumeric(x.To) || x.To.ID() == arrow.TIMESTAMP {
			return collectTerms(x.Child, negate, out)
		}
	case *expr.ColumnRef:
		if len(x.Parts) != 1 {
			return false
		}
		*out = append(*out, term{col: x.Parts[0], negate: negate})
		return true
	case *expr.Literal:
		var micros float64
		switch v := x.Value.(type) {
		case arrow.Duration:
			micros = float64(v)
		case int32:
			micros = float64(v) * 1e6
		case int64:
			micros = float64(v) * 1e6
		case float64:
			micros = v * 1e6
		default:
			return false
		}
		*out = append(*out, term{micros: micros, negate: negate})
		return true
	}
	return false
}

func fieldIndexExact(s *arrow.Schema, name string) int {
	for i, f := range s.Fields() {
		if f.Name == name {
			return i
		}
	}
	return -1
}
