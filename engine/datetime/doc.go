// Package datetime reads and writes Spark's dates and timestamps as text.
// It is the one implementation behind casts between strings and datetimes
// (package expr), the pattern functions to_timestamp, date_format,
// unix_timestamp and from_unixtime (expr), the JSON and CSV codecs and the
// show layout (package format), and the helpers of package types.
//
// Timestamps are microseconds since 1970-01-01T00:00:00Z and dates are days
// since 1970-01-01, in the proleptic Gregorian calendar, as Spark 3 keeps
// them. A *time.Location is the session time zone: the zone of wall times
// read without one, and of wall times written; nil means UTC.
//
// What it holds:
//   - StringToTimestamp and StringToDate: Spark's lenient syntax, the one
//     CAST(s AS TIMESTAMP) and the readers without a timestampFormat
//     accept; ParseTimestamp and ParseDate are the same with errors that
//     say what was expected.
//   - AppendTimestamp and AppendDate: Spark's cast to string
//     ("2024-05-01 10:00:03.25", "2024-05-01").
//   - Pattern: a compiled Java/Spark datetime pattern
//     ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX") that parses and formats.
//   - LoadZone: Spark's time zone ids (region ids, UTC, Z, +08:00, GMT-5).
//
// The package knows nothing of Arrow or of columns; callers loop over
// their values and call in per value. Nothing here allocates per value on
// the paths that succeed, and the boolean forms do not allocate on failure
// either.
package datetime
