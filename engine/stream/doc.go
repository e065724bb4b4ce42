// Package stream owns the micro-batch runtime of the engine: it turns an
// analyzed plan into a pipeline of exec operators (planner.go), runs batch
// queries once and streaming queries trigger after trigger (run.go), keeps
// the offset and commit logs of the checkpoint in step with the sink, and
// reports status, progress and lifecycle events (query.go, progress.go).
//
// One goroutine owned by the Query runs every micro-batch; Stop ends it and
// waits for it. Sources and the sink are opened by the caller and handed
// over: the query stops them when it terminates.
package stream
