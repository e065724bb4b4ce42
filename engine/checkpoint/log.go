package checkpoint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Version is the log format version this build writes, and the newest it
// reads. It is written as the first line of every log file ("v1").
const Version = 1

// compactSuffix marks a compaction file ("9.compact") in a [CompactLog].
const compactSuffix = ".compact"

// Log is a batch-indexed metadata log over one directory, like Spark's
// HDFSMetadataLog: batch N is the file named N, holding a version line and
// then one JSON document per line. Batches are written once and never
// overwritten. A Log is safe for concurrent use, though a checkpoint
// directory belongs to one running query at a time (see [Open]).
type Log struct {
	dir string
}

// OpenLog opens the log in dir, creating the directory when it is missing.
func OpenLog(dir string) (*Log, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create checkpoint log directory: %w", err)
	}
	return &Log{dir: dir}, nil
}

// Dir returns the directory the log lives in.
func (l *Log) Dir() string { return l.dir }

// Add writes batch batchID with the given lines, each one JSON document (or
// "-", Spark's marker for a missing offset) without newlines. It returns
// false, and writes nothing, when the batch already exists: a batch is never
// overwritten, so a replayed batch keeps what it first recorded.
func (l *Log) Add(batchID int64, lines ...[]byte) (bool, error) {
	return l.add(batchID, false, lines)
}

// Get returns the lines of batch batchID (without the version line); ok is
// false when the batch does not exist.
func (l *Log) Get(batchID int64) (lines [][]byte, ok bool, err error) {
	b, ok, err := l.get(batchID)
	return b.Lines, ok, err
}

// Latest returns the highest batch id in the log and its lines; ok is false
// when the log is empty.
func (l *Log) Latest() (batchID int64, lines [][]byte, ok bool, err error) {
	files, err := l.files()
	if err != nil || len(files) == 0 {
		return -1, nil, false, err
	}
	last := files[len(files)-1]
	b, err := l.read(last)
	if err != nil {
		return -1, nil, false, err
	}
	return last.id, b.Lines, true, nil
}

// List returns the batch ids present in the log, in ascending order.
func (l *Log) List() ([]int64, error) {
	files, err := l.files()
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(files))
	for i, f := range files {
		ids[i] = f.id
	}
	return ids, nil
}

// Purge deletes every batch whose id is below minBatchToKeep.
func (l *Log) Purge(minBatchToKeep int64) error {
	files, err := l.files()
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.id >= minBatchToKeep {
			break
		}
		if err := os.Remove(filepath.Join(l.dir, f.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("purge checkpoint log: %w", err)
		}
	}
	return nil
}

// logFile is one batch file found in a log directory.
type logFile struct {
	id      int64
	compact bool
	name    string
}

// Batch is the content of one batch file.
type Batch struct {
	ID int64
	// Compacted is true for a compaction file ("N.compact"), which holds
	// every entry of the log up to and including batch ID.
	Compacted bool
	Lines     [][]byte
}

func fileName(batchID int64, compact bool) string {
	name := strconv.FormatInt(batchID, 10)
	if compact {
		name += compactSuffix
	}
	return name
}

// parseFileName recognises "N" and "N.compact"; anything else (temporary
// files, Hadoop's .crc files, the lock file) is not part of the log.
func parseFileName(name string) (logFile, bool) {
	digits, compact := strings.CutSuffix(name, compactSuffix)
	if digits == "" || digits[0] < '0' || digits[0] > '9' {
		return logFile{}, false
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || id < 0 || strconv.FormatInt(id, 10) != digits {
		return logFile{}, false
	}
	return logFile{id: id, compact: compact, name: name}, true
}

// files lists the batch files in ascending id order.
func (l *Log) files() ([]logFile, error) {
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return nil, fmt.Errorf("list checkpoint log: %w", err)
	}
	var files []logFile
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if f, ok := parseFileName(e.Name()); ok {
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool {
		if files[i].id != files[j].id {
			return files[i].id < files[j].id
		}
		return !files[i].compact // "N" before "N.compact"; both never exist together
	})
	return files, nil
}

