package expr

import (
	"time"

	"github.com/apache/arrow/go/v15/arrow"
)

// Integer and time.Time conversions of timestamps (microseconds since the
// epoch, UTC). Text is package datetime's.

// floorDiv is a / b rounded towards negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// floorMod is the remainder of floorDiv, with the sign of b.
func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// timeOfMicros converts microseconds since the epoch to a UTC time.
func timeOfMicros(us int64) time.Time {
	return time.Unix(floorDiv(us, 1e6), floorMod(us, 1e6)*1000).UTC()
}

// microsOfTime converts a time to microseconds since the epoch.
func microsOfTime(t time.Time) int64 {
	return t.Unix()*1e6 + int64(t.Nanosecond()/1000)
}

// literalTimestamp converts a time.Time to a timestamp literal value.
func literalTimestamp(t time.Time) arrow.Timestamp { return arrow.Timestamp(microsOfTime(t)) }
