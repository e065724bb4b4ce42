package format

import (
	"bytes"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"

	"github.com/gostream/gostream/engine/datetime"
)

// Formatter renders single values the way Spark casts them to strings for
// Dataset.show: null as "null", doubles as Java's Double.toString (1.0,
// 1.0E10, NaN, Infinity), decimals in plain notation with their scale
// (40.50), timestamps as "2024-05-01 10:00:03" (fraction only
// when non-zero, trailing zeros cut) in Location, dates as yyyy-MM-dd,
// binary as [0A FF], arrays as [1, 2], structs as {1, a}, maps as
// {k -> v}. The zero Formatter renders timestamps in UTC.
type Formatter struct {
	// Location is the session time zone for timestamps; nil means UTC.
	Location *time.Location
	// Null is the text of a null value; "" means "null" (Spark 3.4 and
	// earlier; Spark 3.5's show prints "NULL").
	Null string
	// BinaryAsText writes binary values as their bytes, as CAST(b AS
	// STRING) does, instead of show's [0A FF].
	BinaryAsText bool
}

func (f Formatter) nullText() string {
	if f.Null == "" {
		return "null"
	}
	return f.Null
}

// FormatValue renders arr[i] as Spark's show does, with timestamps in UTC.
func FormatValue(arr arrow.Array, i int) string {
	return Formatter{}.Format(arr, i)
}

// Format renders arr[i].
func (f Formatter) Format(arr arrow.Array, i int) string {
	return string(f.Append(nil, arr, i))
}

// Append appends the rendering of arr[i] to dst.
func (f Formatter) Append(dst []byte, arr arrow.Array, i int) []byte {
	if arr.IsNull(i) {
		return append(dst, f.nullText()...)
	}
	switch a := arr.(type) {
	case *array.String:
		return append(dst, a.Value(i)...)
	case *array.LargeString:
		return append(dst, a.Value(i)...)
	case *array.Boolean:
		return strconv.AppendBool(dst, a.Value(i))
	case *array.Int8:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int16:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int32:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(i), 10)
	case *array.Uint8:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint16:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint32:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint64:
		return strconv.AppendUint(dst, a.Value(i), 10)
	case *array.Float32:
		return AppendJavaFloat(dst, float64(a.Value(i)), 32)
	case *array.Float64:
		return AppendJavaFloat(dst, a.Value(i), 64)
	case *array.Decimal128:
		return appendPlainDecimal(dst, a.Value(i), a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return datetime.AppendTimestamp(dst, toMicros(int64(a.Value(i)), unit), f.Location)
	case *array.Date32:
		return datetime.AppendDate(dst, int32(a.Value(i)))
	case *array.Date64:
		return datetime.AppendDate(dst, int32(floorDiv(int64(a.Value(i)), 86400000)))
	case *array.Binary:
		return f.appendBinary(dst, a.Value(i))
	case *array.LargeBinary:
		return f.appendBinary(dst, a.Value(i))
	case *array.FixedSizeBinary:
		return f.appendBinary(dst, a.Value(i))
	case *array.Map:
		return f.appendMap(dst, a, i)
	case array.ListLike:
		start, end := a.ValueOffsets(i)
		child := a.ListValues()
		dst = append(dst, '[')
		for j := start; j < end; j++ {
			if j > start {
				dst = append(dst, ", "...)
			}
			dst = f.Append(dst, child, int(j))
		}
		return append(dst, ']')
	case *array.Struct:
		dst = append(dst, '{')
		for k := 0; k < a.NumField(); k++ {
			if k > 0 {
				dst = append(dst, ", "...)
			}
			dst = f.Append(dst, a.Field(k), i)
		}
		return append(dst, '}')
	}
	return append(dst, arr.ValueStr(i)...)
}

func (f Formatter) appendMap(dst []byte, m *array.Map, i int) []byte {
	start, end := m.ValueOffsets(i)
	keys, items := m.Keys(), m.Items()
	dst = append(dst, '{')
	for j := start; j < end; j++ {
		if j > start {
			dst = append(dst, ", "...)
		}
		dst = f.Append(dst, keys, int(j))
		dst = append(dst, " -> "...)
		dst = f.Append(dst, items, int(j))
	}
	return append(dst, '}')
}

