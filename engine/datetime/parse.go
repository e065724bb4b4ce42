package datetime

import (
	"fmt"
	"strings"
	"time"
)

// fields collects what parsing a pattern read.
type fields struct {
	year                        int64
	month, day, doy             int
	hour, minute, second, nanos int
	ampm                        int // -1 unset, 0 AM, 1 PM
	hour12                      bool
	offset                      int // seconds east of UTC
	hasOffset                   bool
	loc                         *time.Location
}

// failReason says why text did not match a pattern. It is a value, so the
// boolean parse methods report failure without allocating; the error
// methods turn it into text.
type failReason uint8

const (
	failNone failReason = iota
	failLiteral
	failDigits
	failRange
	failName
	failZone
	failZoneLoad
	failOffset
	failUnparsed
	failDay
)

type failure struct {
	why       failReason
	pos       int
	lit       string
	v, lo, hi int
	err       error
}

func (f *failure) message(s string) string {
	switch f.why {
	case failLiteral:
		return fmt.Sprintf("expected %q at position %d", f.lit, f.pos)
	case failDigits:
		return fmt.Sprintf("expected %d digits at position %d", f.v, f.pos)
	case failRange:
		return fmt.Sprintf("value %d out of range [%d, %d] at position %d", f.v, f.lo, f.hi, f.pos)
	case failName:
		return fmt.Sprintf("expected a name at position %d", f.pos)
	case failZone:
		return fmt.Sprintf("expected a time zone at position %d", f.pos)
	case failZoneLoad:
		return f.err.Error()
	case failOffset:
		return fmt.Sprintf("expected a zone offset at position %d", f.pos)
	case failUnparsed:
		return fmt.Sprintf("unparsed text %q at position %d", s[f.pos:], f.pos)
	case failDay:
		return fmt.Sprintf("day %d out of range for month %d", f.v, f.lo)
	}
	return "no match"
}

func (p *Pattern) parseError(s string, f *failure) error {
	return fmt.Errorf("%w %q with pattern %q: %s", ErrParse, s, p.pattern, f.message(s))
}

// StringToTimestamp parses s with the pattern into microseconds since the
// epoch; ok is false when s does not match. A wall time without a zone or
// offset is read in loc (UTC when nil).
func (p *Pattern) StringToTimestamp(s string, loc *time.Location) (micros int64, ok bool) {
	var f failure
	v := p.timestamp(s, loc, &f)
	return v, f.why == failNone
}

// ParseTimestamp is StringToTimestamp with an error wrapping ErrParse that
// says where s stops matching.
func (p *Pattern) ParseTimestamp(s string, loc *time.Location) (int64, error) {
	var f failure
	v := p.timestamp(s, loc, &f)
	if f.why != failNone {
		return 0, p.parseError(s, &f)
	}
	return v, nil
}

// StringToDate parses s with the pattern into days since the epoch; time
// and zone fields are read and ignored.
func (p *Pattern) StringToDate(s string) (days int32, ok bool) {
	var f failure
	v := p.date(s, &f)
	return v, f.why == failNone
}

// ParseDate is StringToDate with an error wrapping ErrParse.
func (p *Pattern) ParseDate(s string) (int32, error) {
	var f failure
	v := p.date(s, &f)
	if f.why != failNone {
		return 0, p.parseError(s, &f)
	}
	return v, nil
}

func (p *Pattern) timestamp(s string, loc *time.Location, f *failure) int64 {
	fl, ok := p.parseFields(s, f)
	if !ok {
		return 0
	}
	if fl.hour12 {
		h := fl.hour % 12
		if fl.ampm == 1 {
			h += 12
		}
		fl.hour = h
	}
	if fl.doy > 0 && fl.month == 0 {
		d := DaysFromCivil(fl.year, 1, 1) + int64(fl.doy-1)
		_, fl.month, fl.day = CivilFromDays(d)
	}
	if !fl.defaultDay(f) {
		return 0
	}
	switch {
	case fl.hasOffset:
		return civilMicros(fl.year, fl.month, fl.day, fl.hour, fl.minute, fl.second, fl.nanos) - int64(fl.offset)*1e6
	case fl.loc != nil:
		loc = fl.loc
	}
	return localMicros(fl.year, fl.month, fl.day, fl.hour, fl.minute, fl.second, fl.nanos, loc)
}

func (p *Pattern) date(s string, f *failure) int32 {
	fl, ok := p.parseFields(s, f)
	if !ok {
		return 0
	}
	if fl.doy > 0 && fl.month == 0 {
		return int32(DaysFromCivil(fl.year, 1, 1) + int64(fl.doy-1))
	}
	if !fl.defaultDay(f) {
		return 0
	}
	return int32(DaysFromCivil(fl.year, fl.month, fl.day))
}

// defaultDay fills in January and the first of the month when the pattern
// has no month or day, and checks the day against the month.
func (fl *fields) defaultDay(f *failure) bool {
	if fl.month == 0 {
		fl.month = 1
	}
	if fl.day == 0 {
		fl.day = 1
	}
	if fl.day > DaysIn(fl.year, fl.month) {
		*f = failure{why: failDay, v: fl.day, lo: fl.month}
		return false
	}
	return true
}

func (p *Pattern) parseFields(s string, f *failure) (fields, bool) {
	fl := fields{year: 1970, ampm: -1}
	pos, ok := parseItems(p.items, s, 0, &fl, f)
	if ok && pos != len(s) {
		*f = failure{why: failUnparsed, pos: pos}
		ok = false
	}
	return fl, ok
}

