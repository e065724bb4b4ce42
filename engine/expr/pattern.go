package expr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DatetimePattern is a compiled Java DateTimeFormatter pattern, as Spark's
// date_format, to_timestamp, unix_timestamp and from_unixtime take them
// ("yyyy-MM-dd HH:mm:ss.SSS", "dd/MMM/yyyy:HH:mm:ss Z", ...). Times are
// formatted and, unless the text names a zone, parsed in UTC.
type DatetimePattern struct {
	src    string
	tokens []patToken
}

type patToken struct {
	letter  byte // 0 for a literal
	count   int
	literal string
}

// ParseDatetimePattern compiles a Java datetime pattern. Letters Spark does
// not support in patterns (week-based fields and the like) are refused.
func ParseDatetimePattern(p string) (*DatetimePattern, error) {
	out := &DatetimePattern{src: p}
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\'':
			j := i + 1
			var lit strings.Builder
			for j < len(p) {
				if p[j] == '\'' {
					if j+1 < len(p) && p[j+1] == '\'' {
						lit.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				lit.WriteByte(p[j])
				j++
			}
			if j >= len(p) && !(i+1 < len(p) && p[i+1] == '\'') {
				return nil, fmt.Errorf("[INVALID_DATETIME_PATTERN] unterminated quote in datetime pattern %q", p)
			}
			if j == i+1 { // '' is a quote
				lit.WriteByte('\'')
			}
			out.tokens = append(out.tokens, patToken{literal: lit.String()})
			i = j + 1
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			j := i
			for j < len(p) && p[j] == c {
				j++
			}
			if !strings.ContainsRune("yMdHhkKmsSaEDXxZzVLu", rune(c)) {
				return nil, fmt.Errorf("[INVALID_DATETIME_PATTERN] unsupported datetime pattern letter %q in %q: use y, M, d, H, h, m, s, S, a, E, D, X, Z, z", string(c), p)
			}
			out.tokens = append(out.tokens, patToken{letter: c, count: j - i})
			i = j
		default:
			out.tokens = append(out.tokens, patToken{literal: string(c)})
			i++
		}
	}
	return out, nil
}

func (p *DatetimePattern) String() string { return p.src }

