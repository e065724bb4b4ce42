package expr

import (
	"fmt"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/datetime"
)

func registerDatetimeFuncs() {
	register("current_timestamp", KindScalar, 0, 0, bindNow(false))
	register("now", KindScalar, 0, 0, bindNow(false))
	register("current_date", KindScalar, 0, 0, bindNow(true))
	register("to_timestamp", KindScalar, 1, 2, bindToTimestamp(false))
	register("to_date", KindScalar, 1, 2, bindToTimestamp(true))
	register("date_format", KindScalar, 2, 2, bindFormatPattern(TypeTimestamp, 1))
	register("unix_timestamp", KindScalar, 0, 2, bindUnixTimestamp)
	register("from_unixtime", KindScalar, 1, 2, bindFormatPattern(TypeLong, 1e6))
	for name, f := range map[string]func(t time.Time) int32{
		"year":       func(t time.Time) int32 { return int32(t.Year()) },
		"month":      func(t time.Time) int32 { return int32(t.Month()) },
		"dayofmonth": func(t time.Time) int32 { return int32(t.Day()) },
		"day":        func(t time.Time) int32 { return int32(t.Day()) },
		"dayofyear":  func(t time.Time) int32 { return int32(t.YearDay()) },
		"dayofweek":  func(t time.Time) int32 { return int32(t.Weekday()) + 1 },
		"quarter":    func(t time.Time) int32 { return int32(t.Month()-1)/3 + 1 },
	} {
		register(name, KindScalar, 1, 1, bindDatePart(f, true))
	}
	for name, f := range map[string]func(t time.Time) int32{
		"hour":   func(t time.Time) int32 { return int32(t.Hour()) },
		"minute": func(t time.Time) int32 { return int32(t.Minute()) },
		"second": func(t time.Time) int32 { return int32(t.Second()) },
	} {
		register(name, KindScalar, 1, 1, bindDatePart(f, false))
	}
}

func bindNow(date bool) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		t := TypeTimestamp
		if date {
			t = TypeDate
		}
		return &node{typ: t, volatile: true, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
			us := c.batchMicros()
			if date {
				return constArray(c.mem, t, arrow.Date32(floorDiv(us, 86400e6)), c.n), nil
			}
			return constArray(c.mem, t, arrow.Timestamp(us), c.n), nil
		}}, nil
	}
}

// defaultPattern is the pattern of unix_timestamp and from_unixtime.
var defaultPattern = datetime.MustCompile(datetime.DefaultPattern)

// patternArg compiles constant argument i as a datetime pattern, or returns
// the default pattern when there is no argument i; ok is false when the
// argument is a null constant.
func patternArg(x *Call, args []*node, i int) (*datetime.Pattern, bool, error) {
	if i >= len(args) {
		return defaultPattern, true, nil
	}
	s, ok, err := constString(x, args, i)
	if err != nil || !ok {
		return nil, ok, err
	}
	p, err := datetime.Compile(s)
	if err != nil {
		return nil, false, fmt.Errorf("[INVALID_DATETIME_PATTERN] %w", err)
	}
	return p, true, nil
}

// parseWith parses every string of in with p into microseconds, converted
// by conv into a value of type t.
func parseWith(c *evalCtx, in arrow.Array, p *datetime.Pattern, conv func(us int64) int64, t arrow.DataType) arrow.Array {
	return parseStrings(c, in.(*array.String), t, func(b []byte) (int64, bool) {
		us, ok := p.StringToTimestamp(viewString(b), nil)
		return conv(us), ok
	})
}

func bindToTimestamp(date bool) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		to := TypeTimestamp
		if date {
			to = TypeDate
		}
		a := args[0]
		if len(args) == 1 || !isString(a.typ) {
			if !implicitCastable(a.typ, to) && !(date && a.typ.ID() == arrow.TIMESTAMP) {
				return nil, unexpectedType(x, 0, `("STRING" or "DATE" or "TIMESTAMP")`, a.typ)
			}
			n, err := castNode(a, to, x)
			if err != nil {
				return nil, err
			}
			cp := *n
			cp.src = x
			return &cp, nil
		}
		p, ok, err := patternArg(x, args, 1)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nullConst(to, x), nil
		}
		out := unary(x, to, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			if !date {
				return parseWith(c, in, p, func(us int64) int64 { return us }, TypeTimestamp), nil
			}
			longs := parseWith(c, in, p, func(us int64) int64 { return floorDiv(us, 86400e6) }, TypeLong)
			defer longs.Release()
			return castLongToDate(c, longs), nil
		})
		out.nullable = true
		return out, nil
	}
}

