package sqlparse

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/gostream/gostream/engine/internal/sqlsyntax"
)

// ErrInvalidInterval is wrapped by every error of ParseInterval and
// ParseNonNegativeInterval.
var ErrInvalidInterval = errors.New("invalid interval")

// calendarInterval is a parsed interval: months (from years and months) and
// microseconds (from everything else; a day is 24 hours).
type calendarInterval struct {
	months, micros int64
}

// add adds value (a decimal number, possibly signed or fractional) of unit.
func (iv *calendarInterval) add(value, unit string) error {
	u, ok := sqlsyntax.UnitOf(unit)
	if !ok {
		return fmt.Errorf("invalid unit '%s' (use microsecond, millisecond, second, minute, hour, day, week, month or year)", unit)
	}
	if strings.ContainsAny(value, "eE/") || len(value) > 40 {
		return fmt.Errorf("unrecognized number '%s'", value)
	}
	r, ok := new(big.Rat).SetString(value)
	if !ok {
		return fmt.Errorf("unrecognized number '%s'", value)
	}
	per, target := u.Micros, &iv.micros
	if u.Months != 0 {
		per, target = u.Months, &iv.months
		if !r.IsInt() {
			return fmt.Errorf("'%s %s' has a fraction of a %s; use whole months and years", value, unit, strings.TrimSuffix(strings.ToLower(unit), "s"))
		}
	}
	r.Mul(r, new(big.Rat).SetInt64(per))
	n := new(big.Int).Quo(r.Num(), r.Denom()) // truncates toward zero
	n.Add(n, big.NewInt(*target))
	if !n.IsInt64() {
		return fmt.Errorf("'%s %s' is out of range", value, unit)
	}
	*target = n.Int64()
	return nil
}

// parseCalendarInterval reads "[interval] value unit [value unit ...]".
func parseCalendarInterval(s string) (calendarInterval, error) {
	var iv calendarInterval
	fail := func(reason string) (calendarInterval, error) {
		return calendarInterval{}, fmt.Errorf("%w: Error parsing '%s' to interval, %s", ErrInvalidInterval, s, reason)
	}
	rest := strings.TrimSpace(s)
	if len(rest) >= 8 && strings.EqualFold(rest[:8], "interval") {
		rest = strings.TrimSpace(rest[8:])
	}
	if rest == "" {
		return fail("it has no value and unit, as in '10 seconds'")
	}
	for rest != "" {
		// Value: [+-] [spaces] digits [. digits]
		i := 0
		sign := ""
		if rest[0] == '+' || rest[0] == '-' {
			if rest[0] == '-' {
				sign = "-"
			}
			i = 1
			for i < len(rest) && rest[i] == ' ' {
				i++
			}
		}
		start := i
		for i < len(rest) && (isDigit(rest[i]) || rest[i] == '.') {
			i++
		}
		if i == start {
			if sign != "" || start > 0 {
				return fail("expect a number after '" + rest[:1] + "'")
			}
			return fail("unrecognized number '" + firstWord(rest) + "'")
		}
		value := sign + rest[start:i]
		rest = strings.TrimLeft(rest[i:], " \t")
		j := 0
		for j < len(rest) && rest[j] != ' ' && rest[j] != '\t' && rest[j] != ',' && !isDigit(rest[j]) && rest[j] != '+' && rest[j] != '-' {
			j++
		}
		if j == 0 {
			return fail("missing the unit after '" + value + "'")
		}
		unit := rest[:j]
		rest = strings.TrimLeft(strings.TrimLeft(rest[j:], " \t"), ",")
		rest = strings.TrimLeft(rest, " \t")
		if err := iv.add(value, unit); err != nil {
			return fail(err.Error())
		}
	}
	return iv, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// ParseInterval reads a Spark duration string, as withWatermark and window
// take them: "10 seconds", "1 minute", "2 hours", "1 day", "1 hour 30
// minutes", "500 milliseconds", with an optional leading "interval". Units
// are singular or plural and may be abbreviated (us, ms, s, sec, secs, m,
// min, mins, h, hr, hrs, d, w); the unit may follow the number without a
// space ("10s", "1h30m"). Values may be signed and fractional ("1.5 hours").
// A day is 24 hours. Months and years have no fixed length and are refused.
// The result is whole microseconds; negative results are allowed (see
// ParseNonNegativeInterval).
func ParseInterval(s string) (time.Duration, error) {
	iv, err := parseCalendarInterval(s)
	if err != nil {
		return 0, err
	}
	if iv.months != 0 {
		return 0, fmt.Errorf("%w: '%s' has months or years, which have no fixed length; use days instead (for example '30 days')", ErrInvalidInterval, s)
	}
	if iv.micros > math.MaxInt64/1000 || iv.micros < math.MinInt64/1000 {
		return 0, fmt.Errorf("%w: '%s' is longer than %v", ErrInvalidInterval, s, time.Duration(math.MaxInt64).Truncate(time.Hour))
	}
	return time.Duration(iv.micros) * time.Microsecond, nil
}

// ParseNonNegativeInterval is ParseInterval that also refuses a negative
// duration, for delays and window lengths.
func ParseNonNegativeInterval(s string) (time.Duration, error) {
	d, err := ParseInterval(s)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("%w: '%s' is negative; it must be zero or more, such as '10 seconds'", ErrInvalidInterval, s)
	}
	return d, nil
}
