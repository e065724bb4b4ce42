package exec

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
)

// groupTable maps encoded group keys to dense group ids 0, 1, 2, ... in
// order of first appearance. Keys live in one byte arena; the index is
// open addressing with linear probing over the keys' hashes.
type groupTable struct {
	arena  []byte
	offs   []int32 // key g is arena[offs[g]:offs[g+1]]
	hashes []uint64
	slots  []int32 // 0 empty, else group id + 1
	mask   uint64
	seed   maphash.Seed

	hbuf []uint64
}

func newGroupTable() *groupTable {
	t := &groupTable{seed: maphash.MakeSeed()}
	t.reset()
	return t
}

// reset empties the table, keeping small buffers.
func (t *groupTable) reset() {
	const initial = 256
	if cap(t.arena) > 1<<20 {
		t.arena = nil
	}
	t.arena = t.arena[:0]
	t.offs = append(t.offs[:0], 0)
	t.hashes = t.hashes[:0]
	if len(t.slots) != initial {
		t.slots = make([]int32, initial)
	} else {
		clear(t.slots)
	}
	t.mask = initial - 1
}

// len is the number of groups.
func (t *groupTable) len() int { return len(t.hashes) }

// key returns group g's encoded key.
func (t *groupTable) key(g int32) []byte { return t.arena[t.offs[g]:t.offs[g+1]] }

// insert finds or adds the group of each of n encoded keys (key j is
// buf[offs[j]:offs[j+1]]) and writes its id to gids[j].
func (t *groupTable) insert(buf []byte, offs []int32, gids []int32) {
	n := len(gids)
	if n > 0 && offs[n] == int32(n)*(offs[1]-offs[0]) && offs[1]-offs[0] >= 8 {
		t.insertFixed(buf, int(offs[1]-offs[0]), gids)
		return
	}
	if cap(t.hbuf) < n {
		t.hbuf = make([]uint64, n)
	}
	hs := t.hbuf[:n]
	for j := range hs {
		hs[j] = maphash.Bytes(t.seed, buf[offs[j]:offs[j+1]])
	}
	for j := 0; j < n; j++ {
		key := buf[offs[j]:offs[j+1]]
		h := hs[j]
		s := h & t.mask
		for {
			slot := t.slots[s]
			if slot == 0 {
				g := int32(len(t.hashes))
				t.slots[s] = g + 1
				t.hashes = append(t.hashes, h)
				t.arena = append(t.arena, key...)
				t.offs = append(t.offs, int32(len(t.arena)))
				gids[j] = g
				if uint64(len(t.hashes))*2 > uint64(len(t.slots)) {
					t.grow()
				}
				break
			}
			g := slot - 1
			if t.hashes[g] == h && bytes.Equal(t.arena[t.offs[g]:t.offs[g+1]], key) {
				gids[j] = g
				break
			}
			s = (s + 1) & t.mask
		}
	}
}

// insertFixed is insert for keys of w >= 8 bytes each (key j is
// buf[j*w:(j+1)*w]): they are hashed and compared eight bytes at a time,
// without calls.
func (t *groupTable) insertFixed(buf []byte, w int, gids []int32) {
	n := len(gids)
	if cap(t.hbuf) < n {
		t.hbuf = make([]uint64, n)
	}
	hs := t.hbuf[:n]
	seed := t.fixedSeed()
	for j := range hs {
		hs[j] = hashFixed(buf[j*w:(j+1)*w], seed)
	}
	for j := 0; j < n; j++ {
		key := buf[j*w : (j+1)*w]
		h := hs[j]
		s := h & t.mask
		for {
			slot := t.slots[s]
			if slot == 0 {
				g := int32(len(t.hashes))
				t.slots[s] = g + 1
				t.hashes = append(t.hashes, h)
				t.arena = append(t.arena, key...)
				t.offs = append(t.offs, int32(len(t.arena)))
				gids[j] = g
				if uint64(len(t.hashes))*2 > uint64(len(t.slots)) {
					t.grow()
				}
				break
			}
			g := slot - 1
			if t.hashes[g] == h {
				o := int(t.offs[g])
				if t.offs[g+1]-t.offs[g] == int32(w) && equalFixed(t.arena[o:o+w], key) {
					gids[j] = g
					break
				}
			}
			s = (s + 1) & t.mask
		}
	}
}

// fixedSeed derives the seed of fixed-width hashes from the table's.
func (t *groupTable) fixedSeed() uint64 {
	return maphash.Bytes(t.seed, []byte("fixed")) | 1
}

// hashFixed hashes at least 8 bytes, 8 at a time; the last word
// overlaps the one before when the length is not a multiple of 8.
func hashFixed(b []byte, seed uint64) uint64 {
	h := seed ^ uint64(len(b))*0x9E3779B97F4A7C15
	i := 0
	for ; i+8 <= len(b); i += 8 {
		h = (h ^ binary.LittleEndian.Uint64(b[i:])) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	if i < len(b) {
		h = (h ^ binary.LittleEndian.Uint64(b[len(b)-8:])) * 0x94d049bb133111eb
		h ^= h >> 29
	}
	return finalMix(h)
}

// finalMix spreads the bits of a mixed hash (murmur3's fmix64).
func finalMix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// equalFixed compares two keys of the same length (at least 8 bytes).
func equalFixed(a, b []byte) bool {
	i := 0
	for ; i+8 <= len(a); i += 8 {
		if binary.LittleEndian.Uint64(a[i:]) != binary.LittleEndian.Uint64(b[i:]) {
			return false
		}
	}
	if i < len(a) {
		return binary.LittleEndian.Uint64(a[len(a)-8:]) == binary.LittleEndian.Uint64(b[len(b)-8:])
	}
	return true
}

// add appends a key known to be absent from the table and returns its id
// (used to build output tables, which need no lookups).
func (t *groupTable) add(key []byte) int32 {
	g := int32(len(t.hashes))
	t.hashes = append(t.hashes, 0)
	t.arena = append(t.arena, key...)
	t.offs = append(t.offs, int32(len(t.arena)))
	return g
}

func (t *groupTable) grow() {
	size := len(t.slots) * 2
	t.slots = make([]int32, size)
	t.mask = uint64(size - 1)
	for g, h := range t.hashes {
		s := h & t.mask
		for t.slots[s] != 0 {
			s = (s + 1) & t.mask
		}
		t.slots[s] = int32(g) + 1
	}
}

// memSize estimates the bytes the table holds.
func (t *groupTable) memSize() int64 {
	return int64(cap(t.arena) + 4*cap(t.offs) + 8*cap(t.hashes) + 4*cap(t.slots))
}
