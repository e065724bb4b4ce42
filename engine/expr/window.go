package expr

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var durationUnits = map[string]int64{
	"microsecond": 1, "microseconds": 1, "us": 1, "usec": 1, "usecs": 1,
	"millisecond": 1e3, "milliseconds": 1e3, "ms": 1e3, "msec": 1e3, "msecs": 1e3,
	"second": 1e6, "seconds": 1e6, "sec": 1e6, "secs": 1e6, "s": 1e6,
	"minute": 60e6, "minutes": 60e6, "min": 60e6, "mins": 60e6, "m": 60e6,
	"hour": 3600e6, "hours": 3600e6, "hr": 3600e6, "hrs": 3600e6, "h": 3600e6,
	"day": 86400e6, "days": 86400e6, "d": 86400e6,
	"week": 7 * 86400e6, "weeks": 7 * 86400e6, "w": 7 * 86400e6,
}

// ParseDuration reads an interval string as Spark's window and watermark
// arguments take it: "10 seconds", "1 minute", "2 hours 30 minutes",
// "interval 1 day", "-5 seconds"; units may be plural or abbreviated
// (sec, min, ms, h, d). It returns microseconds. Months and years are
// refused: their length varies.
func ParseDuration(s string) (int64, error) {
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if len(f) > 0 && f[0] == "interval" {
		f = f[1:]
	}
	if len(f) == 0 {
		return 0, fmt.Errorf("[INVALID_INTERVAL_FORMAT.INPUT_IS_EMPTY] Error parsing %q to interval: the interval is empty; write it as e.g. \"10 seconds\"", s)
	}
	// "10s" style: split digits from unit
	if len(f) == 1 {
		k := 0
		for k < len(f[0]) && (f[0][k] >= '0' && f[0][k] <= '9' || f[0][k] == '-' || f[0][k] == '.') {
			k++
		}
		if k > 0 && k < len(f[0]) {
			f = []string{f[0][:k], f[0][k:]}
		}
	}
	if len(f)%2 != 0 {
		return 0, fmt.Errorf("[INVALID_INTERVAL_FORMAT] Error parsing %q to interval: expected pairs of a number and a unit, e.g. \"10 seconds\"", s)
	}
	var total int64
	for i := 0; i < len(f); i += 2 {
		unit := f[i+1]
		switch unit {
		case "month", "months", "mon", "mons", "year", "years", "y", "yr", "yrs":
			return 0, fmt.Errorf("[INVALID_INTERVAL_FORMAT] Error parsing %q to interval: Intervals greater than a month is not supported (%s); use days or weeks", s, unit)
		}
		mult, ok := durationUnits[unit]
		if !ok {
			return 0, fmt.Errorf("[INVALID_INTERVAL_FORMAT.INVALID_UNIT] Error parsing %q to interval: invalid unit %q; use microseconds, milliseconds, seconds, minutes, hours, days or weeks", s, unit)
		}
		if strings.Contains(f[i], ".") {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return 0, fmt.Errorf("[INVALID_INTERVAL_FORMAT.INVALID_VALUE] Error parsing %q to interval: %q is not a number", s, f[i])
			}
			total += int64(v * float64(mult))
			continue
		}
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("[INVALID_INTERVAL_FORMAT.INVALID_VALUE] Error parsing %q to interval: %q is not a number", s, f[i])
		}
		total += v * mult
	}
	return total, nil
}

// WindowSpec is a validated window(ts, windowDuration, slideDuration,
// startTime), all in microseconds.
type WindowSpec struct {
	Window, Slide, Start int64
}

// Tumbling reports whether each row falls in exactly one window.
func (w WindowSpec) Tumbling() bool { return w.Slide == w.Window }

// WindowType is the struct window() produces: {start, end} timestamps.
var WindowType = arrow.StructOf(
	arrow.Field{Name: "start", Type: TypeTimestamp, Nullable: true},
	arrow.Field{Name: "end", Type: TypeTimestamp, Nullable: true},
)

// ValidateWindow checks window()'s arguments as Spark does. tsType is the
// type of the time column (TIMESTAMP, or STRING which is cast to it);
// slide and start may be empty (slide = window, start = 0).
func ValidateWindow(call Expr, tsType arrow.DataType, window, slide, start string) (WindowSpec, error) {
	if call == nil {
		call = &Call{Name: "window"}
	}
	if tsType.ID() != arrow.TIMESTAMP && !isString(tsType) && !isNull(tsType) {
		return WindowSpec{}, dataTypeMismatch("UNEXPECTED_INPUT_TYPE", call,
			"The first parameter requires the (\"TIMESTAMP\" or \"TIMESTAMP_NTZ\") type, however %q has the type %q.",
			firstArg(call), SQLTypeName(tsType))
	}
	var spec WindowSpec
	var err error
	if spec.Window, err = ParseDuration(window); err != nil {
		return spec, err
	}
	spec.Slide = spec.Window
	if slide != "" {
		if spec.Slide, err = ParseDuration(slide); err != nil {
			return spec, err
		}
	}
	if start != "" {
		if spec.Start, err = ParseDuration(start); err != nil {
			return spec, err
		}
	}
	switch {
	case spec.Window <= 0:
		return spec, dataTypeMismatch("VALUE_OUT_OF_RANGE", call,
			"The %s must be within (0, 9223372036854775807], but got %dL.", "`windowDuration`", spec.Window)
	case spec.Slide <= 0:
		return spec, dataTypeMismatch("VALUE_OUT_OF_RANGE", call,
			"The %s must be within (0, 9223372036854775807], but got %dL.", "`slideDuration`", spec.Slide)
	case spec.Slide > spec.Window:
		return spec, dataTypeMismatch("PARAMETER_CONSTRAINT_VIOLATION", call,
			"The `slideDuration`(%dL) must be <= the `windowDuration`(%dL).", spec.Slide, spec.Window)
	case abs64(spec.Start) >= spec.Slide:
		return spec, dataTypeMismatch("PARAMETER_CONSTRAINT_VIOLATION", call,
			"The `abs(startTime)`(%dL) must be < the `slideDuration`(%dL).", abs64(spec.Start), spec.Slide)
	}
	return spec, nil
}

