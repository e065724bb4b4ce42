package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// JoinType is how a join treats rows without a match.
type JoinType int

const (
	// Inner keeps matching pairs only.
	Inner JoinType = iota
	// LeftOuter also keeps unmatched left rows, with nulls on the right.
	LeftOuter
	// RightOuter also keeps unmatched right rows, with nulls on the left.
	RightOuter
	// FullOuter keeps unmatched rows of both sides.
	FullOuter
	// LeftSemi keeps the left rows that have a match, once each.
	LeftSemi
	// LeftAnti keeps the left rows that have no match.
	LeftAnti
	// Cross is the cartesian product (an inner join, explicitly asked for).
	Cross
)

// joinTypeNames are the names ParseJoinType accepts, in the order Spark
// lists them.
var joinTypeNames = []string{"inner", "outer", "full", "fullouter", "full_outer", "leftouter", "left", "left_outer",
	"rightouter", "right", "right_outer", "leftsemi", "left_semi", "semi", "leftanti", "left_anti", "anti", "cross"}

// ParseJoinType reads a join type as DataFrame.join takes it: "inner",
// "left", "left_outer", "leftouter", "right", "full", "outer", "semi",
// "left_semi", "anti", "left_anti", "cross", ... (case and underscores
// ignored).
func ParseJoinType(s string) (JoinType, error) {
	switch strings.ReplaceAll(strings.ToLower(s), "_", "") {
	case "inner":
		return Inner, nil
	case "outer", "full", "fullouter":
		return FullOuter, nil
	case "leftouter", "left":
		return LeftOuter, nil
	case "rightouter", "right":
		return RightOuter, nil
	case "leftsemi", "semi":
		return LeftSemi, nil
	case "leftanti", "anti":
		return LeftAnti, nil
	case "cross":
		return Cross, nil
	}
	return Inner, fmt.Errorf("Unsupported join type '%s'. Supported join types include: '%s'.", s, strings.Join(joinTypeNames, "', '"))
}

// String is the type as Spark prints it in plans and messages: "Inner",
// "LeftOuter", ...
func (t JoinType) String() string {
	switch t {
	case LeftOuter:
		return "LeftOuter"
	case RightOuter:
		return "RightOuter"
	case FullOuter:
		return "FullOuter"
	case LeftSemi:
		return "LeftSemi"
	case LeftAnti:
		return "LeftAnti"
	case Cross:
		return "Cross"
	}
	return "Inner"
}

// KeepsRightColumns reports whether the join's output has the right side's
// columns (every type but semi and anti joins).
func (t JoinType) KeepsRightColumns() bool { return t != LeftSemi && t != LeftAnti }

// Join combines the rows of Left and Right (DataFrame.join). The rows to
// pair are given by Cond, a boolean expression over the columns of both
// sides (nil: every pair), or by Using, names of columns both sides have
// (a using-join: pairs with equal values, one output column per name).
//
// The analyzer resolves the node into Spec and Out. The output columns
// are the left ones followed by the right ones, duplicates and all, as in
// Spark; semi and anti joins output the left columns only; a using-join
// outputs the key columns first.
type Join struct {
	Left, Right Node
	Type        JoinType
	Cond        expr.Expr
	Using       []string
	// UniqueNames gives output columns that share a name (an "id" of each
	// side) distinct names, name#<position>, so that a projection over
	// the join can tell them apart (see resolveJoinColumns).
	UniqueNames bool
	Spec        *JoinSpec
	Out         *arrow.Schema
}

// JoinSpec is a resolved join, ready to execute. Column names inside it
// are those of LeftSchema and RightSchema: the sides' own names, except
// that a name both sides have is made unique ("id#L0", "id#R0"), so every
// expression refers to one column.
type JoinSpec struct {
	LeftSchema, RightSchema *arrow.Schema
	// LeftKeys[i] = RightKeys[i] are the equality conditions, each side's
	// expression over its own schema, both of the same type. NullSafe[i]
	// marks "<=>", which pairs nulls with nulls; "=" never pairs a null.
	LeftKeys, RightKeys []expr.Expr
	NullSafe            []bool
	// Residual is the rest of the condition, over PairSchema; nil when the
	// keys say everything.
	Residual expr.Expr
	// Output computes the join's columns from a pair row (PairSchema), or
	// from a left row (LeftSchema) for semi and anti joins.
	Output []expr.Expr
}

// PairSchema is the schema of a joined pair: the left columns then the
// right ones, each nullable where the join type can fill it with nulls.
func (s *JoinSpec) PairSchema(t JoinType) *arrow.Schema {
	fields := make([]arrow.Field, 0, s.LeftSchema.NumFields()+s.RightSchema.NumFields())
	for _, f := range s.LeftSchema.Fields() {
		f.Nullable = f.Nullable || t == RightOuter || t == FullOuter
		fields = append(fields, f)
	}
	for _, f := range s.RightSchema.Fields() {
		f.Nullable = f.Nullable || t == LeftOuter || t == FullOuter
		fields = append(fields, f)
	}
	return arrow.NewSchema(fields, nil)
}

// OutputInput is the schema Output is evaluated against: PairSchema, or
// LeftSchema for semi and anti joins.
func (s *JoinSpec) OutputInput(t JoinType) *arrow.Schema {
	if !t.KeepsRightColumns() {
		return s.LeftSchema
	}
	return s.PairSchema(t)
}

func (j *Join) Schema() *arrow.Schema { return j.Out }
func (j *Join) Resolved() bool        { return j.Out != nil }
func (j *Join) Children() []Node      { return []Node{j.Left, j.Right} }
func (j *Join) WithChildren(c ...Node) Node {
	checkArity(j, c, 2)
	cp := *j
	cp.Left, cp.Right = c[0], c[1]
	cp.Spec, cp.Out = nil, nil
	return &cp
}

func (j *Join) String() string {
	switch {
	case len(j.Using) > 0:
		return fmt.Sprintf("Join UsingJoin(%s, [%s])", j.Type, strings.Join(j.Using, ", "))
	case j.Cond != nil:
		return fmt.Sprintf("Join %s, %s", j.Type, j.Cond)
	}
	return "Join " + j.Type.String()
}

// IsStreamStream reports whether both sides of j read streams.
func (j *Join) IsStreamStream() bool { return IsStreaming(j.Left) && IsStreaming(j.Right) }

// SplitResidual splits the residual condition into the conjuncts over the
// left columns only, those over the right columns only, and the rest; nil
// where there is none. A stream-stream join checks the one-sided parts
// before buffering a row.
func (s *JoinSpec) SplitResidual() (left, right, both expr.Expr) {
	if s.Residual == nil {
		return nil, nil, nil
	}
	var l, r, b []expr.Expr
	for _, c := range splitConjuncts(s.Residual) {
		inL, inR := false, false
		expr.Walk(c, func(x expr.Expr) bool {
			if ref, ok := x.(*expr.ColumnRef); ok && len(ref.Parts) > 0 {
				if fieldIndexExact(s.LeftSchema, ref.Parts[0]) >= 0 {
					inL = true
				} else {
					inR = true
				}
			}
			return true
		})
		switch {
		case inL && !inR:
			l = append(l, c)
		case inR && !inL:
			r = append(r, c)
		default:
			b = append(b, c)
		}
	}
	return andAll(l), andAll(r), andAll(b)
}