func parseItems(items []item, s string, pos int, fl *fields, f *failure) (int, bool) {
	for i := range items {
		it := &items[i]
		ok := true
		switch it.kind {
		case kLiteral:
			if len(s)-pos < len(it.lit) || !strings.EqualFold(s[pos:pos+len(it.lit)], it.lit) {
				*f = failure{why: failLiteral, lit: it.lit, pos: pos}
				return pos, false
			}
			pos += len(it.lit)
		case kOptional:
			saved := *fl
			var ignored failure
			if p, ok := parseItems(it.opt, s, pos, fl, &ignored); ok {
				pos = p
			} else {
				*fl = saved
			}
		case kYear:
			var v int
			switch {
			case it.width == 2:
				v, pos, ok = readDigits(s, pos, 2, 2, f)
				v += 2000
			case it.fixed:
				v, pos, ok = readDigits(s, pos, max(it.width, 4), max(it.width, 4), f)
			default:
				v, pos, ok = readDigits(s, pos, it.width, 9, f)
			}
			fl.year = int64(v)
		case kMonth:
			if it.width >= 3 {
				fl.month, pos, ok = readName(s, pos, monthNames[:], it.width == 3, f)
				fl.month++
			} else {
				fl.month, pos, ok = readField(s, pos, it, 1, 12, f)
			}
		case kDay:
			fl.day, pos, ok = readField(s, pos, it, 1, 31, f)
		case kDayOfYear:
			fl.doy, pos, ok = readField(s, pos, it, 1, 366, f)
		case kHour24:
			fl.hour, pos, ok = readField(s, pos, it, 0, 23, f)
		case kHour124:
			fl.hour, pos, ok = readField(s, pos, it, 1, 24, f)
			fl.hour %= 24
		case kHour12:
			fl.hour, pos, ok = readField(s, pos, it, 1, 12, f)
			fl.hour12 = true
		case kHour011:
			fl.hour, pos, ok = readField(s, pos, it, 0, 11, f)
			fl.hour12 = true
		case kMinute:
			fl.minute, pos, ok = readField(s, pos, it, 0, 59, f)
		case kSecond:
			fl.second, pos, ok = readField(s, pos, it, 0, 59, f)
		case kFraction:
			start := pos
			var v int
			if v, pos, ok = readDigits(s, pos, 1, it.width, f); ok {
				for d := pos - start; d < 9; d++ {
					v *= 10
				}
				fl.nanos = v
			}
		case kAmPm:
			fl.ampm, pos, ok = readName(s, pos, amPm[:], false, f)
		case kDayOfWeek:
			_, pos, ok = readName(s, pos, dayNames[:], it.width < 4, f)
		case kZoneName, kZoneID:
			end := pos
			for end < len(s) && (isAlpha(s[end]) || s[end] == '/' || s[end] == '_' ||
				(end > pos && (s[end] == '+' || s[end] == '-' || s[end] == ':' || isDigit(s[end])))) {
				end++
			}
			if end == pos {
				*f = failure{why: failZone, pos: pos}
				return pos, false
			}
			loc, err := LoadZone(s[pos:end])
			if err != nil {
				*f = failure{why: failZoneLoad, pos: pos, err: err}
				return pos, false
			}
			fl.loc = loc
			pos = end
		case kOffsetX, kOffsetx, kOffsetZ:
			fl.offset, pos, ok = readOffset(s, pos, it.kind != kOffsetx, f)
			fl.hasOffset = true
		}
		if !ok {
			return pos, false
		}
	}
	return pos, true
}

var amPm = [2]string{"AM", "PM"}

func readDigits(s string, pos, minD, maxD int, f *failure) (int, int, bool) {
	v, p, ok := readNum(s, pos, minD, maxD)
	if !ok {
		*f = failure{why: failDigits, v: minD, pos: pos}
	}
	return v, p, ok
}

func readField(s string, pos int, it *item, lo, hi int, f *failure) (int, int, bool) {
	minD, maxD := 1, 2
	if it.kind == kDayOfYear {
		maxD = 3
	}
	if it.width >= 2 || it.fixed {
		minD = it.width
		maxD = it.width
	}
	v, p, ok := readDigits(s, pos, minD, maxD, f)
	if !ok {
		return 0, pos, false
	}
	if v < lo || v > hi {
		*f = failure{why: failRange, v: v, lo: lo, hi: hi, pos: pos}
		return 0, pos, false
	}
	return v, p, true
}

func readName(s string, pos int, names []string, short bool, f *failure) (int, int, bool) {
	for i, name := range names {
		if short {
			name = name[:3]
		}
		if len(s)-pos >= len(name) && strings.EqualFold(s[pos:pos+len(name)], name) {
			return i, pos + len(name), true
		}
	}
	*f = failure{why: failName, pos: pos}
	return 0, pos, false
}

// readOffset reads Z (when allowZ), GMT/UTC prefixes and +H, +HH, +HHMM,
// +HH:MM, +HH:MM:SS offsets.
func readOffset(s string, pos int, allowZ bool, f *failure) (int, int, bool) {
	if allowZ && pos < len(s) && (s[pos] == 'Z' || s[pos] == 'z') {
		return 0, pos + 1, true
	}
	if len(s)-pos >= 3 && (strings.EqualFold(s[pos:pos+3], "GMT") || strings.EqualFold(s[pos:pos+3], "UTC")) {
		pos += 3
		if pos == len(s) || (s[pos] != '+' && s[pos] != '-') {
			return 0, pos, true
		}
	}
	off, n := parseNumericOffset(s[pos:])
	if n == 0 {
		*f = failure{why: failOffset, pos: pos}
		return 0, pos, false
	}
	return off, pos + n, true
}
