package expr

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/datetime"
	"github.com/gostream/gostream/engine/format"
)

// explicitCast binds CAST(child AS to), refusing the casts Spark refuses.
func (b *binder) explicitCast(n *node, to arrow.DataType, src *Cast) (*node, error) {
	if !canCast(n.typ, to) {
		return nil, dataTypeMismatch("CAST_WITHOUT_SUGGESTION", src, "cannot cast %q to %q.",
			SQLTypeName(n.typ), SQLTypeName(to))
	}
	out, err := castNode(n, to, src)
	if err != nil {
		return nil, err
	}
	if out == n {
		cp := *n
		cp.src = src
		return &cp, nil
	}
	return out, nil
}

// castNode converts n to type to (a no-op when it already has that type).
func castNode(n *node, to arrow.DataType, src Expr) (*node, error) {
	if arrow.TypeEqual(n.typ, to) {
		return n, nil
	}
	if n.isConst && n.value == nil {
		return &node{typ: to, nullable: true, isConst: true, src: src}, nil
	}
	from := n.typ
	out := &node{typ: to, nullable: true, src: src, eval: func(c *evalCtx) (arrow.Array, error) {
		a, err := n.run(c)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		return castArray(c, a, to)
	}}
	if !castMayNull(from, to) {
		out.nullable = n.nullable
	}
	if n.isConst {
		return fold(out), nil
	}
	return out, nil
}

// castMayNull reports whether a cast can turn a value into null.
func castMayNull(from, to arrow.DataType) bool {
	if isString(to) {
		return false
	}
	if (isIntegral(from) || from.ID() == arrow.BOOL) && (IsNumeric(to) && !isDecimal(to) || to.ID() == arrow.BOOL) {
		return false
	}
	return true
}

// castArray converts a whole array following Spark's cast with ANSI mode
// off: values that do not convert become null.
func castArray(c *evalCtx, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
	from := a.DataType()
	if arrow.TypeEqual(from, to) {
		a.Retain()
		return a, nil
	}
	n := a.Len()
	if from.ID() == arrow.NULL {
		return array.MakeArrayOfNull(c.mem, to, n), nil
	}
	if isString(to) || to.ID() == arrow.BINARY {
		if from.ID() == arrow.STRING || from.ID() == arrow.BINARY {
			return retype(a, to), nil
		}
		if to.ID() == arrow.STRING {
			return castToString(c, a), nil
		}
		return castIntegralToBinary(c, a), nil
	}
	if isString(from) {
		return castFromString(c, a.(*array.String), to)
	}
	switch to.ID() {
	case arrow.INT8:
		return castToFixed[int8](c, a, to), nil
	case arrow.INT16:
		return castToFixed[int16](c, a, to), nil
	case arrow.INT32:
		return castToFixed[int32](c, a, to), nil
	case arrow.INT64:
		return castToFixed[int64](c, a, to), nil
	case arrow.FLOAT32:
		return castToFixed[float32](c, a, to), nil
	case arrow.FLOAT64:
		return castToFixed[float64](c, a, to), nil
	case arrow.BOOL:
		return castToBool(c, a), nil
	case arrow.DECIMAL128:
		return castToDecimal(c, a, to.(*arrow.Decimal128Type)), nil
	case arrow.TIMESTAMP:
		return castToTimestamp(c, a), nil
	case arrow.DATE32:
		if from.ID() == arrow.TIMESTAMP {
			in := values[int64](a)
			buf, out := fixedBuf[int32](c.mem, n)
			for i, v := range in {
				out[i] = int32(floorDiv(v, 86400e6))
			}
			valid, nulls := copyValidity(c.mem, a)
			return makeArray(to, n, valid, nulls, buf), nil
		}
	case arrow.LIST, arrow.MAP, arrow.STRUCT:
		return castNested(c, a, to)
	}
	return nil, errorf("cannot cast %s to %s", SQLTypeName(from), SQLTypeName(to))
}

