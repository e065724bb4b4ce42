// Package checkpoint owns the durable, batch-indexed logs of a streaming
// query and the layout of its checkpointLocation directory. It follows
// Apache Spark's on-disk formats so that a Spark user recognises every file:
//
//	<checkpointLocation>/
//	  metadata            {"id":"<query uuid>"}, written once, kept across restarts
//	  offsets/N           v1, {"batchWatermarkMs":..,"batchTimestampMs":..,"conf":{..}},
//	                      then one line per source: its offset JSON, or "-"
//	  commits/N           v1, {"nextBatchWatermarkMs":..}
//	  sources/<i>/N       the file source's seen-files log (compactible: N.compact)
//	  state/<operator>/   state store versions (owned by the state store)
//	  .gostream.lock      held (flock) by the running query; names its run id and pid
//
// Every log file starts with a version line ("v1") followed by one JSON
// document per line. Files are written atomically: to a hidden temporary
// file in the same directory, fsynced, then linked into place under their
// final name, which fails rather than overwrite an existing batch. A reader
// therefore sees either no file or a complete one.
//
// The package knows nothing of Arrow data, sources or sinks: offsets are
// opaque JSON (json.RawMessage) that each source defines, and the file-based
// logs of the file source and sink are built on [CompactLog] by their owners.
package checkpoint
