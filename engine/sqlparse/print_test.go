package sqlparse

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/decimal128"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/types"
)

// show renders a tree unambiguously, with every literal's Go type, so that
// tests can state the expected tree as a short string.
func show(e expr.Expr) string {
	switch x := e.(type) {
	case nil:
		return "<nil>"
	case *expr.ColumnRef:
		parts := make([]string, len(x.Parts))
		for i, p := range x.Parts {
			parts[i] = p
			if strings.ContainsAny(p, ". `") || p == "" {
				parts[i] = "`" + p + "`"
			}
		}
		return strings.Join(parts, ".")
	case *expr.Star:
		if len(x.Qualifier) == 0 {
			return "*"
		}
		return strings.Join(x.Qualifier, ".") + ".*"
	case *expr.Literal:
		return showLit(x)
	case *expr.Alias:
		return "(" + show(x.Child) + " AS " + x.Name + ")"
	case *expr.Cast:
		return "cast(" + show(x.Child) + ", " + types.SimpleString(x.To) + ")"
	case *expr.Binary:
		return "(" + show(x.Left) + " " + string(x.Op) + " " + show(x.Right) + ")"
	case *expr.Unary:
		switch x.Op {
		case expr.OpIsNull, expr.OpIsNotNull:
			return "(" + show(x.Child) + " " + string(x.Op) + ")"
		}
		return "(" + string(x.Op) + " " + show(x.Child) + ")"
	case *expr.Call:
		args := make([]string, len(x.Args))
		for i, a := range x.Args {
			args[i] = show(a)
		}
		d := ""
		if x.Distinct {
			d = "DISTINCT "
		}
		return x.Name + "(" + d + strings.Join(args, ", ") + ")"
	case *expr.CaseWhen:
		var b strings.Builder
		b.WriteString("CASE")
		for _, w := range x.Branches {
			b.WriteString(" WHEN " + show(w.Cond) + " THEN " + show(w.Value))
		}
		if x.Else != nil {
			b.WriteString(" ELSE " + show(x.Else))
		}
		return b.String() + " END"
	case *expr.In:
		list := make([]string, len(x.List))
		for i, a := range x.List {
			list[i] = show(a)
		}
		return "(" + show(x.Child) + " IN (" + strings.Join(list, ", ") + "))"
	case *expr.Like:
		op := "LIKE"
		if x.RLike {
			op = "RLIKE"
		}
		return "(" + show(x.Child) + " " + op + " " + strconv.Quote(x.Pattern) + ")"
	case *expr.GetItem:
		return show(x.Child) + "[" + show(x.Key) + "]"
	case *expr.GetField:
		return show(x.Child) + "->" + x.Name
	case *expr.SortOrder:
		return fmt.Sprintf("sort(%s, desc=%v, nullsFirst=%v)", show(x.Child), x.Descending, x.NullsFirst)
	}
	return fmt.Sprintf("<%T>", e)
}

func showLit(l *expr.Literal) string {
	switch v := l.Value.(type) {
	case nil:
		if l.Type.ID() != arrow.NULL {
			return "NULL:" + l.Type.String()
		}
		return "NULL"
	case bool:
		return strconv.FormatBool(v)
	case int8:
		return fmt.Sprintf("%dY", v)
	case int16:
		return fmt.Sprintf("%dS", v)
	case int32:
		return fmt.Sprintf("%d", v)
	case int64:
		return fmt.Sprintf("%dL", v)
	case float32:
		return fmt.Sprintf("%gF", v)
	case float64:
		return fmt.Sprintf("%gD", v)
	case string:
		return "'" + strings.ReplaceAll(strconv.Quote(v)[1:len(strconv.Quote(v))-1], `\"`, `"`) + "'"
	case []byte:
		return fmt.Sprintf("X'%X'", v)
	case arrow.Date32:
		return "DATE " + types.FormatDate(v)
	case arrow.Timestamp:
		return "TIMESTAMP " + types.FormatTimestamp(v, nil)
	case arrow.Duration:
		return fmt.Sprintf("DURATION %dus", int64(v))
	case arrow.MonthInterval:
		return fmt.Sprintf("MONTHS %d", int32(v))
	case decimal128.Num:
		dt := l.Type.(*arrow.Decimal128Type)
		return fmt.Sprintf("%sBD(%d,%d)", v.ToString(dt.Scale), dt.Precision, dt.Scale)
	}
	return fmt.Sprintf("<%T %v>", l.Value, l.Value)
}