// find returns the file of batchID, delta or compaction.
func (l *Log) find(batchID int64) (logFile, bool, error) {
	for _, compact := range []bool{false, true} {
		name := fileName(batchID, compact)
		_, err := os.Stat(filepath.Join(l.dir, name))
		if err == nil {
			return logFile{id: batchID, compact: compact, name: name}, true, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return logFile{}, false, fmt.Errorf("read checkpoint log: %w", err)
		}
	}
	return logFile{}, false, nil
}

func (l *Log) get(batchID int64) (Batch, bool, error) {
	f, ok, err := l.find(batchID)
	if err != nil || !ok {
		return Batch{}, false, err
	}
	b, err := l.read(f)
	if errors.Is(err, fs.ErrNotExist) { // purged between Stat and read
		return Batch{}, false, nil
	}
	return b, err == nil, err
}

func (l *Log) read(f logFile) (Batch, error) {
	path := filepath.Join(l.dir, f.name)
	data, err := os.ReadFile(path)
	if err != nil {
		return Batch{}, fmt.Errorf("read checkpoint log: %w", err)
	}
	lines, err := parseLog(path, f.id, data)
	if err != nil {
		return Batch{}, err
	}
	return Batch{ID: f.id, Compacted: f.compact, Lines: lines}, nil
}

// parseLog checks the version line and that every other line is a JSON
// document or "-". A file cut short mid-line fails the JSON check, which is
// how a torn write would show even though rename-into-place prevents one.
func parseLog(path string, batchID int64, data []byte) ([][]byte, error) {
	if len(data) == 0 {
		return nil, &CorruptError{File: path, Batch: batchID, Reason: "the file is empty"}
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	lines := bytes.Split(data, []byte("\n"))
	if err := checkVersion(path, batchID, lines[0]); err != nil {
		return nil, err
	}
	out := lines[1:]
	for i, line := range out {
		if string(line) == "-" || json.Valid(line) {
			continue
		}
		return nil, &CorruptError{File: path, Batch: batchID, Line: i + 2, Reason: fmt.Sprintf("not a JSON document: %s", abbreviate(line))}
	}
	return out, nil
}

func checkVersion(path string, batchID int64, line []byte) error {
	text := string(bytes.TrimSpace(line))
	v, err := strconv.Atoi(strings.TrimPrefix(text, "v"))
	if !strings.HasPrefix(text, "v") || err != nil || v <= 0 {
		return &CorruptError{File: path, Batch: batchID, Line: 1,
			Reason: fmt.Sprintf("failed to read the log version from %s (want %q)", abbreviate(line), "v"+strconv.Itoa(Version))}
	}
	if v > Version {
		return &VersionError{File: path, Found: v, Supported: Version}
	}
	return nil
}

func abbreviate(b []byte) string {
	const max = 60
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "..."
	}
	return strconv.Quote(string(b))
}

func (l *Log) add(batchID int64, compact bool, lines [][]byte) (bool, error) {
	if batchID < 0 {
		return false, fmt.Errorf("checkpoint log %s: batch id %d is negative", l.dir, batchID)
	}
	if _, exists, err := l.find(batchID); err != nil || exists {
		return false, err
	}
	var buf bytes.Buffer
	buf.WriteString("v" + strconv.Itoa(Version))
	for i, line := range lines {
		if bytes.IndexByte(line, '\n') >= 0 {
			return false, fmt.Errorf("checkpoint log %s batch %d: entry %d spans several lines; entries must be single-line JSON", l.dir, batchID, i)
		}
		buf.WriteByte('\n')
		buf.Write(line)
	}
	created, err := WriteNewFile(filepath.Join(l.dir, fileName(batchID, compact)), buf.Bytes())
	if err != nil {
		return false, fmt.Errorf("write checkpoint log batch %d: %w", batchID, err)
	}
	return created, nil
}
