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
//   - A query prints (console sink, Show, fmt, println and log inside
//     foreachBatch) into the output area of the cell that started it, and
//     the session tracks every query it started (Streams(), %streams,
//     %stop). Writes inside foreachBatch (Write, WriteKafka) belong to the
//     query: interrupting whichever cell runs does not cancel them.
//   - Re-running the cell that started a query stops that query first, and
//     the cell says so (a cell is known by the notebook cell id the front
//     end sends, else by its code); WriteStream()...Replace() takes over the name of an
//     active query instead of failing as Spark does.
//
// What a cell shows: a DataFrame as its value (or Display(df)) shows as a
// table, HTML with column types and row count, Spark's show() text and
// application/vnd.dataresource+json. A streaming DataFrame starts a query
// into a memory table and shows it live, updated in place after every
// batch; a StreamingQuery (or q.Display()) shows a live progress panel
// with charts; Streams() and %streams show a live listing of the session's
// queries. Live displays update at most a few times a second, always end
// on the final state, and never slow a query down (package display).
//
// The kernel side of that state lives in package host; this package only
// reads it.
package notebook