// retype shares a's buffers under another type (STRING <-> BINARY).
func retype(a arrow.Array, to arrow.DataType) arrow.Array {
	d := a.Data()
	nd := array.NewData(to, d.Len(), d.Buffers(), d.Children(), d.NullN(), d.Offset())
	out := array.MakeFromData(nd)
	nd.Release()
	return out
}

// numericFloat reads row values of any numeric, boolean or time type as
// float64 (timestamps in seconds) for casts into floating point.
func toFloat64s(a arrow.Array) []float64 {
	n := a.Len()
	out := make([]float64, n)
	switch a.DataType().ID() {
	case arrow.INT8:
		convert(values[int8](a), out)
	case arrow.INT16:
		convert(values[int16](a), out)
	case arrow.INT32:
		convert(values[int32](a), out)
	case arrow.INT64:
		convert(values[int64](a), out)
	case arrow.FLOAT32:
		convert(values[float32](a), out)
	case arrow.FLOAT64:
		copy(out, values[float64](a))
	case arrow.TIMESTAMP:
		for i, v := range values[int64](a) {
			out[i] = float64(v) / 1e6
		}
	}
	return out
}

func convert[F, T ordered](in []F, out []T) {
	out = out[:len(in)]
	for i := range in {
		out[i] = T(in[i])
	}
}

// floatToInt is Java's narrowing of a floating point value: NaN is 0 and
// out-of-range values saturate to the 64-bit (long) or 32-bit range.
func floatToInt64(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

func floatToInt32(f float64) int32 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int32(f)
}

func castToFixed[T ordered](c *evalCtx, a arrow.Array, to arrow.DataType) arrow.Array {
	n := a.Len()
	buf, out := fixedBuf[T](c.mem, n)
	valid, nulls := copyValidity(c.mem, a)
	toFloat := isFloatT[T]()
	switch from := a.DataType(); from.ID() {
	case arrow.INT8:
		convert(values[int8](a), out)
	case arrow.INT16:
		convert(values[int16](a), out)
	case arrow.INT32:
		convert(values[int32](a), out)
	case arrow.INT64:
		convert(values[int64](a), out)
	case arrow.FLOAT32, arrow.FLOAT64:
		fs := toFloat64s(a)
		switch {
		case toFloat:
			convert(fs, out)
		case to.ID() == arrow.INT64:
			for i, f := range fs {
				out[i] = T(floatToInt64(f))
			}
		default: // int, and byte/short through int as Scala's toByte does
			for i, f := range fs {
				out[i] = T(floatToInt32(f))
			}
		}
	case arrow.BOOL:
		b := a.(*array.Boolean)
		for i := 0; i < n; i++ {
			if b.Value(i) {
				out[i] = 1
			}
		}
	case arrow.TIMESTAMP:
		if toFloat {
			convert(toFloat64s(a), out)
		} else {
			for i, v := range values[int64](a) {
				out[i] = T(floorDiv(v, 1e6))
			}
		}
	case arrow.DECIMAL128:
		scale := from.(*arrow.Decimal128Type).Scale
		for i, v := range values[decimal128.Num](a) {
			if toFloat {
				out[i] = T(v.ToFloat64(scale))
			} else {
				q := new(big.Int).Quo(v.BigInt(), pow10(scale))
				out[i] = T(q.Int64())
			}
		}
	case arrow.DATE32:
		if valid != nil {
			valid.Release()
		}
		buf.Release()
		return array.MakeArrayOfNull(c.mem, to, n)
	}
	return makeArray(to, n, valid, nulls, buf)
}