func firstArg(e Expr) string {
	if k := e.Children(); len(k) > 0 {
		return k[0].String()
	}
	return ""
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// WindowCall reads the duration strings out of a window(...) call.
func WindowCall(x *Call) (window, slide, start string, err error) {
	strs := make([]string, 3)
	for i := 1; i < len(x.Args) && i <= 3; i++ {
		l, ok := x.Args[i].(*Literal)
		s, isStr := "", false
		if ok {
			s, isStr = l.Value.(string)
		}
		if !isStr {
			return "", "", "", dataTypeMismatch("NON_FOLDABLE_INPUT", x,
				"the input %s should be a foldable \"STRING\" expression; however, got %q.", []string{"", "`windowDuration`", "`slideDuration`", "`startTime`"}[i], x.Args[i].String())
		}
		strs[i-1] = s
	}
	return strs[0], strs[1], strs[2], nil
}

// Assign computes, for each timestamp of ts (microseconds), the window
// starts it belongs to: rows[k] is the row of ts that window start
// starts[k] belongs to. Null timestamps belong to no window. Windows are
// aligned to the epoch plus Start.
func (w WindowSpec) Assign(ts []int64, valid func(i int) bool) (starts []int64, rows []int32) {
	for i, t := range ts {
		if valid != nil && !valid(i) {
			continue
		}
		last := t - floorMod(t-w.Start, w.Slide) // latest window start <= t
		for s := last; s > t-w.Window; s -= w.Slide {
			starts = append(starts, s)
			rows = append(rows, int32(i))
		}
	}
	return starts, rows
}

// WindowStructs builds the window struct array for the given starts.
func (w WindowSpec) WindowStructs(mem memory.Allocator, starts []int64, validity []bool) arrow.Array {
	c := &evalCtx{mem: mem, n: len(starts)}
	sb, so := fixedBuf[int64](mem, len(starts))
	eb, eo := fixedBuf[int64](mem, len(starts))
	nb := newBitmapBuilder(mem, len(starts))
	for i, s := range starts {
		so[i], eo[i] = s, s+w.Window
		if validity != nil && !validity[i] {
			nb.setNull(i)
		}
	}
	valid, nulls := nb.finish()
	var sv, ev *memory.Buffer
	if valid != nil {
		valid.Retain()
		valid.Retain()
		sv, ev = valid, valid
	}
	sa := makeArray(TypeTimestamp, c.n, sv, nulls, sb)
	ea := makeArray(TypeTimestamp, c.n, ev, nulls, eb)
	defer sa.Release()
	defer ea.Release()
	return makeNested(WindowType, c.n, valid, nulls, nil, []arrow.ArrayData{sa.Data(), ea.Data()})
}

// bindWindow compiles a tumbling window() as a scalar struct{start, end};
// sliding windows give several rows per input and are refused here.
func bindWindow(b *binder, x *Call, args []*node) (*node, error) {
	window, slide, start, err := WindowCall(x)
	if err != nil {
		return nil, err
	}
	spec, err := ValidateWindow(x, args[0].typ, window, slide, start)
	if err != nil {
		return nil, err
	}
	if !spec.Tumbling() {
		return nil, notScalar(x, "sliding window")
	}
	ts, err := castNode(args[0], TypeTimestamp, x.Args[0])
	if err != nil {
		return nil, err
	}
	return &node{typ: WindowType, nullable: true, src: x, eval: func(c *evalCtx) (arrow.Array, error) {
		in, err := ts.run(c)
		if err != nil {
			return nil, err
		}
		defer in.Release()
		vals := values[int64](in)
		starts := make([]int64, c.n)
		var valid []bool
		if in.NullN() > 0 {
			valid = make([]bool, c.n)
		}
		for i, t := range vals {
			starts[i] = t - floorMod(t-spec.Start, spec.Slide)
			if valid != nil {
				valid[i] = in.IsValid(i)
			}
		}
		return spec.WindowStructs(c.mem, starts, valid), nil
	}}, nil
}

func registerScalars() {
	registerStringFuncs()
	registerCondFuncs()
	registerDatetimeFuncs()
	registerMathFuncs()
	registerNestedFuncs()
	registerJSONFuncs()
}
