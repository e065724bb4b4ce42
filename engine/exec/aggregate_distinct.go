package exec

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// distinctAcc feeds its inner accumulator each distinct combination of
// argument values once per group (count(DISTINCT a, b), sum(DISTINCT x)).
// The (group, values) pairs seen so far are kept in a group table keyed
// by the group id and the encoded values. It serves batch queries only:
// streams refuse DISTINCT aggregates, so its state is never stored.
type distinctAcc struct {
	inner accumulator
	enc   *keyEncoder
	seen  *groupTable
	in    []keyInput
	gid   []int64
	pairs []int32
	selG  []int32
	selI  []int32
}

func newDistinctAcc(inner accumulator, args []expr.Bound) (accumulator, error) {
	cols := []keyCol{{kind: kWindow, width: 8}}
	for _, a := range args {
		c, err := newKeyCol(a.Type())
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return &distinctAcc{inner: inner, enc: newKeyEncoder(cols), seen: newGroupTable(), in: make([]keyInput, len(cols))}, nil
}

func (d *distinctAcc) grow(n int) { d.inner.grow(n) }

func (d *distinctAcc) reset() {
	d.inner.reset()
	d.seen.reset()
}

func (d *distinctAcc) update(gids, idx []int32, args []arrow.Array) {
	n := len(gids)
	d.gid = growSlice(d.gid[:0], n)
	for j, g := range gids {
		d.gid[j] = int64(g)
	}
	d.in[0] = keyInput{starts: d.gid}
	for k, a := range args {
		d.in[k+1] = keyInput{arr: a}
	}
	buf, offs := d.enc.encode(d.in, idx, n)
	d.pairs = grow32(d.pairs, n)
	next := int32(d.seen.len())
	d.seen.insert(buf, offs, d.pairs)
	d.selG, d.selI = d.selG[:0], d.selI[:0]
	for j, p := range d.pairs {
		if p == next { // the first occurrence of a new pair
			next++
			d.selG = append(d.selG, gids[j])
			d.selI = append(d.selI, int32(rowOf(idx, j)))
		}
	}
	d.inner.update(d.selG, d.selI, args)
}

func (d *distinctAcc) appendState(b []byte, g int32) []byte { return d.inner.appendState(b, g) }

func (d *distinctAcc) mergeState(g int32, b []byte) ([]byte, error) { return d.inner.mergeState(g, b) }

func (d *distinctAcc) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	return d.inner.build(mem, sel, n)
}