func castToBool(c *evalCtx, a arrow.Array) arrow.Array {
	n := a.Len()
	if a.DataType().ID() == arrow.DATE32 {
		return array.MakeArrayOfNull(c.mem, TypeBoolean, n)
	}
	bits := allocBitmap(c.mem, n)
	out := bits.Bytes()
	switch a.DataType().ID() {
	case arrow.DECIMAL128:
		for i, v := range values[decimal128.Num](a) {
			if v.Sign() != 0 {
				setBit(out, i)
			}
		}
	case arrow.TIMESTAMP, arrow.INT64:
		for i, v := range values[int64](a) {
			if v != 0 {
				setBit(out, i)
			}
		}
	default:
		for i, f := range toFloat64s(a) {
			if f != 0 {
				setBit(out, i)
			}
		}
	}
	valid, nulls := copyValidity(c.mem, a)
	return makeArray(TypeBoolean, n, valid, nulls, bits)
}

func castToDecimal(c *evalCtx, a arrow.Array, to *arrow.Decimal128Type) arrow.Array {
	n := a.Len()
	buf, out := fixedBuf[decimal128.Num](c.mem, n)
	nb := newBitmapBuilder(c.mem, n)
	bits, off := validity(a)
	from := a.DataType()
	var fs []float64
	if isFloating(from) || from.ID() == arrow.TIMESTAMP {
		fs = toFloat64s(a)
	}
	for i := 0; i < n; i++ {
		if !isValid(bits, off, i) {
			nb.setNull(i)
			continue
		}
		var v *big.Int
		switch from.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
			v = new(big.Int).Mul(big.NewInt(intAt(a, i)), pow10(to.Scale))
		case arrow.BOOL:
			v = new(big.Int).Mul(big.NewInt(int64(b2u(a.(*array.Boolean).Value(i)))), pow10(to.Scale))
		case arrow.DECIMAL128:
			d := a.(*array.Decimal128)
			v = rescaleBig(d.Value(i).BigInt(), from.(*arrow.Decimal128Type).Scale, to.Scale)
		case arrow.FLOAT32, arrow.FLOAT64, arrow.TIMESTAMP:
			f := fs[i]
			if math.IsNaN(f) || math.IsInf(f, 0) {
				nb.setNull(i)
				continue
			}
			// through the shortest decimal text, as Scala's BigDecimal(double)
			r, _ := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
			v = ratToScaled(r, to.Scale)
		default:
			nb.setNull(i)
			continue
		}
		if !fitsPrecision(v, to.Precision) {
			nb.setNull(i)
			continue
		}
		out[i] = decimal128.FromBigInt(v)
	}
	valid, nulls := nb.finish()
	return makeArray(to, n, valid, nulls, buf)
}

func ratToScaled(r *big.Rat, scale int32) *big.Int {
	num := new(big.Int).Mul(r.Num(), pow10(scale))
	return divHalfUp(num, r.Denom())
}

func intAt(a arrow.Array, i int) int64 {
	switch x := a.(type) {
	case *array.Int8:
		return int64(x.Value(i))
	case *array.Int16:
		return int64(x.Value(i))
	case *array.Int32:
		return int64(x.Value(i))
	case *array.Int64:
		return x.Value(i)
	}
	return 0
}

func castToTimestamp(c *evalCtx, a arrow.Array) arrow.Array {
	n := a.Len()
	buf, out := fixedBuf[int64](c.mem, n)
	from := a.DataType()
	switch from.ID() {
	case arrow.TIMESTAMP:
		mult, div := int64(1), int64(1)
		switch from.(*arrow.TimestampType).Unit {
		case arrow.Second:
			mult = 1e6
		case arrow.Millisecond:
			mult = 1e3
		case arrow.Nanosecond:
			div = 1e3
		}
		for i, v := range values[int64](a) {
			out[i] = floorDiv(v*mult, div)
		}
	case arrow.DATE32:
		for i, v := range values[int32](a) {
			out[i] = int64(v) * 86400e6
		}
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.BOOL:
		for i := 0; i < n; i++ {
			var s int64
			if b, ok := a.(*array.Boolean); ok {
				s = int64(b2u(b.Value(i)))
			} else {
				s = intAt(a, i)
			}
			out[i] = saturatingMul(s, 1e6)
		}
	case arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128:
		nb := newBitmapBuilder(c.mem, n)
		bits, off := validity(a)
		var fs []float64
		if from.ID() == arrow.DECIMAL128 {
			fs = make([]float64, n)
			scale := from.(*arrow.Decimal128Type).Scale
			for i, v := range values[decimal128.Num](a) {
				fs[i] = v.ToFloat64(scale)
			}
		} else {
			fs = toFloat64s(a)
		}
		for i, f := range fs {
			if !isValid(bits, off, i) || math.IsNaN(f) || math.IsInf(f, 0) {
				nb.setNull(i)
				continue
			}
			out[i] = floatToInt64(f * 1e6)
		}
		valid, nulls := nb.finish()
		return makeArray(TypeTimestamp, n, valid, nulls, buf)
	}
	valid, nulls := copyValidity(c.mem, a)
	return makeArray(TypeTimestamp, n, valid, nulls, buf)
}

