package exec

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// JoinType is how a join treats rows without a match.
type JoinType int

const (
	JoinInner JoinType = iota
	JoinLeftOuter
	JoinRightOuter
	JoinFullOuter
	JoinLeftSemi
	JoinLeftAnti
)

func (t JoinType) String() string {
	return [...]string{"Inner", "LeftOuter", "RightOuter", "FullOuter", "LeftSemi", "LeftAnti"}[t]
}

// keepsRight reports whether output rows carry the right side's columns.
func (t JoinType) keepsRight() bool { return t != JoinLeftSemi && t != JoinLeftAnti }

// JoinConfig describes a join for the operators of this package.
type JoinConfig struct {
	Type JoinType
	// Left and Right are the input schemas; records arriving with other
	// field names but the same columns are relabelled.
	Left, Right *arrow.Schema
	// LeftKeys[i] = RightKeys[i] pairs rows (bound against Left and Right,
	// of equal types); NullSafe[i] pairs nulls too. Without keys every pair
	// is a candidate (a nested loop).
	LeftKeys, RightKeys []expr.Bound
	NullSafe            []bool
	// Residual, bound against Pair, must hold for a candidate pair to
	// match; nil when the keys are the whole condition.
	Residual expr.Bound
	// Pair is the output schema of paired rows: Left's fields then
	// Right's. Semi and anti joins output Left rows.
	Pair *arrow.Schema
}

func (c *JoinConfig) check() error {
	if len(c.LeftKeys) != len(c.RightKeys) || len(c.NullSafe) != len(c.LeftKeys) {
		return fmt.Errorf("exec: join with %d left keys, %d right keys and %d null-safe flags", len(c.LeftKeys), len(c.RightKeys), len(c.NullSafe))
	}
	for i := range c.LeftKeys {
		if !arrow.TypeEqual(c.LeftKeys[i].Type(), c.RightKeys[i].Type()) {
			return fmt.Errorf("exec: join key %d compares %s with %s", i, c.LeftKeys[i].Type(), c.RightKeys[i].Type())
		}
	}
	if c.Pair.NumFields() != c.Left.NumFields()+c.Right.NumFields() {
		return fmt.Errorf("exec: join pair schema has %d fields, want %d", c.Pair.NumFields(), c.Left.NumFields()+c.Right.NumFields())
	}
	if c.Residual != nil && c.Residual.Type().ID() != arrow.BOOL {
		return fmt.Errorf("exec: join condition %s is of type %s, not boolean", c.Residual.Name(), c.Residual.Type())
	}
	return nil
}

// joinBlock bounds the candidate pairs materialised at once, so that a key
// shared by many rows on both sides does not need memory for all pairs.
const joinBlock = 1 << 16

// relabel gives rec the schema s (same columns, other names).
func relabel(rec arrow.Record, s *arrow.Schema) arrow.Record {
	if rec.Schema() == s {
		rec.Retain()
		return rec
	}
	return array.NewRecord(s, rec.Columns(), rec.NumRows())
}

// hashJoiner pairs probe records with a joinTable built from the other
// side (the build side) and pushes the joined rows to next.
type hashJoiner struct {
	cfg       *JoinConfig
	probeLeft bool
	table     *joinTable
	// buildMatched marks the build rows that matched, when unmatched ones
	// are output at the end (the build side is preserved).
	buildMatched []bool
	next         Operator
}

func (h *hashJoiner) probeKeys() []expr.Bound {
	if h.probeLeft {
		return h.cfg.LeftKeys
	}
	return h.cfg.RightKeys
}

func (h *hashJoiner) buildKeys() []expr.Bound {
	if h.probeLeft {
		return h.cfg.RightKeys
	}
	return h.cfg.LeftKeys
}

func (h *hashJoiner) probeSchema() *arrow.Schema {
	if h.probeLeft {
		return h.cfg.Left
	}
	return h.cfg.Right
}

func (h *hashJoiner) buildSchema() *arrow.Schema {
	if h.probeLeft {
		return h.cfg.Right
	}
	return h.cfg.Left
}

func (h *hashJoiner) probePreserved() bool {
	t := h.cfg.Type
	return t == JoinFullOuter || (t == JoinLeftOuter && h.probeLeft) || (t == JoinRightOuter && !h.probeLeft)
}

func (h *hashJoiner) buildPreserved() bool {
	t := h.cfg.Type
	return t == JoinFullOuter || (t == JoinLeftOuter && !h.probeLeft) || (t == JoinRightOuter && h.probeLeft)
}

