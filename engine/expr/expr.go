// Package expr owns column expressions: the immutable tree that the public
// Column API and SQL expression strings both build, name resolution and type
// inference against an Arrow schema (Bind), and the compiled, vectorised
// evaluators that run over whole Arrow record batches.
//
// It knows nothing of plans, sources or sinks. Aggregate and generator calls
// (sum, count, explode, window, ...) are ordinary Call nodes here; the planner
// decides where they may appear and the executor runs them.
package expr

import (
	"context"

	"github.com/apache/arrow/go/v15/arrow"
)

// Expr is a node of an expression tree. Nodes are immutable values: rewrite
// a tree with WithChildren rather than by mutating it.
type Expr interface {
	// String renders the expression as Spark names an unaliased column
	// (e.g. "(a + 1)", "upper(name)", "CAST(x AS INT)").
	String() string
	Children() []Expr
	// WithChildren returns a copy of the node with its children replaced; it
	// panics when given a different number of children than Children returns.
	WithChildren(children ...Expr) Expr
}

// ColumnRef names a column, possibly a nested field path: "a", "a.b.c".
// Parts holds the path split on unquoted dots; backticks quote a part.
type ColumnRef struct {
	Parts []string
}

// Star is "*" or "qualifier.*". With a qualifier naming a struct column it
// expands to that struct's fields (select("Analytics.*")).
type Star struct {
	Qualifier []string
}

// Literal is a constant. Value is a Go value matching Type: nil (null), bool,
// int32, int64, float32, float64, string, []byte, arrow.Timestamp
// (microseconds, UTC), arrow.Date32, decimal128.Num.
type Literal struct {
	Value any
	Type  arrow.DataType
}

// Alias names the result of Child.
type Alias struct {
	Child Expr
	Name  string
}

// Cast converts Child to To, following Spark's cast rules (invalid input
// becomes null, as with spark.sql.ansi.enabled=false).
type Cast struct {
	Child Expr
	To    arrow.DataType
}

// BinaryOp is an infix operator.
type BinaryOp string

const (
	OpAdd BinaryOp = "+"
	OpSub BinaryOp = "-"
	OpMul BinaryOp = "*"
	OpDiv BinaryOp = "/"
	OpMod BinaryOp = "%"
	OpEq  BinaryOp = "="
	OpNeq BinaryOp = "!="
	// OpEqNullSafe is "<=>": null <=> null is true.
	OpEqNullSafe BinaryOp = "<=>"
	OpLt         BinaryOp = "<"
	OpLe         BinaryOp = "<="
	OpGt         BinaryOp = ">"
	OpGe         BinaryOp = ">="
	OpAnd        BinaryOp = "AND"
	OpOr         BinaryOp = "OR"
)

// Binary applies Op to Left and Right.
type Binary struct {
	Op          BinaryOp
	Left, Right Expr
}

// UnaryOp is a prefix or postfix operator.
type UnaryOp string

const (
	OpNot       UnaryOp = "NOT"
	OpNeg       UnaryOp = "-"
	OpIsNull    UnaryOp = "IS NULL"
	OpIsNotNull UnaryOp = "IS NOT NULL"
)

// Unary applies Op to Child.
type Unary struct {
	Op    UnaryOp
	Child Expr
}

// Call is a function call by its Spark name (lower case): "upper",
// "regexp_extract", "sum", "window", "from_json", ... Distinct is set for
// count(DISTINCT x).
type Call struct {
	Name     string
	Args     []Expr
	Distinct bool
}

// When is one branch of a CaseWhen.
type When struct {
	Cond, Value Expr
}

// CaseWhen is CASE WHEN ... THEN ... ELSE ... END and when().otherwise().
// Else is nil when absent (null).
type CaseWhen struct {
	Branches []When
	Else     Expr
}

// In is "Child IN (List...)" (isin).
type In struct {
	Child Expr
	List  []Expr
}

// Like is "Child LIKE Pattern" (RLike for RLIKE / rlike()).
type Like struct {
	Child   Expr
	Pattern string
	RLike   bool
}

// SortOrder wraps a sort key for orderBy: asc/desc, nulls first/last.
type SortOrder struct {
	Child      Expr
	Descending bool
	NullsFirst bool
}

// Bound is an expression resolved against one input schema: every name found,
// every type known. It is compiled once per query and evaluated per batch.
type Bound interface {
	// Type is the result type; Nullable reports whether it may be null.
	Type() arrow.DataType
	Nullable() bool
	// Name is the output column name (the alias, or Spark's rendering).
	Name() string
	// Eval computes the expression for every row of rec. The caller releases
	// the returned array.
	Eval(ctx context.Context, rec arrow.Record) (arrow.Array, error)
}