func saturatingMul(a, b int64) int64 {
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	if a < math.MinInt64/b {
		return math.MinInt64
	}
	return a * b
}

func castIntegralToBinary(c *evalCtx, a arrow.Array) arrow.Array {
	n := a.Len()
	so := newStrOut(c.mem, n, n*8)
	size := a.DataType().(arrow.FixedWidthDataType).BitWidth() / 8
	for i := 0; i < n; i++ {
		if a.IsNull(i) {
			so.pushNull()
			continue
		}
		v := intAt(a, i)
		b := make([]byte, size) // big-endian, as Spark's cast
		for k := size - 1; k >= 0; k-- {
			b[k] = byte(v)
			v >>= 8
		}
		so.push(b)
	}
	return so.finish(TypeBinary)
}

// ---- to string ----

func castToString(c *evalCtx, a arrow.Array) arrow.Array {
	n := a.Len()
	so := newStrOut(c.mem, n, n*8)
	bits, off := validity(a)
	push := func(i int, f func(dst []byte) []byte) {
		if !isValid(bits, off, i) {
			so.pushNull()
			return
		}
		so.push(f(so.scratch(32)))
	}
	switch x := a.(type) {
	case *array.Int8, *array.Int16, *array.Int32, *array.Int64:
		for i := 0; i < n; i++ {
			if !isValid(bits, off, i) {
				so.pushNull()
				continue
			}
			so.push(strconv.AppendInt(so.scratch(20), intAt(a, i), 10))
		}
	case *array.Float64:
		vals := x.Float64Values()
		for i := 0; i < n; i++ {
			if !isValid(bits, off, i) {
				so.pushNull()
				continue
			}
			so.push(format.AppendJavaFloat(so.scratch(32), vals[i], 64))
		}
	case *array.Float32:
		vals := x.Float32Values()
		for i := 0; i < n; i++ {
			push(i, func(dst []byte) []byte { return format.AppendJavaFloat(dst, float64(vals[i]), 32) })
		}
	case *array.Boolean:
		for i := 0; i < n; i++ {
			if !isValid(bits, off, i) {
				so.pushNull()
			} else if x.Value(i) {
				so.pushString("true")
			} else {
				so.pushString("false")
			}
		}
	case *array.Timestamp:
		vals := values[int64](a)
		for i := 0; i < n; i++ {
			push(i, func(dst []byte) []byte { return datetime.AppendTimestamp(dst, vals[i], nil) })
		}
	case *array.Date32:
		vals := values[int32](a)
		for i := 0; i < n; i++ {
			push(i, func(dst []byte) []byte { return datetime.AppendDate(dst, vals[i]) })
		}
	default:
		for i := 0; i < n; i++ {
			push(i, func(dst []byte) []byte { return castText.Append(dst, a, i) })
		}
	}
	return so.finish(TypeString)
}

// castText renders values as Spark's cast to string does, nested ones
// included: [1, 2], {1, a}, {a -> 1}.
var castText = format.Formatter{BinaryAsText: true}

// ---- from string ----

