package format

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrTimePattern is wrapped by errors about an invalid datetime pattern.
var ErrTimePattern = errors.New("invalid datetime pattern")

// ErrTimeParse is wrapped by errors about a value that does not match a
// datetime pattern (or Spark's default timestamp and date syntax).
var ErrTimeParse = errors.New("cannot parse datetime")

// Default patterns Spark uses when writing timestamps and dates to JSON and
// CSV files.
const (
	DefaultTimestampWritePattern = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
	DefaultDatePattern           = "yyyy-MM-dd"
)

// TimeFormat is a compiled Java/Spark datetime pattern such as
// "yyyy-MM-dd HH:mm:ss" or "yyyy-MM-dd'T'HH:mm:ss.SSSXXX". It parses text
// into microseconds since the epoch (UTC) or days since the epoch, and
// formats them back. A TimeFormat is immutable and safe for concurrent use.
//
// Supported letters: y (year), M (month, MMM/MMMM names), d (day), D (day of
// year, formatting), H (0-23), k (1-24), h (1-12), K (0-11), m, s, S
// (fraction, up to 9 digits), a (AM/PM), E (day-of-week name), z (zone
// name), VV (zone id), X and x (ISO offsets, X prints Z for zero), Z
// (+HHMM; ZZZZ GMT+HH:MM; ZZZZZ +HH:MM). Text in single quotes is literal
// (” is a quote); [ ] encloses an optional section. Parsing is case
// insensitive, like Spark's formatters; S..S accepts 1 to n digits.
type TimeFormat struct {
	pattern string
	items   []timeItem
}

type timeKind uint8

const (
	tkLiteral timeKind = iota
	tkYear
	tkMonth
	tkDay
	tkDayOfYear
	tkHour24  // H
	tkHour124 // k
	tkHour12  // h
	tkHour011 // K
	tkMinute
	tkSecond
	tkFraction
	tkAmPm
	tkDayOfWeek
	tkZoneName // z
	tkZoneID   // VV
	tkOffsetX  // X (Z for zero)
	tkOffsetx  // x
	tkOffsetZ  // Z
	tkOptional
)

type timeItem struct {
	kind  timeKind
	width int
	lit   string
	opt   []timeItem
	// fixed is set on numeric items directly followed by another numeric
	// item (as in "yyyyMMdd"), which then parse exactly width digits.
	fixed bool
}

// ParseTimestampPattern compiles a Java/Spark datetime pattern.
func ParseTimestampPattern(pattern string) (*TimeFormat, error) {
	items, rest, err := compilePattern(pattern, pattern, false)
	if err != nil {
		return nil, err
	}
	if rest != "" {
		return nil, fmt.Errorf("%w %q: unbalanced ']'", ErrTimePattern, pattern)
	}
	markFixed(items)
	return &TimeFormat{pattern: pattern, items: items}, nil
}

// MustTimeFormat is ParseTimestampPattern for patterns known to be valid
// (package constants); it panics on an invalid pattern.
func MustTimeFormat(pattern string) *TimeFormat {
	f, err := ParseTimestampPattern(pattern)
	if err != nil {
		panic(err)
	}
	return f
}

// Pattern returns the pattern the format was compiled from.
func (f *TimeFormat) Pattern() string { return f.pattern }

func isNumericKind(k timeKind) bool {
	switch k {
	case tkYear, tkMonth, tkDay, tkDayOfYear, tkHour24, tkHour124, tkHour12, tkHour011, tkMinute, tkSecond, tkFraction:
		return true
	}
	return false
}

func markFixed(items []timeItem) {
	for i := range items {
		if items[i].kind == tkOptional {
			markFixed(items[i].opt)
			continue
		}
		if i+1 < len(items) && isNumericKind(items[i].kind) && isNumericKind(items[i+1].kind) {
			if items[i].kind != tkMonth || items[i].width <= 2 {
				items[i].fixed = true
			}
		}
	}
}

