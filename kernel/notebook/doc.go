// Package notebook is the streaming API as notebook cells see it. Every
// cell has it imported without a name, with `spark` bound to the session,
// F to engine/functions and T to engine/types, so a PySpark line
// translates to one Go line:
//
//	q := df.WriteStream().Format("console").Start()
//
// It wraps package engine, which returns errors the Go way, with three
// notebook rules:
//
//   - An error is raised where it happens: the call panics with an
//     *Exception named after Spark's exception class (AnalysisException,
//     ParseException, StreamingQueryException, ...), which the kernel shows
//     as the cell's error with the cell:line:col of the call. Transformations
//     are checked at once, as PySpark does, so a bad column name fails on
//     the line that names it.
//   - Blocking calls (AwaitTermination, ProcessAllAvailable, actions) wait
//     on the running cell's context, so the stop button ends the wait.
//     Interrupting a wait never stops the query itself.
//   - A query prints (console sink, Show inside foreachBatch) into the
//     output area of the cell that started it, and the session tracks every
//     query it started (Streams(), %streams, %stop).
//
// The kernel side of that state lives in package host; this package only
// reads it.
package notebook
