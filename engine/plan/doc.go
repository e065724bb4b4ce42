// Package plan owns the logical plan of a DataFrame: immutable nodes
// (Relation, Project, Filter, Union, Limit, EventTimeWatermark, Aggregate,
// Sort, Join, Deduplicate, ...), the
// analyzer that resolves each node against its child's schema, and the
// checks Spark makes before a streaming query starts (output modes,
// unsupported operations).
//
// A plan describes data; it never reads or evaluates any. Expressions are
// bound here only to learn their result types and names. Physical
// operators live in package exec, which knows nothing of these nodes; the
// runtime translates one into the other.
//
// Every node implements Node: Children and WithChildren let one generic
// walker (Transform) rewrite trees without knowing node kinds. Each
// analyzer rule lives in its own file (rule_*.go) and does one job.
package plan
