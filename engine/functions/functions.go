package functions

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/sqlparse"
)

func callCols(name string, args ...expr.Expr) Column {
	return wrap(&expr.Call{Name: name, Args: args})
}

func callAny(name string, cols ...any) Column { return callCols(name, colExprs(cols)...) }

func lits(vs ...any) []expr.Expr {
	out := make([]expr.Expr, len(vs))
	for i, v := range vs {
		out[i] = expr.NewLiteral(v)
	}
	return out
}

// Col refers to a column by name: "a", "a.b" (struct field), "`a.b`"
// (a name with a dot), "*" or "s.*".
func Col(name string) Column { return wrap(nameExpr(name)) }

// Lit is a constant column. Go ints become INT when they fit in 32 bits
// and BIGINT otherwise; float64 is DOUBLE, time.Time TIMESTAMP, nil NULL.
// A Column is returned as is.
func Lit(v any) Column { return wrap(litExpr(v)) }

// Expr parses a SQL expression: F.Expr("a + 1"), F.Expr("upper(s) AS u").
func Expr(sql string) Column {
	e, err := sqlparse.ParseSelectItem(sql)
	if err != nil {
		return wrap(&expr.Invalid{Err: err})
	}
	return wrap(e)
}

// When starts a CASE WHEN: F.When(cond, v).When(cond2, v2).Otherwise(v3).
func When(condition, value any) Column {
	return wrap(&expr.CaseWhen{Branches: []expr.When{{Cond: litExpr(condition), Value: litExpr(value)}}})
}

// Coalesce returns the first non-null argument.
func Coalesce(cols ...any) Column { return callAny("coalesce", cols...) }

// IsNull tests for null.
func IsNull(col any) Column { return wrap(&expr.Unary{Op: expr.OpIsNull, Child: colExpr(col)}) }

// IsNaN tests for NaN.
func IsNaN(col any) Column { return callAny("isnan", col) }

// ---- strings ----

// Length is the number of characters (bytes for binary).
func Length(col any) Column { return callAny("length", col) }

// Upper converts to upper case.
func Upper(col any) Column { return callAny("upper", col) }

// Lower converts to lower case.
func Lower(col any) Column { return callAny("lower", col) }

// Trim removes leading and trailing spaces.
func Trim(col any) Column { return callAny("trim", col) }

// Ltrim removes leading spaces.
func Ltrim(col any) Column { return callAny("ltrim", col) }

// Rtrim removes trailing spaces.
func Rtrim(col any) Column { return callAny("rtrim", col) }

// Concat joins strings; null when any input is null.
func Concat(cols ...any) Column { return callAny("concat", cols...) }

// ConcatWs joins strings with sep, skipping nulls.
func ConcatWs(sep string, cols ...any) Column {
	return callCols("concat_ws", append([]expr.Expr{expr.NewLiteral(sep)}, colExprs(cols)...)...)
}

// Substring takes length characters from pos (1-based; negative counts
// from the end).
func Substring(col any, pos, length int) Column {
	return callCols("substring", append([]expr.Expr{colExpr(col)}, lits(pos, length)...)...)
}

// Split splits around matches of a regular expression; limit > 0 caps the
// number of parts.
func Split(col any, pattern string, limit ...int) Column {
	l := -1
	if len(limit) > 0 {
		l = limit[0]
	}
	return callCols("split", colExpr(col), expr.NewLiteral(pattern), expr.NewLiteral(l))
}

// RegexpExtract returns group idx of the first match, or "".
func RegexpExtract(col any, pattern string, idx int) Column {
	return callCols("regexp_extract", colExpr(col), expr.NewLiteral(pattern), expr.NewLiteral(idx))
}

// RegexpReplace replaces every match; the replacement may use $1.
func RegexpReplace(col any, pattern, replacement any) Column {
	return callCols("regexp_replace", colExpr(col), litExpr(pattern), litExpr(replacement))
}

// ---- date and time ----

// CurrentTimestamp is the micro-batch's timestamp.
func CurrentTimestamp() Column { return callCols("current_timestamp") }

// CurrentDate is the micro-batch's date.
func CurrentDate() Column { return callCols("current_date") }

// ToTimestamp parses strings as timestamps, leniently without a format,
// with a Java datetime pattern otherwise.
func ToTimestamp(col any, format ...string) Column {
	args := []expr.Expr{colExpr(col)}
	if len(format) > 0 {
		args = append(args, expr.NewLiteral(format[0]))
	}
	return callCols("to_timestamp", args...)
}

// ToDate converts to a date, with an optional Java datetime pattern.
func ToDate(col any, format ...string) Column {
	args := []expr.Expr{colExpr(col)}
	if len(format) > 0 {
		args = append(args, expr.NewLiteral(format[0]))
	}
	return callCols("to_date", args...)
}

