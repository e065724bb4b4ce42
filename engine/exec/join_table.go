package exec

import (
	"github.com/apache/arrow/go/v15/arrow"
)

// joinTable is the hash side of a join: the rows of one input, kept as
// Arrow records (chunks), and a hash index from key to rows. Rows are
// numbered across chunks; rows with the same key form a chain. Rows can be
// marked dead (a stream-stream join evicting state) and the table
// compacted.
type joinTable struct {
	nullSafe []bool
	chunks   []*tableChunk

	chunkOf []int32 // row -> chunk
	next    []int32 // row -> next row of the same key, -1 at the end
	dead    []bool  // row -> evicted (nil while none is)
	live    int

	gHash []uint64 // group -> key hash
	gHead []int32  // group -> first row
	gTail []int32  // group -> last row
	slots []int32  // open addressing: group+1, 0 for empty
	mask  uint64

	// ints replaces the group lookup when the key is one integer column,
	// the common case, with one probe of an array of (key, group) slots.
	ints *intIndex
}

// intIndex maps an integer key to its group by open addressing; a slot
// holds both, so that a probe costs one cache line.
type intIndex struct {
	slots []intSlot
	shift uint
	n     int
}

type intSlot struct {
	key   int64
	group int32 // group+1, 0 for empty
}

func newIntIndex(bits uint) *intIndex {
	return &intIndex{slots: make([]intSlot, 1<<bits), shift: 64 - bits}
}

func (x *intIndex) slot(k int64) uint64 { return (uint64(k) * 0x9E3779B97F4A7C15) >> x.shift }

// lookup returns the group of key k, or -1.
func (x *intIndex) lookup(k int64) int32 {
	mask := uint64(len(x.slots) - 1)
	for pos := x.slot(k); ; pos = (pos + 1) & mask {
		s := &x.slots[pos]
		if s.group == 0 {
			return -1
		}
		if s.key == k {
			return s.group - 1
		}
	}
}

// insert records group g for key k, which is absent, and returns the
// index (grown when half full).
func (x *intIndex) insert(k int64, g int32) *intIndex {
	if 2*(x.n+1) > len(x.slots) {
		y := newIntIndex(64 - x.shift + 1)
		for _, s := range x.slots {
			if s.group != 0 {
				y.insert(s.key, s.group-1)
			}
		}
		x = y
	}
	mask := uint64(len(x.slots) - 1)
	pos := x.slot(k)
	for x.slots[pos].group != 0 {
		pos = (pos + 1) & mask
	}
	x.slots[pos] = intSlot{key: k, group: g + 1}
	x.n++
	return x
}

// intKeyValues returns the values of a one-column integer key as int64s,
// with its validity; ok is false for other keys.
func intKeyValues(ks *keySet) (vals []int64, valid validBits, ok bool) {
	if ks == nil || len(ks.cols) != 1 {
		return nil, validBits{}, false
	}
	switch k := ks.cols[0].(type) {
	case *intKey[int64]:
		return k.vals, k.v, true
	case *intKey[int32]:
		return widen(k.vals), k.v, true
	case *intKey[int16]:
		return widen(k.vals), k.v, true
	case *intKey[int8]:
		return widen(k.vals), k.v, true
	}
	return nil, validBits{}, false
}

func widen[T int8 | int16 | int32](in []T) []int64 {
	out := make([]int64, len(in))
	for i, v := range in {
		out[i] = int64(v)
	}
	return out
}

// tableChunk is one record of a joinTable and its evaluated keys.
type tableChunk struct {
	rec  arrow.Record
	keys *keySet
	base int32
}

func newJoinTable(nullSafe []bool) *joinTable {
	t := &joinTable{nullSafe: nullSafe}
	t.resize(1024)
	return t
}

func (t *joinTable) numRows() int { return len(t.next) }

// release drops every chunk.
func (t *joinTable) release() {
	for _, c := range t.chunks {
		c.rec.Release()
		c.keys.release()
	}
	t.chunks = nil
}

func (t *joinTable) resize(n int) {
	t.slots = make([]int32, n)
	t.mask = uint64(n - 1)
	for g, h := range t.gHash {
		pos := h & t.mask
		for t.slots[pos] != 0 {
			pos = (pos + 1) & t.mask
		}
		t.slots[pos] = int32(g + 1)
	}
}

// add appends rec (retained) with its keys (owned by the table). Rows
// with a null in a key that is not null-safe are kept but indexed under
// no key: they never match.
func (t *joinTable) add(rec arrow.Record, ks *keySet) {
	rec.Retain()
	c := &tableChunk{rec: rec, keys: ks, base: int32(len(t.next))}
	ci := int32(len(t.chunks))
	t.chunks = append(t.chunks, c)
	if len(t.chunks) == 1 {
		if _, _, ok := intKeyValues(ks); ok && !t.nullSafe[0] {
			t.ints = newIntIndex(10)
		}
	}
	if t.ints != nil {
		t.addInts(c, ci)
		return
	}
	h := ks.hashes(nil)
	for i := 0; i < ks.n; i++ {
		row := c.base + int32(i)
		t.chunkOf = append(t.chunkOf, ci)
		t.next = append(t.next, -1)
		if t.dead != nil {
			t.dead = append(t.dead, false)
		}
		t.live++
		if ks.nullKey(i, t.nullSafe) {
			continue
		}
		g, pos := t.find(h[i], ks, i)
		if g < 0 {
			g = int32(len(t.gHash))
			t.gHash = append(t.gHash, h[i])
			t.gHead = append(t.gHead, row)
			t.gTail = append(t.gTail, row)
			t.slots[pos] = g + 1
			if 2*len(t.gHash) > len(t.slots) {
				t.resize(2 * len(t.slots))
			}
			continue
		}
		t.next[t.gTail[g]] = row
		t.gTail[g] = row
	}
}

