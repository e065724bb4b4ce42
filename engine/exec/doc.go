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
// Stateful operators implement Stateful: the runtime begins every
// micro-batch on them (BeginBatch: the state version to load and the
// watermark late rows are judged by), and they keep their state in the
// stores of package state, committing the next version at Finish. The hash
// aggregation (aggregate*.go) encodes grouping keys into bytes, hashes
// them into dense group ids per batch and folds every aggregate function
// over whole arrays; SessionAggregate adds session windows; Sort orders
// an epoch's rows. Joins (join*.go) hash one side on the equality keys and
// probe it with the other a record at a time (HashJoin for batch inputs,
// StreamStaticJoin, and StreamJoin, the symmetric hash join of two streams
// whose sides live in state); Dedup keeps the keys it has seen.
//
// Ownership: Process borrows its record. An operator that keeps a record
// past the call retains it; a record an operator creates is released by
// that operator once the next operator has returned.
package exec
