package checkpoint

import (
	"fmt"
	"path/filepath"
)

// CompactFunc rewrites the entries of a compaction file, e.g. to drop
// entries that a later entry cancels. It receives every entry of the log so
// far in order and must not keep the slice.
type CompactFunc func(entries [][]byte) ([][]byte, error)

// CompactLog is a [Log] whose batches are periodically compacted, like
// Spark's CompactibleFileStreamLog (used by the file source's seen-files log
// and the file sink's manifest). Every interval batches, batch N with
// (N+1) % interval == 0 is written as "N.compact" holding all entries of
// batches 0..N; other batches are deltas named "N". A reader takes the
// latest compaction file and the deltas after it.
//
// Readers go by the files present, not by the interval, so a log written
// with another interval reads correctly. Delta files are kept after
// compaction; [CompactLog.Purge] removes old ones.
type CompactLog struct {
	log      *Log
	interval int64
	compact  CompactFunc
}

// OpenCompactLog opens the compactible log in dir (creating the directory),
// compacting every interval batches (interval >= 1). compact may be nil to
// keep every entry.
func OpenCompactLog(dir string, interval int, compact CompactFunc) (*CompactLog, error) {
	if interval < 1 {
		return nil, fmt.Errorf("checkpoint log %s: compact interval %d must be at least 1", dir, interval)
	}
	l, err := OpenLog(dir)
	if err != nil {
		return nil, err
	}
	return &CompactLog{log: l, interval: int64(interval), compact: compact}, nil
}

// Dir returns the directory the log lives in.
func (c *CompactLog) Dir() string { return c.log.dir }

// IsCompactionBatch reports whether batchID is written as a compaction file.
func (c *CompactLog) IsCompactionBatch(batchID int64) bool {
	return (batchID+1)%c.interval == 0
}

// Add writes batch batchID with the given entries (single-line JSON). For a
// compaction batch it writes "N.compact" with every earlier entry followed
// by these. It returns false, writing nothing, when the batch exists.
func (c *CompactLog) Add(batchID int64, entries ...[]byte) (bool, error) {
	if !c.IsCompactionBatch(batchID) {
		return c.log.add(batchID, false, entries)
	}
	if _, exists, err := c.log.find(batchID); err != nil || exists {
		return false, err
	}
	var all [][]byte
	if batchID > 0 {
		prev, err := c.entriesUpTo(batchID - 1)
		if err != nil {
			return false, fmt.Errorf("compact checkpoint log at batch %d: %w", batchID, err)
		}
		all = prev
	}
	all = append(all, entries...)
	if c.compact != nil {
		var err error
		if all, err = c.compact(all); err != nil {
			return false, fmt.Errorf("compact checkpoint log at batch %d: %w", batchID, err)
		}
	}
	return c.log.add(batchID, true, all)
}

// Get returns the file of batch batchID; ok is false when it is missing.
// For a compaction file (Batch.Compacted) the lines are every entry up to
// and including the batch: callers that need one batch's own entries must
// tell them apart themselves (the file source's entries carry a batchId).
func (c *CompactLog) Get(batchID int64) (b Batch, ok bool, err error) {
	return c.log.get(batchID)
}

// Latest returns the highest batch id in the log; ok is false when empty.
func (c *CompactLog) Latest() (batchID int64, ok bool, err error) {
	files, err := c.log.files()
	if err != nil || len(files) == 0 {
		return -1, false, err
	}
	return files[len(files)-1].id, true, nil
}

// AllEntries returns every entry of the log in order: the latest compaction
// file's entries, then those of each later delta.
func (c *CompactLog) AllEntries() ([][]byte, error) {
	latest, ok, err := c.Latest()
	if err != nil || !ok {
		return nil, err
	}
	return c.entriesUpTo(latest)
}

// Purge deletes batch files below minBatchToKeep, except that the latest
// compaction file at or below it is kept so AllEntries stays complete.
func (c *CompactLog) Purge(minBatchToKeep int64) error {
	files, err := c.log.files()
	if err != nil {
		return err
	}
	for i := len(files) - 1; i >= 0; i-- {
		if files[i].compact && files[i].id <= minBatchToKeep {
			minBatchToKeep = files[i].id
			break
		}
	}
	return c.log.Purge(minBatchToKeep)
}

// entriesUpTo merges the latest compaction file at or below upTo with the
// deltas after it. Every delta in between must exist: a gap means a batch
// file was deleted and entries would silently vanish.
func (c *CompactLog) entriesUpTo(upTo int64) ([][]byte, error) {
	files, err := c.log.files()
	if err != nil {
		return nil, err
	}
	base := -1
	for i, f := range files {
		if f.id > upTo {
			break
		}
		if f.compact {
			base = i
		}
	}
	var out [][]byte
	next := int64(0)
	start := 0
	if base >= 0 {
		b, err := c.log.read(files[base])
		if err != nil {
			return nil, err
		}
		out = append(out, b.Lines...)
		next = files[base].id + 1
		start = base + 1
	}
	for _, f := range files[start:] {
		if f.id > upTo {
			break
		}
		if f.id != next {
			return nil, c.missing(next, upTo)
		}
		b, err := c.log.read(f)
		if err != nil {
			return nil, err
		}
		out = append(out, b.Lines...)
		next++
	}
	if next <= upTo {
		return nil, c.missing(next, upTo)
	}
	return out, nil
}

func (c *CompactLog) missing(id, upTo int64) error {
	return &CorruptError{
		File:   filepath.Join(c.log.dir, fileName(id, c.IsCompactionBatch(id))),
		Batch:  -1,
		Reason: fmt.Sprintf("the file is missing, but the log goes on to batch %d and needs it; restore the file, or start over with a new checkpoint", upTo),
	}
}
