// Package exec owns the physical operators that run over Arrow record
// batches: filter, projection, union, limit, event-time tracking, and the
// collector at the end of a pipeline. Operators are wired push-style, like
// flux transformations: each receives Process(batch), Watermark(t) and
// Finish(err) messages and forwards its results to the next operator.
//
// The package knows nothing of logical plans or SQL syntax: it receives
// bound expressions (expr.Bound) and Arrow schemas, and evaluates them
// batch at a time in compiled, vectorised code. Operators may hold state
// across micro-batches (the Operator contract allows it), which is where
// aggregations and joins plug in.
//
// Ownership: Process borrows its record. An operator that keeps a record
// past the call retains it; a record an operator creates is released by
// that operator once the next operator has returned.
package exec