func toMicros(v int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return v * 1e6
	case arrow.Millisecond:
		return v * 1e3
	case arrow.Nanosecond:
		return floorDiv(v, 1e3)
	}
	return v
}

// floorDiv is a / b rounded towards negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (f Formatter) appendBinary(dst, b []byte) []byte {
	if f.BinaryAsText {
		return append(dst, b...)
	}
	return appendHex(dst, b)
}

const hexDigits = "0123456789ABCDEF"

func appendHex(dst, b []byte) []byte {
	dst = append(dst, '[')
	for k, c := range b {
		if k > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return append(dst, ']')
}

// AppendJavaFloat appends v as Java's Double.toString (bits 64) or
// Float.toString (bits 32) prints it: the shortest digits that read back
// to the same value, plain notation for magnitudes in [1e-3, 1e7) with at
// least one fractional digit (1.0, 0.001), computerized scientific
// notation otherwise (1.0E7, 1.5E-4), and NaN, Infinity, -Infinity.
func AppendJavaFloat(dst []byte, v float64, bits int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(v, -1):
		return append(dst, "-Infinity"...)
	case v == 0:
		if math.Signbit(v) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	abs := math.Abs(v)
	if abs >= 1e-3 && abs < 1e7 {
		start := len(dst)
		dst = strconv.AppendFloat(dst, v, 'f', -1, bits)
		for _, c := range dst[start:] {
			if c == '.' {
				return dst
			}
		}
		return append(dst, ".0"...)
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], v, 'e', -1, bits)
	if m := bytes.TrimPrefix(s, []byte{'-'}); m[1] == 'e' {
		// Java prints at least two significant digits here, choosing the
		// two-digit decimal closest to the value (4.9E-324, not 5.0E-324).
		s = strconv.AppendFloat(buf[:0], v, 'e', 1, bits)
	}
	e := 0
	for e < len(s) && s[e] != 'e' {
		e++
	}
	mant, exp := s[:e], s[e+1:]
	dst = append(dst, mant...)
	hasDot := false
	for _, c := range mant {
		if c == '.' {
			hasDot = true
		}
	}
	if !hasDot {
		dst = append(dst, ".0"...)
	}
	dst = append(dst, 'E')
	if exp[0] == '-' {
		dst = append(dst, '-')
	}
	exp = exp[1:]
	for len(exp) > 1 && exp[0] == '0' {
		exp = exp[1:]
	}
	return append(dst, exp...)
}

// AppendJavaDecimal appends the unscaled value n with the given scale as
// Java's BigDecimal.toString does: plain (40.50, 0.001) unless the scale is
// negative or the adjusted exponent is below -6, then scientific (0E-18,
// 1.23E+5).
func AppendJavaDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	var digits []byte
	neg := n.Sign() < 0
	if neg {
		n = n.Negate()
	}
	if n.HighBits() == 0 {
		var buf [20]byte
		digits = strconv.AppendUint(buf[:0], n.LowBits(), 10)
	} else {
		digits = []byte(n.BigInt().String())
	}
	if neg {
		dst = append(dst, '-')
	}
	adjusted := -int64(scale) + int64(len(digits)-1)
	if scale >= 0 && adjusted >= -6 {
		s := int(scale)
		switch {
		case s == 0:
			return append(dst, digits...)
		case len(digits) > s:
			dst = append(dst, digits[:len(digits)-s]...)
			dst = append(dst, '.')
			return append(dst, digits[len(digits)-s:]...)
		default:
			dst = append(dst, "0."...)
			for k := len(digits); k < s; k++ {
				dst = append(dst, '0')
			}
			return append(dst, digits...)
		}
	}
	dst = append(dst, digits[0])
	if len(digits) > 1 {
		dst = append(dst, '.')
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'E')
	if adjusted >= 0 {
		dst = append(dst, '+')
	}
	return strconv.AppendInt(dst, adjusted, 10)
}

// AppendPlainDecimal appends the unscaled value n with the given scale as
// Java's BigDecimal.toPlainString does, which is how Spark casts a decimal
// to a string: 40.50, -0.05, 0.000000000000000000, 1200 for scale -2.
func AppendPlainDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	return appendPlainDecimal(dst, n, scale)
}

func appendPlainDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	neg := n.Sign() < 0
	if neg {
		n = n.Negate()
		dst = append(dst, '-')
	}
	var buf [40]byte
	var digits []byte
	if n.HighBits() == 0 {
		digits = strconv.AppendUint(buf[:0], n.LowBits(), 10)
	} else {
		digits = n.BigInt().Append(buf[:0], 10)
	}
	if scale <= 0 {
		dst = append(dst, digits...)
		if n.Sign() != 0 {
			for k := int32(0); k < -scale; k++ {
				dst = append(dst, '0')
			}
		}
		return dst
	}
	s := int(scale)
	if len(digits) > s {
		dst = append(dst, digits[:len(digits)-s]...)
		dst = append(dst, '.')
		return append(dst, digits[len(digits)-s:]...)
	}
	dst = append(dst, "0."...)
	for k := len(digits); k < s; k++ {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// parseDecimal reads a decimal number (digits, optional fraction and
// exponent) and rounds it half-up to scale, as Spark's Decimal.set does. It
// fails when the result needs more than prec digits.
func parseDecimal(s []byte, prec, scale int32) (decimal128.Num, bool) {
	p := 0
	neg := false
	if p < len(s) && (s[p] == '-' || s[p] == '+') {
		neg = s[p] == '-'
		p++
	}
	var mant []byte // significant digits without the point
	var buf [40]byte
	mant = buf[:0]
	fracDigits := 0
	seenDigit, seenDot := false, false
	for ; p < len(s); p++ {
		c := s[p]
		if isDigit(c) {
			seenDigit = true
			if len(mant) == 0 && c == '0' {
				if seenDot {
					fracDigits++
				}
				continue
			}
			mant = append(mant, c)
			if seenDot {
				fracDigits++
			}
			continue
		}
		if c == '.' && !seenDot {
			seenDot = true
			continue
		}
		break
	}
	if !seenDigit {
		return decimal128.Num{}, false
	}
	exp := 0
	if p < len(s) && (s[p] == 'e' || s[p] == 'E') {
		p++
		eneg := false
		if p < len(s) && (s[p] == '-' || s[p] == '+') {
			eneg = s[p] == '-'
			p++
		}
		if p == len(s) {
			return decimal128.Num{}, false
		}
		for ; p < len(s) && isDigit(s[p]); p++ {
			exp = exp*10 + int(s[p]-'0')
			if exp > 10000 {
				return decimal128.Num{}, false
			}
		}
		if eneg {
			exp = -exp
		}
	}
	if p != len(s) {
		return decimal128.Num{}, false
	}
	// value = mant * 10^(exp - fracDigits); want unscaled = value * 10^scale
	shift := exp - fracDigits + int(scale)
	if len(mant) == 0 {
		return decimal128.Num{}, true
	}
	if shift >= 0 {
		if len(mant)+shift > int(prec) {
			return decimal128.Num{}, false
		}
		for k := 0; k < shift; k++ {
			mant = append(mant, '0')
		}
		return decimalFromDigits(mant, neg), true
	}
	cut := -shift
	if cut > len(mant) {
		return decimal128.Num{}, true // rounds to zero (first dropped digit < 5 after the implied zeros)
	}
	keep := mant[:len(mant)-cut]
	roundUp := mant[len(mant)-cut] >= '5'
	var out decimal128.Num
	if len(keep) > 0 {
		out = decimalFromDigits(keep, false)
	}
	if roundUp {
		out = out.Add(decimal128.FromU64(1))
	}
	if !out.FitsInPrecision(prec) {
		return decimal128.Num{}, false
	}
	if neg {
		out = out.Negate()
	}
	return out, true
}

func decimalFromDigits(d []byte, neg bool) decimal128.Num {
	var n decimal128.Num
	if len(d) <= 18 {
		var v uint64
		for _, c := range d {
			v = v*10 + uint64(c-'0')
		}
		n = decimal128.FromU64(v)
	} else {
		b, _ := new(big.Int).SetString(string(d), 10)
		n = decimal128.FromBigInt(b)
	}
	if neg {
		n = n.Negate()
	}
	return n
}
