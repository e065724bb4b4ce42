package fileindex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"github.com/gostream/gostream/engine/checkpoint"
)

// SourceLogCompactInterval is how often the seen-files log is compacted
// (Spark's spark.sql.streaming.fileSource.log.compactInterval default).
const SourceLogCompactInterval = 10

// Offset is the file source's offset: the id of a batch of its seen-files
// log, Spark's FileStreamSourceOffset, serialised as {"logOffset":N}. It
// counts the source's own batches of new files, which is not the query's
// batch id (a query batch with no new files adds none).
type Offset int64

// NoOffset is the offset before any file was planned.
const NoOffset Offset = -1

// MarshalJSON writes {"logOffset":N}.
func (o Offset) MarshalJSON() ([]byte, error) {
	return []byte(`{"logOffset":` + strconv.FormatInt(int64(o), 10) + `}`), nil
}

// UnmarshalJSON reads {"logOffset":N}, or a bare number as Spark 2.0 wrote.
func (o *Offset) UnmarshalJSON(data []byte) error {
	var v struct {
		LogOffset *int64 `json:"logOffset"`
	}
	if err := json.Unmarshal(data, &v); err == nil && v.LogOffset != nil {
		*o = Offset(*v.LogOffset)
		return nil
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(data)), 10, 64)
	if err != nil {
		return fmt.Errorf("file source offset %s: want {\"logOffset\":N}", data)
	}
	*o = Offset(n)
	return nil
}

// FileEntry is one file planned for a batch, an entry of the seen-files log
// (Spark's FileStreamSource.FileEntry).
type FileEntry struct {
	Path      string `json:"path"`      // "file:///abs/path", percent-encoded
	Timestamp int64  `json:"timestamp"` // modification time, ms since the epoch
	BatchID   int64  `json:"batchId"`   // the log batch (Offset) that planned it
}

// LocalPath returns the file's path on the local file system.
func (e FileEntry) LocalPath() (string, error) { return localPath(e.Path) }

// Index discovers the file source's new files and remembers which it has
// planned. Its methods are safe for concurrent use.
type Index struct {
	path  string // absolute path or glob
	opts  Options
	log   *checkpoint.CompactLog
	clean cleaner

	mu          sync.Mutex
	seen        *seenFiles
	current     Offset
	cleanedTo   Offset       // files of log batches <= cleanedTo were cleaned
	hasManifest *bool        // nil until decided, like Spark's sourceHasMetadata
	snapshot    []fileStatus // the listing frozen by PrepareAvailableNow
	snapshotted bool
	unlimited   bool // per-trigger caps lifted by ReadAllAvailable
}

// Open opens the file source index for path (a file, a directory, or a glob
// such as "data/*.json") with the seen-files log in logDir (the checkpoint's
// sources/<i> directory), restoring which files earlier runs planned. A
// path that is not a glob must exist.
func Open(path string, opts Options, logDir string) (*Index, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("file source path %q: %w", path, err)
	}
	if !isGlob(abs) {
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("Path does not exist: %s (the file source needs an existing directory, file, or a glob pattern): %w", fileURI(abs), err)
		}
	}
	clean, err := newCleaner(abs, opts)
	if err != nil {
		return nil, err
	}
	log, err := checkpoint.OpenCompactLog(logDir, SourceLogCompactInterval, nil)
	if err != nil {
		return nil, fmt.Errorf("open file source log: %w", err)
	}
	ix := &Index{path: abs, opts: opts, log: log, clean: clean,
		seen: newSeenFiles(opts.maxFileAgeMs(), opts.FileNameOnly), current: NoOffset, cleanedTo: NoOffset}
	if err := ix.restore(); err != nil {
		return nil, err
	}
	return ix, nil
}

func (ix *Index) restore() error {
	latest, ok, err := ix.log.Latest()
	if err != nil || !ok {
		return err
	}
	lines, err := ix.log.AllEntries()
	if err != nil {
		return err
	}
	for _, line := range lines {
		var e FileEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return fmt.Errorf("file source log %s: bad entry %s: %w", ix.log.Dir(), line, err)
		}
		ix.seen.add(e.Path, e.Timestamp)
	}
	ix.seen.purge()
	ix.current = Offset(latest)
	return nil
}

// Current returns the latest planned offset without listing.
func (ix *Index) Current() Offset {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.current
}

