package fileindex

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/gostream/gostream/engine/checkpoint"
)

// ErrAlreadyCommitted is returned by [Sink.Begin] for a batch id the
// manifest already holds: the batch is a replay and must write nothing.
var ErrAlreadyCommitted = errors.New("batch already committed")

// tempSuffix ends the hidden name a part file has while being written.
const tempSuffix = ".inprogress"

// Sink is the commit protocol of a file sink writing to one directory,
// Spark's ManifestFileCommitProtocol. One batch at a time:
//
//	b, err := sink.Begin(batchID)       // ErrAlreadyCommitted on replay: skip the batch
//	f, err := b.Create(0, "", ".json")  // .part-00000-<uuid>.c000.json.inprogress
//	f.Write(...); f.Close()             // fsync, rename to part-00000-<uuid>.c000.json
//	b.Commit()                          // _spark_metadata/<batchID> lists the files
//
// Until Commit, the batch's files are invisible to [ManifestFiles]; after a
// crash they are never listed, and [Sink.RemoveUncommitted] deletes them.
// A Sink assumes it is the only writer of its directory (the query's
// checkpoint lock guards against running the same query twice; two
// different queries must not share a sink path).
type Sink struct {
	path string
	log  *checkpoint.CompactLog
}

// OpenSink opens the file sink output directory path, creating it and its
// _spark_metadata manifest directory.
func OpenSink(path string) (*Sink, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("file sink path %q: %w", path, err)
	}
	log, err := checkpoint.OpenCompactLog(filepath.Join(abs, ManifestDir), SinkLogCompactInterval, compactSinkLog)
	if err != nil {
		return nil, fmt.Errorf("open file sink %s: %w", abs, err)
	}
	return &Sink{path: abs, log: log}, nil
}

// Path returns the absolute output directory.
func (s *Sink) Path() string { return s.path }

// LatestBatch returns the highest committed batch id; ok is false before the
// first commit.
func (s *Sink) LatestBatch() (batchID int64, ok bool, err error) {
	return s.log.Latest()
}

// Begin starts writing batch batchID. Like Spark, a batch id at or below the
// latest committed one is a replay: Begin returns ErrAlreadyCommitted and
// the caller must skip the batch (report it as written).
func (s *Sink) Begin(batchID int64) (*SinkBatch, error) {
	latest, ok, err := s.log.Latest()
	if err != nil {
		return nil, err
	}
	if ok && batchID <= latest {
		return nil, fmt.Errorf("file sink %s batch %d (latest committed %d): %w", s.path, batchID, latest, ErrAlreadyCommitted)
	}
	return &SinkBatch{sink: s, id: batchID, jobID: uuid.NewString(), counters: map[string]int{}}, nil
}

// RemoveUncommitted deletes what crashed batches left behind: hidden
// in-progress part files, and part files (part-*) that no committed batch
// lists. Other files are left alone. Call it when the sink starts, before
// the first Begin; it must not run while a batch is being written.
func (s *Sink) RemoveUncommitted() (removed []string, err error) {
	committed := map[string]bool{}
	if files, err := ReadManifest(s.path); err == nil {
		for _, f := range files {
			if p, err := f.LocalPath(); err == nil {
				committed[p] = true
			}
		}
	} else {
		return nil, err
	}
	err = filepath.WalkDir(s.path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if name == ManifestDir && p == filepath.Join(s.path, ManifestDir) {
				return filepath.SkipDir
			}
			return nil
		}
		stale := (strings.HasPrefix(name, ".part-") && strings.HasSuffix(name, tempSuffix)) ||
			(strings.HasPrefix(name, "part-") && !committed[p])
		if !stale {
			return nil
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removed = append(removed, p)
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("remove uncommitted files of file sink %s: %w", s.path, err)
	}
	return removed, nil
}

// SinkBatch is one batch being written. Its methods are safe for concurrent
// use, so partitions may be written in parallel.
type SinkBatch struct {
	sink  *Sink
	id    int64
	jobID string

	mu       sync.Mutex
	counters map[string]int // next cNNN per (subdir, partition)
	files    []SinkFile
	open     map[*PartFile]bool
	done     bool
}

// ID returns the batch id.
func (b *SinkBatch) ID() int64 { return b.id }