func castLongToDate(c *evalCtx, a arrow.Array) arrow.Array {
	buf, out := fixedBuf[int32](c.mem, a.Len())
	for i, v := range values[int64](a) {
		out[i] = int32(v)
	}
	valid, nulls := copyValidity(c.mem, a)
	return makeArray(TypeDate, a.Len(), valid, nulls, buf)
}

// bindFormatPattern binds date_format (timestamps, mult 1) and
// from_unixtime (seconds, mult 1e6): argument 0 as type from, times mult
// in microseconds, formatted with the pattern of argument 1.
func bindFormatPattern(from arrow.DataType, mult int64) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		a, err := argAs(x, args, 0, from)
		if err != nil {
			return nil, err
		}
		p, ok, err := patternArg(x, args, 1)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nullConst(TypeString, x), nil
		}
		return unary(x, TypeString, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			return formatMicros(c, values[int64](in), in, p, mult), nil
		}), nil
	}
}

func formatMicros(c *evalCtx, vals []int64, in arrow.Array, p *datetime.Pattern, mult int64) arrow.Array {
	so := newStrOut(c.mem, c.n, 20*c.n)
	vb, off := validity(in)
	for i, v := range vals {
		if !isValid(vb, off, i) {
			so.pushNull()
			continue
		}
		so.push(p.AppendTimestamp(so.scratch(32), v*mult, nil))
	}
	return so.finish(TypeString)
}

func bindUnixTimestamp(b *binder, x *Call, args []*node) (*node, error) {
	if len(args) == 0 {
		return &node{typ: TypeLong, volatile: true, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
			return constArray(c.mem, TypeLong, floorDiv(c.batchMicros(), 1e6), c.n), nil
		}}, nil
	}
	a := args[0]
	if a.typ.ID() == arrow.TIMESTAMP || a.typ.ID() == arrow.DATE32 {
		ts, err := castNode(a, TypeTimestamp, x.Args[0])
		if err != nil {
			return nil, err
		}
		return unary(x, TypeLong, ts, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			buf, out := fixedBuf[int64](c.mem, c.n)
			for i, v := range values[int64](in) {
				out[i] = floorDiv(v, 1e6)
			}
			valid, nulls := copyValidity(c.mem, in)
			return makeArray(TypeLong, c.n, valid, nulls, buf), nil
		}), nil
	}
	s, err := argAs(x, args, 0, TypeString)
	if err != nil {
		return nil, err
	}
	p, ok, err := patternArg(x, args, 1)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nullConst(TypeLong, x), nil
	}
	out := unary(x, TypeLong, s, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
		return parseWith(c, in, p, func(us int64) int64 { return floorDiv(us, 1e6) }, TypeLong), nil
	})
	out.nullable = true
	return out, nil
}

// bindDatePart extracts a calendar field; date fields accept dates and
// timestamps, time fields timestamps (strings are cast implicitly).
func bindDatePart(f func(time.Time) int32, dateField bool) scalarBind {
	return func(b *binder, x *Call, args []*node) (*node, error) {
		a := args[0]
		var err error
		if dateField && a.typ.ID() == arrow.TIMESTAMP {
			a, err = castNode(a, TypeDate, x.Args[0])
		} else if dateField {
			a, err = argAs(x, args, 0, TypeDate)
		} else {
			a, err = argAs(x, args, 0, TypeTimestamp)
		}
		if err != nil {
			return nil, err
		}
		return unary(x, TypeInt, a, func(c *evalCtx, in arrow.Array) (arrow.Array, error) {
			buf, out := fixedBuf[int32](c.mem, c.n)
			if dateField {
				for i, d := range values[int32](in) {
					out[i] = f(time.Unix(int64(d)*86400, 0).UTC())
				}
			} else {
				for i, us := range values[int64](in) {
					out[i] = f(timeOfMicros(us))
				}
			}
			valid, nulls := copyValidity(c.mem, in)
			return makeArray(TypeInt, c.n, valid, nulls, buf), nil
		}), nil
	}
}
