// Package format owns the engine's record formats: decoding JSON lines, CSV,
// text and Parquet bytes into Arrow record batches for a requested schema,
// encoding record batches back into those formats, and Spark's
// cast-to-string rendering of values together with the Dataset.show table
// layout. Datetime text (the lenient syntax, the timestampFormat and
// dateFormat patterns, time zones) is package datetime's.
//
// The package follows Spark 3.5's data source semantics: fields are matched
// by name, malformed records are handled by the PERMISSIVE, DROPMALFORMED and
// FAILFAST modes with an optional _corrupt_record column, and timestamps are
// microseconds since the epoch in UTC (arrow Timestamp(us, "UTC")).
//
// It never lists folders, opens files or keeps state between batches beyond
// reusable buffers: callers hand it bytes (or an io.ReaderAt for Parquet) and
// a name to quote in errors, and get records back.
//
// Column types are the engine's fixed mapping: string, boolean, int8..int64,
// float32, float64, decimal128(p, s), timestamp(us, UTC), date32, binary,
// struct, list and map. Decoders refuse any other type when built.
package format
