package checkpoint

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/google/uuid"
)

// Names of the directories inside a checkpoint.
const (
	OffsetsDir = "offsets"
	CommitsDir = "commits"
	SourcesDir = "sources"
	StateDir   = "state"
)

// Checkpoint is an open checkpointLocation directory, held exclusively by
// one running query until Close.
type Checkpoint struct {
	dir     string
	meta    Metadata
	runID   string
	offsets *OffsetLog
	commits *CommitLog
	lock    *dirLock
}

// Open opens (creating when needed) the checkpoint in dir for a query run
// identified by runID (a new uuid is made when runID is empty). It locks the
// directory: while the returned Checkpoint is open, another Open of the same
// directory, from this process or another, fails with a [*LockedError]. The
// query id in the metadata file is created on first use and kept for ever.
func Open(dir, runID string) (*Checkpoint, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("checkpoint location %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("create checkpoint location: %w", err)
	}
	if runID == "" {
		runID = uuid.NewString()
	}
	lock, err := lockDir(abs, runID)
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{dir: abs, runID: runID, lock: lock}
	if err := c.init(); err != nil {
		lock.release()
		return nil, err
	}
	return c, nil
}

func (c *Checkpoint) init() error {
	var err error
	if c.meta, err = LoadOrCreateMetadata(c.dir); err != nil {
		return err
	}
	if c.offsets, err = OpenOffsetLog(filepath.Join(c.dir, OffsetsDir)); err != nil {
		return err
	}
	c.commits, err = OpenCommitLog(filepath.Join(c.dir, CommitsDir))
	return err
}

// Close releases the directory lock. The logs must not be used afterwards.
func (c *Checkpoint) Close() error {
	return c.lock.release()
}

// Dir returns the absolute checkpoint directory.
func (c *Checkpoint) Dir() string { return c.dir }

// QueryID returns the query id from the metadata file, stable across runs.
func (c *Checkpoint) QueryID() string { return c.meta.ID }

// RunID returns the id of this run, new on every start.
func (c *Checkpoint) RunID() string { return c.runID }

// Offsets returns the offsets/ log.
func (c *Checkpoint) Offsets() *OffsetLog { return c.offsets }

// Commits returns the commits/ log.
func (c *Checkpoint) Commits() *CommitLog { return c.commits }

// SourceDir returns sources/<i>, the private log directory of the query's
// i-th source (the file source keeps its seen-files log there). It is not
// created until the source opens a log in it.
func (c *Checkpoint) SourceDir(i int) string {
	return filepath.Join(c.dir, SourcesDir, strconv.Itoa(i))
}

// StateDir returns state/, under which each stateful operator keeps its
// state store versions (state/<operator>/<partition>/...).
func (c *Checkpoint) StateDir() string {
	return filepath.Join(c.dir, StateDir)
}

// Resume is where a query restarts from its checkpoint.
type Resume struct {
	// Batch is the id of the next batch to run.
	Batch int64
	// Rerun reports that offsets/Batch was written but the batch never
	// committed: it must run again with End's offsets, watermark and
	// timestamp, and sinks must treat it as a possible replay.
	Rerun bool
	// Start holds offsets/(Batch-1), the offsets already processed, where
	// Batch starts reading; nil for the first batch.
	Start *OffsetSeq
	// End holds offsets/Batch when Rerun; nil otherwise (the runtime plans
	// new end offsets and writes them).
	End *OffsetSeq
	// WatermarkMs is the watermark Batch runs with: End's when Rerun,
	// otherwise the nextBatchWatermarkMs of the last commit (0 when fresh).
	WatermarkMs int64
}

// Resume reads the logs and tells where the query goes on, following
// Spark: take the latest offsets/N; if commits/N exists, run batch N+1 next,
// otherwise re-run batch N exactly as recorded. Deleting the last commit
// file therefore re-runs that batch.
func (c *Checkpoint) Resume() (Resume, error) {
	n, end, ok, err := c.offsets.Latest()
	if err != nil {
		return Resume{}, err
	}
	lastCommit, commit, committed, err := c.commits.Latest()
	if err != nil {
		return Resume{}, err
	}
	if !ok {
		if committed {
			return Resume{}, fmt.Errorf("checkpoint %s has commits up to batch %d but no offsets: the offsets directory was deleted; start the query with a new checkpointLocation", c.dir, lastCommit)
		}
		return Resume{Batch: 0}, nil
	}
	if committed && lastCommit > n {
		return Resume{}, fmt.Errorf("checkpoint %s has a commit for batch %d but offsets only up to batch %d: offset files were deleted; restore them or start the query with a new checkpointLocation", c.dir, lastCommit, n)
	}
	if committed && lastCommit == n {
		return Resume{Batch: n + 1, Start: &end, WatermarkMs: commit.NextBatchWatermarkMs}, nil
	}
	r := Resume{Batch: n, Rerun: true, End: &end, WatermarkMs: end.BatchWatermarkMs}
	if n > 0 {
		prev, ok, err := c.offsets.Get(n - 1)
		if err != nil {
			return Resume{}, err
		}
		if !ok {
			return Resume{}, fmt.Errorf("checkpoint %s: batch %d must be re-run but %s is missing, so where the batch starts is unknown; restore the file or start the query with a new checkpointLocation",
				c.dir, n, filepath.Join(c.dir, OffsetsDir, strconv.FormatInt(n-1, 10)))
		}
		r.Start = &prev
	}
	return r, nil
}
