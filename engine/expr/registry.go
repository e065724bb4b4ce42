package expr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// FuncKind classifies functions by how the engine runs them.
type FuncKind int

const (
	// KindScalar functions compute one value per row; Bind compiles them.
	KindScalar FuncKind = iota
	// KindAggregate functions (sum, count, ...) run in the aggregation
	// operator.
	KindAggregate
	// KindGenerator functions (explode) turn one row into several.
	KindGenerator
	// KindTimeWindow is window() and session_window(): event-time
	// grouping keys. A tumbling window() is also a scalar.
	KindTimeWindow
)

// FunctionInfo describes a registered function. MaxArgs is -1 for variadic
// functions.
type FunctionInfo struct {
	Name             string
	Kind             FuncKind
	MinArgs, MaxArgs int
}

type scalarBind func(b *binder, x *Call, args []*node) (*node, error)

type funcDef struct {
	FunctionInfo
	bind scalarBind
}

var registry = map[string]*funcDef{}

func register(name string, kind FuncKind, minArgs, maxArgs int, bind scalarBind) {
	registry[name] = &funcDef{FunctionInfo{name, kind, minArgs, maxArgs}, bind}
}

func init() {
	for _, a := range []struct {
		name     string
		min, max int
	}{
		{"sum", 1, 1}, {"count", 0, -1}, {"avg", 1, 1}, {"mean", 1, 1}, {"min", 1, 1}, {"max", 1, 1},
		{"first", 1, 2}, {"last", 1, 2}, {"first_value", 1, 2}, {"last_value", 1, 2},
		{"collect_list", 1, 1}, {"collect_set", 1, 1}, {"approx_count_distinct", 1, 2},
		{"count_distinct", 1, -1}, {"stddev", 1, 1}, {"stddev_samp", 1, 1}, {"stddev_pop", 1, 1},
		{"variance", 1, 1}, {"var_samp", 1, 1}, {"var_pop", 1, 1}, {"sum_distinct", 1, 1},
		{"any_value", 1, 2}, {"bool_and", 1, 1}, {"bool_or", 1, 1}, {"every", 1, 1}, {"some", 1, 1},
	} {
		register(a.name, KindAggregate, a.min, a.max, nil)
	}
	register("explode", KindGenerator, 1, 1, nil)
	register("explode_outer", KindGenerator, 1, 1, nil)
	register("posexplode", KindGenerator, 1, 1, nil)
	register("posexplode_outer", KindGenerator, 1, 1, nil)
	register("inline", KindGenerator, 1, 1, nil)
	register("window", KindTimeWindow, 2, 4, bindWindow)
	register("session_window", KindTimeWindow, 2, 2, nil)
	registerScalars()
}

// LookupFunction returns what is known of the function name (any case).
func LookupFunction(name string) (FunctionInfo, bool) {
	d, ok := registry[strings.ToLower(name)]
	if !ok {
		return FunctionInfo{}, false
	}
	return d.FunctionInfo, true
}

// IsAggregate reports whether name is an aggregate function.
func IsAggregate(name string) bool {
	d, ok := registry[strings.ToLower(name)]
	return ok && d.Kind == KindAggregate
}

// IsGenerator reports whether name is a generator (explode and friends).
func IsGenerator(name string) bool {
	d, ok := registry[strings.ToLower(name)]
	return ok && d.Kind == KindGenerator
}

// IsTimeWindow reports whether name is window or session_window.
func IsTimeWindow(name string) bool {
	d, ok := registry[strings.ToLower(name)]
	return ok && d.Kind == KindTimeWindow
}

// FunctionNames lists every registered function, sorted.
func FunctionNames() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ContainsAggregate reports whether e calls an aggregate function.
func ContainsAggregate(e Expr) bool {
	return Contains(e, func(x Expr) bool {
		c, ok := x.(*Call)
		return ok && IsAggregate(c.Name)
	})
}

// ContainsGenerator reports whether e calls a generator function.
func ContainsGenerator(e Expr) bool {
	return Contains(e, func(x Expr) bool {
		c, ok := x.(*Call)
		return ok && IsGenerator(c.Name)
	})
}

