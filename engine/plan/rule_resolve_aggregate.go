package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// resolveAggregate resolves groupBy(...).agg(...): it types the keys
// (time windows included), finds the aggregate calls, types them, and
// rewrites the aggregate expressions over the operator's output.
type resolveAggregate struct{}

func (resolveAggregate) Name() string { return "ResolveAggregate" }

func (resolveAggregate) Apply(n Node) (Node, error) {
	a, ok := n.(*Aggregate)
	if !ok || a.Out != nil {
		return n, nil
	}
	in := a.Child.Schema()
	cp := *a
	windows := 0
	for _, k := range a.Keys {
		f, isWindow, err := keyField(k, in)
		if err != nil {
			return nil, err
		}
		if isWindow {
			windows++
		}
		cp.KeyFields = append(cp.KeyFields, f)
	}
	if windows > 1 {
		return nil, &expr.AnalysisError{Message: "Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported."}
	}
	calls := map[string]int{}
	var results []expr.Expr
	for _, e := range a.Aggs {
		if _, ok := e.(*expr.Star); ok {
			return nil, &expr.AnalysisError{Class: "INVALID_USAGE_OF_STAR_OR_REGEX", Message: "Invalid usage of '*' in expression \"agg\": use count(\"*\") to count rows."}
		}
		r, err := rewriteAgg(e, a.Keys, cp.KeyFields, calls, &cp.Calls, in)
		if err != nil {
			return nil, err
		}
		if name := expr.OutputName(e); expr.OutputName(r) != name {
			r = &expr.Alias{Child: r, Name: name}
		}
		results = append(results, r)
	}
	mid := append([]arrow.Field(nil), cp.KeyFields...)
	for i, c := range cp.Calls {
		mid = append(mid, arrow.Field{Name: AggColumn(i), Type: c.Type, Nullable: c.Nullable})
	}
	midSchema := arrow.NewSchema(mid, nil)
	out := append([]arrow.Field(nil), cp.KeyFields...)
	for i, r := range results {
		b, err := expr.Bind(r, midSchema)
		if err != nil {
			return nil, missingAggregation(a.Aggs[i], err)
		}
		out = append(out, arrow.Field{Name: b.Name(), Type: b.Type(), Nullable: b.Nullable(), Metadata: refMetadata(r, midSchema)})
	}
	cp.Results = results
	cp.Out = arrow.NewSchema(out, nil)
	return &cp, nil
}

// keyField types one grouping key; isWindow reports a time window.
func keyField(k expr.Expr, in *arrow.Schema) (arrow.Field, bool, error) {
	if expr.ContainsAggregate(k) {
		return arrow.Field{}, false, &expr.AnalysisError{Class: "GROUP_BY_AGGREGATE", Message: fmt.Sprintf(
			"Aggregate functions are not allowed in GROUP BY, but found %s.", k.String())}
	}
	if c, ok := stripAlias(k).(*expr.Call); ok && expr.IsTimeWindow(c.Name) {
		if err := expr.CheckArity(c); err != nil {
			return arrow.Field{}, false, err
		}
		ts, err := expr.Bind(c.Args[0], in)
		if err != nil {
			return arrow.Field{}, false, err
		}
		if strings.EqualFold(c.Name, "window") {
			w, s, st, err := expr.WindowCall(c)
			if err != nil {
				return arrow.Field{}, false, err
			}
			if _, err := expr.ValidateWindow(c, ts.Type(), w, s, st); err != nil {
				return arrow.Field{}, false, err
			}
		} else if _, err := SessionGap(c); err != nil {
			return arrow.Field{}, false, err
		} else if ts.Type().ID() != arrow.TIMESTAMP {
			return arrow.Field{}, false, &expr.AnalysisError{Class: "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", Message: fmt.Sprintf(
				"Cannot resolve %q due to data type mismatch: The first parameter requires the (\"TIMESTAMP\" or \"TIMESTAMP_NTZ\") type, however %q has the type %q.",
				c.String(), c.Args[0].String(), expr.SQLTypeName(ts.Type()))}
		}
		return arrow.Field{Name: expr.OutputName(k), Type: expr.WindowType, Nullable: false, Metadata: refMetadata(c.Args[0], in)}, true, nil
	}
	b, err := expr.Bind(k, in)
	if err != nil {
		return arrow.Field{}, false, err
	}
	return arrow.Field{Name: b.Name(), Type: b.Type(), Nullable: b.Nullable(), Metadata: refMetadata(k, in)}, false, nil
}

