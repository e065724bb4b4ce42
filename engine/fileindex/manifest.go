package fileindex

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gostream/gostream/engine/checkpoint"
)

// ManifestDir is the file sink's manifest directory inside its output path.
const ManifestDir = "_spark_metadata"

// SinkLogCompactInterval is how often the manifest is compacted (Spark's
// spark.sql.streaming.fileSink.log.compactInterval default).
const SinkLogCompactInterval = 10

// Manifest entry actions.
const (
	ActionAdd    = "add"
	ActionDelete = "delete"
)

// localBlockSize is the block size Hadoop reports for local files (32 MB),
// recorded in manifest entries as Spark does.
const localBlockSize = 32 << 20

// ErrNoManifest is returned by manifest readers for a path that has no
// _spark_metadata directory, i.e. is not a file sink's output.
var ErrNoManifest = errors.New("no file sink manifest")

// SinkFile is one manifest entry, Spark's SinkFileStatus.
type SinkFile struct {
	Path             string `json:"path"` // "file:///abs/part-00000-<uuid>.c000.json"
	Size             int64  `json:"size"`
	IsDir            bool   `json:"isDir"`
	ModificationTime int64  `json:"modificationTime"` // ms since the epoch
	BlockReplication int    `json:"blockReplication"`
	BlockSize        int64  `json:"blockSize"`
	Action           string `json:"action"` // ActionAdd or ActionDelete
}

// LocalPath returns the entry's path on the local file system.
func (f SinkFile) LocalPath() (string, error) { return localPath(f.Path) }

// HasManifest reports whether path is a file sink's output directory, i.e.
// holds a _spark_metadata directory. A glob never has one (as in Spark).
func HasManifest(path string) (bool, error) {
	if isGlob(path) {
		return false, nil
	}
	info, err := os.Stat(filepath.Join(path, ManifestDir))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return info.IsDir(), nil
}

// ReadManifest returns the committed files of the file sink writing to
// path: every added file of every committed batch, minus deleted ones.
// Part files of a batch that never committed are not in it.
func ReadManifest(path string) ([]SinkFile, error) {
	ok, err := HasManifest(path)
	if err != nil {
		return nil, fmt.Errorf("read file sink manifest: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("%s: %w", path, ErrNoManifest)
	}
	log, err := checkpoint.OpenCompactLog(filepath.Join(path, ManifestDir), SinkLogCompactInterval, compactSinkLog)
	if err != nil {
		return nil, err
	}
	lines, err := log.AllEntries()
	if err != nil {
		return nil, err
	}
	entries, err := decodeSinkFiles(log.Dir(), lines)
	if err != nil {
		return nil, err
	}
	return liveSinkFiles(entries), nil
}

// ManifestFiles returns the local paths of the committed files of the file
// sink writing to path, in commit order. Readers of a sink's output must use
// it rather than list the directory, which may hold part files of a batch
// that failed or is being written.
func ManifestFiles(path string) ([]string, error) {
	files, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(files))
	for _, f := range files {
		p, err := f.LocalPath()
		if err != nil {
			return nil, fmt.Errorf("file sink manifest %s: %w", filepath.Join(path, ManifestDir), err)
		}
		out = append(out, p)
	}
	return out, nil
}

func decodeSinkFiles(dir string, lines [][]byte) ([]SinkFile, error) {
	out := make([]SinkFile, 0, len(lines))
	for _, line := range lines {
		var f SinkFile
		if err := json.Unmarshal(line, &f); err != nil {
			return nil, fmt.Errorf("file sink manifest %s: bad entry %s: %w", dir, line, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// liveSinkFiles drops deleted files and the delete entries themselves.
func liveSinkFiles(entries []SinkFile) []SinkFile {
	deleted := map[string]bool{}
	for _, f := range entries {
		if f.Action == ActionDelete {
			deleted[f.Path] = true
		}
	}
	out := entries[:0:0]
	for _, f := range entries {
		if f.Action != ActionDelete && !deleted[f.Path] {
			out = append(out, f)
		}
	}
	return out
}

// compactSinkLog is Spark's FileStreamSinkLog.compactLogs: a compaction
// file keeps only files not deleted later.
func compactSinkLog(lines [][]byte) ([][]byte, error) {
	entries, err := decodeSinkFiles("", lines)
	if err != nil {
		return nil, err
	}
	deleted := map[string]bool{}
	for _, f := range entries {
		if f.Action == ActionDelete {
			deleted[f.Path] = true
		}
	}
	if len(deleted) == 0 {
		return lines, nil
	}
	var out [][]byte
	for i, f := range entries {
		if !deleted[f.Path] {
			out = append(out, lines[i])
		}
	}
	return out, nil
}
