package datetime

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ErrParse is wrapped by errors about a value that does not match a
// datetime pattern or Spark's lenient timestamp and date syntax.
var ErrParse = errors.New("cannot parse datetime")

// StringToTimestamp reads s with Spark's lenient timestamp syntax, the one
// CAST(s AS TIMESTAMP) and the JSON and CSV readers without a
// timestampFormat use: yyyy, yyyy-[m]m or yyyy-[m]m-[d]d (the year has 4 to
// 7 digits and may be signed), then optionally 'T' or ' ' and
// [h]h:[m]m[:[s]s[.fraction]], then optionally a zone: Z, +h, +hh:mm,
// +hhmm, UTC, GMT, UTC+hh:mm or a region id such as Europe/Paris.
// Surrounding whitespace is ignored and fraction digits past microseconds
// are dropped. A wall time without a zone is read in loc (UTC when nil).
// ok is false when s is not a timestamp (the cast gives null).
func StringToTimestamp(s string, loc *time.Location) (micros int64, ok bool) {
	s = trimSpace(s)
	y, m, d, p, ok := lenientDate(s)
	if !ok {
		return 0, false
	}
	var hh, mi, ss, nanos int
	if p < len(s) {
		if s[p] != 'T' && s[p] != ' ' {
			return 0, false
		}
		p++
		if p < len(s) && isDigit(s[p]) {
			var ok bool
			hh, p, ok = digits12(s, p)
			if !ok || hh > 23 || p >= len(s) || s[p] != ':' {
				return 0, false
			}
			mi, p, ok = digits12(s, p+1)
			if !ok || mi > 59 {
				return 0, false
			}
			if p < len(s) && s[p] == ':' {
				ss, p, ok = digits12(s, p+1)
				if !ok || ss > 59 {
					return 0, false
				}
				if p < len(s) && s[p] == '.' {
					p++
					n := 0
					for p < len(s) && isDigit(s[p]) {
						if n < 9 {
							nanos = nanos*10 + int(s[p]-'0')
						}
						n++
						p++
					}
					for ; n < 9; n++ {
						nanos *= 10
					}
				}
			}
		}
	}
	if p < len(s) {
		if s[p] == ' ' {
			p++
		}
		zone := s[p:]
		if zone == "" {
			return 0, false
		}
		if off, n := parseNumericOffset(zone); n == len(zone) {
			return civilMicros(y, m, d, hh, mi, ss, nanos) - int64(off)*1e6, true
		}
		zl, err := LoadZone(zone)
		if err != nil {
			return 0, false
		}
		loc = zl
	}
	nanos = nanos / 1000 * 1000
	return localMicros(y, m, d, hh, mi, ss, nanos, loc), true
}

// ParseTimestamp is StringToTimestamp with an error wrapping ErrParse that
// names the expected syntax.
func ParseTimestamp(s string, loc *time.Location) (int64, error) {
	v, ok := StringToTimestamp(s, loc)
	if !ok {
		return 0, fmt.Errorf("%w %q as a timestamp: use yyyy-MM-dd HH:mm:ss[.SSSSSS][zone] or set timestampFormat", ErrParse, s)
	}
	return v, nil
}

// StringToDate reads s with Spark's lenient date syntax, the one
// CAST(s AS DATE) and the readers without a dateFormat use: yyyy,
// yyyy-[m]m or yyyy-[m]m-[d]d, optionally followed by 'T' or ' ' and
// anything (a time part is ignored). Surrounding whitespace is ignored. The
// result is days since the epoch; ok is false when s is not a date.
func StringToDate(s string) (days int32, ok bool) {
	s = trimSpace(s)
	y, m, d, p, ok := lenientDate(s)
	if !ok || (p < len(s) && s[p] != 'T' && s[p] != ' ') {
		return 0, false
	}
	return int32(DaysFromCivil(y, m, d)), true
}

// ParseDate is StringToDate with an error wrapping ErrParse that names the
// expected syntax.
func ParseDate(s string) (int32, error) {
	v, ok := StringToDate(s)
	if !ok {
		return 0, fmt.Errorf("%w %q as a date: use yyyy-MM-dd or set dateFormat", ErrParse, s)
	}
	return v, nil
}

