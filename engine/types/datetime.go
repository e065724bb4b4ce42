package types

import (
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
)

// ParseDate reads a date as Spark's cast from string does:
// "yyyy", "yyyy-[m]m", "yyyy-[m]m-[d]d", optionally followed by a space or
// 'T' and anything else (a time part is ignored). Surrounding whitespace is
// trimmed. ok is false when s is not a valid date (a cast yields null).
func ParseDate(s string) (d arrow.Date32, ok bool) {
	s = strings.TrimSpace(s)
	y, m, day, rest, ok := scanDate(s)
	if !ok {
		return 0, false
	}
	if rest != "" && rest[0] != ' ' && rest[0] != 'T' {
		return 0, false
	}
	return arrow.Date32(daysFromCivil(y, m, day)), true
}

// ParseTimestamp reads a timestamp as Spark's cast from string does:
// a date as ParseDate reads it, optionally followed by a space or 'T' and a
// time "[h]h:[m]m[:[s]s[.fraction]]" (fraction digits past microseconds are
// dropped), optionally followed by a zone: "Z", "+hh", "+hh:mm", "+hhmm",
// "UTC", "GMT", "UT" (each also with an offset, "UTC+02:00") or a region
// such as "Europe/Paris". Without a zone the wall time is read in loc (the
// session time zone; nil means UTC). ok is false when s is not a valid
// timestamp. The result is microseconds since the epoch.
func ParseTimestamp(s string, loc *time.Location) (ts arrow.Timestamp, ok bool) {
	s = strings.TrimSpace(s)
	y, mo, d, rest, ok := scanDate(s)
	if !ok {
		return 0, false
	}
	var h, mi, sec, micros int
	if rest != "" {
		if rest[0] != ' ' && rest[0] != 'T' {
			return 0, false
		}
		rest = strings.TrimLeft(rest[1:], " ")
		if rest != "" && isDigit(rest[0]) {
			if h, rest, ok = scanInt(rest, 1, 2); !ok || h > 23 || rest == "" || rest[0] != ':' {
				return 0, false
			}
			if mi, rest, ok = scanInt(rest[1:], 1, 2); !ok || mi > 59 {
				return 0, false
			}
			if rest != "" && rest[0] == ':' {
				if sec, rest, ok = scanInt(rest[1:], 1, 2); !ok || sec > 59 {
					return 0, false
				}
				if rest != "" && rest[0] == '.' {
					rest = rest[1:]
					n := 0
					for n < len(rest) && isDigit(rest[n]) {
						if n < 6 {
							micros = micros*10 + int(rest[n]-'0')
						}
						n++
					}
					for i := n; i < 6; i++ {
						micros *= 10
					}
					rest = rest[n:]
				}
			}
		}
	}
	rest = strings.TrimLeft(rest, " ")
	if rest != "" {
		zone, ok := parseZone(rest)
		if !ok {
			return 0, false
		}
		loc = zone
	}
	if loc == nil || loc == time.UTC {
		secs := daysFromCivil(y, mo, d)*86400 + int64(h*3600+mi*60+sec)
		return arrow.Timestamp(secs*1_000_000 + int64(micros)), true
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, micros*1000, loc)
	return arrow.Timestamp(t.UnixMicro()), true
}

// parseZone reads a zone suffix of a timestamp string.
func parseZone(z string) (*time.Location, bool) {
	switch z {
	case "Z", "UTC", "GMT", "UT":
		return time.UTC, true
	}
	offsetPart := z
	for _, prefix := range []string{"UTC", "GMT", "UT"} {
		if strings.HasPrefix(z, prefix) && len(z) > len(prefix) && (z[len(prefix)] == '+' || z[len(prefix)] == '-') {
			offsetPart = z[len(prefix):]
			break
		}
	}
	if offsetPart[0] == '+' || offsetPart[0] == '-' {
		sign := 1
		if offsetPart[0] == '-' {
			sign = -1
		}
		body := offsetPart[1:]
		if len(body) == 4 { // +hhmm
			body = body[:2] + ":" + body[2:]
		}
		h, rest, ok := scanInt(body, 1, 2)
		if !ok {
			return nil, false
		}
		m := 0
		switch {
		case rest == "":
		case rest[0] == ':':
			if m, rest, ok = scanInt(rest[1:], 2, 2); !ok || rest != "" {
				return nil, false
			}
		default:
			return nil, false
		}
		if h > 18 || m > 59 {
			return nil, false
		}
		return time.FixedZone(z, sign*(h*3600+m*60)), true
	}
	loc, err := time.LoadLocation(z)
	if err != nil {
		return nil, false
	}
	return loc, true
}

// scanDate reads [+-]yyyy[-[m]m[-[d]d]] and returns what follows.
func scanDate(s string) (y, m, d int, rest string, ok bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if y, s, ok = scanInt(s, 4, 6); !ok {
		return 0, 0, 0, "", false
	}
	if neg {
		y = -y
	}
	m, d = 1, 1
	if s != "" && s[0] == '-' {
		if m, s, ok = scanInt(s[1:], 1, 2); !ok || m < 1 || m > 12 {
			return 0, 0, 0, "", false
		}
		if s != "" && s[0] == '-' {
			if d, s, ok = scanInt(s[1:], 1, 2); !ok || d < 1 || d > daysIn(y, m) {
				return 0, 0, 0, "", false
			}
		}
	}
	return y, m, d, s, true
}

// scanInt reads between min and max decimal digits.
func scanInt(s string, min, max int) (v int, rest string, ok bool) {
	n := 0
	for n < len(s) && n < max && isDigit(s[n]) {
		v = v*10 + int(s[n]-'0')
		n++
	}
	if n < min || (n < len(s) && isDigit(s[n])) {
		return 0, s, false
	}
	return v, s[n:], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// FormatDate renders a date as Spark casts it to string: "2024-01-31".
func FormatDate(d arrow.Date32) string {
	return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02")
}

// FormatTimestamp renders a timestamp (microseconds since the epoch) as
// Spark casts it to string, in loc (nil means UTC): "2024-01-31 10:00:00",
// with the fraction of a second only when not zero and without trailing
// zeros ("2024-01-31 10:00:00.25").
func FormatTimestamp(ts arrow.Timestamp, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t := time.UnixMicro(int64(ts)).In(loc)
	out := t.Format("2006-01-02 15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		frac := strings.TrimRight(strconv.Itoa(1_000_000 + us)[1:], "0")
		out += "." + frac
	}
	return out
}