func castFromString(c *evalCtx, a *array.String, to arrow.DataType) (arrow.Array, error) {
	switch to.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		longs := parseIntegrals(c, a, to)
		if to.ID() == arrow.INT64 {
			return longs, nil
		}
		defer longs.Release()
		return castArray(c, longs, to)
	case arrow.FLOAT32, arrow.FLOAT64:
		doubles := parseStrings(c, a, TypeDouble, parseDouble)
		if to.ID() == arrow.FLOAT64 {
			return doubles, nil
		}
		defer doubles.Release()
		return castArray(c, doubles, to)
	case arrow.BOOL:
		n := a.Len()
		nb := newBitmapBuilder(c.mem, n)
		bits, off := validity(a)
		offs, data := binData(a)
		vb := allocBitmap(c.mem, n)
		out := vb.Bytes()
		for i := 0; i < n; i++ {
			if !isValid(bits, off, i) {
				nb.setNull(i)
				continue
			}
			v, ok := parseBool(data[offs[i]:offs[i+1]])
			if !ok {
				nb.setNull(i)
				continue
			}
			if v {
				setBit(out, i)
			}
		}
		valid, nulls := nb.finish()
		return makeArray(TypeBoolean, n, valid, nulls, vb), nil
	case arrow.DECIMAL128:
		dt := to.(*arrow.Decimal128Type)
		return parseStrings(c, a, to, func(b []byte) (decimal128.Num, bool) {
			r, ok := new(big.Rat).SetString(strings.TrimSpace(string(b)))
			if !ok {
				return decimal128.Num{}, false
			}
			v := ratToScaled(r, dt.Scale)
			if !fitsPrecision(v, dt.Precision) {
				return decimal128.Num{}, false
			}
			return decimal128.FromBigInt(v), true
		}), nil
	case arrow.TIMESTAMP:
		return parseStrings(c, a, TypeTimestamp, func(b []byte) (int64, bool) {
			return datetime.StringToTimestamp(viewString(b), nil)
		}), nil
	case arrow.DATE32:
		return parseStrings(c, a, TypeDate, func(b []byte) (int32, bool) {
			return datetime.StringToDate(viewString(b))
		}), nil
	}
	return nil, errorf("cannot cast STRING to %s", SQLTypeName(to))
}

// parseIntegrals is parseStrings(c, a, TypeLong, parseIntegral) with the
// range of type to checked, written out because the call through a func
// value costs a sixth of the time of these short parses.
func parseIntegrals(c *evalCtx, a *array.String, to arrow.DataType) arrow.Array {
	lo, hi := intRange(to)
	n := a.Len()
	nb := newBitmapBuilder(c.mem, n)
	bits, off := validity(a)
	offs, data := binData(a)
	buf, out := fixedBuf[int64](c.mem, n)
	for i := 0; i < n; i++ {
		if !isValid(bits, off, i) {
			nb.setNull(i)
			continue
		}
		v, ok := parseIntegral(data[offs[i]:offs[i+1]])
		if !ok || v < lo || v > hi {
			nb.setNull(i)
			continue
		}
		out[i] = v
	}
	valid, nulls := nb.finish()
	return makeArray(TypeLong, n, valid, nulls, buf)
}

// parseStrings parses every string of a into a fixed-width array of type
// t; null strings, and strings parse refuses, give null.
func parseStrings[T any](c *evalCtx, a *array.String, t arrow.DataType, parse func([]byte) (T, bool)) arrow.Array {
	n := a.Len()
	nb := newBitmapBuilder(c.mem, n)
	bits, off := validity(a)
	offs, data := binData(a)
	buf, out := fixedBuf[T](c.mem, n)
	for i := 0; i < n; i++ {
		if !isValid(bits, off, i) {
			nb.setNull(i)
			continue
		}
		v, ok := parse(data[offs[i]:offs[i+1]])
		if !ok {
			nb.setNull(i)
			continue
		}
		out[i] = v
	}
	valid, nulls := nb.finish()
	return makeArray(t, n, valid, nulls, buf)
}

