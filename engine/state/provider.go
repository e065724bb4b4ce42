package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gostream/gostream/engine/checkpoint"
)

// ID names one state store of a query: the stateful operator (numbered
// in plan order from 0), the partition, and the store's name ("" for an
// operator's only store; joins keep several).
type ID struct {
	Operator  int
	Partition int
	Name      string
}

func (id ID) String() string {
	s := fmt.Sprintf("[op=%d,part=%d", id.Operator, id.Partition)
	if id.Name != "" {
		s += ",name=" + id.Name
	}
	return s + "]"
}

// Dir is the store's folder under root: root/<operator>/<partition>[/<name>].
func (id ID) Dir(root string) string {
	d := filepath.Join(root, strconv.Itoa(id.Operator), strconv.Itoa(id.Partition))
	if id.Name != "" {
		d = filepath.Join(d, id.Name)
	}
	return d
}

// Options tune a provider. Zero values take Spark's defaults.
type Options struct {
	// MinDeltasForSnapshot is how many deltas follow a snapshot before
	// the next one is written (spark.sql.streaming.stateStore.
	// minDeltasForSnapshot, default 10).
	MinDeltasForSnapshot int
	// MinVersionsToRetain is how many recent versions stay loadable
	// (spark.sql.streaming.minBatchesToRetain, default 100).
	MinVersionsToRetain int
}

func (o Options) withDefaults() Options {
	if o.MinDeltasForSnapshot <= 0 {
		o.MinDeltasForSnapshot = 10
	}
	if o.MinVersionsToRetain <= 0 {
		o.MinVersionsToRetain = 100
	}
	return o
}

// Provider owns the versions of one state store: the files in its folder
// and the map of the latest version, which it keeps in memory.
type Provider struct {
	id   ID
	dir  string // "" when the store lives in memory only
	opts Options

	mu           sync.Mutex
	live         map[string][]byte // content of liveVersion; nil before the first load
	liveBytes    int64
	liveVersion  int64
	lastSnapshot int64 // version of the latest snapshot written or read; -1 none
	open         *Store
}

// OpenProvider opens the store id under root (the checkpoint's state
// folder); with root "" the store is kept in memory only and cannot be
// reloaded at an older version. The folder is created on the first
// Commit.
func OpenProvider(root string, id ID, opts Options) (*Provider, error) {
	p := &Provider{id: id, opts: opts.withDefaults(), liveVersion: -1, lastSnapshot: -1}
	if root != "" {
		p.dir = id.Dir(root)
		if fi, err := os.Stat(p.dir); err == nil && !fi.IsDir() {
			return nil, fmt.Errorf("state store %s: %s is not a directory", id, p.dir)
		}
	}
	return p, nil
}

// ID returns the store's id.
func (p *Provider) ID() ID { return p.id }

// Dir returns the store's folder, "" for a store kept in memory.
func (p *Provider) Dir() string { return p.dir }

// Load returns the store at version (0 is the empty state). Only one
// Store of a provider may be open at a time: Commit or Abort it before
// the next Load.
func (p *Provider) Load(version int64) (*Store, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if version < 0 {
		return nil, fmt.Errorf("state store %s: version %d is negative", p.id, version)
	}
	if p.open != nil {
		return nil, fmt.Errorf("state store %s: version %d is still open; commit or abort it before loading version %d", p.id, p.open.version, version)
	}
	if p.live == nil || p.liveVersion != version {
		m, bytes, err := p.read(version)
		if err != nil {
			return nil, err
		}
		p.live, p.liveBytes, p.liveVersion = m, bytes, version
	}
	s := &Store{p: p, version: version, m: p.live, touched: map[string]undo{}, bytes: p.liveBytes}
	p.open = s
	return s, nil
}

// release forgets an aborted store.
func (p *Provider) release(s *Store) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.open == s {
		p.open = nil
		p.liveBytes = s.bytes
	}
}

// commit writes version next from s and makes it the live version.
func (p *Provider) commit(s *Store, next int64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.open != s {
		return fmt.Errorf("state store %s: version %d is not the open version", p.id, s.version)
	}
	if p.dir != "" {
		if err := p.writeVersion(s, next); err != nil {
			return err
		}
	}
	p.open = nil
	p.live, p.liveBytes, p.liveVersion = s.m, s.bytes, next
	s.touched = nil
	return nil
}

