package expr

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/decimal128"

	"github.com/gostream/gostream/engine/datetime"
	"github.com/gostream/gostream/engine/format"
)

// Default arguments Spark shows in the names of calls that omit them.

func (e *ColumnRef) String() string { return strings.Join(e.Parts, ".") }
func (e *Star) String() string {
	if len(e.Qualifier) == 0 {
		return "*"
	}
	return strings.Join(e.Qualifier, ".") + ".*"
}
func (e *Literal) String() string  { return literalString(e.Value, e.Type) }
func (e *Alias) String() string    { return e.Child.String() + " AS " + e.Name }
func (e *Cast) String() string     { return "CAST(" + e.Child.String() + " AS " + SQLTypeName(e.To) + ")" }
func (e *Invalid) String() string  { return fmt.Sprintf("<invalid: %v>", e.Err) }
func (e *GetField) String() string { return e.Child.String() + "." + e.Name }
func (e *GetItem) String() string  { return e.Child.String() + "[" + e.Key.String() + "]" }

func (e *Binary) String() string {
	if e.Op == OpNeq {
		return "(NOT (" + e.Left.String() + " = " + e.Right.String() + "))"
	}
	return "(" + e.Left.String() + " " + string(e.Op) + " " + e.Right.String() + ")"
}

func (e *Unary) String() string {
	switch e.Op {
	case OpNot:
		return "(NOT " + e.Child.String() + ")"
	case OpNeg:
		return "(- " + e.Child.String() + ")"
	}
	return "(" + e.Child.String() + " " + string(e.Op) + ")"
}

func (e *CaseWhen) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, w := range e.Branches {
		b.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Value.String())
	}
	if e.Else != nil {
		b.WriteString(" ELSE " + e.Else.String())
	}
	b.WriteString(" END")
	return b.String()
}

func (e *In) String() string {
	return "(" + e.Child.String() + " IN (" + joinExprs(e.List) + "))"
}

func (e *Like) String() string {
	if e.RLike {
		return e.Child.String() + " RLIKE " + e.Pattern
	}
	return e.Child.String() + " LIKE " + e.Pattern
}

func (e *SortOrder) String() string {
	s := e.Child.String()
	if e.Descending {
		s += " DESC"
	} else {
		s += " ASC"
	}
	if e.NullsFirst {
		return s + " NULLS FIRST"
	}
	return s + " NULLS LAST"
}

// callDisplayNames are the functions Spark names differently from how they
// are called.
var callDisplayNames = map[string]string{
	"floor": "FLOOR", "ceil": "CEIL", "ceiling": "CEIL", "sqrt": "SQRT",
	"pow": "POWER", "power": "POWER", "exp": "EXP", "ln": "ln",
	"mean": "avg",
}

func (e *Call) String() string {
	name := e.Name
	if d, ok := callDisplayNames[name]; ok {
		name = d
	}
	args := e.Args
	switch e.Name {
	case "window", "session_window":
		return e.Name
	case "count":
		if len(args) == 0 || (len(args) == 1 && isStar(args[0])) {
			if e.Distinct {
				return "count(DISTINCT 1)"
			}
			return "count(1)"
		}
	case "current_timestamp", "current_date", "now":
		if len(args) == 0 {
			return name + "()"
		}
	case "round", "bround":
		if len(args) == 1 {
			return name + "(" + args[0].String() + ", 0)"
		}
	case "split":
		if len(args) == 2 {
			return name + "(" + joinExprs(args) + ", -1)"
		}
	case "regexp_replace":
		if len(args) == 3 {
			return name + "(" + joinExprs(args) + ", 1)"
		}
	case "unix_timestamp":
		switch len(args) {
		case 0:
			return "unix_timestamp(current_timestamp(), " + datetime.DefaultPattern + ")"
		case 1:
			return "unix_timestamp(" + args[0].String() + ", " + datetime.DefaultPattern + ")"
		}
	case "from_unixtime":
		if len(args) == 1 {
			return "from_unixtime(" + args[0].String() + ", " + datetime.DefaultPattern + ")"
		}
	case "from_json":
		if len(args) >= 1 {
			return "from_json(" + args[0].String() + ")"
		}
	}
	if e.Distinct {
		return name + "(DISTINCT " + joinExprs(args) + ")"
	}
	return name + "(" + joinExprs(args) + ")"
}

func isStar(e Expr) bool {
	_, ok := e.(*Star)
	return ok
}

func joinExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

// literalString renders a constant as Spark names a literal column: strings
// without quotes, NULL, true, 1.0E10, DATE '2024-01-02',
// TIMESTAMP '2024-01-02 03:04:05'.
func literalString(v any, dt arrow.DataType) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(x)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float32:
		return string(format.AppendJavaFloat(nil, float64(x), 32))
	case float64:
		return string(format.AppendJavaFloat(nil, x, 64))
	case string:
		return x
	case []byte:
		return "X'" + strings.ToUpper(hex.EncodeToString(x)) + "'"
	case arrow.Timestamp:
		return "TIMESTAMP '" + datetime.FormatTimestamp(int64(x), nil) + "'"
	case arrow.Date32:
		return "DATE '" + datetime.FormatDate(int32(x)) + "'"
	case decimal128.Num:
		scale := int32(0)
		if d, ok := dt.(*arrow.Decimal128Type); ok {
			scale = d.Scale
		}
		return string(format.AppendPlainDecimal(nil, x, scale))
	case []any:
		parts := make([]string, len(x))
		for i, el := range x {
			parts[i] = literalString(el, nil)
		}
		return "array(" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprint(v)
}

// OutputName is the column name Spark gives the result of e: the alias, the
// last part of a column path (col("a.b") is named "b"), the column name for
// a cast of a column or alias, "col" for explode, otherwise e.String().
func OutputName(e Expr) string {
	switch x := e.(type) {
	case *Alias:
		return x.Name
	case *ColumnRef:
		if len(x.Parts) == 0 {
			return ""
		}
		return x.Parts[len(x.Parts)-1]
	case *Cast:
		// Spark keeps the name of a cast named expression: col("x").cast("int") is "x".
		switch c := x.Child.(type) {
		case *ColumnRef, *Alias:
			return OutputName(c)
		}
	case *Call:
		switch x.Name {
		case "explode", "explode_outer":
			return "col"
		}
	}
	return e.String()
}
