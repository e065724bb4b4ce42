// Package stream owns the micro-batch runtime of the engine: it turns an
// analyzed plan into a pipeline of exec operators (planner.go), runs batch
// queries once and streaming queries trigger after trigger (run.go), keeps
// the offset and commit logs of the checkpoint in step with the sink, and
// reports status, progress and lifecycle events (query.go, progress.go).
//
// Event time (stateful.go, run.go): after each batch the watermark moves
// to the smallest (or, with spark.sql.streaming.multipleWatermarkPolicy
// max, the largest) of the withWatermark operators' max event time minus
// delay, never back; it is recorded in the next batch's offsets and so
// survives restarts. Each batch runs with that watermark for eviction and
// with the previous batch's for late rows, as Spark does. When the new
// watermark would let a stateful operator emit or evict, a batch without
// new data runs at once (spark.sql.streaming.noDataMicroBatches.enabled).
// Stateful operators load state version N for batch N and commit N+1
// before the batch's commit is written, so a re-run batch starts from the
// same state.
//
// One goroutine owned by the Query runs every micro-batch; Stop ends it and
// waits for it. Sources and the sink are opened by the caller and handed
// over: the query stops them when it terminates.
package stream
