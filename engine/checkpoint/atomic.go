package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteNewFile atomically creates path holding data, unless path already
// exists, in which case it returns false and leaves the file as it is.
//
// The data goes to a hidden temporary file in the same directory (so it is
// on the same file system and never listed as a batch), is fsynced, and is
// then hard-linked to its final name. link(2) fails with EEXIST instead of
// replacing an existing file, which makes "create unless present" atomic;
// readers see no file or the whole file, never a partial one. The directory
// is fsynced afterwards so the new name survives a power loss. On file
// systems without hard links the temporary file is renamed instead, after a
// check that the name is free (racy only against a second writer, which the
// checkpoint lock rules out).
func WriteNewFile(path string, data []byte) (created bool, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return false, err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // after a successful link the data lives on under path
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		if _, serr := os.Lstat(path); serr == nil {
			return false, nil
		}
		if rerr := os.Rename(tmpName, path); rerr != nil {
			return false, fmt.Errorf("%w (hard link failed too: %v)", rerr, err)
		}
	}
	return true, SyncDir(dir)
}

// SyncDir fsyncs a directory so that entries created or renamed in it are
// durable. File systems that cannot sync a directory are not an error.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) && !errors.Is(err, fs.ErrInvalid) {
		return err
	}
	return nil
}
