package state

import (
	"fmt"
	"sort"
)

// entryOverhead approximates the bytes a map entry costs besides its key
// and value bytes (string and slice headers, bucket share).
const entryOverhead = 64

// Metrics describes a store: its size now and the changes since Load.
type Metrics struct {
	// NumKeys is the number of keys in the store.
	NumKeys int64
	// MemoryUsedBytes estimates the memory held by keys and values.
	MemoryUsedBytes int64
	// NumPuts and NumRemoves count the changes made since Load (a key put
	// twice counts twice; removing a missing key does not count).
	NumPuts, NumRemoves int64
}

// undo remembers what a key held before the store's first change to it.
type undo struct {
	prev    []byte
	existed bool
}

// Store is one version of a state store being read and changed by a
// batch. It becomes the next version on Commit; Abort drops its changes.
type Store struct {
	p        *Provider
	version  int64
	m        map[string][]byte
	touched  map[string]undo
	bytes    int64
	puts     int64
	removes  int64
	finished bool
}

// Version is the version the store was loaded at.
func (s *Store) Version() int64 { return s.version }

// Len is the number of keys.
func (s *Store) Len() int { return len(s.m) }

// Get returns the value of key; ok is false when the key is absent.
func (s *Store) Get(key []byte) (value []byte, ok bool) {
	value, ok = s.m[string(key)]
	return value, ok
}

// Put sets key to value. The key is copied; the value is kept, so the
// caller must not modify it afterwards.
func (s *Store) Put(key, value []byte) {
	s.check()
	k := string(key)
	prev, existed := s.m[k]
	if _, seen := s.touched[k]; !seen {
		s.touched[k] = undo{prev: prev, existed: existed}
	}
	if existed {
		s.bytes += int64(len(value) - len(prev))
	} else {
		s.bytes += int64(len(k)+len(value)) + entryOverhead
	}
	if value == nil {
		value = []byte{}
	}
	s.m[k] = value
	s.puts++
}

// Remove deletes key and reports whether it was present. It may be called
// from inside Range.
func (s *Store) Remove(key []byte) bool {
	s.check()
	k := string(key)
	prev, existed := s.m[k]
	if !existed {
		return false
	}
	if _, seen := s.touched[k]; !seen {
		s.touched[k] = undo{prev: prev, existed: true}
	}
	delete(s.m, k)
	s.bytes -= int64(len(k)+len(prev)) + entryOverhead
	s.removes++
	return true
}

// Range calls fn for every key and value, in no particular order, until fn
// returns false. fn may Remove the key it is given; keys Put during Range
// may or may not be visited.
func (s *Store) Range(fn func(key, value []byte) bool) {
	for k, v := range s.m {
		if !fn([]byte(k), v) {
			return
		}
	}
}

// SortedKeys returns every key in byte order.
func (s *Store) SortedKeys() [][]byte {
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = []byte(k)
	}
	return out
}

// Metrics returns the store's size and the changes since Load.
func (s *Store) Metrics() Metrics {
	return Metrics{NumKeys: int64(len(s.m)), MemoryUsedBytes: s.bytes, NumPuts: s.puts, NumRemoves: s.removes}
}

// Commit makes the store's content version Version()+1: it writes the
// delta file (and a snapshot when one is due) atomically, then makes the
// version the provider's latest. It returns the new version. After
// Commit, the store must not be used.
func (s *Store) Commit() (int64, error) {
	s.check()
	next := s.version + 1
	if err := s.p.commit(s, next); err != nil {
		return 0, err
	}
	s.finished = true
	return next, nil
}

// Abort drops every change made since Load; the provider's latest
// version stays as it was. Calling Abort after Commit or Abort does
// nothing.
func (s *Store) Abort() {
	if s.finished {
		return
	}
	for k, u := range s.touched {
		cur, had := s.m[k]
		if had {
			s.bytes -= int64(len(k)+len(cur)) + entryOverhead
		}
		if u.existed {
			s.m[k] = u.prev
			s.bytes += int64(len(k)+len(u.prev)) + entryOverhead
		} else {
			delete(s.m, k)
		}
	}
	s.touched = nil
	s.finished = true
	s.p.release(s)
}

func (s *Store) check() {
	if s.finished {
		panic(fmt.Sprintf("state: store %s version %d used after Commit or Abort", s.p.id, s.version))
	}
}

// changes returns the keys changed since Load in byte order, with their
// new value (nil for a removed key). A key put and then removed that did
// not exist before is not a change.
func (s *Store) changes() (keys []string, values [][]byte) {
	keys = make([]string, 0, len(s.touched))
	for k, u := range s.touched {
		_, now := s.m[k]
		if !now && !u.existed {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	values = make([][]byte, len(keys))
	for i, k := range keys {
		values[i] = s.m[k] // nil when removed
	}
	return keys, values
}
