package checkpoint

import (
	"errors"
	"fmt"
)

// ErrCorrupt is matched (errors.Is) by every [*CorruptError].
var ErrCorrupt = errors.New("corrupt checkpoint file")

// ErrNewerVersion is matched (errors.Is) by every [*VersionError].
var ErrNewerVersion = errors.New("checkpoint log version is newer than supported")

// ErrLocked is matched (errors.Is) by every [*LockedError].
var ErrLocked = errors.New("checkpoint directory is in use")

// CorruptError reports a log file that cannot be parsed: an empty or
// malformed version line, or a line that is not a JSON document. Atomic
// writes make this unlikely; it usually means the file was edited by hand or
// the disk lost data.
type CorruptError struct {
	File   string // path of the file
	Batch  int64  // batch the file belongs to; -1 when the file is not batch-indexed
	Line   int    // 1-based line number of the bad line; 0 for the whole file
	Reason string // what is wrong with it
}

func (e *CorruptError) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s line %d", e.File, e.Line)
	}
	msg := fmt.Sprintf("corrupt checkpoint file %s: %s", where, e.Reason)
	if e.Batch >= 0 {
		msg += fmt.Sprintf("; to recover, delete this file and restart the query: batch %d will be run again", e.Batch)
	}
	return msg
}

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// VersionError reports a log file written in a newer format than this build
// reads.
type VersionError struct {
	File      string
	Found     int // version in the file
	Supported int // newest version this build reads
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("%s: log version v%d is newer than supported v%d: the checkpoint was written by a newer gostream; run that version, or start the query with a new checkpointLocation",
		e.File, e.Found, e.Supported)
}

// Is makes errors.Is(err, ErrNewerVersion) true.
func (e *VersionError) Is(target error) bool { return target == ErrNewerVersion }

// LockedError reports a checkpoint directory held by another running query,
// in this process or another one.
type LockedError struct {
	Dir   string
	Owner LockOwner // who holds the lock, as it recorded itself; zero when unreadable
}

func (e *LockedError) Error() string {
	who := "another running query"
	if e.Owner.RunID != "" {
		who = fmt.Sprintf("another running query (run id %s, pid %d on host %s, since %s)",
			e.Owner.RunID, e.Owner.PID, e.Owner.Host, e.Owner.Since)
	}
	return fmt.Sprintf("checkpoint directory %s is in use by %s: stop that query first, or give this query its own checkpointLocation",
		e.Dir, who)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }
