package checkpoint

import (
	"encoding/json"
	"fmt"
	"path/filepath"
)

// CommitMetadata is the content of commits/N, Spark's CommitMetadata:
// written after batch N's sink committed its output.
type CommitMetadata struct {
	// NextBatchWatermarkMs is the watermark computed during batch N, which
	// batch N+1 runs with.
	NextBatchWatermarkMs int64 `json:"nextBatchWatermarkMs"`
}

// CommitLog is the commits/ directory of a checkpoint.
type CommitLog struct{ log *Log }

// OpenCommitLog opens (creating) the commit log in dir.
func OpenCommitLog(dir string) (*CommitLog, error) {
	l, err := OpenLog(dir)
	if err != nil {
		return nil, err
	}
	return &CommitLog{log: l}, nil
}

// Add writes commits/batchID; false when it already exists.
func (c *CommitLog) Add(batchID int64, m CommitMetadata) (bool, error) {
	line, err := json.Marshal(m)
	if err != nil {
		return false, err
	}
	return c.log.Add(batchID, line)
}

// Get reads commits/batchID; ok is false when it does not exist.
func (c *CommitLog) Get(batchID int64) (m CommitMetadata, ok bool, err error) {
	lines, ok, err := c.log.Get(batchID)
	if err != nil || !ok {
		return CommitMetadata{}, ok, err
	}
	m, err = c.decode(batchID, lines)
	return m, err == nil, err
}

// Latest returns the highest committed batch; ok is false when none is.
func (c *CommitLog) Latest() (batchID int64, m CommitMetadata, ok bool, err error) {
	batchID, lines, ok, err := c.log.Latest()
	if err != nil || !ok {
		return -1, CommitMetadata{}, false, err
	}
	m, err = c.decode(batchID, lines)
	return batchID, m, err == nil, err
}

// List returns the committed batch ids, ascending.
func (c *CommitLog) List() ([]int64, error) { return c.log.List() }

// Purge deletes commits of batches below minBatchToKeep.
func (c *CommitLog) Purge(minBatchToKeep int64) error { return c.log.Purge(minBatchToKeep) }

// decode reads line 2; like Spark, a file with only the version line means
// the defaults (watermark 0).
func (c *CommitLog) decode(batchID int64, lines [][]byte) (CommitMetadata, error) {
	var m CommitMetadata
	if len(lines) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(lines[0], &m); err != nil {
		return m, &CorruptError{File: filepath.Join(c.log.dir, fileName(batchID, false)), Batch: batchID, Line: 2,
			Reason: fmt.Sprintf("bad commit metadata: %v", err)}
	}
	return m, nil
}
