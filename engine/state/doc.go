// Package state owns the versioned key-value state stores of stateful
// streaming operators (aggregations, deduplication, joins), checkpointed
// the way Spark's HDFS-backed state store provider does.
//
// # Model
//
// Each stateful operator keeps one or more stores per partition, named by
// an [ID]: operator id, partition, and a store name ("" for the default
// store). A [Provider] owns the versions of one store; a version is the
// state after a batch. Batch N of a query reads version N (version 0 is
// the empty state) and commits version N+1:
//
//	p, err := state.OpenProvider(checkpointStateDir, state.ID{Operator: 0}, state.Options{})
//	st, err := p.Load(batchID)     // the state batch batchID starts from
//	v, ok := st.Get(key)
//	st.Put(key, newValue)          // or st.Remove(key)
//	st.Range(func(k, v []byte) bool { ...; return true }) // Remove is allowed inside
//	newVersion, err := st.Commit() // == batchID+1, durable when it returns
//
// Commit must happen before the batch's commit log entry is written: a
// batch that is re-run after a crash (or because its commit file was
// deleted) loads version N again, and its Commit replaces version N+1.
// Abort drops the uncommitted changes. Loading the version just committed
// reuses the in-memory map (no copy); any other version is read from disk.
//
// # Files
//
// With a root directory (the checkpoint's state/ folder) a store lives in
// <root>/<operator>/<partition>/ (plus /<name> for a named store), as in
// Spark:
//
//	N.delta     the puts and removes that turn version N-1 into version N
//	N.snapshot  the whole of version N, written every
//	            Options.MinDeltasForSnapshot versions
//
// Version N is loaded from the latest snapshot at or below N followed by
// the deltas after it. Old files are deleted once more than
// Options.MinVersionsToRetain newer versions exist. Without a root
// (queries without a checkpointLocation) the store lives in memory only.
//
// Every file is written to a hidden temporary file, fsynced and renamed
// into place, so a reader sees a whole file or none. The encoding is a
// compact binary one:
//
//	"GSST" version(1 byte = 1) kind(1 byte: 'D' delta, 'S' snapshot)
//	records: 'P' uvarint(len(key)) key uvarint(len(value)) value   (put)
//	         'R' uvarint(len(key)) key                              (remove)
//	'E' count(uvarint) crc32c(4 bytes, little endian, of all bytes before it)
//
// Records are written in key order, so that the same state always gives
// the same bytes. A truncated or altered file fails its checksum and
// loading reports a *CorruptError naming it.
//
// # Keys and values
//
// Keys and values are opaque bytes; each operator chooses its encoding
// (the aggregation uses exec's row key encoding for keys and packed
// accumulators for values). Put copies the key and keeps the value slice:
// the caller must not modify a value after passing it, nor modify slices
// returned by Get or Range.
//
// A Store is used by one goroutine at a time. The package knows nothing of
// Arrow, plans or operators.
package state
