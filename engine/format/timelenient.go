package format

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// ParseTimestamp parses s with Spark's lenient timestamp syntax (the one
// CAST(s AS TIMESTAMP) and the JSON and CSV readers use when no
// timestampFormat is set): yyyy, yyyy-[m]m, yyyy-[m]m-[d]d, then optionally
// 'T' or ' ' and [h]h:[m]m[:[s]s[.fraction]], then optionally a zone: Z,
// +h, +hh:mm, +hhmm, UTC, GMT, UTC+hh:mm or a region id such as
// Europe/Paris. Fractions beyond microseconds are truncated. Values without
// a zone are read in loc (UTC when nil). The result is microseconds since
// the epoch.
func ParseTimestamp(s string, loc *time.Location) (int64, error) {
	v, ok := parseLenientTimestamp(s, loc)
	if !ok {
		return 0, fmt.Errorf("%w %q as a timestamp: use yyyy-MM-dd HH:mm:ss[.SSSSSS][zone] or set timestampFormat", ErrTimeParse, s)
	}
	return v, nil
}

func parseLenientTimestamp(s string, loc *time.Location) (int64, bool) {
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

// ParseDate parses s with Spark's lenient date syntax (used when no
// dateFormat is set): yyyy, yyyy-[m]m, yyyy-[m]m-[d]d, optionally followed by
// 'T' or ' ' and anything. The result is days since the epoch.
func ParseDate(s string) (int32, error) {
	v, ok := parseLenientDate(s)
	if !ok {
		return 0, fmt.Errorf("%w %q as a date: use yyyy-MM-dd or set dateFormat", ErrTimeParse, s)
	}
	return v, nil
}

func parseLenientDate(s string) (int32, bool) {
	s = trimSpace(s)
	y, m, d, p, ok := lenientDate(s)
	if !ok || (p < len(s) && s[p] != 'T' && s[p] != ' ') {
		return 0, false
	}
	return int32(daysFromCivil(y, m, d)), true
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
			if !ok || d < 1 || d > daysIn(y, m) {
				return 0, 0, 0, 0, false
			}
		}
	}
	return y, m, d, p, true
}

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

// LoadZone resolves a Spark timeZone value: UTC, GMT, Z, a fixed offset
// (+08:00, UTC+8, GMT-05:30) or a region id such as America/Los_Angeles.
func LoadZone(name string) (*time.Location, error) {
	switch strings.ToUpper(name) {
	case "", "UTC", "Z", "GMT", "UT", "ETC/UTC", "ETC/GMT":
		return time.UTC, nil
	}
	if v, ok := zoneCache.Load(name); ok {
		return v.(*time.Location), nil
	}
	name = strings.Clone(name) // name may view a decoder's input buffer
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
