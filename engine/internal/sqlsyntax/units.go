package sqlsyntax

import "strings"

// IntervalUnit is one unit of an interval: either months or microseconds.
type IntervalUnit struct {
	Months int64
	Micros int64
}

// units maps every accepted unit name, lower case, singular and plural, with
// Spark's names and the usual abbreviations.
var units = func() map[string]IntervalUnit {
	m := map[string]IntervalUnit{}
	add := func(u IntervalUnit, names ...string) {
		for _, n := range names {
			m[n] = u
		}
	}
	add(IntervalUnit{Months: 12}, "year", "years", "y", "yr", "yrs")
	add(IntervalUnit{Months: 1}, "month", "months", "mon", "mons")
	add(IntervalUnit{Micros: 7 * 86_400_000_000}, "week", "weeks", "w")
	add(IntervalUnit{Micros: 86_400_000_000}, "day", "days", "d")
	add(IntervalUnit{Micros: 3_600_000_000}, "hour", "hours", "h", "hr", "hrs")
	add(IntervalUnit{Micros: 60_000_000}, "minute", "minutes", "m", "min", "mins")
	add(IntervalUnit{Micros: 1_000_000}, "second", "seconds", "s", "sec", "secs")
	add(IntervalUnit{Micros: 1_000}, "millisecond", "milliseconds", "ms", "msec", "msecs")
	add(IntervalUnit{Micros: 1}, "microsecond", "microseconds", "us", "usec", "usecs", "µs")
	return m
}()

// UnitOf looks up an interval unit by name, in any case: Spark's names
// (second, seconds, ...) and the usual abbreviations (s, sec, ms, ...).
func UnitOf(name string) (IntervalUnit, bool) {
	u, ok := units[strings.ToLower(name)]
	return u, ok
}

// IsUnitToken reports whether t is an identifier naming an interval unit.
func IsUnitToken(t Token) bool {
	if t.Kind != Ident {
		return false
	}
	_, ok := UnitOf(t.Text)
	return ok
}
