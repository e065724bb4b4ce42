// Package fileindex owns the durable file bookkeeping of the file source
// and the file sink, following Spark Structured Streaming's formats:
//
//   - [Index] discovers new files for the streaming file source. Each
//     trigger it lists the source path (a directory, listed recursively, or
//     a glob), orders files by modification time then name, skips hidden and
//     temporary names (starting with "." or "_", or ending in "._COPYING_",
//     as Hadoop and Spark do), applies maxFilesPerTrigger,
//     maxBytesPerTrigger, latestFirst, fileNameOnly and maxFileAge, and
//     records the chosen files in the seen-files log (Spark's
//     FileStreamSourceLog, in the checkpoint's sources/<i>/ directory). The
//     source's offset is a batch id of that log ({"logOffset":N}), so a
//     re-run batch reads exactly the files first planned for it.
//     cleanSource=delete|archive removes or moves files once their batch
//     committed.
//   - [Sink] is the file sink's commit protocol (Spark's
//     ManifestFileCommitProtocol): part files are written under hidden
//     temporary names, fsynced and renamed to part-NNNNN-<uuid>.cNNN.<ext>;
//     the batch is committed by writing <path>/_spark_metadata/<batchId>.
//     A batch id already in that manifest is skipped, so replays never
//     duplicate output. [ManifestFiles] gives readers only committed files,
//     and the Index uses it when its source path is a sink's output.
//
// A file becomes visible to the source as soon as it is listed under a
// non-hidden name. Like Spark, the Index does not wait for a file's size or
// modification time to settle: producers must write under a hidden or
// temporary name and rename into place (an atomic rename in the same file
// system), or the source may read a file that is still growing.
//
// The package reads and writes file names and metadata only; reading the
// files' contents (Arrow data) belongs to the sources and sinks.
package fileindex
