package format

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Schema inference: JSONInferrer and CSVInferrer read the bytes of a
// dataset's files once, in order, and give the schema Spark 3.5's
// JsonInferSchema and CSVInferSchema would, restricted to what the
// decoders of this package then read back (a value is inferred as a
// timestamp, a double or a decimal only when the decoder accepts it as
// one). ParquetSchema reads a Parquet footer. Everything inferred is
// nullable, as Spark makes file source schemas.

// ikind is an inferred type. The order does not matter; compatibility is
// decided by jsonCompat and csvCompat.
type ikind uint8

const (
	iNull ikind = iota
	iBool
	iInt // CSV only
	iLong
	iDecimal
	iDouble
	iDate // CSV only
	iTimestamp
	iString
	iStruct // JSON only
	iArray  // JSON only
)

// maxInferPrecision is Spark's DecimalType.MAX_PRECISION.
const maxInferPrecision = 38

// scalar is an inferred atomic type; prec and scale are used by iDecimal.
type scalar struct {
	kind        ikind
	prec, scale int32
}

func (s scalar) arrowType() arrow.DataType {
	switch s.kind {
	case iBool:
		return arrow.FixedWidthTypes.Boolean
	case iInt:
		return arrow.PrimitiveTypes.Int32
	case iLong:
		return arrow.PrimitiveTypes.Int64
	case iDecimal:
		return &arrow.Decimal128Type{Precision: s.prec, Scale: s.scale}
	case iDouble:
		return arrow.PrimitiveTypes.Float64
	case iDate:
		return arrow.FixedWidthTypes.Date32
	case iTimestamp:
		return arrow.FixedWidthTypes.Timestamp_us
	}
	return arrow.BinaryTypes.String
}

// catalogName is Spark's catalogString of an atomic inferred type.
func (s scalar) catalogName() string {
	switch s.kind {
	case iBool:
		return "boolean"
	case iInt:
		return "int"
	case iLong:
		return "bigint"
	case iDecimal:
		return fmt.Sprintf("decimal(%d,%d)", s.prec, s.scale)
	case iDouble:
		return "double"
	case iDate:
		return "date"
	case iTimestamp:
		return "timestamp"
	case iStruct:
		return "struct"
	case iArray:
		return "array"
	}
	return "string"
}

// mergeDecimals is the decimal rule shared by JSON and CSV inference: keep
// the widest integral part and the largest scale; past 38 digits the type
// becomes double.
func mergeDecimals(ap, as, bp, bs int32) scalar {
	scale := max(as, bs)
	rng := max(ap-as, bp-bs)
	if rng+scale > maxInferPrecision {
		return scalar{kind: iDouble}
	}
	return scalar{kind: iDecimal, prec: rng + scale, scale: scale}
}

// integralDecimal merges an integral type, seen as decimal(digits, 0),
// with a decimal: the decimal when it is wide enough (Spark's
// findTightestCommonType), else the decimal rule.
func integralDecimal(digits int32, d scalar) scalar {
	if d.prec-d.scale >= digits && d.scale >= 0 {
		return d
	}
	return mergeDecimals(digits, 0, d.prec, d.scale)
}

// sampler picks the records that schema inference looks at, as Spark's
// samplingRatio option: every record when the ratio is above 0.99, else
// each with probability ratio, from a fixed seed so that the same input
// gives the same schema.
type sampler struct {
	ratio float64
	state uint64
}

func newSampler(ratio float64) sampler {
	if ratio <= 0 {
		ratio = 1
	}
	return sampler{ratio: ratio, state: 1}
}

// keep reports whether the next record is sampled.
func (s *sampler) keep() bool {
	if s.ratio > 0.99 {
		return true
	}
	s.state += 0x9e3779b97f4a7c15 // splitmix64
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11)/(1<<53) < s.ratio
}

// samplingRatioOption reads the samplingRatio option (default 1.0).
func samplingRatioOption(om optionMap) (float64, error) {
	v, ok := om.get("samplingRatio")
	if !ok {
		return 1, nil
	}
	r, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, fmt.Errorf("option samplingRatio must be a number in (0, 1], got %q", v)
	}
	if !(r > 0) {
		s := strconv.FormatFloat(r, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return 0, fmt.Errorf("requirement failed: samplingRatio (%s) should be greater than 0", s)
	}
	return r, nil
}

func inferDigit(c byte) bool { return c >= '0' && c <= '9' }

// decimalShape returns the precision and scale that Java's
// new BigDecimal(s) gives s: digits with an optional point and exponent.
// ok is false when s is not such a number.
func decimalShape(s []byte) (prec, scale int, ok bool) {
	p := 0
	if p < len(s) && (s[p] == '+' || s[p] == '-') {
		p++
	}
	digits, frac, lead := 0, 0, 0
	seenDot, significant := false, false
	for ; p < len(s); p++ {
		c := s[p]
		if inferDigit(c) {
			digits++
			if seenDot {
				frac++
			}
			if c != '0' {
				significant = true
			} else if !significant {
				lead++
			}
			continue
		}
		if c == '.' && !seenDot {
			seenDot = true
			continue
		}
		break
	}
	if digits == 0 {
		return 0, 0, false
	}
	exp := 0
	if p < len(s) && (s[p] == 'e' || s[p] == 'E') {
		p++
		neg := false
		if p < len(s) && (s[p] == '+' || s[p] == '-') {
			neg = s[p] == '-'
			p++
		}
		start := p
		for ; p < len(s) && inferDigit(s[p]); p++ {
			if exp = exp*10 + int(s[p]-'0'); exp > 1<<20 {
				return 0, 0, false
			}
		}
		if p == start {
			return 0, 0, false
		}
		if neg {
			exp = -exp
		}
	}
	if p != len(s) {
		return 0, 0, false
	}
	prec = digits - lead
	if prec == 0 { // the value is zero
		prec = 1
	}
	return prec, frac - exp, true
}

// isJavaDouble reports whether s is a double that both Java's
// Double.parseDouble (which Spark's inference uses) and this package's
// decoders accept: a decimal number with optional fraction and exponent,
// NaN or Infinity, with an optional sign.
func isJavaDouble(s []byte) bool {
	p := 0
	if p < len(s) && (s[p] == '+' || s[p] == '-') {
		p++
	}
	switch string(s[p:]) {
	case "NaN", "Infinity":
		return true
	}
	digits := 0
	for ; p < len(s) && inferDigit(s[p]); p++ {
		digits++
	}
	if p < len(s) && s[p] == '.' {
		p++
		for ; p < len(s) && inferDigit(s[p]); p++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if p < len(s) && (s[p] == 'e' || s[p] == 'E') {
		p++
		if p < len(s) && (s[p] == '+' || s[p] == '-') {
			p++
		}
		start := p
		for p < len(s) && inferDigit(s[p]) {
			p++
		}
		if p == start {
			return false
		}
	}
	return p == len(s)
}
