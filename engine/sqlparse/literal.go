package sqlparse

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/decimal128"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/internal/sqlsyntax"
	"github.com/gostream/gostream/engine/types"
)

func stringLit(s string) *expr.Literal {
	return &expr.Literal{Value: s, Type: arrow.BinaryTypes.String}
}

func boolLit(b bool) *expr.Literal {
	return &expr.Literal{Value: b, Type: arrow.FixedWidthTypes.Boolean}
}

// litString returns the value of a string literal.
func litString(e expr.Expr) (string, bool) {
	lit, ok := e.(*expr.Literal)
	if !ok {
		return "", false
	}
	s, ok := lit.Value.(string)
	return s, ok
}

// stringLiteral reads one or more adjacent string tokens: Spark joins
// 'a' 'b' into 'ab'.
func (p *parser) stringLiteral() expr.Expr {
	s := p.Next().Text
	if p.Peek().Kind != sqlsyntax.String {
		return stringLit(s)
	}
	var b strings.Builder
	b.WriteString(s)
	for p.Peek().Kind == sqlsyntax.String {
		b.WriteString(p.Next().Text)
	}
	return stringLit(b.String())
}

func (p *parser) hexLiteral(t sqlsyntax.Token) (expr.Expr, error) {
	h := t.Text
	if len(h)%2 == 1 {
		h = "0" + h
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassTypedLiteral,
			fmt.Sprintf("The value of the typed literal \"X\" is invalid: '%s'", t.Text), err)
	}
	return &expr.Literal{Value: b, Type: arrow.BinaryTypes.Binary}, nil
}

// numberLiteral converts a numeric token, with sign "" or "-":
//
//	123          int32 when it fits, else int64, else decimal(digits,0)
//	123L 12S 1Y  int64, int16, int8
//	1.5 .5 1.    float64 (Spark types these decimal(p,s); see the package doc)
//	1e3 1.5D     float64
//	1.5F         float32
//	1.5BD        decimal128 with the written precision and scale
func (p *parser) numberLiteral(t sqlsyntax.Token, sign string) (expr.Expr, error) {
	text := t.Text
	lower := strings.ToLower(text)
	body := sign + text
	rangeErr := func(typ string, min, max string) error {
		return sqlsyntax.NewError(p.Src, t.Pos, ClassNumericRange, fmt.Sprintf(
			"Numeric literal %s is outside the valid range for %s with minimum value of %s and maximum value of %s. Please adjust the value accordingly",
			body[:len(body)-suffixLen(lower)], typ, min, max), nil)
	}
	switch {
	case strings.HasSuffix(lower, "bd"):
		return p.decimalLiteral(t, body[:len(body)-2])
	case strings.HasSuffix(lower, "l"):
		v, err := strconv.ParseInt(body[:len(body)-1], 10, 64)
		if err != nil {
			return nil, rangeErr("bigint", "-9223372036854775808", "9223372036854775807")
		}
		return &expr.Literal{Value: v, Type: arrow.PrimitiveTypes.Int64}, nil
	case strings.HasSuffix(lower, "s"):
		v, err := strconv.ParseInt(body[:len(body)-1], 10, 16)
		if err != nil {
			return nil, rangeErr("smallint", "-32768", "32767")
		}
		return &expr.Literal{Value: int16(v), Type: arrow.PrimitiveTypes.Int16}, nil
	case strings.HasSuffix(lower, "y"):
		v, err := strconv.ParseInt(body[:len(body)-1], 10, 8)
		if err != nil {
			return nil, rangeErr("tinyint", "-128", "127")
		}
		return &expr.Literal{Value: int8(v), Type: arrow.PrimitiveTypes.Int8}, nil
	case strings.HasSuffix(lower, "f"):
		v, err := strconv.ParseFloat(body[:len(body)-1], 32)
		if err != nil {
			return nil, rangeErr("float", "-3.4028235E38", "3.4028235E38")
		}
		return &expr.Literal{Value: float32(v), Type: arrow.PrimitiveTypes.Float32}, nil
	case strings.HasSuffix(lower, "d") || strings.ContainsAny(lower, ".e"):
		num := strings.TrimSuffix(strings.TrimSuffix(body, "d"), "D")
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsInf(v, 0) {
			return nil, rangeErr("double", "-1.7976931348623157E308", "1.7976931348623157E308")
		}
		return &expr.Literal{Value: v, Type: arrow.PrimitiveTypes.Float64}, nil
	}
	if v, err := strconv.ParseInt(body, 10, 64); err == nil {
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return &expr.Literal{Value: int32(v), Type: arrow.PrimitiveTypes.Int32}, nil
		}
		return &expr.Literal{Value: v, Type: arrow.PrimitiveTypes.Int64}, nil
	}
	return p.decimalLiteral(t, body)
}

