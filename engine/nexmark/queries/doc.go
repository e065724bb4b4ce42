// Package queries expresses the Nexmark benchmark queries with the
// engine's DataFrame API, as a Spark Structured Streaming user would write
// them: q0 (passthrough), q1 (currency conversion), q2 (selection), q3
// (local item suggestion: a stream-stream join), q4 (average closing price
// per category), q5 (hot items: sliding windows), q7 (highest bid per
// tumbling window) and q8 (new users: a windowed stream-stream join).
//
// Queries that need two stateful stages where Spark allows one per query
// (q4's average over closing prices, q5's maximum over per-window counts)
// return the streaming first stage and a second stage applied to each
// micro-batch in foreachBatch. The first stage runs in Append mode with a
// watermark, so every micro-batch holds whole windows (or closed
// auctions), and the second stage on a batch is exact.
//
// The package builds plans only; it never reads data itself. The inputs
// are the person, auction and bid tables of format("nexmark") (package
// nexmark), or any DataFrames with the same columns.
package queries
