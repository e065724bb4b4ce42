package stream

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/gostream/gostream/engine/checkpoint"
)

// Log records a query's progress: the checkpoint's offset and commit logs,
// or nothing at all for a query without a checkpointLocation.
type Log interface {
	// QueryID is the query's id, stable across restarts.
	QueryID() string
	// Resume tells where the query goes on.
	Resume() (checkpoint.Resume, error)
	// AddOffsets writes offsets/batchID before the batch runs.
	AddOffsets(batchID int64, seq checkpoint.OffsetSeq) error
	// AddCommit writes commits/batchID once the sink has the batch.
	AddCommit(batchID int64, m checkpoint.CommitMetadata) error
	// SourceDir is the private log directory of source i, "" when the
	// query keeps no checkpoint.
	SourceDir(i int) string
	// Close releases the log (the checkpoint's lock).
	Close() error
}

// CheckpointLog is a Log over a checkpoint directory.
type CheckpointLog struct {
	*checkpoint.Checkpoint
}

// OpenCheckpointLog opens and locks the checkpoint in dir for run runID.
func OpenCheckpointLog(dir, runID string) (*CheckpointLog, error) {
	c, err := checkpoint.Open(dir, runID)
	if err != nil {
		return nil, err
	}
	return &CheckpointLog{c}, nil
}

func (l *CheckpointLog) AddOffsets(batchID int64, seq checkpoint.OffsetSeq) error {
	ok, err := l.Offsets().Add(batchID, seq)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("Concurrent update to the log. Multiple streaming jobs detected for %d (offsets/%d already exists in %s)", batchID, batchID, l.Dir())
	}
	return nil
}

func (l *CheckpointLog) AddCommit(batchID int64, m checkpoint.CommitMetadata) error {
	ok, err := l.Commits().Add(batchID, m)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("Concurrent update to the log. Multiple streaming jobs detected for %d (commits/%d already exists in %s)", batchID, batchID, l.Dir())
	}
	return nil
}

// MemoryLog is the Log of a query without a checkpoint: every start is a
// fresh query with a new id, and nothing is written.
type MemoryLog struct {
	id string
}

// NewMemoryLog returns a MemoryLog with a new query id.
func NewMemoryLog() *MemoryLog { return &MemoryLog{id: uuid.NewString()} }

func (l *MemoryLog) QueryID() string                                  { return l.id }
func (l *MemoryLog) Resume() (checkpoint.Resume, error)               { return checkpoint.Resume{}, nil }
func (l *MemoryLog) AddOffsets(int64, checkpoint.OffsetSeq) error     { return nil }
func (l *MemoryLog) AddCommit(int64, checkpoint.CommitMetadata) error { return nil }
func (l *MemoryLog) SourceDir(int) string                             { return "" }
func (l *MemoryLog) Close() error                                     { return nil }