func intRange(t arrow.DataType) (int64, int64) {
	switch t.ID() {
	case arrow.INT8:
		return math.MinInt8, math.MaxInt8
	case arrow.INT16:
		return math.MinInt16, math.MaxInt16
	case arrow.INT32:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func isSpace(c byte) bool { return c <= ' ' }

// viewString returns b as a string without copying; the string must not
// outlive b's buffer.
func viewString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// parseIntegral reads a string as Spark's UTF8String.toLong: optional sign,
// digits, and an optional fraction that is dropped ("1.9" is 1).
func parseIntegral(b []byte) (int64, bool) {
	b = trimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var v uint64
	digits := 0
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		d := uint64(b[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
		digits++
	}
	if i < len(b) {
		if b[i] != '.' {
			return 0, false
		}
		for i++; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' {
				return 0, false
			}
		}
	}
	if digits == 0 && i == 0 {
		return 0, false
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// parseDouble reads a string as Java's Double.parseDouble after trimming,
// plus Spark's spellings of infinity and NaN.
func parseDouble(b []byte) (float64, bool) {
	b = trimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	s := string(b)
	switch strings.ToLower(s) {
	case "inf", "+inf", "infinity", "+infinity":
		return math.Inf(1), true
	case "-inf", "-infinity":
		return math.Inf(-1), true
	case "nan":
		return math.NaN(), true
	}
	if last := s[len(s)-1]; last == 'd' || last == 'D' || last == 'f' || last == 'F' {
		s = s[:len(s)-1]
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == 'e' || r == 'E' || r == '+' || r == '-') {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v, true
		}
		return 0, false
	}
	return v, true
}

func parseBool(b []byte) (bool, bool) {
	switch strings.ToLower(string(trimSpace(b))) {
	case "t", "true", "y", "yes", "1":
		return true, true
	case "f", "false", "n", "no", "0":
		return false, true
	}
	return false, false
}

// ---- nested ----

func castNested(c *evalCtx, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
	d := a.Data()
	switch to.ID() {
	case arrow.LIST:
		l := a.(*array.List)
		vals := l.ListValues()
		cv, err := castArray(c, vals, to.(*arrow.ListType).Elem())
		if err != nil {
			return nil, err
		}
		defer cv.Release()
		nd := array.NewData(to, d.Len(), d.Buffers(), []arrow.ArrayData{cv.Data()}, d.NullN(), d.Offset())
		defer nd.Release()
		return array.MakeFromData(nd), nil
	case arrow.MAP:
		m := a.(*array.Map)
		tm := to.(*arrow.MapType)
		k, err := castArray(c, m.Keys(), tm.KeyType())
		if err != nil {
			return nil, err
		}
		defer k.Release()
		v, err := castArray(c, m.Items(), tm.ItemType())
		if err != nil {
			return nil, err
		}
		defer v.Release()
		entries := array.NewData(tm.Elem(), k.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{k.Data(), v.Data()}, 0, 0)
		defer entries.Release()
		nd := array.NewData(to, d.Len(), d.Buffers(), []arrow.ArrayData{entries}, d.NullN(), d.Offset())
		defer nd.Release()
		return array.MakeFromData(nd), nil
	case arrow.STRUCT:
		s := a.(*array.Struct)
		ts := to.(*arrow.StructType)
		kids := make([]arrow.ArrayData, s.NumField())
		var made []arrow.Array
		defer func() { releaseAll(made) }()
		for f := 0; f < s.NumField(); f++ {
			cf, err := castArray(c, s.Field(f), ts.Field(f).Type)
			if err != nil {
				return nil, err
			}
			made = append(made, cf)
			kids[f] = cf.Data()
		}
		valid, nulls := copyValidity(c.mem, a)
		return makeNested(to, s.Len(), valid, nulls, nil, kids), nil
	}
	return nil, errorf("cannot cast %s to %s", SQLTypeName(a.DataType()), SQLTypeName(to))
}
