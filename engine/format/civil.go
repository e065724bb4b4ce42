package format

import (
	"time"
)

// civil calendar arithmetic (proleptic Gregorian, as java.time).

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func daysFromCivil(y int64, m, d int) int64 {
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

func civilFromDays(z int64) (int64, int, int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := int(doy - (153*mp+2)/5 + 1)
	m := int(mp + 3)
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int64, m int) int {
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
	days := daysFromCivil(y, m, d)
	return (days*86400+int64(hh*3600+mi*60+ss))*1e6 + int64(nanos/1000)
}

func localMicros(y int64, m, d, hh, mi, ss, nanos int, loc *time.Location) int64 {
	if loc == nil || loc == time.UTC {
		return civilMicros(y, m, d, hh, mi, ss, nanos)
	}
	return time.Date(int(y), time.Month(m), d, hh, mi, ss, nanos, loc).UnixMicro()
}
