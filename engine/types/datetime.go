package types

import (
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/datetime"
)

// ParseDate reads a date as Spark's cast from string does:
// "yyyy", "yyyy-[m]m", "yyyy-[m]m-[d]d", optionally followed by a space or
// 'T' and anything else (a time part is ignored). Surrounding whitespace is
// trimmed. ok is false when s is not a valid date (a cast yields null).
func ParseDate(s string) (d arrow.Date32, ok bool) {
	days, ok := datetime.StringToDate(s)
	return arrow.Date32(days), ok
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
	us, ok := datetime.StringToTimestamp(s, loc)
	return arrow.Timestamp(us), ok
}

// FormatDate renders a date as Spark casts it to string: "2024-01-31".
func FormatDate(d arrow.Date32) string {
	return datetime.FormatDate(int32(d))
}

// FormatTimestamp renders a timestamp (microseconds since the epoch) as
// Spark casts it to string, in loc (nil means UTC): "2024-01-31 10:00:00",
// with the fraction of a second only when not zero and without trailing
// zeros ("2024-01-31 10:00:00.25").
func FormatTimestamp(ts arrow.Timestamp, loc *time.Location) string {
	return datetime.FormatTimestamp(int64(ts), loc)
}
