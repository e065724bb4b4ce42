package expr

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
)

// formatDouble renders f as Java's Double.toString (and Float.toString when
// bits is 32), which is how Spark casts floating point numbers to strings:
// "1.0", "0.001", "1.0E7", "1.0E-4", "NaN", "Infinity".
func formatDouble(f float64, bits int) string {
	return string(appendDouble(nil, f, bits))
}

func appendDouble(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, bits)
	// e is d[.ddd]e±XX
	epos := 0
	for i, c := range e {
		if c == 'e' {
			epos = i
			break
		}
	}
	var dbuf [32]byte
	digits := append(dbuf[:0], e[0])
	if epos > 1 {
		digits = append(digits, e[2:epos]...)
	}
	exp := 0
	for _, c := range e[epos+2:] {
		exp = exp*10 + int(c-'0')
	}
	if e[epos+1] == '-' {
		exp = -exp
	}
	if f >= 1e-3 && f < 1e7 {
		if exp >= 0 {
			intLen := exp + 1
			for len(digits) < intLen {
				digits = append(digits, '0')
			}
			dst = append(dst, digits[:intLen]...)
			dst = append(dst, '.')
			if len(digits) == intLen {
				return append(dst, '0')
			}
			return append(dst, digits[intLen:]...)
		}
		dst = append(dst, '0', '.')
		for i := 0; i < -exp-1; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[0], '.')
	if len(digits) == 1 {
		dst = append(dst, '0')
	} else {
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'E')
	return strconv.AppendInt(dst, int64(exp), 10)
}

// formatTimestamp renders microseconds since the epoch as Spark casts a
// timestamp to string: "yyyy-MM-dd HH:mm:ss" plus the fraction of a second
// without trailing zeros.
func formatTimestamp(us int64) string { return string(appendTimestamp(nil, us)) }

func appendTimestamp(dst []byte, us int64) []byte {
	sec := floorDiv(us, 1e6)
	frac := us - sec*1e6
	t := time.Unix(sec, 0).UTC()
	dst = appendDate(dst, t)
	dst = append(dst, ' ')
	dst = append2(dst, t.Hour())
	dst = append(dst, ':')
	dst = append2(dst, t.Minute())
	dst = append(dst, ':')
	dst = append2(dst, t.Second())
	if frac != 0 {
		var f [7]byte
		f[0] = '.'
		v := frac
		for i := 6; i >= 1; i-- {
			f[i] = byte('0' + v%10)
			v /= 10
		}
		end := 7
		for f[end-1] == '0' {
			end--
		}
		dst = append(dst, f[:end]...)
	}
	return dst
}

func appendDate(dst []byte, t time.Time) []byte {
	y := t.Year()
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	if y < 1000 {
		dst = append(dst, "000"[:4-len(strconv.Itoa(y))]...)
	}
	dst = strconv.AppendInt(dst, int64(y), 10)
	dst = append(dst, '-')
	dst = append2(dst, int(t.Month()))
	dst = append(dst, '-')
	return append2(dst, t.Day())
}

func append2(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

// formatDate renders days since the epoch as "yyyy-MM-dd".
func formatDate(days int32) string {
	return string(appendDate(nil, time.Unix(int64(days)*86400, 0).UTC()))
}

// formatDecimal renders an unscaled decimal value with scale digits after
// the point, as Spark casts a decimal to string ("1.50", "-0.05").
func formatDecimal(n decimal128.Num, scale int32) string {
	s := n.BigInt().String()
	if scale <= 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	for len(s) <= int(scale) {
		s = "0" + s
	}
	out := s[:len(s)-int(scale)] + "." + s[len(s)-int(scale):]
	if neg {
		out = "-" + out
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// timeOfMicros converts microseconds since the epoch to a UTC time.
func timeOfMicros(us int64) time.Time {
	return time.Unix(floorDiv(us, 1e6), floorMod(us, 1e6)*1000).UTC()
}

func microsOfTime(t time.Time) int64 {
	return t.Unix()*1e6 + int64(t.Nanosecond()/1000)
}

// literalTimestamp converts a time.Time to a timestamp literal value.
func literalTimestamp(t time.Time) arrow.Timestamp { return arrow.Timestamp(microsOfTime(t)) }