// PrepareAvailableNow freezes the listing: later Latest calls choose only
// among the files present now (Trigger.AvailableNow), in as many batches as
// the per-trigger caps require.
func (ix *Index) PrepareAvailableNow(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	files, err := ix.listAll(ctx)
	if err != nil {
		return err
	}
	ix.snapshot, ix.snapshotted = files, true
	return nil
}

// Latest lists the source path, picks the next batch of new files within
// the per-trigger caps, records them durably as the next log batch, and
// returns that batch as the new end offset. With no new file it returns the
// current offset unchanged (NoOffset before any file). Files recorded by a
// call whose batch never ran are not lost: the next Latest returns an
// offset that includes them, and a re-run batch replays them via Files.
func (ix *Index) Latest(ctx context.Context) (Offset, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	files := ix.snapshot
	if !ix.snapshotted {
		var err error
		if files, err = ix.listAll(ctx); err != nil {
			return ix.current, err
		}
	}
	// With fileNameOnly, two new files of the same name in one listing are
	// the same file too: the first in order is taken.
	var fresh []fileStatus
	inListing := map[string]bool{}
	for _, f := range files {
		uri := fileURI(f.path)
		if k := ix.seen.key(uri); ix.seen.isNew(uri, f.mtimeMs) && !inListing[k] {
			inListing[k] = true
			fresh = append(fresh, f)
		}
	}
	batch := ix.takeBatch(fresh)
	if len(batch) == 0 {
		ix.seen.purge()
		return ix.current, nil
	}
	next := ix.current + 1
	lines := make([][]byte, len(batch))
	for i, f := range batch {
		line, err := json.Marshal(FileEntry{Path: fileURI(f.path), Timestamp: f.mtimeMs, BatchID: int64(next)})
		if err != nil {
			return ix.current, err
		}
		lines[i] = line
	}
	created, err := ix.log.Add(int64(next), lines...)
	if err != nil {
		return ix.current, fmt.Errorf("record file source batch %d: %w", next, err)
	}
	if !created {
		return ix.current, fmt.Errorf("Concurrent update to the log. Multiple streaming jobs detected for %d (file source log %s): another query uses this checkpoint", next, ix.log.Dir())
	}
	for _, f := range batch {
		ix.seen.add(fileURI(f.path), f.mtimeMs)
	}
	ix.seen.purge()
	ix.current = next
	return next, nil
}

// ReadAllAvailable lifts maxFilesPerTrigger and maxBytesPerTrigger for
// the rest of the run: the next Latest takes every new file.
func (ix *Index) ReadAllAvailable() {
	ix.mu.Lock()
	ix.unlimited = true
	ix.mu.Unlock()
}

// takeBatch applies maxFilesPerTrigger / maxBytesPerTrigger to the ordered
// new files. The first file is always taken.
func (ix *Index) takeBatch(files []fileStatus) []fileStatus {
	switch {
	case ix.unlimited:
		return files
	case ix.opts.MaxFilesPerTrigger > 0 && len(files) > ix.opts.MaxFilesPerTrigger:
		return files[:ix.opts.MaxFilesPerTrigger]
	case ix.opts.MaxBytesPerTrigger > 0:
		var total int64
		for i, f := range files {
			if i > 0 && (total+f.size > ix.opts.MaxBytesPerTrigger || total+f.size < total) {
				return files[:i]
			}
			total += f.size
		}
	}
	return files
}

// listAll lists the data files, from the sink manifest when the path is a
// file sink's output, and orders them by modification time (newest first
// with latestFirst), then by path.
func (ix *Index) listAll(ctx context.Context) ([]fileStatus, error) {
	files, err := ix.listFiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("list file source %s: %w", ix.path, err)
	}
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i], files[j]
		if a.mtimeMs != b.mtimeMs {
			return (a.mtimeMs < b.mtimeMs) != ix.opts.LatestFirst
		}
		return a.path < b.path
	})
	return files, nil
}

func (ix *Index) listFiles(ctx context.Context) ([]fileStatus, error) {
	if ix.hasManifest == nil || *ix.hasManifest {
		has, err := HasManifest(ix.path)
		if err != nil {
			return nil, err
		}
		if has {
			if err := ix.decideManifest(true); err != nil {
				return nil, err
			}
			return ix.manifestFiles()
		}
	}
	files, err := listPath(ctx, ix.path)
	if err != nil {
		return nil, err
	}
	if ix.hasManifest == nil && len(files) > 0 {
		// Decide once files appear; check again in case a sink created its
		// manifest between the check above and the listing.
		has, err := HasManifest(ix.path)
		if err != nil {
			return nil, err
		}
		if err := ix.decideManifest(has); err != nil {
			return nil, err
		}
		if has {
			return ix.manifestFiles()
		}
	}
	return files, nil
}