// CheckArity returns Spark's WRONG_NUM_ARGS error when call has a number
// of arguments the function does not take, and UNRESOLVED_ROUTINE for an
// unknown function.
func CheckArity(x *Call) error {
	d, ok := registry[strings.ToLower(x.Name)]
	if !ok {
		return analysisErr("UNRESOLVED_ROUTINE", "Cannot resolve function %s on search path [`system`.`builtin`, `system`.`session`].", quoteID(x.Name))
	}
	n := len(x.Args)
	if n >= d.MinArgs && (d.MaxArgs < 0 || n <= d.MaxArgs) {
		return nil
	}
	var want string
	switch {
	case d.MaxArgs < 0:
		want = fmt.Sprintf("> %d", d.MinArgs-1)
	case d.MinArgs == d.MaxArgs:
		want = fmt.Sprint(d.MinArgs)
	default:
		parts := []string{}
		for i := d.MinArgs; i <= d.MaxArgs; i++ {
			parts = append(parts, fmt.Sprint(i))
		}
		want = "[" + strings.Join(parts, ", ") + "]"
	}
	return analysisErr("WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
		"The %s requires %s parameters but the actual number is %d. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
		quoteID(d.Name), want, n)
}

func (b *binder) bindCall(x *Call) (*node, error) {
	name := strings.ToLower(x.Name)
	d, ok := registry[name]
	if !ok {
		return nil, analysisErr("UNRESOLVED_ROUTINE", "Cannot resolve function %s on search path [`system`.`builtin`, `system`.`session`].", quoteID(x.Name))
	}
	if err := CheckArity(x); err != nil {
		return nil, err
	}
	switch d.Kind {
	case KindAggregate:
		return nil, notScalar(x, "aggregate function")
	case KindGenerator:
		return nil, notScalar(x, "generator")
	}
	if d.bind == nil {
		return nil, notScalar(x, "time window")
	}
	args, err := b.bindAll(x.Args)
	if err != nil {
		return nil, err
	}
	n, err := d.bind(b, x, args)
	if err != nil {
		return nil, err
	}
	if n.src == nil {
		n.src = x
	}
	if !n.isConst && !n.volatile && n.eval != nil && foldable(args) && len(args) > 0 {
		return fold(n), nil
	}
	return n, nil
}

// argAs casts argument i to want when Spark would do so implicitly, or
// fails with Spark's UNEXPECTED_INPUT_TYPE error.
func argAs(x *Call, args []*node, i int, want arrow.DataType) (*node, error) {
	a := args[i]
	if arrow.TypeEqual(a.typ, want) {
		return a, nil
	}
	if !implicitCastable(a.typ, want) {
		return nil, unexpectedType(x, i, fmt.Sprintf("%q", SQLTypeName(want)), a.typ)
	}
	return castNode(a, want, x.Args[i])
}

func unexpectedType(x *Call, i int, want string, got arrow.DataType) error {
	return dataTypeMismatch("UNEXPECTED_INPUT_TYPE", x,
		"The %s parameter requires the %s type, however %q has the type %q.",
		ordinal(i), want, x.Args[i].String(), SQLTypeName(got))
}

// constArg returns argument i as a constant Go value of type want.
func constArg(x *Call, args []*node, i int, want arrow.DataType) (any, error) {
	a, err := argAs(x, args, i, want)
	if err != nil {
		return nil, err
	}
	if !a.isConst {
		return nil, dataTypeMismatch("NON_FOLDABLE_INPUT", x,
			"the input %s should be a foldable %q expression; however, got %q.",
			quoteID(fmt.Sprintf("arg%d", i+1)), SQLTypeName(want), x.Args[i].String())
	}
	return a.value, nil
}

func constString(x *Call, args []*node, i int) (string, bool, error) {
	v, err := constArg(x, args, i, TypeString)
	if err != nil {
		return "", false, err
	}
	if v == nil {
		return "", false, nil
	}
	return v.(string), true, nil
}

func constInt(x *Call, args []*node, i int) (int64, bool, error) {
	v, err := constArg(x, args, i, TypeLong)
	if err != nil {
		return 0, false, err
	}
	if v == nil {
		return 0, false, nil
	}
	return v.(int64), true, nil
}

// nullConst is a typed null constant result.
func nullConst(t arrow.DataType, x Expr) *node {
	return &node{typ: t, nullable: true, isConst: true, src: x}
}

// unary makes a node evaluating f over the single argument a.
func unary(x *Call, t arrow.DataType, a *node, f func(c *evalCtx, in arrow.Array) (arrow.Array, error)) *node {
	if a.isConst && a.value == nil {
		return nullConst(t, x)
	}
	return &node{typ: t, nullable: a.nullable, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
		in, err := a.run(c)
		if err != nil {
			return nil, err
		}
		defer in.Release()
		return f(c, in)
	}}
}

// multi makes a node evaluating f over all arguments.
func multi(x *Call, t arrow.DataType, args []*node, f func(c *evalCtx, in []arrow.Array) (arrow.Array, error)) *node {
	nullable := false
	for _, a := range args {
		nullable = nullable || a.nullable
	}
	return &node{typ: t, nullable: nullable, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
		in, err := runAll(c, args)
		if err != nil {
			return nil, err
		}
		defer releaseAll(in)
		return f(c, in)
	}}
}