// lenientDate reads [+-]yyyy[-[m]m[-[d]d]] and returns the position after it.
func lenientDate(s string) (y int64, m, d, p int, ok bool) {
	neg := false
	if p < len(s) && (s[p] == '-' || s[p] == '+') {
		neg = s[p] == '-'
		p++
	}
	start := p
	for p < len(s) && isDigit(s[p]) && p-start < 7 {
		y = y*10 + int64(s[p]-'0')
		p++
	}
	if p-start < 4 || (p < len(s) && isDigit(s[p])) {
		return 0, 0, 0, 0, false
	}
	if neg {
		y = -y
	}
	m, d = 1, 1
	if p < len(s) && s[p] == '-' {
		m, p, ok = digits12(s, p+1)
		if !ok || m < 1 || m > 12 {
			return 0, 0, 0, 0, false
		}
		if p < len(s) && s[p] == '-' {
			d, p, ok = digits12(s, p+1)
			if !ok || d < 1 || d > DaysIn(y, m) {
				return 0, 0, 0, 0, false
			}
		}
	}
	return y, m, d, p, true
}

// digits12 reads a number of one or two digits (not three).
func digits12(s string, p int) (int, int, bool) {
	if p >= len(s) || !isDigit(s[p]) {
		return 0, p, false
	}
	v := int(s[p] - '0')
	p++
	if p < len(s) && isDigit(s[p]) {
		v = v*10 + int(s[p]-'0')
		p++
	}
	if p < len(s) && isDigit(s[p]) {
		return 0, p, false
	}
	return v, p, true
}

// trimSpace drops the ASCII whitespace and control characters Spark's
// UTF8String.trimAll drops.
func trimSpace(s string) string {
	for len(s) > 0 && s[0] <= ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] <= ' ' {
		s = s[:len(s)-1]
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// LoadZone resolves a Spark time zone id: UTC, GMT, UT, Z, a fixed offset
// (+08:00, +0800, UTC+8, GMT-05:30) or a region id such as
// America/Los_Angeles. Results are cached, so resolving the zone of every
// value of a column is cheap.
func LoadZone(name string) (*time.Location, error) {
	switch strings.ToUpper(name) {
	case "", "UTC", "Z", "GMT", "UT", "ETC/UTC", "ETC/GMT":
		return time.UTC, nil
	}
	if v, ok := zoneCache.Load(name); ok {
		return v.(*time.Location), nil
	}
	name = strings.Clone(name) // name may view a caller's buffer
	rest := name
	for _, prefix := range []string{"UTC", "GMT", "UT"} {
		if len(rest) > len(prefix) && strings.EqualFold(rest[:len(prefix)], prefix) && (rest[len(prefix)] == '+' || rest[len(prefix)] == '-') {
			rest = rest[len(prefix):]
			break
		}
	}
	var loc *time.Location
	if off, n := parseNumericOffset(rest); n > 0 && n == len(rest) {
		loc = time.FixedZone(name, off)
	} else {
		l, err := time.LoadLocation(name)
		if err != nil {
			return nil, fmt.Errorf("unknown time zone %q: use a region id such as Europe/Paris or an offset such as +02:00: %w", name, err)
		}
		loc = l
	}
	zoneCache.Store(name, loc)
	return loc, nil
}

var zoneCache sync.Map // zone name -> *time.Location

// parseNumericOffset reads [+-]H[H][[:]MM[[:]SS]] and returns the offset in
// seconds and the bytes consumed (0 when there is none).
func parseNumericOffset(s string) (int, int) {
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, 0
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	h, p, ok := readNum(s, 1, 1, 2)
	if !ok || h > 18 {
		return 0, 0
	}
	secs := h * 3600
	for part := 0; part < 2; part++ {
		q := p
		if q < len(s) && s[q] == ':' {
			q++
		}
		v, q2, ok := readNum(s, q, 2, 2)
		if !ok || v > 59 {
			break
		}
		if part == 0 {
			secs += v * 60
		} else {
			secs += v
		}
		p = q2
	}
	return sign * secs, p
}

// readNum reads minD to maxD decimal digits at pos.
func readNum(s string, pos, minD, maxD int) (int, int, bool) {
	v, n := 0, 0
	for pos+n < len(s) && n < maxD && isDigit(s[pos+n]) {
		v = v*10 + int(s[pos+n]-'0')
		n++
	}
	if n < minD {
		return 0, pos, false
	}
	return v, pos + n, true
}
