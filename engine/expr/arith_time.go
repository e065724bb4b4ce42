package expr

import (
	"github.com/apache/arrow/go/v15/arrow"
)

// bindTimeArith binds timestamp + interval, interval + timestamp and
// timestamp - interval for day-time intervals (INTERVAL 1 HOUR), whose
// result is a timestamp, as in Spark's time-range join conditions
// (clickTime <= impressionTime + interval 1 hour). ok is false for other
// operand types.
func (b *binder) bindTimeArith(x *Binary, l, r *node) (n *node, ok bool, err error) {
	ts, dur, sign := l, r, int64(1)
	switch {
	case l.typ.ID() == arrow.TIMESTAMP && r.typ.ID() == arrow.DURATION && (x.Op == OpAdd || x.Op == OpSub):
		if x.Op == OpSub {
			sign = -1
		}
	case l.typ.ID() == arrow.DURATION && r.typ.ID() == arrow.TIMESTAMP && x.Op == OpAdd:
		ts, dur = r, l
	default:
		return nil, false, nil
	}
	var mult int64 = 1
	switch dur.typ.(*arrow.DurationType).Unit {
	case arrow.Second:
		mult = 1e6
	case arrow.Millisecond:
		mult = 1e3
	case arrow.Nanosecond:
		mult = 0 // divided below
	}
	scale := func(v int64) int64 {
		if mult == 0 {
			return sign * (v / 1e3)
		}
		return sign * v * mult
	}
	out := &node{typ: ts.typ, nullable: ts.nullable || dur.nullable, src: x}
	if (ts.isConst && ts.value == nil) || (dur.isConst && dur.value == nil) {
		out.isConst, out.nullable = true, true
		return out, true, nil
	}
	out.eval = func(c *evalCtx) (arrow.Array, error) {
		ta, err := ts.run(c)
		if err != nil {
			return nil, err
		}
		defer ta.Release()
		tv := values[int64](ta)
		buf, ov := fixedBuf[int64](c.mem, c.n)
		if dur.isConst {
			d := scale(int64(dur.value.(arrow.Duration)))
			for i, v := range tv {
				ov[i] = v + d
			}
			valid, nulls := copyValidity(c.mem, ta)
			return makeArray(ts.typ, c.n, valid, nulls, buf), nil
		}
		da, err := dur.run(c)
		if err != nil {
			buf.Release()
			return nil, err
		}
		defer da.Release()
		dv := values[int64](da)
		for i, v := range tv {
			ov[i] = v + scale(dv[i])
		}
		valid, nulls := mergeValidity(c.mem, c.n, ta, da)
		return makeArray(ts.typ, c.n, valid, nulls, buf), nil
	}
	if foldable([]*node{ts, dur}) {
		return fold(out), true, nil
	}
	return out, true, nil
}