// DateFormat renders a timestamp with a Java datetime pattern.
func DateFormat(col any, format string) Column {
	return callCols("date_format", colExpr(col), expr.NewLiteral(format))
}

// UnixTimestamp is seconds since the epoch: of now (no arguments), of a
// timestamp, or of a string parsed with a pattern (default
// "yyyy-MM-dd HH:mm:ss").
func UnixTimestamp(args ...any) Column {
	switch len(args) {
	case 0:
		return callCols("unix_timestamp")
	case 1:
		return callCols("unix_timestamp", colExpr(args[0]))
	}
	return callCols("unix_timestamp", colExpr(args[0]), litExpr(args[1]))
}

// FromUnixtime renders seconds since the epoch with a pattern (default
// "yyyy-MM-dd HH:mm:ss").
func FromUnixtime(col any, format ...string) Column {
	args := []expr.Expr{colExpr(col)}
	if len(format) > 0 {
		args = append(args, expr.NewLiteral(format[0]))
	}
	return callCols("from_unixtime", args...)
}

// Year extracts the year.
func Year(col any) Column { return callAny("year", col) }

// Month extracts the month (1-12).
func Month(col any) Column { return callAny("month", col) }

// DayOfMonth extracts the day of the month.
func DayOfMonth(col any) Column { return callAny("dayofmonth", col) }

// Hour extracts the hour.
func Hour(col any) Column { return callAny("hour", col) }

// Minute extracts the minute.
func Minute(col any) Column { return callAny("minute", col) }

// Second extracts the second.
func Second(col any) Column { return callAny("second", col) }

// ---- math ----

// Abs is the absolute value.
func Abs(col any) Column { return callAny("abs", col) }

// Round rounds half up to scale decimal places (default 0).
func Round(col any, scale ...int) Column {
	s := 0
	if len(scale) > 0 {
		s = scale[0]
	}
	return callCols("round", colExpr(col), expr.NewLiteral(s))
}

// Floor rounds down to a BIGINT.
func Floor(col any) Column { return callAny("floor", col) }

// Ceil rounds up to a BIGINT.
func Ceil(col any) Column { return callAny("ceil", col) }

// Sqrt is the square root.
func Sqrt(col any) Column { return callAny("sqrt", col) }

// Pow raises base to exp; either may be a column name, Column or number.
func Pow(base, exp any) Column { return callCols("pow", numArg(base), numArg(exp)) }

// numArg reads a "column or number" argument: strings name columns.
func numArg(v any) expr.Expr {
	if _, ok := v.(string); ok {
		return colExpr(v)
	}
	return litExpr(v)
}

// Greatest is the largest non-null argument.
func Greatest(cols ...any) Column { return callAny("greatest", cols...) }

// Least is the smallest non-null argument.
func Least(cols ...any) Column { return callAny("least", cols...) }

// ---- JSON ----

// FromJSON parses JSON strings with a schema given as DDL ("a INT, b
// STRING", "array<int>") or an arrow.DataType. Malformed JSON gives a
// struct of nulls, as Spark 3 does in PERMISSIVE mode.
func FromJSON(col any, schema any) Column {
	var ddl string
	switch s := schema.(type) {
	case string:
		ddl = s
	case *arrow.Schema:
		ddl = expr.SimpleTypeName(arrow.StructOf(s.Fields()...))
	case arrow.DataType:
		ddl = expr.SimpleTypeName(s)
	default:
		return invalid("[INVALID_SCHEMA.NON_STRING_LITERAL] from_json takes the schema as a DDL string or a DataType, got %T", schema)
	}
	return callCols("from_json", colExpr(col), expr.NewLiteral(ddl))
}

// ToJSON renders a struct, array or map as JSON.
func ToJSON(col any) Column { return callAny("to_json", col) }

// GetJSONObject extracts the JSON path ($.a.b[0]) from JSON strings.
func GetJSONObject(col any, path string) Column {
	return callCols("get_json_object", colExpr(col), expr.NewLiteral(path))
}

// ---- collections ----

// Struct builds a struct from columns, each field named after its column.
func Struct(cols ...any) Column { return callAny("struct", spread(cols)...) }

// Array builds an array from columns.
func Array(cols ...any) Column { return callAny("array", spread(cols)...) }

// ElementAt is the 1-based array element (negative from the end) or the
// map value for a key.
func ElementAt(col any, extraction any) Column {
	return callCols("element_at", colExpr(col), litExpr(extraction))
}

// Size is the length of an array or map (-1 for null).
func Size(col any) Column { return callAny("size", col) }

