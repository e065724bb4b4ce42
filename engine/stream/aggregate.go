package stream

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
)

// compileAggregate compiles groupBy().agg(): the hash aggregation (or the
// session-window aggregation) computing the keys and one column per
// aggregate call, then a projection computing the aggregate expressions
// over them. On a stream the aggregation is stateful.
func (c *compiler) compileAggregate(x *plan.Aggregate, next exec.Operator) error {
	in := x.Child.Schema()
	mid := append([]arrow.Field(nil), x.KeyFields...)
	for i, call := range x.Calls {
		mid = append(mid, arrow.Field{Name: plan.AggColumn(i), Type: call.Type, Nullable: call.Nullable})
	}
	midSchema := arrow.NewSchema(mid, nil)
	outs := make([]expr.Expr, 0, len(x.KeyFields)+len(x.Results))
	for _, f := range x.KeyFields {
		outs = append(outs, &expr.ColumnRef{Parts: []string{f.Name}})
	}
	results, err := expr.BindAll(append(outs, x.Results...), midSchema)
	if err != nil {
		return err
	}
	proj, err := exec.NewProject(x.Schema(), results, next)
	if err != nil {
		return err
	}
	cfg := exec.AggregateConfig{Schema: midSchema, EventTimeKey: -1, Streaming: plan.IsStreaming(x)}
	for _, k := range x.Keys {
		ks, err := keySpec(k, in)
		if err != nil {
			return err
		}
		cfg.Keys = append(cfg.Keys, ks)
	}
	for _, call := range x.Calls {
		f, err := aggFunc(call, in)
		if err != nil {
			return err
		}
		cfg.Funcs = append(cfg.Funcs, f)
	}
	var op exec.Operator
	if cfg.Streaming {
		cfg.EventTimeKey = x.EventTimeKey()
		cfg.Mode = exec.OutputMode(c.p.opts.Mode)
		cfg.State = c.stateConfig()
	}
	if _, i := x.TimeWindowKey(); i >= 0 && cfg.Keys[i].SessionGap > 0 {
		s, err := exec.NewSessionAggregate(cfg, i, proj)
		if err != nil {
			return err
		}
		if cfg.Streaming {
			c.addStateful(s)
		}
		op = s
	} else {
		a, err := exec.NewAggregate(cfg, proj)
		if err != nil {
			return err
		}
		if cfg.Streaming {
			c.addStateful(a)
		}
		op = a
	}
	return c.compile(x.Child, op)
}

// keySpec binds one grouping key.
func keySpec(k expr.Expr, in *arrow.Schema) (exec.KeySpec, error) {
	e := k
	for {
		a, ok := e.(*expr.Alias)
		if !ok {
			break
		}
		e = a.Child
	}
	call, ok := e.(*expr.Call)
	if !ok || !expr.IsTimeWindow(call.Name) {
		b, err := expr.Bind(k, in)
		return exec.KeySpec{Expr: b}, err
	}
	ts, err := expr.Bind(call.Args[0], in)
	if err != nil {
		return exec.KeySpec{}, err
	}
	if ts.Type().ID() != arrow.TIMESTAMP {
		if ts, err = expr.Bind(&expr.Cast{Child: call.Args[0], To: expr.TypeTimestamp}, in); err != nil {
			return exec.KeySpec{}, err
		}
	}
	if call.Name == "session_window" {
		gap, err := plan.SessionGap(call)
		return exec.KeySpec{Time: ts, SessionGap: gap}, err
	}
	w, s, st, err := expr.WindowCall(call)
	if err != nil {
		return exec.KeySpec{}, err
	}
	spec, err := expr.ValidateWindow(call, ts.Type(), w, s, st)
	if err != nil {
		return exec.KeySpec{}, err
	}
	return exec.KeySpec{Time: ts, Window: &spec}, nil
}

// aggFunc binds one aggregate call.
func aggFunc(call plan.AggCall, in *arrow.Schema) (exec.AggFunc, error) {
	f := exec.AggFunc{Name: strings.ToLower(call.Call.Name), Distinct: call.Call.Distinct, Out: call.Type}
	switch f.Name {
	case "first", "last", "first_value", "last_value", "any_value":
		f.IgnoreNulls = plan.IgnoreNulls(call.Call)
	case "approx_count_distinct":
		f.RSD = plan.RSD(call.Call)
	}
	for _, a := range plan.AggArgs(call.Call) {
		b, err := expr.Bind(a, in)
		if err != nil {
			return f, err
		}
		if b.Type().ID() == arrow.STRING && numericAgg(f.Name) {
			if b, err = expr.Bind(&expr.Cast{Child: a, To: arrow.PrimitiveTypes.Float64}, in); err != nil {
				return f, err
			}
		}
		f.Args = append(f.Args, b)
	}
	if f.Name == "count" && len(f.Args) == 0 && len(call.Call.Args) > 0 && !plan.IsCountStar(call.Call) {
		return f, fmt.Errorf("count(%s): nothing to count", call.Call.Args[0])
	}
	return f, nil
}

func numericAgg(name string) bool {
	switch name {
	case "sum", "avg", "mean", "stddev", "std", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		return true
	}
	return false
}
