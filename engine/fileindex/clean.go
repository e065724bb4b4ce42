package fileindex

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrCleanSource is matched by the errors [Index.Commit] returns for files
// it could not delete or archive. Like Spark, these are warnings: the batch
// is committed and the query goes on.
var ErrCleanSource = errors.New("file source could not clean up a completed file")

// cleaner deletes or archives one completed file.
type cleaner interface {
	clean(FileEntry) error
}

func newCleaner(source string, opts Options) (cleaner, error) {
	switch opts.CleanSource {
	case CleanDelete:
		return deleter{}, nil
	case CleanArchive:
		archive, err := filepath.Abs(opts.SourceArchiveDir)
		if err != nil {
			return nil, fmt.Errorf("sourceArchiveDir %q: %w", opts.SourceArchiveDir, err)
		}
		if archiveMatchesSource(source, archive) {
			return nil, fmt.Errorf("Base archive path cannot be set to the path where archived path can possibly match with source pattern. Ensure the base archive path doesn't match with source pattern in depth, where the depth is minimum of depth on both paths. (source path: %s, sourceArchiveDir: %s)", source, archive)
		}
		return archiver{base: archive}, nil
	}
	return nil, nil
}

type deleter struct{}

func (deleter) clean(e FileEntry) error {
	p, err := e.LocalPath()
	if err == nil {
		err = os.Remove(p)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: remove %s: %v", ErrCleanSource, e.Path, err)
	}
	return nil
}

// archiver moves a completed file to base + its absolute path, as Spark
// does: /in/a/x.json archived under /archive lands at /archive/in/a/x.json.
type archiver struct{ base string }

func (a archiver) clean(e FileEntry) error {
	p, err := e.LocalPath()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCleanSource, err)
	}
	dst := filepath.Join(a.base, p)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("%w: archive %s: %v", ErrCleanSource, p, err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("%w: archive %s: %s already exists; the file was left in place", ErrCleanSource, p, dst)
	}
	if err := os.Rename(p, dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: move %s to %s: %v", ErrCleanSource, p, dst, err)
	}
	return nil
}

// archiveMatchesSource is Spark's check that archived files could never be
// listed again as source files: cut both paths to the smaller depth and
// refuse when the archive path matches the source pattern component by
// component. It refuses an archive dir inside the source dir, and also the
// source dir's ancestors.
func archiveMatchesSource(source, archive string) bool {
	src := splitPath(source)
	arc := splitPath(archive)
	depth := min(len(src), len(arc))
	for i := 0; i < depth; i++ {
		if !matchName(src[i], arc[i]) {
			return false
		}
	}
	return true
}

func splitPath(p string) []string {
	p = filepath.ToSlash(filepath.Clean(p))
	var parts []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return parts
}
