package exec

import (
	"encoding/binary"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// windowGrouper finds the groups of an aggregation keyed on a time window
// (and possibly other columns) without hashing every (row, window) pair:
// the other key columns are hashed once per row into key groups, windows
// are numbered by their start (start = k*slide + offset), and the group of
// (window k, key group c) is read from a dense row of ids kept per
// window. A sliding window thus costs one hash per row however many
// windows the row falls in.
//
// Groups get the same encoded key as the generic path (columns in key
// order, the window as its start), so both write the same state.
type windowGrouper struct {
	pos  int // index of the window among the keys
	spec expr.WindowSpec
	enc  *keyEncoder // the other keys, in order
	keys *groupTable
	in   []keyInput
	kg   []int32

	rows     map[int64][]int32 // window number -> group id + 1 per key group
	lastK    []int64           // per window position of a row: last window number seen
	lastRow  [][]int32
	keyBuf   []byte
	gids     []int32
	idx      []int32
	hasEmpty bool
	target   *groupTable
}

func newWindowGrouper(pos int, spec expr.WindowSpec, others []keyCol) *windowGrouper {
	return &windowGrouper{pos: pos, spec: spec, enc: newKeyEncoder(others), keys: newGroupTable(),
		in: make([]keyInput, len(others)), rows: map[int64][]int32{}}
}

func (w *windowGrouper) reset() {
	w.keys.reset()
	clear(w.rows)
	w.lastK, w.lastRow = w.lastK[:0], w.lastRow[:0]
	w.hasEmpty = false
}

// group assigns the groups of one record's rows: row idx[j] (j when idx
// is nil) goes to group gids[j]. New groups are added to t.
func (w *windowGrouper) group(t *groupTable, others []arrow.Array, ts arrow.Array) (gids, idx []int32) {
	w.target = t
	m := ts.Len()
	w.kg = grow32(w.kg, m)
	if len(others) > 0 {
		for i, a := range others {
			w.in[i] = keyInput{arr: a}
		}
		buf, offs := w.enc.encode(w.in, nil, m)
		w.keys.insert(buf, offs, w.kg)
	} else {
		if !w.hasEmpty {
			w.keys.add(nil)
			w.hasEmpty = true
		}
		clear(w.kg)
	}
	nkeys := w.keys.len()
	times := values[int64](ts)
	nb := nullBits(ts)
	spec := w.spec
	per := int((spec.Window + spec.Slide - 1) / spec.Slide) // windows per row, at most
	for len(w.lastK) < per {
		w.lastK = append(w.lastK, 1<<62)
		w.lastRow = append(w.lastRow, nil)
	}
	gids, idx = w.gids[:0], w.idx[:0]
	direct := spec.Tumbling() && nb.bits == nil
	for i, t := range times {
		if nb.null(i) {
			continue
		}
		off := t - spec.Start
		k := (off - floorMod(off, spec.Slide)) / spec.Slide // the latest window starting at or before t
		c := w.kg[i]
		for j := 0; k*spec.Slide+spec.Start > t-spec.Window; j++ {
			row := w.lastRow[j]
			if w.lastK[j] != k || len(row) < nkeys {
				row = w.rowOf(k, nkeys)
				w.lastK[j], w.lastRow[j] = k, row
			}
			g := row[c]
			if g == 0 {
				g = w.newGroup(k, c) + 1
				row[c] = g
			}
			gids = append(gids, g-1)
			if !direct {
				idx = append(idx, int32(i))
			}
			k--
		}
	}
	w.gids, w.idx = gids, idx
	if direct {
		return gids, nil
	}
	return gids, idx
}

// rowOf returns the group ids of window k, long enough for n key groups.
func (w *windowGrouper) rowOf(k int64, n int) []int32 {
	row := w.rows[k]
	if len(row) < n {
		row = growSlice(row, n+n/2+8)
		row = row[:cap(row)]
		w.rows[k] = row
	}
	return row
}

// newGroup adds the group of window k and key group c to the table of
// the current group call and returns its id.
func (w *windowGrouper) newGroup(k int64, c int32) int32 {
	other := w.keys.key(c)
	p := 0
	for i := 0; i < w.pos; i++ {
		p += keySkip(w.enc.cols[i], other[p:])
	}
	b := append(w.keyBuf[:0], other[:p]...)
	b = append(b, 1)
	b = binary.BigEndian.AppendUint64(b, uint64(k*w.spec.Slide+w.spec.Start)^signBit)
	b = append(b, other[p:]...)
	w.keyBuf = b
	return w.target.add(b)
}
