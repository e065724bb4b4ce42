// Package engine is gostream's public streaming API, shaped after
// PySpark's: a Session reads batch and streaming DataFrames
// (Read, ReadStream, CreateDataFrame, MemoryStream), DataFrames are
// transformed (Select, Filter, WithColumn, Union, GroupBy(...).Agg,
// OrderBy, ...) and either run as batch actions (Collect, Count, Show) or
// started as streaming queries with WriteStream, whose handles
// (StreamingQuery) report status and progress and stop cleanly.
//
// Every transformation is analysed at once against its input's schema.
// An error does not stop the chain: it is kept in the returned DataFrame,
// together with the operation that caused it ("select: [UNRESOLVED_COLUMN
// ...] ..."), and returned by Err and by every action. The first error
// wins.
//
// The API is non-generic and plain so that notebook cells interpreted by
// yaegi can use all of it. Blocking calls take a context first. Plans live
// in package plan, operators in exec, the micro-batch runtime in stream,
// sources and sinks in source and sink.
package engine