func suffixLen(lower string) int {
	switch {
	case strings.HasSuffix(lower, "bd"):
		return 2
	case strings.IndexByte("lsyfd", lower[len(lower)-1]) >= 0:
		return 1
	}
	return 0
}

// decimalLiteral converts "[-]digits[.digits][e[+-]digits]" to a decimal128
// literal whose precision and scale are those written (Spark's BigDecimal).
func (p *parser) decimalLiteral(t sqlsyntax.Token, num string) (expr.Expr, error) {
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		if e, err := strconv.Atoi(num[i+1:]); err != nil || e > 2*types.MaxDecimalPrecision || e < -2*types.MaxDecimalPrecision {
			return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassNumericRange, fmt.Sprintf(
				"Numeric literal %s does not fit a decimal: the exponent is out of range", num), nil)
		}
	}
	if len(num) > 200 {
		return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassNumericRange, "Numeric literal "+num[:20]+"... does not fit a decimal: too many digits", nil)
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return nil, p.SyntaxErr(t, "invalid number")
	}
	// Scale: digits after the point, adjusted by the exponent.
	mant, exp := strings.ToLower(num), 0
	if i := strings.IndexByte(mant, 'e'); i >= 0 {
		exp, _ = strconv.Atoi(mant[i+1:])
		mant = mant[:i]
	}
	scale := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = len(mant) - i - 1
	}
	scale -= exp
	if scale < 0 {
		scale = 0
	}
	unscaled := new(big.Int).Mul(r.Num(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	unscaled.Quo(unscaled, r.Denom())
	digits := len(new(big.Int).Abs(unscaled).String())
	precision := digits
	if precision < scale {
		precision = scale
	}
	if precision < 1 {
		precision = 1
	}
	if err := types.CheckDecimal(precision, scale); err != nil {
		return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassNumericRange, fmt.Sprintf(
			"Numeric literal %s does not fit a decimal: %v", num, err), err)
	}
	return &expr.Literal{Value: decimal128.FromBigInt(unscaled),
		Type: &arrow.Decimal128Type{Precision: int32(precision), Scale: int32(scale)}}, nil
}

// typedLiteral parses DATE '...', TIMESTAMP '...' and TIMESTAMP_LTZ '...';
// timestamps without a zone are read in UTC, the session time zone.
func (p *parser) typedLiteral(kw sqlsyntax.Token) (expr.Expr, error) {
	valTok := p.Peek()
	s := p.stringLiteral().(*expr.Literal).Value.(string)
	name := strings.ToUpper(kw.Text)
	bad := func() error {
		return sqlsyntax.NewError(p.Src, valTok.Pos, ClassTypedLiteral,
			fmt.Sprintf("The value of the typed literal \"%s\" is invalid: '%s'", name, s), nil)
	}
	switch name {
	case "DATE":
		d, ok := types.ParseDate(s)
		if !ok {
			return nil, bad()
		}
		return &expr.Literal{Value: d, Type: arrow.FixedWidthTypes.Date32}, nil
	case "TIMESTAMP_NTZ":
		err := types.UnsupportedName("timestamp_ntz", "TIMESTAMP_NTZ")
		return nil, sqlsyntax.NewError(p.Src, kw.Pos, ClassUnsupportedDT, strings.TrimPrefix(err.Error(), "[UNSUPPORTED_DATATYPE] "), err)
	default:
		ts, ok := types.ParseTimestamp(s, nil)
		if !ok {
			return nil, bad()
		}
		return &expr.Literal{Value: ts, Type: arrow.FixedWidthTypes.Timestamp_us}, nil
	}
}