func pad(dst []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// AppendFormat renders micros (since the epoch, UTC) with the pattern.
func (p *DatetimePattern) AppendFormat(dst []byte, micros int64) []byte {
	t := timeOfMicros(micros)
	for _, tk := range p.tokens {
		if tk.letter == 0 {
			dst = append(dst, tk.literal...)
			continue
		}
		switch tk.letter {
		case 'y', 'u':
			y := t.Year()
			if tk.count == 2 {
				dst = pad(dst, y%100, 2)
			} else {
				dst = pad(dst, y, tk.count)
			}
		case 'M', 'L':
			switch {
			case tk.count >= 4:
				dst = append(dst, t.Month().String()...)
			case tk.count == 3:
				dst = append(dst, t.Month().String()[:3]...)
			default:
				dst = pad(dst, int(t.Month()), tk.count)
			}
		case 'd':
			dst = pad(dst, t.Day(), tk.count)
		case 'D':
			dst = pad(dst, t.YearDay(), tk.count)
		case 'H':
			dst = pad(dst, t.Hour(), tk.count)
		case 'k':
			h := t.Hour()
			if h == 0 {
				h = 24
			}
			dst = pad(dst, h, tk.count)
		case 'K':
			dst = pad(dst, t.Hour()%12, tk.count)
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			dst = pad(dst, h, tk.count)
		case 'm':
			dst = pad(dst, t.Minute(), tk.count)
		case 's':
			dst = pad(dst, t.Second(), tk.count)
		case 'S':
			frac := fmt.Sprintf("%06d", floorMod(micros, 1e6)) + "000"
			for i := 0; i < tk.count; i++ {
				if i < len(frac) {
					dst = append(dst, frac[i])
				} else {
					dst = append(dst, '0')
				}
			}
		case 'a':
			if t.Hour() < 12 {
				dst = append(dst, "AM"...)
			} else {
				dst = append(dst, "PM"...)
			}
		case 'E':
			if tk.count >= 4 {
				dst = append(dst, t.Weekday().String()...)
			} else {
				dst = append(dst, t.Weekday().String()[:3]...)
			}
		case 'X':
			dst = append(dst, 'Z')
		case 'x':
			dst = append(dst, []string{"+00", "+0000", "+00:00"}[min(tk.count, 3)-1]...)
		case 'Z':
			if tk.count == 4 {
				dst = append(dst, "GMT"...)
			} else if tk.count == 5 {
				dst = append(dst, 'Z')
			} else {
				dst = append(dst, "+0000"...)
			}
		case 'z', 'V':
			dst = append(dst, "UTC"...)
		}
	}
	return dst
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// Parse reads text with the pattern and returns micros since the epoch; it
// reports false when the text does not match the whole pattern.
func (p *DatetimePattern) Parse(b []byte) (int64, bool) {
	year, month, day, hour, minute, sec, nanos := 1970, 1, 1, 0, 0, 0, 0
	yday := -1
	pm, hour12 := -1, false
	loc := time.UTC
	i := 0
	var ok bool
	for ti, tk := range p.tokens {
		if tk.letter == 0 {
			// Compared in place: string(b[i:]) as an argument copies the
			// rest of the value for every literal of every row.
			if len(b)-i < len(tk.literal) || string(b[i:i+len(tk.literal)]) != tk.literal {
				return 0, false
			}
			i += len(tk.literal)
			continue
		}
		// a field followed directly by a number field must be fixed width
		maxDigits := func(def int) int {
			if tk.count > 1 {
				return tk.count
			}
			if ti+1 < len(p.tokens) && p.tokens[ti+1].letter != 0 && strings.ContainsRune("yMdHhkKmsSD", rune(p.tokens[ti+1].letter)) {
				return max(tk.count, 1)
			}
			return def
		}
		minDigits := tk.count
		if tk.count > 2 {
			minDigits = tk.count
		}
		switch tk.letter {
		case 'y', 'u':
			if tk.count == 2 {
				var v int
				if v, i, ok = digitsAt(b, i, 2, 2); !ok {
					return 0, false
				}
				year = 2000 + v
			} else {
				mx := 9
				if tk.count > 1 {
					mx = max(tk.count, 4)
				}
				if year, i, ok = digitsAt(b, i, minDigits, mx); !ok {
					return 0, false
				}
			}
		case 'M', 'L':
			if tk.count >= 3 {
				rest := strings.ToLower(string(b[i:]))
				found := false
				for mi, name := range monthNames {
					cand := name
					if tk.count == 3 {
						cand = name[:3]
					}
					if strings.HasPrefix(rest, cand) {
						month, i, found = mi+1, i+len(cand), true
						break
					}
				}
				if !found {
					return 0, false
				}
			} else if month, i, ok = digitsAt(b, i, minDigits, maxDigits(2)); !ok {
				return 0, false
			}
		case 'd':
			if day, i, ok = digitsAt(b, i, minDigits, maxDigits(2)); !ok {
				return 0, false
			}
		case 'D':
			if yday, i, ok = digitsAt(b, i, minDigits, maxDigits(3)); !ok {
				return 0, false
			}
		case 'H', 'k':
			if hour, i, ok = digitsAt(b, i, minDigits, maxDigits(2)); !ok {
				return 0, false
			}
			if tk.letter == 'k' && hour == 24 {
				hour = 0
			}
		case 'h', 'K':
			if hour, i, ok = digitsAt(b, i, minDigits, maxDigits(2)); !ok {
				return 0, false
			}
			hour12 = true
		case 'm':
			if minute, i, ok = digitsAt(b, i, minDigits, maxDigits(2)); !ok {
				return 0, false
			}
		case 's':
			if sec, i, ok = digitsAt(b, i, minDigits, maxDigits(2)); !ok {
				return 0, false
			}
		case 'S':
			j := i
			scale := 100000000
			for j < len(b) && j-i < tk.count && b[j] >= '0' && b[j] <= '9' {
				nanos += int(b[j]-'0') * scale
				scale /= 10
				j++
			}
			if j == i {
				return 0, false
			}
			i = j
		case 'a':
			rest := strings.ToUpper(string(b[i:]))
			switch {
			case strings.HasPrefix(rest, "AM"):
				pm = 0
			case strings.HasPrefix(rest, "PM"):
				pm = 1
			default:
				return 0, false
			}
			i += 2
		case 'E':
			j := i
			for j < len(b) && (b[j] >= 'a' && b[j] <= 'z' || b[j] >= 'A' && b[j] <= 'Z') {
				j++
			}
			if j == i {
				return 0, false
			}
			i = j
		case 'X', 'x', 'Z', 'z', 'V':
			j := i
			for j < len(b) && b[j] != ' ' {
				j++
			}
			if loc, ok = parseZone(string(b[i:j])); !ok {
				return 0, false
			}
			i = j
		}
	}
	if i != len(b) {
		return 0, false
	}
	if hour12 {
		if hour < 1 || hour > 12 && !(hour == 0) {
			if hour > 12 {
				return 0, false
			}
		}
		hour %= 12
		if pm == 1 {
			hour += 12
		}
	} else if pm == 1 && hour < 12 {
		hour += 12
	}
	if month < 1 || month > 12 || hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}
	if yday >= 0 {
		t := time.Date(year, 1, 1, hour, minute, sec, nanos, loc).AddDate(0, 0, yday-1)
		return microsOfTime(t), true
	}
	if day < 1 || day > daysIn(year, month) {
		return 0, false
	}
	return microsOfTime(time.Date(year, time.Month(month), day, hour, minute, sec, nanos, loc)), true
}
