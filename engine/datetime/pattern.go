package datetime

import (
	"errors"
	"fmt"
	"strings"
)

// ErrPattern is wrapped by errors about an invalid datetime pattern.
var ErrPattern = errors.New("invalid datetime pattern")

// Patterns Spark uses by default.
const (
	// DefaultTimestampWritePattern is how the JSON and CSV writers and
	// to_json write timestamps.
	DefaultTimestampWritePattern = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
	// DefaultDatePattern is how the writers write dates.
	DefaultDatePattern = "yyyy-MM-dd"
	// DefaultPattern is the pattern of unix_timestamp and from_unixtime.
	DefaultPattern = "yyyy-MM-dd HH:mm:ss"
)

// Pattern is a compiled Java/Spark datetime pattern such as
// "yyyy-MM-dd HH:mm:ss" or "dd/MMM/yyyy:HH:mm:ss Z". It parses text into
// microseconds since the epoch or days since the epoch, and formats them
// back. A Pattern is immutable and safe for concurrent use.
//
// Letters: y and u (year), M and L (month; MMM and MMMM are names), d
// (day), D (day of year), H (0-23), k (1-24), h (1-12), K (0-11), m, s, S
// (fraction, up to 9 digits), a (AM/PM), E (day-of-week name), z (zone
// name), VV (zone id), X and x (ISO offsets; X prints Z for zero), Z
// (+HHMM; ZZZZ GMT+HH:MM; ZZZZZ +HH:MM). Text in single quotes is literal
// (” is a quote); [ ] encloses an optional section. Other letters, such
// as the week-based Y, w and e that Spark 3 refuses, are errors. Parsing
// is case insensitive, like Spark's formatters; S..S reads 1 to n digits,
// and a number directly followed by another (as in "yyyyMMdd") is read with
// exactly its width.
type Pattern struct {
	pattern string
	items   []item
}

type kind uint8

const (
	kLiteral kind = iota
	kYear
	kMonth
	kDay
	kDayOfYear
	kHour24  // H
	kHour124 // k
	kHour12  // h
	kHour011 // K
	kMinute
	kSecond
	kFraction
	kAmPm
	kDayOfWeek
	kZoneName // z
	kZoneID   // VV
	kOffsetX  // X (Z for zero)
	kOffsetx  // x
	kOffsetZ  // Z
	kOptional
)

type item struct {
	kind  kind
	width int
	lit   string
	opt   []item
	// fixed is set on numeric items directly followed by another numeric
	// item (as in "yyyyMMdd"), which then read exactly width digits.
	fixed bool
}

// Compile compiles a Java/Spark datetime pattern. The error wraps
// ErrPattern and says what is wrong.
func Compile(pattern string) (*Pattern, error) {
	items, rest, err := compileItems(pattern, pattern, false)
	if err != nil {
		return nil, err
	}
	if rest != "" {
		return nil, fmt.Errorf("%w %q: unbalanced ']'", ErrPattern, pattern)
	}
	markFixed(items)
	return &Pattern{pattern: pattern, items: items}, nil
}

// MustCompile is Compile for patterns known to be valid (package
// constants); it panics on an invalid pattern.
func MustCompile(pattern string) *Pattern {
	p, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the pattern p was compiled from.
func (p *Pattern) String() string { return p.pattern }

func isNumericKind(k kind) bool {
	switch k {
	case kYear, kMonth, kDay, kDayOfYear, kHour24, kHour124, kHour12, kHour011, kMinute, kSecond, kFraction:
		return true
	}
	return false
}

func markFixed(items []item) {
	for i := range items {
		if items[i].kind == kOptional {
			markFixed(items[i].opt)
			continue
		}
		if i+1 < len(items) && isNumericKind(items[i].kind) && isNumericKind(items[i+1].kind) {
			if items[i].kind != kMonth || items[i].width <= 2 {
				items[i].fixed = true
			}
		}
	}
}

func compileItems(p, whole string, inOptional bool) ([]item, string, error) {
	var items []item
	addLit := func(s string) {
		if n := len(items); n > 0 && items[n-1].kind == kLiteral {
			items[n-1].lit += s
			return
		}
		items = append(items, item{kind: kLiteral, lit: s})
	}
	for len(p) > 0 {
		c := p[0]
		switch {
		case c == '\'':
			end := 1
			var lit strings.Builder
			closed := false
			for end < len(p) {
				if p[end] == '\'' {
					if end+1 < len(p) && p[end+1] == '\'' {
						lit.WriteByte('\'')
						end += 2
						continue
					}
					closed = true
					end++
					break
				}
				lit.WriteByte(p[end])
				end++
			}
			if !closed {
				return nil, "", fmt.Errorf("%w %q: unterminated quote", ErrPattern, whole)
			}
			if end == 2 { // '' is a literal quote
				addLit("'")
			} else {
				addLit(lit.String())
			}
			p = p[end:]
		case c == '[':
			opt, rest, err := compileItems(p[1:], whole, true)
			if err != nil {
				return nil, "", err
			}
			if len(rest) == 0 {
				return nil, "", fmt.Errorf("%w %q: unbalanced '['", ErrPattern, whole)
			}
			markFixed(opt)
			items = append(items, item{kind: kOptional, opt: opt})
			p = rest[1:]
		case c == ']':
			if !inOptional {
				return nil, "", fmt.Errorf("%w %q: unbalanced ']'", ErrPattern, whole)
			}
			return items, p, nil
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			n := 1
			for n < len(p) && p[n] == c {
				n++
			}
			it, err := letterItem(c, n, whole)
			if err != nil {
				return nil, "", err
			}
			items = append(items, it)
			p = p[n:]
		default:
			addLit(string(c))
			p = p[1:]
		}
	}
	return items, "", nil
}

func letterItem(c byte, n int, whole string) (item, error) {
	bad := func() (item, error) {
		return item{}, fmt.Errorf("%w %q: %q is not supported (%d letters)", ErrPattern, whole, string(c), n)
	}
	within := func(k kind, max int) (item, error) {
		if n > max {
			return bad()
		}
		return item{kind: k, width: n}, nil
	}
	switch c {
	case 'y', 'u':
		return within(kYear, 9)
	case 'M', 'L':
		return within(kMonth, 4)
	case 'd':
		return within(kDay, 2)
	case 'D':
		return within(kDayOfYear, 3)
	case 'H':
		return within(kHour24, 2)
	case 'k':
		return within(kHour124, 2)
	case 'h':
		return within(kHour12, 2)
	case 'K':
		return within(kHour011, 2)
	case 'm':
		return within(kMinute, 2)
	case 's':
		return within(kSecond, 2)
	case 'S':
		return within(kFraction, 9)
	case 'a':
		return within(kAmPm, 1)
	case 'E':
		return within(kDayOfWeek, 4)
	case 'z':
		return within(kZoneName, 4)
	case 'V':
		if n != 2 {
			return bad()
		}
		return item{kind: kZoneID, width: 2}, nil
	case 'X':
		return within(kOffsetX, 5)
	case 'x':
		return within(kOffsetx, 5)
	case 'Z':
		return within(kOffsetZ, 5)
	}
	return item{}, fmt.Errorf("%w %q: unknown pattern letter %q", ErrPattern, whole, string(c))
}

var monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

var dayNames = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