// Create starts a part file of partition (its task number) in subdir (a
// partition directory such as "date=2024-01-01"; "" for the output
// directory itself). ext is the format's extension with its leading dot
// (".json", ".csv", ".snappy.parquet"). The file is named as Spark names
// it, part-<5-digit partition>-<batch uuid>.c<3-digit counter><ext>; the
// counter grows when one partition writes several files.
func (b *SinkBatch) Create(partition int, subdir, ext string) (*PartFile, error) {
	if subdir != "" && (filepath.IsAbs(subdir) || !filepath.IsLocal(subdir)) {
		return nil, fmt.Errorf("file sink: partition directory %q must be relative and inside the output path", subdir)
	}
	b.mu.Lock()
	if b.done {
		b.mu.Unlock()
		return nil, fmt.Errorf("file sink batch %d is already committed or aborted", b.id)
	}
	key := fmt.Sprintf("%s\x00%d", subdir, partition)
	n := b.counters[key]
	b.counters[key] = n + 1
	b.mu.Unlock()

	dir := filepath.Join(b.sink.path, subdir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("file sink: %w", err)
	}
	name := fmt.Sprintf("part-%05d-%s.c%03d%s", partition, b.jobID, n, ext)
	final := filepath.Join(dir, name)
	tmp := filepath.Join(dir, "."+name+tempSuffix)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("file sink: create part file: %w", err)
	}
	p := &PartFile{batch: b, f: f, tmp: tmp, final: final}
	b.mu.Lock()
	if b.open == nil {
		b.open = map[*PartFile]bool{}
	}
	b.open[p] = true
	b.mu.Unlock()
	return p, nil
}

// Commit records every closed part file of the batch in the manifest,
// atomically: <path>/_spark_metadata/<batchId> (or <batchId>.compact every
// 10 batches). It returns false when the batch id was committed meanwhile
// by another writer; this batch's files are then deleted. Part files still
// open are an error: close or abort them first.
func (b *SinkBatch) Commit() (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return false, fmt.Errorf("file sink batch %d is already committed or aborted", b.id)
	}
	if len(b.open) > 0 {
		return false, fmt.Errorf("file sink batch %d: %d part files are still open; close them before Commit", b.id, len(b.open))
	}
	lines := make([][]byte, len(b.files))
	for i, f := range b.files {
		line, err := json.Marshal(f)
		if err != nil {
			return false, err
		}
		lines[i] = line
	}
	// Renamed part files are durable before the manifest names them: each
	// was fsynced before its rename, and the directories are synced here.
	if err := b.syncDirs(); err != nil {
		return false, err
	}
	created, err := b.sink.log.Add(b.id, lines...)
	if err != nil {
		return false, fmt.Errorf("commit file sink batch %d: %w", b.id, err)
	}
	b.done = true
	if !created {
		return false, b.removeFiles()
	}
	return true, nil
}

// Abort deletes the batch's part files, open or closed. The batch cannot be
// used afterwards.
func (b *SinkBatch) Abort() error {
	b.mu.Lock()
	open := make([]*PartFile, 0, len(b.open))
	for p := range b.open {
		open = append(open, p)
	}
	b.mu.Unlock()
	var errs []error
	for _, p := range open {
		errs = append(errs, p.Abort())
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = true
	errs = append(errs, b.removeFiles())
	return errors.Join(errs...)
}

// Files returns the manifest entries of the part files closed so far.
func (b *SinkBatch) Files() []SinkFile {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]SinkFile(nil), b.files...)
}

func (b *SinkBatch) removeFiles() error {
	var errs []error
	for _, f := range b.files {
		p, _ := f.LocalPath()
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	b.files = nil
	return errors.Join(errs...)
}

func (b *SinkBatch) syncDirs() error {
	dirs := map[string]bool{}
	for _, f := range b.files {
		p, _ := f.LocalPath()
		dirs[filepath.Dir(p)] = true
	}
	for d := range dirs {
		if err := checkpoint.SyncDir(d); err != nil {
			return fmt.Errorf("commit file sink batch %d: %w", b.id, err)
		}
	}
	return nil
}

// PartFile is one part file being written. It is an io.Writer; it is not
// safe for concurrent writes.
type PartFile struct {
	batch *SinkBatch
	f     *os.File
	tmp   string
	final string
}

// Write appends to the part file.
func (p *PartFile) Write(data []byte) (int, error) { return p.f.Write(data) }

// Path returns the name the file will have once closed.
func (p *PartFile) Path() string { return p.final }

// Close fsyncs the file and renames it to its final name, adding it to the
// batch. Until then it had a hidden name that no listing shows.
func (p *PartFile) Close() error {
	err := p.f.Sync()
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(p.tmp, p.final)
	}
	var info os.FileInfo
	if err == nil {
		info, err = os.Stat(p.final)
	}
	b := p.batch
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.open, p)
	if err == nil && b.done {
		os.Remove(p.final)
		err = fmt.Errorf("batch %d is already committed or aborted", b.id)
	}
	if err != nil {
		os.Remove(p.tmp)
		return fmt.Errorf("file sink: finish part file %s: %w", p.final, err)
	}
	b.files = append(b.files, SinkFile{
		Path: fileURI(p.final), Size: info.Size(), ModificationTime: info.ModTime().UnixMilli(),
		BlockReplication: 1, BlockSize: localBlockSize, Action: ActionAdd,
	})
	return nil
}

// Abort closes and deletes the part file without adding it to the batch.
func (p *PartFile) Abort() error {
	p.f.Close()
	err := os.Remove(p.tmp)
	b := p.batch
	b.mu.Lock()
	delete(b.open, p)
	b.mu.Unlock()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
