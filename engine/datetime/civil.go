package datetime

import "time"

// Civil calendar arithmetic in the proleptic Gregorian calendar, as
// java.time does it (H. Hinnant's algorithms).

// floorDiv is a / b rounded towards negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// DaysFromCivil returns the days from 1970-01-01 to y-m-d.
func DaysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// CivilFromDays returns the year, month and day of a day count since
// 1970-01-01.
func CivilFromDays(z int64) (y int64, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// DaysIn returns the number of days of month m (1-12) of year y.
func DaysIn(y int64, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func civilMicros(y int64, m, d, hh, mi, ss, nanos int) int64 {
	days := DaysFromCivil(y, m, d)
	return (days*86400+int64(hh*3600+mi*60+ss))*1e6 + int64(nanos/1000)
}

// localMicros converts a wall time in loc (UTC when nil) to an instant.
func localMicros(y int64, m, d, hh, mi, ss, nanos int, loc *time.Location) int64 {
	if loc == nil || loc == time.UTC {
		return civilMicros(y, m, d, hh, mi, ss, nanos)
	}
	return time.Date(int(y), time.Month(m), d, hh, mi, ss, nanos, loc).UnixMicro()
}

// zoneAt returns the offset (seconds east of UTC) and abbreviation of loc
// at the instant sec (seconds since the epoch).
func zoneAt(sec int64, loc *time.Location) (int, string) {
	if loc == nil || loc == time.UTC {
		return 0, "UTC"
	}
	name, off := time.Unix(sec, 0).In(loc).Zone()
	return off, name
}

// splitMicros splits an instant into the local day count, the second of
// that day and the nanoseconds, with the offset and zone name of loc.
func splitMicros(micros int64, loc *time.Location) (days int64, sod, nanos, off int, zone string) {
	sec := floorDiv(micros, 1e6)
	nanos = int((micros - sec*1e6) * 1000)
	off, zone = zoneAt(sec, loc)
	local := sec + int64(off)
	days = floorDiv(local, 86400)
	sod = int(local - days*86400)
	return days, sod, nanos, off, zone
}
