package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// IsCountStar reports whether c counts rows rather than values:
// count(*), count() or count of a non-null literal such as count(1).
func IsCountStar(c *expr.Call) bool {
	if strings.ToLower(c.Name) != "count" || c.Distinct {
		return false
	}
	if len(c.Args) == 0 {
		return true
	}
	if len(c.Args) != 1 {
		return false
	}
	switch a := c.Args[0].(type) {
	case *expr.Star:
		return len(a.Qualifier) == 0
	case *expr.Literal:
		return a.Value != nil
	}
	return false
}

// AggArgs returns the value arguments of an aggregate call: what the
// operator evaluates per row (the option arguments of first, last and
// approx_count_distinct, and the star of count(*), are not among them).
func AggArgs(c *expr.Call) []expr.Expr {
	if IsCountStar(c) {
		return nil
	}
	switch strings.ToLower(c.Name) {
	case "first", "last", "first_value", "last_value", "any_value", "approx_count_distinct":
		return c.Args[:1]
	}
	return c.Args
}

// aggResultType is the type Spark gives an aggregate call over arguments
// of the given types, or Spark's error for arguments it refuses.
func aggResultType(c *expr.Call, args []arrow.DataType) (arrow.DataType, bool, error) {
	name := strings.ToLower(c.Name)
	mismatch := func(i int, want string) error {
		return &expr.AnalysisError{Class: "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", Message: fmt.Sprintf(
			"Cannot resolve %q due to data type mismatch: The %s parameter requires the %s type, however %q has the type %q.",
			c.String(), ordinal(i), want, c.Args[i].String(), expr.SQLTypeName(args[i]))}
	}
	if c.Distinct && name != "count" && name != "sum" && name != "avg" && name != "mean" && name != "collect_set" && name != "min" && name != "max" {
		return nil, false, &expr.AnalysisError{Class: "UNSUPPORTED_FEATURE", Message: fmt.Sprintf(
			"DISTINCT is not supported in %s; use count(DISTINCT ...) or approx_count_distinct()", c.String())}
	}
	switch name {
	case "count":
		return arrow.PrimitiveTypes.Int64, false, nil
	case "approx_count_distinct":
		if len(c.Args) == 2 {
			if _, err := rsdArg(c); err != nil {
				return nil, false, err
			}
		}
		if !hashable(args[0]) {
			return nil, false, mismatch(0, `"ATOMIC"`)
		}
		return arrow.PrimitiveTypes.Int64, false, nil
	case "sum":
		switch {
		case args[0].ID() == arrow.DECIMAL128:
			return nil, false, decimalUnsupported(c)
		case isIntegral(args[0]):
			return arrow.PrimitiveTypes.Int64, true, nil
		case isFloating(args[0]) || isStringType(args[0]) || args[0].ID() == arrow.NULL:
			return arrow.PrimitiveTypes.Float64, true, nil
		}
		return nil, false, mismatch(0, `("NUMERIC" or "ANSI INTERVAL")`)
	case "avg", "mean", "stddev", "stddev_samp", "stddev_pop", "std", "variance", "var_samp", "var_pop":
		if isIntegral(args[0]) || isFloating(args[0]) || isStringType(args[0]) || args[0].ID() == arrow.NULL {
			return arrow.PrimitiveTypes.Float64, true, nil
		}
		if args[0].ID() == arrow.DECIMAL128 {
			return nil, false, decimalUnsupported(c)
		}
		if name == "avg" || name == "mean" {
			return nil, false, mismatch(0, `("NUMERIC" or "ANSI INTERVAL")`)
		}
		return nil, false, mismatch(0, `"DOUBLE"`)
	case "min", "max":
		if !orderable(args[0]) {
			return nil, false, &expr.AnalysisError{Class: "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE", Message: fmt.Sprintf(
				"Cannot resolve %q due to data type mismatch: The `%s` does not support ordering on type %q.", c.String(), name, expr.SQLTypeName(args[0]))}
		}
		return args[0], true, nil
	case "first", "last", "first_value", "last_value", "any_value":
		if len(c.Args) == 2 {
			if _, err := ignoreNullsArg(c); err != nil {
				return nil, false, err
			}
		}
		if !scalarValue(args[0]) {
			return nil, false, mismatch(0, `"ATOMIC"`)
		}
		return args[0], true, nil
	case "collect_list", "collect_set":
		if !scalarValue(args[0]) {
			return nil, false, mismatch(0, `"ATOMIC"`)
		}
		return arrow.ListOf(args[0]), false, nil
	case "bool_and", "bool_or", "every", "some":
		if args[0].ID() != arrow.BOOL {
			return nil, false, mismatch(0, `"BOOLEAN"`)
		}
		return arrow.FixedWidthTypes.Boolean, true, nil
	}
	return nil, false, &expr.AnalysisError{Class: "UNSUPPORTED_FEATURE", Message: fmt.Sprintf(
		"The aggregate function %s is not supported; use count, sum, avg, min, max, first, last, collect_list, collect_set or approx_count_distinct", name)}
}