// SessionGap returns the gap of session_window(ts, gap) in microseconds.
func SessionGap(c *expr.Call) (int64, error) {
	l, ok := c.Args[1].(*expr.Literal)
	s, isStr := "", false
	if ok {
		s, isStr = l.Value.(string)
	}
	if !isStr {
		return 0, &expr.AnalysisError{Class: "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", Message: fmt.Sprintf(
			"Cannot resolve %q due to data type mismatch: the input `gapDuration` should be a foldable \"STRING\" expression; however, got %q; dynamic gaps are not supported.", c.String(), c.Args[1].String())}
	}
	gap, err := expr.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if gap <= 0 {
		return 0, &expr.AnalysisError{Class: "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", Message: fmt.Sprintf(
			"Cannot resolve %q due to data type mismatch: The `gapDuration` must be within (0, 9223372036854775807], but got %dL.", c.String(), gap)}
	}
	return gap, nil
}

// rewriteAgg replaces the aggregate calls of e by references to their
// columns (adding new calls to calls/list) and sub-expressions equal to a
// key by references to the key's column.
func rewriteAgg(e expr.Expr, keys []expr.Expr, keyFields []arrow.Field, calls map[string]int, list *[]AggCall, in *arrow.Schema) (expr.Expr, error) {
	if c, ok := e.(*expr.Call); ok && expr.IsAggregate(c.Name) {
		for _, a := range c.Args {
			if expr.ContainsAggregate(a) {
				return nil, &expr.AnalysisError{Class: "NESTED_AGGREGATE_FUNCTION", Message: "It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query."}
			}
		}
		key := c.String()
		if c.Distinct {
			key = "DISTINCT " + key
		}
		idx, seen := calls[key]
		if !seen {
			ac, err := typeCall(c, in)
			if err != nil {
				return nil, err
			}
			idx = len(*list)
			calls[key] = idx
			*list = append(*list, ac)
		}
		return &expr.ColumnRef{Parts: []string{AggColumn(idx)}}, nil
	}
	if _, isAlias := e.(*expr.Alias); !isAlias {
		for i, k := range keys {
			if stripAlias(k).String() == e.String() || k.String() == e.String() {
				return &expr.ColumnRef{Parts: []string{keyFields[i].Name}}, nil
			}
		}
	}
	children := e.Children()
	if len(children) == 0 {
		return e, nil
	}
	next := make([]expr.Expr, len(children))
	changed := false
	for i, c := range children {
		nc, err := rewriteAgg(c, keys, keyFields, calls, list, in)
		if err != nil {
			return nil, err
		}
		next[i] = nc
		changed = changed || nc != c
	}
	if !changed {
		return e, nil
	}
	return e.WithChildren(next...), nil
}

// typeCall checks an aggregate call's arguments against the input and
// returns its result type.
func typeCall(c *expr.Call, in *arrow.Schema) (AggCall, error) {
	if err := expr.CheckArity(c); err != nil {
		return AggCall{}, err
	}
	name := strings.ToLower(c.Name)
	if name == "count" && c.Distinct && len(c.Args) == 1 {
		if _, ok := c.Args[0].(*expr.Star); ok {
			return AggCall{}, &expr.AnalysisError{Class: "INVALID_USAGE_OF_STAR_OR_REGEX", Message: "Invalid usage of '*' in expression \"count(DISTINCT *)\": name the columns to count."}
		}
	}
	args := AggArgs(c)
	types := make([]arrow.DataType, len(c.Args))
	for i, a := range args {
		b, err := expr.Bind(a, in)
		if err != nil {
			return AggCall{}, err
		}
		types[i] = b.Type()
	}
	for i := len(args); i < len(c.Args); i++ {
		types[i] = arrow.Null
	}
	if IsCountStar(c) {
		return AggCall{Call: c, Type: arrow.PrimitiveTypes.Int64}, nil
	}
	t, nullable, err := aggResultType(c, types)
	if err != nil {
		return AggCall{}, err
	}
	return AggCall{Call: c, Type: t, Nullable: nullable}, nil
}

// missingAggregation turns an unresolved column in an aggregate
// expression into Spark's MISSING_AGGREGATION error.
func missingAggregation(e expr.Expr, err error) error {
	var ae *expr.AnalysisError
	if errors.As(err, &ae) && strings.HasPrefix(ae.Class, "UNRESOLVED_COLUMN") {
		return &expr.AnalysisError{Class: "MISSING_AGGREGATION", Message: fmt.Sprintf(
			"The non-aggregating expression %q is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value(%s)\" if you do not care which of the values within a group is returned.",
			e.String(), e.String())}
	}
	return err
}