func (ix *Index) decideManifest(has bool) error {
	if has && ix.opts.CleanSource != CleanOff {
		return errors.New("Clean up source files is not supported when reading from the output directory of FileStreamSink.")
	}
	ix.hasManifest = &has
	return nil
}

func (ix *Index) manifestFiles() ([]fileStatus, error) {
	entries, err := ReadManifest(ix.path)
	if err != nil {
		return nil, err
	}
	out := make([]fileStatus, 0, len(entries))
	for _, e := range entries {
		p, err := e.LocalPath()
		if err != nil {
			return nil, err
		}
		out = append(out, fileStatus{path: p, size: e.Size, mtimeMs: e.ModificationTime})
	}
	return out, nil
}

// Files returns the files of the log batches in (start, end], in the order
// they were planned: the input of a query batch whose source offsets went
// from start to end. It reads only the log, so a re-run batch gets exactly
// the files first planned for it.
func (ix *Index) Files(start, end Offset) ([]FileEntry, error) {
	if start > end {
		return nil, fmt.Errorf("file source: start offset %d is after end offset %d", start, end)
	}
	var out []FileEntry
	for id := start + 1; id <= end; id++ {
		entries, err := ix.batchFiles(id)
		if err != nil {
			return nil, err
		}
		out = append(out, entries...)
	}
	return out, nil
}

func (ix *Index) batchFiles(id Offset) ([]FileEntry, error) {
	b, ok, err := ix.log.Get(int64(id))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("file source log %s has no batch %d: the checkpoint's sources directory is incomplete; restore it or start the query with a new checkpointLocation", ix.log.Dir(), id)
	}
	var out []FileEntry
	for _, line := range b.Lines {
		var e FileEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("file source log %s batch %d: bad entry %s: %w", ix.log.Dir(), id, line, err)
		}
		if b.Compacted && e.BatchID != int64(id) {
			continue // a compaction file holds every earlier batch too
		}
		out = append(out, e)
	}
	return out, nil
}

// Commit tells the index that the batch ending at end has committed. With
// cleanSource it deletes or archives the files of the log batches up to end
// not cleaned yet in this run (after a restart, from end's own batch). A
// file that cannot be cleaned does not fail the query: those errors match
// ErrCleanSource and are for logging; any other error is real.
func (ix *Index) Commit(end Offset) error {
	if ix.clean == nil || end == NoOffset {
		return nil
	}
	ix.mu.Lock()
	from := ix.cleanedTo + 1
	if ix.cleanedTo == NoOffset {
		from = end
	}
	ix.mu.Unlock()
	var errs []error
	for id := from; id <= end; id++ {
		entries, err := ix.batchFiles(id)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := ix.clean.clean(e); err != nil {
				errs = append(errs, err)
			}
		}
	}
	ix.mu.Lock()
	if end > ix.cleanedTo {
		ix.cleanedTo = end
	}
	ix.mu.Unlock()
	return errors.Join(errs...)
}

// seenFiles is Spark's SeenFilesMap: the files planned so far, forgetting
// those older than maxAgeMs before the newest, and refusing files older
// than that bound as new.
type seenFiles struct {
	maxAgeMs     int64
	nameOnly     bool
	m            map[string]int64
	latest       int64
	purgedBefore int64
}

func newSeenFiles(maxAgeMs int64, nameOnly bool) *seenFiles {
	return &seenFiles{maxAgeMs: maxAgeMs, nameOnly: nameOnly, m: map[string]int64{}}
}

func (s *seenFiles) key(uri string) string {
	if s.nameOnly {
		return filepath.Base(uri)
	}
	return uri
}

func (s *seenFiles) add(uri string, ts int64) {
	s.m[s.key(uri)] = ts
	if ts > s.latest {
		s.latest = ts
	}
}

// isNew: unseen and not older than the last purge bound, so a file that
// was purged from the map is never taken again.
func (s *seenFiles) isNew(uri string, ts int64) bool {
	_, seen := s.m[s.key(uri)]
	return ts >= s.purgedBefore && !seen
}

func (s *seenFiles) purge() {
	if s.latest < math.MinInt64+s.maxAgeMs { // would overflow: no bound
		s.purgedBefore = math.MinInt64
	} else {
		s.purgedBefore = s.latest - s.maxAgeMs
	}
	for k, ts := range s.m {
		if ts < s.purgedBefore {
			delete(s.m, k)
		}
	}
}