func decimalUnsupported(c *expr.Call) error {
	return &expr.AnalysisError{Class: "UNSUPPORTED_FEATURE", Message: fmt.Sprintf(
		"%s over a DECIMAL column is not supported; cast the column to DOUBLE (or BIGINT) first, e.g. col(%q).cast(\"double\")", c.String(), c.Args[0].String())}
}

// RSD returns the relative standard deviation of an approx_count_distinct
// call (0.05 when not given).
func RSD(c *expr.Call) float64 {
	v, err := rsdArg(c)
	if err != nil {
		return 0.05
	}
	return v
}

func rsdArg(c *expr.Call) (float64, error) {
	if len(c.Args) < 2 {
		return 0.05, nil
	}
	l, ok := c.Args[1].(*expr.Literal)
	if !ok {
		l = &expr.Literal{}
	}
	var v float64
	switch x := l.Value.(type) {
	case float64:
		v = x
	case float32:
		v = float64(x)
	default:
		ok = false
	}
	if !ok {
		return 0, &expr.AnalysisError{Class: "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", Message: fmt.Sprintf(
			"Cannot resolve %q due to data type mismatch: the input `relativeSD` should be a foldable \"DOUBLE\" expression; however, got %q.", c.String(), c.Args[1].String())}
	}
	if v < 0 || v > 0.39 || v != v {
		return 0, &expr.AnalysisError{Message: fmt.Sprintf(
			"approx_count_distinct: relativeSD %g is out of range: it must be at most 0.39 (and more than 0.0017 gives at most 2^18 registers)", v)}
	}
	return v, nil
}

// IgnoreNulls reports the ignoreNulls argument of first or last.
func IgnoreNulls(c *expr.Call) bool {
	v, _ := ignoreNullsArg(c)
	return v
}

func ignoreNullsArg(c *expr.Call) (bool, error) {
	if len(c.Args) < 2 {
		return false, nil
	}
	if l, ok := c.Args[1].(*expr.Literal); ok {
		if b, ok := l.Value.(bool); ok {
			return b, nil
		}
	}
	return false, &expr.AnalysisError{Class: "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", Message: fmt.Sprintf(
		"Cannot resolve %q due to data type mismatch: the input `ignoreNulls` should be a foldable \"BOOLEAN\" expression; however, got %q.", c.String(), c.Args[1].String())}
}

func isIntegral(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

func isFloating(t arrow.DataType) bool {
	return t.ID() == arrow.FLOAT32 || t.ID() == arrow.FLOAT64
}

func isStringType(t arrow.DataType) bool {
	return t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING
}

// scalarValue reports the types the aggregation keeps values of.
func scalarValue(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.TIMESTAMP, arrow.DATE32, arrow.DECIMAL128:
		return true
	}
	return false
}

func orderable(t arrow.DataType) bool { return scalarValue(t) }

func hashable(t arrow.DataType) bool { return scalarValue(t) || t.ID() == arrow.NULL }
