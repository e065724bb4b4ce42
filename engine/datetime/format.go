package datetime

import "time"

// AppendTimestamp appends micros (since the epoch) as Spark casts a
// timestamp to a string, in loc (UTC when nil): "2024-05-01 10:00:03",
// with the fraction of a second only when it is not zero and without
// trailing zeros ("2024-05-01 10:00:03.25").
func AppendTimestamp(dst []byte, micros int64, loc *time.Location) []byte {
	days, sod, nanos, _, _ := splitMicros(micros, loc)
	dst = appendCivilDate(dst, days)
	dst = append(dst, ' ')
	dst = appendPad(dst, sod/3600, 2)
	dst = append(dst, ':')
	dst = appendPad(dst, (sod/60)%60, 2)
	dst = append(dst, ':')
	dst = appendPad(dst, sod%60, 2)
	if frac := nanos / 1000; frac != 0 {
		dst = append(dst, '.')
		width := 6
		for frac%10 == 0 {
			frac /= 10
			width--
		}
		dst = appendPad(dst, frac, width)
	}
	return dst
}

// FormatTimestamp is AppendTimestamp to a new string.
func FormatTimestamp(micros int64, loc *time.Location) string {
	return string(AppendTimestamp(nil, micros, loc))
}

// AppendDate appends days (since the epoch) as Spark casts a date to a
// string: "2024-05-01".
func AppendDate(dst []byte, days int32) []byte {
	return appendCivilDate(dst, int64(days))
}

// FormatDate is AppendDate to a new string.
func FormatDate(days int32) string {
	return string(AppendDate(nil, days))
}

func appendCivilDate(dst []byte, days int64) []byte {
	y, m, d := CivilFromDays(days)
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	dst = appendPad(dst, int(y), 4)
	dst = append(dst, '-')
	dst = appendPad(dst, m, 2)
	dst = append(dst, '-')
	return appendPad(dst, d, 2)
}

// AppendTimestamp appends micros (since the epoch) formatted with the
// pattern, in loc (UTC when nil).
func (p *Pattern) AppendTimestamp(dst []byte, micros int64, loc *time.Location) []byte {
	days, sod, nanos, off, zone := splitMicros(micros, loc)
	return p.appendFields(dst, days, sod, nanos, off, zone, loc)
}

// FormatTimestamp is AppendTimestamp to a new string.
func (p *Pattern) FormatTimestamp(micros int64, loc *time.Location) string {
	return string(p.AppendTimestamp(nil, micros, loc))
}

// AppendDate appends days (since the epoch) formatted with the pattern;
// time fields print as midnight UTC.
func (p *Pattern) AppendDate(dst []byte, days int32) []byte {
	return p.appendFields(dst, int64(days), 0, 0, 0, "UTC", time.UTC)
}

// FormatDate is AppendDate to a new string.
func (p *Pattern) FormatDate(days int32) string {
	return string(p.AppendDate(nil, days))
}

func (p *Pattern) appendFields(dst []byte, days int64, sod, nanos, off int, zone string, loc *time.Location) []byte {
	y, m, d := CivilFromDays(days)
	return appendItems(dst, p.items, y, m, d, days, sod, nanos, off, zone, loc)
}

func appendItems(dst []byte, items []item, y int64, m, d int, days int64, sod, nanos, off int, zone string, loc *time.Location) []byte {
	hour := sod / 3600
	for i := range items {
		it := &items[i]
		switch it.kind {
		case kLiteral:
			dst = append(dst, it.lit...)
		case kOptional:
			dst = appendItems(dst, it.opt, y, m, d, days, sod, nanos, off, zone, loc)
		case kYear:
			switch {
			case it.width == 2:
				dst = appendPad(dst, int(((y%100)+100)%100), 2)
			case y < 0:
				dst = append(dst, '-')
				dst = appendPad(dst, int(-y), it.width)
			default:
				dst = appendPad(dst, int(y), it.width)
			}
		case kMonth:
			switch it.width {
			case 3:
				dst = append(dst, monthNames[m-1][:3]...)
			case 4:
				dst = append(dst, monthNames[m-1]...)
			default:
				dst = appendPad(dst, m, it.width)
			}
		case kDay:
			dst = appendPad(dst, d, it.width)
		case kDayOfYear:
			dst = appendPad(dst, int(days-DaysFromCivil(y, 1, 1))+1, it.width)
		case kHour24:
			dst = appendPad(dst, hour, it.width)
		case kHour124:
			h := hour
			if h == 0 {
				h = 24
			}
			dst = appendPad(dst, h, it.width)
		case kHour12:
			h := hour % 12
			if h == 0 {
				h = 12
			}
			dst = appendPad(dst, h, it.width)
		case kHour011:
			dst = appendPad(dst, hour%12, it.width)
		case kMinute:
			dst = appendPad(dst, (sod/60)%60, it.width)
		case kSecond:
			dst = appendPad(dst, sod%60, it.width)
		case kFraction:
			v := nanos
			for k := 9; k > it.width; k-- {
				v /= 10
			}
			dst = appendPad(dst, v, it.width)
		case kAmPm:
			dst = append(dst, amPm[hour/12]...)
		case kDayOfWeek:
			wd := int(((days+3)%7 + 7) % 7) // 1970-01-01 was a Thursday; index 0 = Monday
			if it.width == 4 {
				dst = append(dst, dayNames[wd]...)
			} else {
				dst = append(dst, dayNames[wd][:3]...)
			}
		case kZoneName:
			if it.width == 4 && loc != nil {
				dst = append(dst, loc.String()...)
			} else {
				dst = append(dst, zone...)
			}
		case kZoneID:
			if loc == nil {
				dst = append(dst, "UTC"...)
			} else {
				dst = append(dst, loc.String()...)
			}
		case kOffsetX, kOffsetx:
			if off == 0 && it.kind == kOffsetX {
				dst = append(dst, 'Z')
				continue
			}
			dst = appendOffset(dst, off, it.width)
		case kOffsetZ:
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

// appendPad appends v (not negative) with at least width digits.
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
