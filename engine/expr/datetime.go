package expr

import (
	"strings"
	"time"
)

// Timestamps are interpreted and rendered in UTC (Spark's session time zone
// set to UTC).

func digitsAt(b []byte, i, minN, maxN int) (v, next int, ok bool) {
	j := i
	for j < len(b) && j-i < maxN && b[j] >= '0' && b[j] <= '9' {
		v = v*10 + int(b[j]-'0')
		j++
	}
	if j-i < minN {
		return 0, i, false
	}
	return v, j, true
}

// parseDateParts reads [+-]yyyy[-[m]m[-[d]d]] and returns the position after.
func parseDateParts(b []byte) (y, m, d, next int, ok bool) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	y, i, ok = digitsAt(b, i, 4, 7)
	if !ok {
		return
	}
	if neg {
		y = -y
	}
	m, d = 1, 1
	if i < len(b) && b[i] == '-' {
		if m, i, ok = digitsAt(b, i+1, 1, 2); !ok {
			return
		}
		if i < len(b) && b[i] == '-' {
			if d, i, ok = digitsAt(b, i+1, 1, 2); !ok {
				return
			}
		}
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, 0, false
	}
	return y, m, d, i, true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseDate is Spark's stringToDate: yyyy, yyyy-[m]m, yyyy-[m]m-[d]d,
// optionally followed by ' ' or 'T' and anything.
func parseDate(b []byte) (int32, bool) {
	b = trimSpace(b)
	y, m, d, i, ok := parseDateParts(b)
	if !ok || (i < len(b) && b[i] != ' ' && b[i] != 'T') {
		return 0, false
	}
	return int32(floorDiv(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix(), 86400)), true
}

// parseTimestamp is Spark's lenient stringToTimestamp: a date as in
// parseDate, then ' ' or 'T' and [h]h[:[m]m[:[s]s[.fraction]]], then an
// optional zone: Z, +hh[:mm], UTC, GMT+hh:mm or a region name.
func parseTimestamp(b []byte) (int64, bool) {
	b = trimSpace(b)
	y, mo, d, i, ok := parseDateParts(b)
	if !ok {
		return 0, false
	}
	var h, mi, s, nanos int
	loc := time.UTC
	if i < len(b) {
		if b[i] != ' ' && b[i] != 'T' {
			return 0, false
		}
		i++
		if i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if h, i, ok = digitsAt(b, i, 1, 2); !ok {
				return 0, false
			}
			if i < len(b) && b[i] == ':' {
				if mi, i, ok = digitsAt(b, i+1, 1, 2); !ok {
					return 0, false
				}
				if i < len(b) && b[i] == ':' {
					if s, i, ok = digitsAt(b, i+1, 1, 2); !ok {
						return 0, false
					}
					if i < len(b) && b[i] == '.' {
						j := i + 1
						scale := 100000000
						for j < len(b) && b[j] >= '0' && b[j] <= '9' {
							nanos += int(b[j]-'0') * scale
							scale /= 10
							j++
						}
						i = j
					}
				}
			}
		}
		if i < len(b) {
			if loc, ok = parseZone(string(trimSpace(b[i:]))); !ok {
				return 0, false
			}
		}
	}
	if h > 23 || mi > 59 || s > 59 {
		return 0, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, nanos/1000*1000, loc)
	return microsOfTime(t), true
}

// parseZone reads a zone id: Z, +h, +hh, +hh:mm, +hhmm, UTC, GMT, UT
// (optionally followed by an offset) or a region name.
func parseZone(z string) (*time.Location, bool) {
	if z == "" || z == "Z" {
		return time.UTC, true
	}
	up := strings.ToUpper(z)
	for _, p := range []string{"UTC", "GMT", "UT"} {
		if strings.HasPrefix(up, p) {
			rest := z[len(p):]
			if rest == "" {
				return time.UTC, true
			}
			if rest[0] == '+' || rest[0] == '-' {
				z = rest
				break
			}
		}
	}
	if z[0] == '+' || z[0] == '-' {
		sign := 1
		if z[0] == '-' {
			sign = -1
		}
		digits := strings.ReplaceAll(z[1:], ":", "")
		var h, m int
		switch len(digits) {
		case 1, 2:
			h = atoiSmall(digits)
		case 3:
			h, m = atoiSmall(digits[:1]), atoiSmall(digits[1:])
		case 4:
			h, m = atoiSmall(digits[:2]), atoiSmall(digits[2:])
		default:
			return nil, false
		}
		if h < 0 || m < 0 || h > 18 || m > 59 {
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

func atoiSmall(s string) int {
	v := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}
