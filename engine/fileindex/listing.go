package fileindex

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// fileStatus is one listed data file.
type fileStatus struct {
	path    string // absolute local path
	size    int64
	mtimeMs int64
}

// IsHidden reports whether a file or directory name is skipped by listings,
// as Hadoop's and Spark's file listing skip it: names starting with "." or
// "_" (temporary and metadata files such as _SUCCESS, _temporary,
// _spark_metadata, .part-x.inprogress), except "_"-names holding "=" (a
// partition directory such as "_k=1"), and names ending in "._COPYING_"
// (a file being copied by hadoop fs -put).
func IsHidden(name string) bool {
	return (strings.HasPrefix(name, "_") && !strings.Contains(name, "=")) ||
		strings.HasPrefix(name, ".") || strings.HasSuffix(name, "._COPYING_")
}

// isGlob reports whether path holds Hadoop glob characters.
func isGlob(path string) bool {
	return strings.ContainsAny(path, "*?[{")
}

// expandBraces turns "a{b,c}d" into "abd", "acd" (Hadoop glob alternation,
// which path/filepath.Match lacks). Nested braces are expanded recursively.
func expandBraces(pattern string) []string {
	open := strings.IndexByte(pattern, '{')
	if open < 0 {
		return []string{pattern}
	}
	depth, close := 0, -1
	var commas []int
	for i := open; i < len(pattern) && close < 0; i++ {
		switch pattern[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				close = i
			}
		case ',':
			if depth == 1 {
				commas = append(commas, i)
			}
		}
	}
	if close < 0 {
		return []string{pattern} // unbalanced: leave it to filepath.Match to reject
	}
	var alts []string
	start := open + 1
	for _, c := range append(commas, close) {
		alts = append(alts, pattern[start:c])
		start = c + 1
	}
	var out []string
	for _, alt := range alts {
		out = append(out, expandBraces(pattern[:open]+alt+pattern[close+1:])...)
	}
	return out
}

// matchName matches one path component against one glob component.
func matchName(pattern, name string) bool {
	for _, p := range expandBraces(pattern) {
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
	}
	return false
}

// globPrefix returns the directory part of a glob before its first
// component holding a glob character.
func globPrefix(pattern string) string {
	dir := pattern
	for isGlob(dir) {
		dir = filepath.Dir(dir)
	}
	return dir
}

// hiddenBelow reports whether any component of path after the first fixed
// ones is hidden: a glob's "*" matches hidden names, but a listing must not.
func hiddenBelow(path string, fixed int) bool {
	parts := splitPath(path)
	for i := fixed; i < len(parts); i++ {
		if IsHidden(parts[i]) {
			return true
		}
	}
	return false
}

// listPath returns the data files under root: root itself when it is a
// file, every non-hidden file below it (recursively) when it is a
// directory, and for a glob, the same for each non-hidden match. A missing
// root lists as empty. Files that vanish while listing are skipped.
func listPath(ctx context.Context, root string) ([]fileStatus, error) {
	roots := []string{root}
	if isGlob(root) {
		roots = roots[:0]
		seen := map[string]bool{}
		for _, p := range expandBraces(root) {
			matches, err := filepath.Glob(p)
			if err != nil {
				return nil, err
			}
			fixed := len(splitPath(globPrefix(p)))
			for _, m := range matches {
				if !seen[m] && !hiddenBelow(m, fixed) {
					seen[m] = true
					roots = append(roots, m)
				}
			}
		}
		sort.Strings(roots)
	}
	var out []fileStatus
	for _, r := range roots {
		if err := walk(ctx, r, &out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func walk(ctx context.Context, path string, out *[]fileStatus) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		if info.Mode().IsRegular() {
			*out = append(*out, fileStatus{path: path, size: info.Size(), mtimeMs: info.ModTime().UnixMilli()})
		}
		return nil
	}
	entries, err := os.ReadDir(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if IsHidden(e.Name()) {
			continue
		}
		child := filepath.Join(path, e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			// Follow links to files, never to directories (no cycles).
			if fi, err := os.Stat(child); err == nil && fi.Mode().IsRegular() {
				*out = append(*out, fileStatus{path: child, size: fi.Size(), mtimeMs: fi.ModTime().UnixMilli()})
			}
			continue
		}
		if err := walk(ctx, child, out); err != nil {
			return err
		}
	}
	return nil
}

// fileURI renders an absolute local path as Spark records it:
// "file:///abs/path", percent-encoded.
func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// localPath turns a "file:" URI (any of file:/p, file:///p,
// file://localhost/p) or a plain absolute path back into a local path.
func localPath(uri string) (string, error) {
	if !strings.HasPrefix(uri, "file:") {
		if filepath.IsAbs(uri) {
			return uri, nil
		}
		return "", errors.New("not a local file URI: " + uri)
	}
	u, err := url.Parse(uri)
	if err != nil {
		return "", err
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", errors.New("file URI names a remote host: " + uri)
	}
	return filepath.FromSlash(u.Path), nil
}