func (p *Provider) writeVersion(s *Store, next int64) error {
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return fmt.Errorf("state store %s: %w", p.id, err)
	}
	keys, values := s.changes()
	if err := writeFileAtomic(p.path(next, kindDelta), encodeRecords(kindDelta, keys, values)); err != nil {
		return fmt.Errorf("state store %s: writing version %d: %w", p.id, next, err)
	}
	snap := p.path(next, kindSnapshot)
	if p.lastSnapshot < 0 || next-p.lastSnapshot >= int64(p.opts.MinDeltasForSnapshot) {
		all := make([]string, 0, len(s.m))
		for k := range s.m {
			all = append(all, k)
		}
		sort.Strings(all)
		vals := make([][]byte, len(all))
		for i, k := range all {
			vals[i] = s.m[k]
		}
		if err := writeFileAtomic(snap, encodeRecords(kindSnapshot, all, vals)); err != nil {
			return fmt.Errorf("state store %s: writing snapshot %d: %w", p.id, next, err)
		}
		p.lastSnapshot = next
		return p.cleanup(next)
	}
	// A snapshot left by an earlier, uncommitted run of this batch would
	// shadow the delta just written.
	if err := os.Remove(snap); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state store %s: %w", p.id, err)
	}
	return nil
}

// File kinds.
const (
	kindDelta    byte = 'D'
	kindSnapshot byte = 'S'
)

func (p *Provider) path(version int64, kind byte) string {
	ext := ".delta"
	if kind == kindSnapshot {
		ext = ".snapshot"
	}
	return filepath.Join(p.dir, strconv.FormatInt(version, 10)+ext)
}

// versionFile is one file of the store's folder.
type versionFile struct {
	version int64
	kind    byte
}

// files lists the store's delta and snapshot files.
func (p *Provider) files() ([]versionFile, error) {
	ents, err := os.ReadDir(p.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []versionFile
	for _, e := range ents {
		name := e.Name()
		var kind byte
		switch {
		case strings.HasSuffix(name, ".delta"):
			kind, name = kindDelta, strings.TrimSuffix(name, ".delta")
		case strings.HasSuffix(name, ".snapshot"):
			kind, name = kindSnapshot, strings.TrimSuffix(name, ".snapshot")
		default:
			continue
		}
		v, err := strconv.ParseInt(name, 10, 64)
		if err != nil || v < 0 {
			continue
		}
		out = append(out, versionFile{v, kind})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].version != out[j].version {
			return out[i].version < out[j].version
		}
		return out[i].kind < out[j].kind // delta before snapshot
	})
	return out, nil
}

// read builds version from disk: the latest snapshot at or below it, then
// the deltas after it.
func (p *Provider) read(version int64) (map[string][]byte, int64, error) {
	m := map[string][]byte{}
	if version == 0 {
		return m, 0, nil
	}
	if p.dir == "" {
		return nil, 0, fmt.Errorf("state store %s: version %d is not in memory and the query has no checkpointLocation to read it from", p.id, version)
	}
	files, err := p.files()
	if err != nil {
		return nil, 0, fmt.Errorf("state store %s: %w", p.id, err)
	}
	base := int64(0)
	deltas := map[int64]bool{}
	for _, f := range files {
		if f.version > version {
			continue
		}
		if f.kind == kindSnapshot && f.version > base {
			base = f.version
		}
		if f.kind == kindDelta {
			deltas[f.version] = true
		}
	}
	if base > 0 {
		if err := p.apply(m, base, kindSnapshot); err != nil {
			return nil, 0, err
		}
		if base > p.lastSnapshot {
			p.lastSnapshot = base
		}
	}
	for v := base + 1; v <= version; v++ {
		if !deltas[v] {
			return nil, 0, fmt.Errorf("state store %s: cannot load version %d: %s is missing (the state folder %s was changed or deleted); restore it or start the query with a new checkpointLocation",
				p.id, version, p.path(v, kindDelta), p.dir)
		}
		if err := p.apply(m, v, kindDelta); err != nil {
			return nil, 0, err
		}
	}
	var bytes int64
	for k, v := range m {
		bytes += int64(len(k)+len(v)) + entryOverhead
	}
	return m, bytes, nil
}

func (p *Provider) apply(m map[string][]byte, version int64, kind byte) error {
	path := p.path(version, kind)
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("state store %s: %w", p.id, err)
	}
	return decodeRecords(path, data, kind, func(key string, value []byte) {
		if value == nil {
			delete(m, key)
		} else {
			m[key] = value
		}
	})
}

// cleanup deletes the files no longer needed to load any of the last
// MinVersionsToRetain versions (as Spark's doMaintenance does).
func (p *Provider) cleanup(latest int64) error {
	earliest := latest - int64(p.opts.MinVersionsToRetain)
	if earliest <= 0 {
		return nil
	}
	files, err := p.files()
	if err != nil {
		return nil // maintenance is best effort
	}
	// the file earliest is loaded from: the latest snapshot <= earliest
	keepFrom := int64(-1)
	for _, f := range files {
		if f.kind == kindSnapshot && f.version <= earliest && f.version > keepFrom {
			keepFrom = f.version
		}
	}
	if keepFrom < 0 {
		return nil
	}
	for _, f := range files {
		if f.version < keepFrom || (f.version == keepFrom && f.kind == kindDelta) {
			os.Remove(p.path(f.version, f.kind))
		}
	}
	return nil
}

// writeFileAtomic writes data to a hidden temporary file in path's
// folder, fsyncs it and renames it over path.
func writeFileAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	return checkpoint.SyncDir(dir)
}