// ArrayContains tests whether an array holds value.
func ArrayContains(col any, value any) Column {
	return callCols("array_contains", colExpr(col), litExpr(value))
}

// ---- generators ----

// Explode makes a row per array element (column "col") or map entry
// ("key", "value").
func Explode(col any) Column { return callAny("explode", col) }

// ExplodeOuter is Explode that keeps null and empty arrays as a null row.
func ExplodeOuter(col any) Column { return callAny("explode_outer", col) }

// PosExplode is Explode with the element position ("pos", "col").
func PosExplode(col any) Column { return callAny("posexplode", col) }

// ---- aggregates ----

// Sum adds up the values of a group.
func Sum(col any) Column { return callAny("sum", col) }

// Count counts non-null values; Count("*") counts rows.
func Count(col any) Column { return callAny("count", col) }

// CountDistinct counts distinct non-null combinations of the columns.
func CountDistinct(col any, cols ...any) Column {
	return wrap(&expr.Call{Name: "count", Args: colExprs(append([]any{col}, cols...)), Distinct: true})
}

// Avg is the mean of a group.
func Avg(col any) Column { return callAny("avg", col) }

// Mean is Avg.
func Mean(col any) Column { return Avg(col) }

// Min is the smallest value of a group.
func Min(col any) Column { return callAny("min", col) }

// Max is the largest value of a group.
func Max(col any) Column { return callAny("max", col) }

// First is the first value of a group; ignoreNulls skips nulls.
func First(col any, ignoreNulls ...bool) Column {
	if len(ignoreNulls) > 0 && ignoreNulls[0] {
		return callCols("first", colExpr(col), expr.NewLiteral(true))
	}
	return callAny("first", col)
}

// Last is the last value of a group; ignoreNulls skips nulls.
func Last(col any, ignoreNulls ...bool) Column {
	if len(ignoreNulls) > 0 && ignoreNulls[0] {
		return callCols("last", colExpr(col), expr.NewLiteral(true))
	}
	return callAny("last", col)
}

// CollectList gathers a group's values into an array.
func CollectList(col any) Column { return callAny("collect_list", col) }

// CollectSet gathers a group's distinct values into an array.
func CollectSet(col any) Column { return callAny("collect_set", col) }

// ApproxCountDistinct estimates the number of distinct values (HyperLogLog
// with relative standard deviation rsd, default 0.05).
func ApproxCountDistinct(col any, rsd ...float64) Column {
	if len(rsd) > 0 {
		return callCols("approx_count_distinct", colExpr(col), expr.NewLiteral(rsd[0]))
	}
	return callAny("approx_count_distinct", col)
}

// ---- event time ----

// Window groups rows into event-time windows: Window("ts", "10 minutes"),
// sliding Window("ts", "10 minutes", "5 minutes"), offset
// Window("ts", "1 hour", "1 hour", "15 minutes"). The result is a struct
// column "window" with start and end.
func Window(col any, windowDuration string, slideAndStart ...string) Column {
	if len(slideAndStart) > 2 {
		return invalid("window() takes at most a slide and a start time after the window duration, got %d more arguments", len(slideAndStart))
	}
	args := []expr.Expr{colExpr(col), expr.NewLiteral(windowDuration)}
	for _, s := range slideAndStart {
		args = append(args, expr.NewLiteral(s))
	}
	if err := checkDurations(append([]string{windowDuration}, slideAndStart...)); err != nil {
		return wrap(&expr.Invalid{Err: err})
	}
	return callCols("window", args...)
}

// SessionWindow groups rows into sessions closed after gapDuration
// without events.
func SessionWindow(col any, gapDuration string) Column {
	if err := checkDurations([]string{gapDuration}); err != nil {
		return wrap(&expr.Invalid{Err: err})
	}
	return callCols("session_window", colExpr(col), expr.NewLiteral(gapDuration))
}

func checkDurations(ds []string) error {
	for _, d := range ds {
		if _, err := expr.ParseDuration(d); err != nil {
			return fmt.Errorf("window duration %q: %w", d, err)
		}
	}
	return nil
}

// ---- sorting ----

// Asc sorts by the named column ascending, nulls first.
func Asc(col any) Column { return wrap(colExpr(col)).Asc() }

// Desc sorts by the named column descending, nulls last.
func Desc(col any) Column { return wrap(colExpr(col)).Desc() }

// AscNullsLast sorts ascending with nulls last.
func AscNullsLast(col any) Column { return wrap(colExpr(col)).AscNullsLast() }

// DescNullsFirst sorts descending with nulls first.
func DescNullsFirst(col any) Column { return wrap(colExpr(col)).DescNullsFirst() }