func compilePattern(p, whole string, inOptional bool) ([]timeItem, string, error) {
	var items []timeItem
	addLit := func(s string) {
		if n := len(items); n > 0 && items[n-1].kind == tkLiteral {
			items[n-1].lit += s
			return
		}
		items = append(items, timeItem{kind: tkLiteral, lit: s})
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
				return nil, "", fmt.Errorf("%w %q: unterminated quote", ErrTimePattern, whole)
			}
			if end == 2 { // '' is a literal quote
				addLit("'")
			} else {
				addLit(lit.String())
			}
			p = p[end:]
		case c == '[':
			opt, rest, err := compilePattern(p[1:], whole, true)
			if err != nil {
				return nil, "", err
			}
			if len(rest) == 0 {
				return nil, "", fmt.Errorf("%w %q: unbalanced '['", ErrTimePattern, whole)
			}
			markFixed(opt)
			items = append(items, timeItem{kind: tkOptional, opt: opt})
			p = rest[1:]
		case c == ']':
			if !inOptional {
				return nil, "", fmt.Errorf("%w %q: unbalanced ']'", ErrTimePattern, whole)
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

func letterItem(c byte, n int, whole string) (timeItem, error) {
	bad := func() (timeItem, error) {
		return timeItem{}, fmt.Errorf("%w %q: %q is not supported (%d letters)", ErrTimePattern, whole, string(c), n)
	}
	within := func(k timeKind, max int) (timeItem, error) {
		if n > max {
			return bad()
		}
		return timeItem{kind: k, width: n}, nil
	}
	switch c {
	case 'y', 'u':
		return within(tkYear, 9)
	case 'M', 'L':
		return within(tkMonth, 4)
	case 'd':
		return within(tkDay, 2)
	case 'D':
		return within(tkDayOfYear, 3)
	case 'H':
		return within(tkHour24, 2)
	case 'k':
		return within(tkHour124, 2)
	case 'h':
		return within(tkHour12, 2)
	case 'K':
		return within(tkHour011, 2)
	case 'm':
		return within(tkMinute, 2)
	case 's':
		return within(tkSecond, 2)
	case 'S':
		return within(tkFraction, 9)
	case 'a':
		return within(tkAmPm, 1)
	case 'E':
		return within(tkDayOfWeek, 4)
	case 'z':
		return within(tkZoneName, 4)
	case 'V':
		if n != 2 {
			return bad()
		}
		return timeItem{kind: tkZoneID, width: 2}, nil
	case 'X':
		return within(tkOffsetX, 5)
	case 'x':
		return within(tkOffsetx, 5)
	case 'Z':
		return within(tkOffsetZ, 5)
	}
	return timeItem{}, fmt.Errorf("%w %q: unknown pattern letter %q", ErrTimePattern, whole, string(c))
}

// dtFields collects the fields read while parsing.
type dtFields struct {
	year                        int64
	month, day, doy             int
	hour, minute, second, nanos int
	ampm                        int // -1 unset, 0 AM, 1 PM
	hour12                      bool
	offset                      int // seconds east of UTC
	hasOffset                   bool
	loc                         *time.Location
}

// ParseTimestamp parses s with the pattern into microseconds since the epoch.
// Values without a zone or offset are read in loc (UTC when nil).
func (f *TimeFormat) ParseTimestamp(s string, loc *time.Location) (int64, error) {
	return f.parseTimestamp(s, loc)
}

func (f *TimeFormat) parseTimestamp(s string, loc *time.Location) (int64, error) {
	fl, err := f.parseFields(s)
	if err != nil {
		return 0, err
	}
	if fl.hour12 {
		h := fl.hour % 12
		if fl.ampm == 1 {
			h += 12
		}
		fl.hour = h
	}
	if fl.doy > 0 && fl.month == 0 {
		y := fl.year
		d := daysFromCivil(y, 1, 1) + int64(fl.doy-1)
		_, m, dd := civilFromDays(d)
		fl.month, fl.day = m, dd
	}
	if fl.month == 0 {
		fl.month = 1
	}
	if fl.day == 0 {
		fl.day = 1
	}
	if fl.day > daysIn(fl.year, fl.month) {
		return 0, fmt.Errorf("%w %q with pattern %q: day %d out of range for month %d", ErrTimeParse, s, f.pattern, fl.day, fl.month)
	}
	switch {
	case fl.hasOffset:
		return civilMicros(fl.year, fl.month, fl.day, fl.hour, fl.minute, fl.second, fl.nanos) - int64(fl.offset)*1e6, nil
	case fl.loc != nil:
		loc = fl.loc
	}
	return localMicros(fl.year, fl.month, fl.day, fl.hour, fl.minute, fl.second, fl.nanos, loc), nil
}

// ParseDate parses s with the pattern into days since the epoch; time and
// zone fields are read and ignored.
func (f *TimeFormat) ParseDate(s string) (int32, error) {
	fl, err := f.parseFields(s)
	if err != nil {
		return 0, err
	}
	if fl.doy > 0 && fl.month == 0 {
		return int32(daysFromCivil(fl.year, 1, 1) + int64(fl.doy-1)), nil
	}
	if fl.month == 0 {
		fl.month = 1
	}
	if fl.day == 0 {
		fl.day = 1
	}
	if fl.day > daysIn(fl.year, fl.month) {
		return 0, fmt.Errorf("%w %q with pattern %q: day %d out of range for month %d", ErrTimeParse, s, f.pattern, fl.day, fl.month)
	}
	return int32(daysFromCivil(fl.year, fl.month, fl.day)), nil
}

func (f *TimeFormat) parseFields(s string) (dtFields, error) {
	fl := dtFields{year: 1970, ampm: -1}
	pos, err := parseItems(f.items, s, 0, &fl)
	if err == nil && pos != len(s) {
		err = fmt.Errorf("unparsed text %q at position %d", s[pos:], pos)
	}
	if err != nil {
		return fl, fmt.Errorf("%w %q with pattern %q: %v", ErrTimeParse, s, f.pattern, err)
	}
	return fl, nil
}

func parseItems(items []timeItem, s string, pos int, fl *dtFields) (int, error) {
	for i := range items {
		it := &items[i]
		var err error
		switch it.kind {
		case tkLiteral:
			if len(s)-pos < len(it.lit) || !strings.EqualFold(s[pos:pos+len(it.lit)], it.lit) {
				return pos, fmt.Errorf("expected %q at position %d", it.lit, pos)
			}
			pos += len(it.lit)
		case tkOptional:
			saved := *fl
			p, e := parseItems(it.opt, s, pos, fl)
			if e != nil {
				*fl = saved
			} else {
				pos = p
			}
		case tkYear:
			var v int
			switch {
			case it.width == 2:
				v, pos, err = readNum(s, pos, 2, 2)
				v += 2000
			case it.fixed:
				v, pos, err = readNum(s, pos, max(it.width, 4), max(it.width, 4))
			case it.width >= 4:
				v, pos, err = readNum(s, pos, it.width, 9)
			default:
				v, pos, err = readNum(s, pos, it.width, 9)
			}
			fl.year = int64(v)
		case tkMonth:
			if it.width >= 3 {
				fl.month, pos, err = readName(s, pos, monthNames[:], it.width == 3)
				fl.month++
			} else {
				fl.month, pos, err = readField(s, pos, it, 1, 12)
			}
		case tkDay:
			fl.day, pos, err = readField(s, pos, it, 1, 31)
		case tkDayOfYear:
			fl.doy, pos, err = readField(s, pos, it, 1, 366)
		case tkHour24:
			fl.hour, pos, err = readField(s, pos, it, 0, 23)
		case tkHour124:
			fl.hour, pos, err = readField(s, pos, it, 1, 24)
			fl.hour %= 24
		case tkHour12:
			fl.hour, pos, err = readField(s, pos, it, 1, 12)
			fl.hour12 = true
		case tkHour011:
			fl.hour, pos, err = readField(s, pos, it, 0, 11)
			fl.hour12 = true
		case tkMinute:
			fl.minute, pos, err = readField(s, pos, it, 0, 59)
		case tkSecond:
			fl.second, pos, err = readField(s, pos, it, 0, 59)
		case tkFraction:
			start := pos
			var v int
			v, pos, err = readNum(s, pos, 1, it.width)
			if err == nil {
				for d := pos - start; d < 9; d++ {
					v *= 10
				}
				fl.nanos = v
			}
		case tkAmPm:
			var v int
			v, pos, err = readName(s, pos, []string{"AM", "PM"}, false)
			fl.ampm = v
		case tkDayOfWeek:
			_, pos, err = readName(s, pos, dayNames[:], it.width < 4)
		case tkZoneName, tkZoneID:
			end := pos
			for end < len(s) && (isAlpha(s[end]) || s[end] == '/' || s[end] == '_' ||
				(end > pos && (s[end] == '+' || s[end] == '-' || s[end] == ':' || isDigit(s[end])))) {
				end++
			}
			if end == pos {
				return pos, fmt.Errorf("expected a time zone at position %d", pos)
			}
			loc, e := LoadZone(s[pos:end])
			if e != nil {
				return pos, e
			}
			fl.loc = loc
			pos = end
		case tkOffsetX, tkOffsetx, tkOffsetZ:
			fl.offset, pos, err = readOffset(s, pos, it.kind != tkOffsetx)
			fl.hasOffset = true
		}
		if err != nil {
			return pos, err
		}
	}
	return pos, nil
}

func readField(s string, pos int, it *timeItem, lo, hi int) (int, int, error) {
	minD, maxD := 1, 2
	if it.kind == tkDayOfYear {
		maxD = 3
	}
	if it.width >= 2 || it.fixed {
		minD = it.width
		maxD = it.width
	}
	v, p, err := readNum(s, pos, minD, maxD)
	if err != nil {
		return 0, pos, err
	}
	if v < lo || v > hi {
		return 0, pos, fmt.Errorf("value %d out of range [%d, %d] at position %d", v, lo, hi, pos)
	}
	return v, p, nil
}

func readNum(s string, pos, minD, maxD int) (int, int, error) {
	v, n := 0, 0
	for pos+n < len(s) && n < maxD && isDigit(s[pos+n]) {
		v = v*10 + int(s[pos+n]-'0')
		n++
	}
	if n < minD {
		return 0, pos, fmt.Errorf("expected %d digits at position %d", minD, pos)
	}
	return v, pos + n, nil
}

func readName(s string, pos int, names []string, short bool) (int, int, error) {
	for i, name := range names {
		if short {
			name = name[:3]
		}
		if len(s)-pos >= len(name) && strings.EqualFold(s[pos:pos+len(name)], name) {
			return i, pos + len(name), nil
		}
	}
	return 0, pos, fmt.Errorf("expected a name at position %d", pos)
}

// readOffset reads Z (when allowZ), GMT/UTC prefixes and +H, +HH, +HHMM,
// +HH:MM, +HH:MM:SS offsets.
func readOffset(s string, pos int, allowZ bool) (int, int, error) {
	if allowZ && pos < len(s) && (s[pos] == 'Z' || s[pos] == 'z') {
		return 0, pos + 1, nil
	}
	if len(s)-pos >= 3 && (strings.EqualFold(s[pos:pos+3], "GMT") || strings.EqualFold(s[pos:pos+3], "UTC")) {
		pos += 3
		if pos == len(s) || (s[pos] != '+' && s[pos] != '-') {
			return 0, pos, nil
		}
	}
	off, n := parseNumericOffset(s[pos:])
	if n == 0 {
		return 0, pos, fmt.Errorf("expected a zone offset at position %d", pos)
	}
	return off, pos + n, nil
}

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
	p := 1
	h, p2, err := readNum(s, p, 1, 2)
	if err != nil || h > 18 {
		return 0, 0
	}
	p = p2
	secs := h * 3600
	for part := 0; part < 2; part++ {
		q := p
		if q < len(s) && s[q] == ':' {
			q++
		}
		v, q2, err := readNum(s, q, 2, 2)
		if err != nil || v > 59 {
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

// FormatTimestamp renders micros (since the epoch, UTC) with the pattern in
// loc (UTC when nil).
func (f *TimeFormat) FormatTimestamp(micros int64, loc *time.Location) string {
	return string(f.AppendTimestamp(nil, micros, loc))
}

// AppendTimestamp appends the formatted timestamp to dst.
func (f *TimeFormat) AppendTimestamp(dst []byte, micros int64, loc *time.Location) []byte {
	sec := floorDiv(micros, 1e6)
	nanos := int((micros - sec*1e6) * 1000)
	off, name := zoneAt(sec, loc)
	local := sec + int64(off)
	days := floorDiv(local, 86400)
	sod := int(local - days*86400)
	return f.appendFields(dst, days, sod, nanos, off, name, loc)
}

// FormatDate renders days since the epoch with the pattern (time fields
// print as midnight UTC).
func (f *TimeFormat) FormatDate(days int32) string {
	return string(f.AppendDate(nil, days))
}

// AppendDate appends the formatted date to dst.
func (f *TimeFormat) AppendDate(dst []byte, days int32) []byte {
	return f.appendFields(dst, int64(days), 0, 0, 0, "UTC", time.UTC)
}

func zoneAt(sec int64, loc *time.Location) (int, string) {
	if loc == nil || loc == time.UTC {
		return 0, "UTC"
	}
	name, off := time.Unix(sec, 0).In(loc).Zone()
	return off, name
}

func (f *TimeFormat) appendFields(dst []byte, days int64, sod, nanos, off int, zone string, loc *time.Location) []byte {
	y, m, d := civilFromDays(days)
	return appendItems(dst, f.items, y, m, d, days, sod, nanos, off, zone, loc)
}

func appendItems(dst []byte, items []timeItem, y int64, m, d int, days int64, sod, nanos, off int, zone string, loc *time.Location) []byte {
	hour := sod / 3600
	for i := range items {
		it := &items[i]
		switch it.kind {
		case tkLiteral:
			dst = append(dst, it.lit...)
		case tkOptional:
			dst = appendItems(dst, it.opt, y, m, d, days, sod, nanos, off, zone, loc)
		case tkYear:
			if it.width == 2 {
				dst = appendPad(dst, int(((y%100)+100)%100), 2)
			} else {
				if y < 0 {
					dst = append(dst, '-')
					dst = appendPad(dst, int(-y), it.width)
				} else {
					dst = appendPad(dst, int(y), it.width)
				}
			}
		case tkMonth:
			switch it.width {
			case 3:
				dst = append(dst, monthNames[m-1][:3]...)
			case 4:
				dst = append(dst, monthNames[m-1]...)
			default:
				dst = appendPad(dst, m, it.width)
			}
		case tkDay:
			dst = appendPad(dst, d, it.width)
		case tkDayOfYear:
			dst = appendPad(dst, int(days-daysFromCivil(y, 1, 1))+1, it.width)
		case tkHour24:
			dst = appendPad(dst, hour, it.width)
		case tkHour124:
			h := hour
			if h == 0 {
				h = 24
			}
			dst = appendPad(dst, h, it.width)
		case tkHour12:
			h := hour % 12
			if h == 0 {
				h = 12
			}
			dst = appendPad(dst, h, it.width)
		case tkHour011:
			dst = appendPad(dst, hour%12, it.width)
		case tkMinute:
			dst = appendPad(dst, (sod/60)%60, it.width)
		case tkSecond:
			dst = appendPad(dst, sod%60, it.width)
		case tkFraction:
			v := nanos
			for k := 9; k > it.width; k-- {
				v /= 10
			}
			dst = appendPad(dst, v, it.width)
		case tkAmPm:
			if hour < 12 {
				dst = append(dst, "AM"...)
			} else {
				dst = append(dst, "PM"...)
			}
		case tkDayOfWeek:
			wd := int(((days+3)%7 + 7) % 7) // 1970-01-01 was a Thursday; index 0 = Monday
			if it.width == 4 {
				dst = append(dst, dayNames[wd]...)
			} else {
				dst = append(dst, dayNames[wd][:3]...)
			}
		case tkZoneName:
			if it.width == 4 && loc != nil {
				dst = append(dst, loc.String()...)
			} else {
				dst = append(dst, zone...)
			}
		case tkZoneID:
			if loc == nil {
				dst = append(dst, "UTC"...)
			} else {
				dst = append(dst, loc.String()...)
			}
		case tkOffsetX, tkOffsetx:
			if off == 0 && it.kind == tkOffsetX {
				dst = append(dst, 'Z')
				continue
			}
			dst = appendOffset(dst, off, it.width)
		case tkOffsetZ:
			switch it.width {
			case 4:
				dst = append(dst, "GMT"...)
				if off != 0 {
					dst = appendOffset(dst, off, 3)
				}
			case 5:
				if off == 0 {
					dst = append(dst, 'Z')
				} else {
					dst = appendOffset(dst, off, 3)
				}
			default:
				dst = appendOffset(dst, off, 2)
			}
		}
	}
	return dst
}

// appendOffset writes an ISO offset in the X/x style of the given width:
// 1 +HH[MM], 2 +HHMM, 3 +HH:MM, 4 +HHMM[ss], 5 +HH:MM[:ss].
func appendOffset(dst []byte, off, width int) []byte {
	sign := byte('+')
	if off < 0 {
		sign = '-'
		off = -off
	}
	h, mi, s := off/3600, (off/60)%60, off%60
	dst = append(dst, sign)
	dst = appendPad(dst, h, 2)
	colon := width == 3 || width == 5
	if width == 1 && mi == 0 {
		return dst
	}
	if colon {
		dst = append(dst, ':')
	}
	dst = appendPad(dst, mi, 2)
	if width >= 4 && s != 0 {
		if colon {
			dst = append(dst, ':')
		}
		dst = appendPad(dst, s, 2)
	}
	return dst
}

func appendPad(dst []byte, v, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for v >= 10 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	buf[i] = byte('0' + v)
	for n := len(buf) - i; n < width; n++ {
		dst = append(dst, '0')
	}
	return append(dst, buf[i:]...)
}

var monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

var dayNames = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