// addInts indexes a chunk by its integer key.
func (t *joinTable) addInts(c *tableChunk, ci int32) {
	vals, valid, _ := intKeyValues(c.keys)
	for i, k := range vals {
		row := c.base + int32(i)
		t.chunkOf = append(t.chunkOf, ci)
		t.next = append(t.next, -1)
		if t.dead != nil {
			t.dead = append(t.dead, false)
		}
		t.live++
		if valid.isNull(i) {
			continue
		}
		g := t.ints.lookup(k)
		if g < 0 {
			g = int32(len(t.gHead))
			t.gHead = append(t.gHead, row)
			t.gTail = append(t.gTail, row)
			t.ints = t.ints.insert(k, g)
			continue
		}
		t.next[t.gTail[g]] = row
		t.gTail[g] = row
	}
}

// groupsOf returns the group of every row of a probe record's keys, -1
// for rows that match none (or have a null key that is not null-safe).
func (t *joinTable) groupsOf(ks *keySet) []int32 {
	out := make([]int32, ks.n)
	if t.ints != nil {
		if vals, valid, ok := intKeyValues(ks); ok {
			for i, k := range vals {
				if valid.isNull(i) {
					out[i] = -1
				} else {
					out[i] = t.ints.lookup(k)
				}
			}
			return out
		}
	}
	h := ks.hashes(nil)
	for i := range out {
		out[i] = -1
		if ks.nullKey(i, t.nullSafe) || t.ints != nil {
			continue
		}
		out[i], _ = t.find(h[i], ks, i)
	}
	return out
}

// find returns the group of row i of ks (hash h), or -1 and the empty slot
// where it would go.
func (t *joinTable) find(h uint64, ks *keySet, i int) (int32, uint64) {
	pos := h & t.mask
	for {
		s := t.slots[pos]
		if s == 0 {
			return -1, pos
		}
		g := s - 1
		if t.gHash[g] == h {
			head := t.gHead[g]
			c := t.chunks[t.chunkOf[head]]
			if ks.equal(i, c.keys, int(head-c.base)) {
				return g, pos
			}
		}
		pos = (pos + 1) & t.mask
	}
}

// kill marks a row evicted.
func (t *joinTable) kill(row int32) {
	if t.dead == nil {
		t.dead = make([]bool, len(t.next))
	}
	if !t.dead[row] {
		t.dead[row] = true
		t.live--
	}
}

func (t *joinTable) isDead(row int32) bool { return t.dead != nil && t.dead[row] }

// local returns the chunk of a row and the row's index in it.
func (t *joinTable) local(row int32) (*tableChunk, int32) {
	c := t.chunks[t.chunkOf[row]]
	return c, row - c.base
}

// candidates walks the rows of a table that share a key with the rows of a
// probe record (or every pair, without keys), a bounded block at a time.
type candidates struct {
	t      *joinTable
	ks     *keySet
	groups []int32 // probe row -> table group, -1 for none
	nested bool    // no keys: every live table row is a candidate
	n      int     // probe rows
	row    int     // probe row under way
	cur    int32
	p, b   []int32 // probe row, table row
}

func (t *joinTable) candidates(ks *keySet, probeRows int) *candidates {
	c := &candidates{t: t, ks: ks, n: probeRows, cur: -1, nested: ks == nil || len(ks.cols) == 0}
	if !c.nested {
		c.groups = t.groupsOf(ks)
	}
	return c
}

// fill collects up to max pairs into p and b (replacing their content) and
// reports whether any was found; false means the probe is done.
func (c *candidates) fill(max int) bool {
	c.p, c.b = c.p[:0], c.b[:0]
	t := c.t
	total := int32(t.numRows())
	for c.row < c.n && len(c.p) < max {
		if c.cur < 0 {
			if c.nested {
				c.cur = 0
			} else if g := c.groups[c.row]; g >= 0 {
				c.cur = t.gHead[g]
			} else {
				c.row++
				continue
			}
		}
		for c.cur >= 0 && c.cur < total && len(c.p) < max {
			if !t.isDead(c.cur) {
				c.p = append(c.p, int32(c.row))
				c.b = append(c.b, c.cur)
			}
			if c.nested {
				c.cur++
			} else {
				c.cur = t.next[c.cur]
			}
		}
		if c.cur < 0 || c.cur >= total {
			c.cur = -1
			c.row++
		}
	}
	return len(c.p) > 0
}