// build indexes the build side's records.
func (h *hashJoiner) build(ctx context.Context, recs []arrow.Record) error {
	h.table = newJoinTable(h.cfg.NullSafe)
	s := h.buildSchema()
	for _, r := range recs {
		if r.NumRows() == 0 {
			continue
		}
		rec := relabel(r, s)
		ks, err := evalKeys(ctx, h.buildKeys(), rec)
		if err != nil {
			rec.Release()
			return err
		}
		h.table.add(rec, ks)
		rec.Release()
	}
	if h.buildPreserved() {
		h.buildMatched = make([]bool, h.table.numRows())
	}
	return nil
}

func (h *hashJoiner) release() {
	if h.table != nil {
		h.table.release()
		h.table = nil
	}
}

// probe joins one record of the probe side.
func (h *hashJoiner) probe(ctx context.Context, in arrow.Record) error {
	n := int(in.NumRows())
	if n == 0 {
		return nil
	}
	rec := relabel(in, h.probeSchema())
	defer rec.Release()
	var ks *keySet
	if len(h.cfg.LeftKeys) > 0 {
		var err error
		if ks, err = evalKeys(ctx, h.probeKeys(), rec); err != nil {
			return err
		}
		defer ks.release()
	}
	mem := expr.AllocatorFrom(ctx)
	t := h.cfg.Type
	var matched []bool
	if h.probePreserved() || !t.keepsRight() {
		matched = make([]bool, n)
	}
	c := h.table.candidates(ks, n)
	for c.fill(joinBlock) {
		if !t.keepsRight() && h.cfg.Residual == nil {
			for _, p := range c.p {
				matched[p] = true
			}
			continue
		}
		err := forChunks(h.table, c.p, c.b, func(chunk *tableChunk, p, b []int32) error {
			pair := h.pairRecord(mem, rec, p, chunk.rec, b)
			defer pair.Release()
			pass, keep, err := filterPairs(ctx, h.cfg.Residual, pair)
			if err != nil {
				return err
			}
			defer keep.Release()
			for k, p := range p {
				if pass == nil || pass[k] {
					if matched != nil {
						matched[p] = true
					}
					if h.buildMatched != nil {
						h.buildMatched[chunk.base+b[k]] = true
					}
				}
			}
			if t.keepsRight() && keep.NumRows() > 0 {
				return h.next.Process(ctx, keep)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	switch {
	case t == JoinLeftSemi || t == JoinLeftAnti:
		return emitSelected(ctx, h.next, mem, rec, matched, t == JoinLeftSemi)
	case h.probePreserved():
		idx := unmatchedRows(matched)
		if len(idx) == 0 {
			return nil
		}
		out := h.padded(mem, rec, idx, true)
		defer out.Release()
		return h.next.Process(ctx, out)
	}
	return nil
}

// finish outputs the build rows that never matched, when the build side is
// preserved.
func (h *hashJoiner) finish(ctx context.Context) error {
	if h.buildMatched == nil {
		return nil
	}
	mem := expr.AllocatorFrom(ctx)
	for _, c := range h.table.chunks {
		var idx []int32
		for i := int32(0); i < int32(c.rec.NumRows()); i++ {
			if !h.buildMatched[c.base+i] {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		out := h.padded(mem, c.rec, idx, false)
		err := h.next.Process(ctx, out)
		out.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// pairRecord builds the pair rows (probe row p[k], build row b[k]) in the
// output column order.
func (h *hashJoiner) pairRecord(mem memory.Allocator, probe arrow.Record, p []int32, build arrow.Record, b []int32) arrow.Record {
	return pairRecord(mem, h.cfg, h.probeLeft, probe, p, build, b)
}

// pairRecord builds pair rows from row p[k] of probe and row b[k] of
// build, the left then the right columns; probeLeft says which side probe
// is.
func pairRecord(mem memory.Allocator, cfg *JoinConfig, probeLeft bool, probe arrow.Record, p []int32, build arrow.Record, b []int32) arrow.Record {
	pc := takeColumns(mem, probe, p)
	bc := takeColumns(mem, build, b)
	cols := append(bc, pc...)
	if probeLeft {
		cols = append(pc, bc...)
	}
	out := array.NewRecord(cfg.Pair, cols, int64(len(p)))
	releaseArrays(cols)
	return out
}

// padded builds output rows from rows idx of rec with nulls for the other
// side; rec is the probe side's record when probe is set.
func (h *hashJoiner) padded(mem memory.Allocator, rec arrow.Record, idx []int32, probe bool) arrow.Record {
	left := probe == h.probeLeft
	return paddedRecord(mem, h.cfg, rec, idx, left)
}

// paddedRecord builds pair rows from rows idx of rec, a record of the left
// side (left) or of the right side, with nulls for the other side.
func paddedRecord(mem memory.Allocator, cfg *JoinConfig, rec arrow.Record, idx []int32, left bool) arrow.Record {
	own := takeColumns(mem, rec, idx)
	other := cfg.Left
	if left {
		other = cfg.Right
	}
	nulls := make([]arrow.Array, other.NumFields())
	for i, f := range other.Fields() {
		nulls[i] = array.MakeArrayOfNull(mem, f.Type, len(idx))
	}
	cols := append(nulls, own...)
	if left {
		cols = append(own, nulls...)
	}
	out := array.NewRecord(cfg.Pair, cols, int64(len(idx)))
	releaseArrays(cols)
	return out
}

// takeColumns gathers rows idx of every column of rec; identity indices
// share the columns.
func takeColumns(mem memory.Allocator, rec arrow.Record, idx []int32) []arrow.Array {
	cols := make([]arrow.Array, rec.NumCols())
	identity := len(idx) == int(rec.NumRows())
	for i, v := range idx {
		if v != int32(i) {
			identity = false
			break
		}
	}
	for i, c := range rec.Columns() {
		if identity {
			c.Retain()
			cols[i] = c
		} else {
			cols[i] = expr.Take(mem, c, idx)
		}
	}
	return cols
}

func releaseArrays(as []arrow.Array) {
	for _, a := range as {
		a.Release()
	}
}

// filterPairs evaluates the residual condition over pair rows: pass says
// which rows hold (nil: all) and keep is the record of those rows.
func filterPairs(ctx context.Context, residual expr.Bound, pair arrow.Record) (pass []bool, keep arrow.Record, err error) {
	if residual == nil {
		pair.Retain()
		return nil, pair, nil
	}
	m, err := residual.Eval(ctx, pair)
	if err != nil {
		return nil, nil, fmt.Errorf("evaluating join condition %s: %w", residual.Name(), err)
	}
	defer m.Release()
	mask := m.(*array.Boolean)
	idx, all := expr.SelectionIndices(mask)
	if all {
		pair.Retain()
		return nil, pair, nil
	}
	pass = make([]bool, mask.Len())
	for _, i := range idx {
		pass[i] = true
	}
	return pass, expr.TakeRecord(expr.AllocatorFrom(ctx), pair, idx), nil
}

// forChunks splits pairs by the table chunk of their build row and calls
// fn with each chunk's pairs (build rows local to the chunk).
func forChunks(t *joinTable, p, b []int32, fn func(c *tableChunk, p, b []int32) error) error {
	if len(t.chunks) == 1 {
		c := t.chunks[0]
		local := b
		if c.base != 0 {
			local = make([]int32, len(b))
			for i, r := range b {
				local[i] = r - c.base
			}
		}
		return fn(c, p, local)
	}
	counts := make([]int, len(t.chunks)+1)
	for _, r := range b {
		counts[t.chunkOf[r]+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	sp, sb := make([]int32, len(p)), make([]int32, len(b))
	pos := append([]int(nil), counts...)
	for k, r := range b {
		ci := t.chunkOf[r]
		sp[pos[ci]], sb[pos[ci]] = p[k], r-t.chunks[ci].base
		pos[ci]++
	}
	for ci, c := range t.chunks {
		lo, hi := counts[ci], counts[ci+1]
		if lo == hi {
			continue
		}
		if err := fn(c, sp[lo:hi], sb[lo:hi]); err != nil {
			return err
		}
	}
	return nil
}

func unmatchedRows(matched []bool) []int32 {
	var idx []int32
	for i, m := range matched {
		if !m {
			idx = append(idx, int32(i))
		}
	}
	return idx
}

// emitSelected outputs the rows of rec whose flag equals want.
func emitSelected(ctx context.Context, next Operator, mem memory.Allocator, rec arrow.Record, flags []bool, want bool) error {
	var idx []int32
	for i, f := range flags {
		if f == want {
			idx = append(idx, int32(i))
		}
	}
	switch len(idx) {
	case 0:
		return nil
	case len(flags):
		return next.Process(ctx, rec)
	}
	out := expr.TakeRecord(mem, rec, idx)
	defer out.Release()
	return next.Process(ctx, out)
}

// HashJoin joins two batch inputs: it buffers the rows of both, builds a
// hash table on one side and probes it with the other (the preserved side
// of an outer join, else the left), evaluating the residual condition
// batch at a time. Without equality keys it pairs every row with every row
// (a nested loop, costing |left| x |right| condition evaluations). Its
// inputs are the operators Left() and Right(); the joined rows go to next
// when both inputs have finished the epoch.
type HashJoin struct {
	twoInputs
	j    hashJoiner
	next Operator
}

// NewHashJoin returns a batch join of cfg feeding next.
func NewHashJoin(cfg JoinConfig, next Operator) (*HashJoin, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return &HashJoin{j: hashJoiner{cfg: &cfg, probeLeft: cfg.Type != JoinRightOuter, next: next}, next: next}, nil
}

// Left is the operator that receives the left input.
func (j *HashJoin) Left() Operator { return joinPort{j, 0} }

// Right is the operator that receives the right input.
func (j *HashJoin) Right() Operator { return joinPort{j, 1} }

type joinPort struct {
	j    *HashJoin
	side int
}

func (p joinPort) Process(_ context.Context, rec arrow.Record) error {
	p.j.add(p.side, rec)
	return nil
}

func (p joinPort) Watermark(ctx context.Context, wm time.Time) error {
	if wm, ok := p.j.watermark(wm); ok {
		return p.j.next.Watermark(ctx, wm)
	}
	return nil
}

func (p joinPort) Finish(ctx context.Context, err error) error {
	j := p.j
	last, err := j.finish(err)
	if !last {
		return nil
	}
	if err == nil {
		err = j.run(ctx)
	}
	j.reset()
	j.j.release()
	return j.next.Finish(ctx, err)
}

func (j *HashJoin) run(ctx context.Context) error {
	probe, build := j.inputs[0], j.inputs[1]
	if !j.j.probeLeft {
		probe, build = build, probe
	}
	if err := j.j.build(ctx, build); err != nil {
		return err
	}
	for _, r := range probe {
		if err := j.j.probe(ctx, r); err != nil {
			return err
		}
	}
	return j.j.finish(ctx)
}

// StreamStaticJoin joins a stream with a batch input that is read once,
// the first time the stream brings rows, and kept in a hash table for the
// rest of the query: later changes to the batch input are not seen until
// the query restarts. The stream side is the probe side and the preserved
// side of an outer join; unmatched rows of the static side are never
// output.
type StreamStaticJoin struct {
	j    hashJoiner
	load func(context.Context) ([]arrow.Record, error)
	once sync.Once
	err  error
	next Operator
}

// NewStreamStaticJoin returns the join of cfg whose streaming input is the
// left side (streamLeft) or the right one; load reads the static side.
// The returned operator receives the stream.
func NewStreamStaticJoin(cfg JoinConfig, streamLeft bool, load func(context.Context) ([]arrow.Record, error), next Operator) (*StreamStaticJoin, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	switch {
	case cfg.Type == JoinFullOuter,
		!streamLeft && (cfg.Type == JoinLeftOuter || cfg.Type == JoinLeftSemi || cfg.Type == JoinLeftAnti),
		streamLeft && cfg.Type == JoinRightOuter:
		return nil, fmt.Errorf("exec: %s join with the stream on the %s cannot run incrementally", cfg.Type, map[bool]string{true: "left", false: "right"}[streamLeft])
	}
	return &StreamStaticJoin{j: hashJoiner{cfg: &cfg, probeLeft: streamLeft, next: next}, load: load, next: next}, nil
}

func (s *StreamStaticJoin) ensureBuilt(ctx context.Context) error {
	s.once.Do(func() {
		recs, err := s.load(ctx)
		if err != nil {
			s.err = fmt.Errorf("reading the static side of the join: %w", err)
			return
		}
		defer Release(recs)
		s.err = s.j.build(ctx, recs)
	})
	return s.err
}

func (s *StreamStaticJoin) Process(ctx context.Context, rec arrow.Record) error {
	if rec.NumRows() == 0 {
		return nil
	}
	if err := s.ensureBuilt(ctx); err != nil {
		return err
	}
	return s.j.probe(ctx, rec)
}

func (s *StreamStaticJoin) Watermark(ctx context.Context, wm time.Time) error {
	return s.next.Watermark(ctx, wm)
}

func (s *StreamStaticJoin) Finish(ctx context.Context, err error) error {
	return s.next.Finish(ctx, err)
}

// Close releases the static side's table.
func (s *StreamStaticJoin) Close() { s.j.release() }
