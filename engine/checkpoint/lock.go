package checkpoint

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// LockFile is the name of the lock file in a checkpoint directory.
const LockFile = ".gostream.lock"

// LockOwner is what the holder of a checkpoint lock records about itself.
type LockOwner struct {
	RunID string `json:"runId"`
	PID   int    `json:"pid"`
	Host  string `json:"host"`
	Since string `json:"since"` // RFC 3339
}

// dirLock is an exclusive advisory lock (flock) on a checkpoint's lock
// file. flock locks belong to the open file, so two queries in one process
// exclude each other as two processes do, and the kernel releases the lock
// when the process dies: no stale lock survives a crash.
type dirLock struct{ f *os.File }

func lockDir(dir, runID string) (*dirLock, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock checkpoint directory: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock checkpoint directory %s: %w", dir, err)
	}
	if !held {
		var owner LockOwner
		if data, err := io.ReadAll(f); err == nil {
			_ = json.Unmarshal(data, &owner) // an unreadable owner still means "locked"
		}
		f.Close()
		return nil, &LockedError{Dir: dir, Owner: owner}
	}
	host, _ := os.Hostname()
	owner, _ := json.Marshal(LockOwner{RunID: runID, PID: os.Getpid(), Host: host, Since: time.Now().UTC().Format(time.RFC3339)})
	// The owner record only improves the message another query gets; the
	// lock itself is the flock, so a failed write is not an error.
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt(owner, 0)
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