// intervalLiteral parses the forms
//
//	INTERVAL '1 hour 30 minutes'
//	INTERVAL '10' SECOND      INTERVAL 10 SECONDS      INTERVAL -1.5 HOURS
//	INTERVAL 1 HOUR 30 MINUTES
//
// into a Literal: day-time intervals are arrow.Duration microseconds of type
// arrow.FixedWidthTypes.Duration_us, year-month intervals arrow.MonthInterval
// of type arrow.FixedWidthTypes.MonthInterval. Mixing both is refused.
func (p *parser) intervalLiteral(kw sqlsyntax.Token) (expr.Expr, error) {
	var iv calendarInterval
	first := p.Peek()
	if first.Kind == sqlsyntax.String && !sqlsyntax.IsUnitToken(p.PeekAt(1)) {
		s := p.stringLiteral().(*expr.Literal).Value.(string)
		v, err := parseCalendarInterval(s)
		if err != nil {
			return nil, sqlsyntax.NewError(p.Src, first.Pos, ClassSyntax, err.Error(), err)
		}
		iv = v
	} else {
		for {
			t := p.Peek()
			sign := ""
			if t.IsOp("-") || t.IsOp("+") {
				p.Next()
				sign = t.Text
				t = p.Peek()
			}
			if t.Kind != sqlsyntax.Number && t.Kind != sqlsyntax.String {
				return nil, p.SyntaxErr(t, "expected a number after INTERVAL, as in INTERVAL 10 SECONDS")
			}
			p.Next()
			u := p.Next()
			if !sqlsyntax.IsUnitToken(u) {
				return nil, p.SyntaxErr(u, "expected an interval unit such as SECOND, MINUTE, HOUR, DAY")
			}
			if p.Peek().Is("TO") {
				return nil, sqlsyntax.NewError(p.Src, p.Peek().Pos, ClassUnsupportedSQL,
					"INTERVAL ... TO ... is not supported; write the parts out, as in INTERVAL 1 HOUR 30 MINUTES", nil)
			}
			val := strings.TrimSpace(t.Text)
			if sign == "-" {
				val = "-" + val
			}
			if err := iv.add(val, u.Text); err != nil {
				return nil, sqlsyntax.NewError(p.Src, t.Pos, ClassSyntax, "Error parsing interval: "+err.Error(), err)
			}
			if !p.moreIntervalParts() {
				break
			}
		}
	}
	switch {
	case iv.months != 0 && iv.micros != 0:
		return nil, sqlsyntax.NewError(p.Src, kw.Pos, ClassUnsupportedSQL,
			"an INTERVAL cannot mix months or years with days or time; split it into two intervals", nil)
	case iv.months != 0:
		if iv.months > math.MaxInt32 || iv.months < math.MinInt32 {
			return nil, sqlsyntax.NewError(p.Src, kw.Pos, ClassSyntax, "interval is out of range", nil)
		}
		return &expr.Literal{Value: arrow.MonthInterval(iv.months), Type: arrow.FixedWidthTypes.MonthInterval}, nil
	}
	return &expr.Literal{Value: arrow.Duration(iv.micros), Type: arrow.FixedWidthTypes.Duration_us}, nil
}

// moreIntervalParts reports whether "[+-] value unit" comes next.
func (p *parser) moreIntervalParts() bool {
	k := 0
	if t := p.Peek(); t.IsOp("-") || t.IsOp("+") {
		k = 1
	}
	v := p.PeekAt(k)
	return (v.Kind == sqlsyntax.Number || v.Kind == sqlsyntax.String) && sqlsyntax.IsUnitToken(p.PeekAt(k+1))
}
