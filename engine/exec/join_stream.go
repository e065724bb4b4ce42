package exec

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/state"
)

// StateEviction says when the rows a side of a stream-stream join buffers
// can no longer match and leave its state.
type StateEviction struct {
	// Threshold gives the time, in microseconds, at or below which stored
	// rows leave, for the batch's watermark; ok is false when rows stay
	// for ever.
	Threshold func(watermark time.Time) (micros int64, ok bool)
	// KeyOrdinal, when >= 0, makes the row's time the value of that join
	// key; otherwise it is column Column of the side. The time is a
	// timestamp, or a window whose end counts.
	KeyOrdinal int
	Column     int
}

// StreamJoinSide configures one input of a stream-stream join.
type StreamJoinSide struct {
	// LateColumn is the side's watermarked column, or -1: input rows whose
	// time is at or before the late-event watermark are dropped.
	LateColumn int
	// Filter is the part of the condition over this side's columns only
	// (nil for none): a row failing it can never match, so it is not
	// stored (and, for a preserved side, is output with nulls at once).
	Filter expr.Bound
	Evict  StateEviction
}

// StreamJoinConfig describes a stream-stream join. JoinConfig.Residual is
// the part of the condition over both sides.
type StreamJoinConfig struct {
	JoinConfig
	Sides [2]StreamJoinSide // left, right
	State StateConfig
}

// StreamJoin is the symmetric hash join of two streams (Spark's
// StreamingSymmetricHashJoinExec). Both sides buffer their rows in state.
// In each batch the new left rows are joined with the buffered right rows
// and stored, then the new right rows are joined with the buffered left
// rows (this batch's included) and stored, so every pair is found once, in
// the batch where its second row arrives. At the end of the batch each
// side drops the rows the watermark says can no longer match; an outer
// join outputs then, with nulls, the dropped rows of its preserved side
// that never matched. A left semi join outputs a left row once, when it
// first matches.
//
// Each side keeps its rows as Arrow chunks with a hash index on the join
// key, and checkpoints them in its own state store ("left" and "right")
// as one entry per chunk (Arrow IPC with the matched flags).
type StreamJoin struct {
	twoInputs
	cfg   StreamJoinConfig
	next  Operator
	sides [2]*joinState

	batch    Batch
	began    bool
	version  int64 // state version the in-memory sides hold; -1 none
	progress StateProgress
	dropped  int64
	added    int64
	removed  int64
}

// NewStreamJoin returns a stream-stream join of cfg feeding next. Its
// inputs are the operators Left() and Right().
func NewStreamJoin(cfg StreamJoinConfig, next Operator) (*StreamJoin, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	switch cfg.Type {
	case JoinLeftAnti:
		return nil, fmt.Errorf("exec: a left anti join of two streams cannot run incrementally")
	}
	if len(cfg.LeftKeys) == 0 {
		return nil, fmt.Errorf("exec: a stream-stream join needs an equality key")
	}
	j := &StreamJoin{cfg: cfg, next: next, version: -1}
	for i := range j.sides {
		j.sides[i] = &joinState{side: i, j: j}
	}
	j.progress.OperatorName = "symmetricHashJoin"
	return j, nil
}

// Left is the operator that receives the left stream.
func (j *StreamJoin) Left() Operator { return streamJoinPort{j, 0} }

// Right is the operator that receives the right stream.
func (j *StreamJoin) Right() Operator { return streamJoinPort{j, 1} }

type streamJoinPort struct {
	j    *StreamJoin
	side int
}

func (p streamJoinPort) Process(_ context.Context, rec arrow.Record) error {
	if rec.NumRows() > 0 {
		p.j.add(p.side, rec)
	}
	return nil
}

func (p streamJoinPort) Watermark(ctx context.Context, wm time.Time) error {
	if wm, ok := p.j.watermark(wm); ok {
		return p.j.next.Watermark(ctx, wm)
	}
	return nil
}

func (p streamJoinPort) Finish(ctx context.Context, err error) error {
	j := p.j
	last, err := j.finish(err)
	if !last {
		return nil
	}
	if err == nil {
		err = j.run(ctx)
	}
	if err != nil {
		j.abort()
	}
	j.reset()
	j.began = false
	return j.next.Finish(ctx, err)
}

// BeginBatch loads the state version of batch b, unless the sides
// already hold it.
func (j *StreamJoin) BeginBatch(ctx context.Context, b Batch) error {
	for _, s := range j.sides {
		if s.provider == nil {
			name := [2]string{"left", "right"}[s.side]
			p, err := state.OpenProvider(j.cfg.State.Root, state.ID{Operator: j.cfg.State.Operator, Name: name}, j.cfg.State.Options)
			if err != nil {
				return err
			}
			s.provider = p
		}
		if s.store != nil {
			s.store.Abort()
		}
		st, err := s.provider.Load(b.ID)
		if err != nil {
			return err
		}
		s.store = st
	}
	if j.version != b.ID {
		for _, s := range j.sides {
			if err := s.restore(); err != nil {
				j.abort()
				return fmt.Errorf("restoring the %s side of the join from state version %d: %w", [2]string{"left", "right"}[s.side], b.ID, err)
			}
		}
	}
	j.batch, j.began = b, true
	j.dropped, j.added, j.removed = 0, 0, 0
	return nil
}

// abort drops the batch's state changes; the next batch restores the
// sides from the store.
func (j *StreamJoin) abort() {
	for _, s := range j.sides {
		if s.store != nil {
			s.store.Abort()
			s.store = nil
		}
	}
	j.version = -1
}

// StateProgress reports the batch that ended last.
func (j *StreamJoin) StateProgress() StateProgress { return j.progress }

// NeedsNoDataBatch reports whether watermark next would drop buffered
// rows.
func (j *StreamJoin) NeedsNoDataBatch(next time.Time) bool {
	for _, s := range j.sides {
		ev := j.cfg.Sides[s.side].Evict
		if ev.Threshold == nil || s.table == nil {
			continue
		}
		th, ok := ev.Threshold(next)
		if ok && s.table.live > 0 && (!s.minKnown || s.minTime <= th) {
			return true
		}
	}
	return false
}

// Close releases the buffered rows and the stores.
func (j *StreamJoin) Close() error {
	j.abort()
	for _, s := range j.sides {
		s.reset()
	}
	return nil
}

func (j *StreamJoin) preserved(side int) bool {
	switch j.cfg.Type {
	case JoinFullOuter:
		return true
	case JoinLeftOuter:
		return side == 0
	case JoinRightOuter:
		return side == 1
	}
	return false
}

// tracksMatches reports whether a side's rows need matched flags.
func (j *StreamJoin) tracksMatches(side int) bool {
	return j.preserved(side) || (j.cfg.Type == JoinLeftSemi && side == 0)
}

func (j *StreamJoin) run(ctx context.Context) error {
	if !j.began {
		return fmt.Errorf("exec: stream-stream join ran a batch it did not begin")
	}
	mem := expr.AllocatorFrom(ctx)
	for side := 0; side < 2; side++ {
		for _, rec := range j.inputs[side] {
			if err := j.joinInput(ctx, mem, side, rec); err != nil {
				return err
			}
		}
	}
	for side := 0; side < 2; side++ {
		if err := j.evict(ctx, mem, side); err != nil {
			return err
		}
	}
	var p StateProgress
	p.OperatorName = j.progress.OperatorName
	for _, s := range j.sides {
		if err := s.save(); err != nil {
			return err
		}
		p.NumRowsTotal += int64(s.table.live)
		p.MemoryUsedBytes += s.store.Metrics().MemoryUsedBytes
	}
	for _, s := range j.sides {
		if _, err := s.store.Commit(); err != nil {
			s.store = nil
			return err
		}
		s.store = nil
	}
	j.version = j.batch.ID + 1
	p.NumRowsUpdated, p.NumRowsRemoved, p.NumRowsDroppedByWatermark = j.added, j.removed, j.dropped
	j.progress = p
	return nil
}

// joinInput joins one input record of side with the other side's state
// and stores its rows.
func (j *StreamJoin) joinInput(ctx context.Context, mem memory.Allocator, side int, in arrow.Record) error {
	cfg := &j.cfg
	this, other := j.sides[side], j.sides[1-side]
	schema := [2]*arrow.Schema{cfg.Left, cfg.Right}[side]
	rec := relabel(in, schema)
	defer rec.Release()
	n := int(rec.NumRows())
	sc := cfg.Sides[side]

	// keep: rows that are not late and pass the side's own condition
	keep := make([]bool, n)
	var fails []int32
	lateWm := j.batch.LateWatermark.UnixMicro()
	var lateVals []int64
	var lateValid func(int) bool
	if sc.LateColumn >= 0 && !j.batch.LateWatermark.IsZero() {
		lateVals, lateValid = eventTimes(rec.Column(sc.LateColumn))
	}
	var pass []bool
	if sc.Filter != nil {
		m, err := sc.Filter.Eval(ctx, rec)
		if err != nil {
			return fmt.Errorf("evaluating %s: %w", sc.Filter.Name(), err)
		}
		idx, all := expr.SelectionIndices(m.(*array.Boolean))
		m.Release()
		if !all {
			pass = make([]bool, n)
			for _, i := range idx {
				pass[i] = true
			}
		}
	}
	for i := 0; i < n; i++ {
		if lateVals != nil && lateValid(i) && lateVals[i] <= lateWm {
			j.dropped++
			continue
		}
		if pass != nil && !pass[i] {
			fails = append(fails, int32(i))
			continue
		}
		keep[i] = true
	}
	if len(fails) > 0 && j.preserved(side) {
		out := paddedRecord(mem, &cfg.JoinConfig, rec, fails, side == 0)
		err := j.next.Process(ctx, out)
		out.Release()
		if err != nil {
			return err
		}
	}
	keys := [2][]expr.Bound{cfg.LeftKeys, cfg.RightKeys}[side]
	ks, err := evalKeys(ctx, keys, rec)
	if err != nil {
		return err
	}
	matched := make([]bool, n)
	if other.table != nil && other.table.live > 0 {
		if err := j.probe(ctx, mem, side, rec, ks, keep, matched); err != nil {
			ks.release()
			return err
		}
	}
	if j.cfg.Type == JoinLeftSemi && side == 0 {
		if err := emitSelected(ctx, j.next, mem, rec, andFlags(matched, keep), true); err != nil {
			ks.release()
			return err
		}
	}
	return this.buffer(ctx, rec, ks, keep, matched)
}

func andFlags(a, b []bool) []bool {
	out := make([]bool, len(a))
	for i := range a {
		out[i] = a[i] && b[i]
	}
	return out
}

// probe pairs the kept rows of rec (of side) with the other side's
// stored rows, outputs the pairs (or, for a left semi join, the left rows
// matched for the first time) and records the matches.
func (j *StreamJoin) probe(ctx context.Context, mem memory.Allocator, side int, rec arrow.Record, ks *keySet, keep, matched []bool) error {
	other := j.sides[1-side]
	t := other.table
	c := t.candidates(ks, int(rec.NumRows()))
	semi := j.cfg.Type == JoinLeftSemi
	for c.fill(joinBlock) {
		// drop candidates of rows not kept, and for a semi join from the
		// right, stored left rows that already matched
		p, b := c.p[:0], c.b[:0]
		for k := range c.p {
			if !keep[c.p[k]] || (semi && side == 1 && other.matched[c.b[k]]) {
				continue
			}
			p, b = append(p, c.p[k]), append(b, c.b[k])
		}
		if len(p) == 0 {
			continue
		}
		err := forChunks(t, p, b, func(chunk *tableChunk, p, b []int32) error {
			pair := pairRecord(mem, &j.cfg.JoinConfig, side == 0, rec, p, chunk.rec, b)
			defer pair.Release()
			pass, kept, err := filterPairs(ctx, j.cfg.Residual, pair)
			if err != nil {
				return err
			}
			defer kept.Release()
			var firstLeft []int32 // semi from the right: stored left rows matched now
			for k := range p {
				if pass != nil && !pass[k] {
					continue
				}
				matched[p[k]] = true
				row := chunk.base + b[k]
				if j.tracksMatches(1 - side) {
					if semi && !other.matched[row] {
						firstLeft = append(firstLeft, b[k])
					}
					other.setMatched(row)
				}
			}
			switch {
			case !semi:
				if kept.NumRows() > 0 {
					return j.next.Process(ctx, kept)
				}
			case side == 1 && len(firstLeft) > 0:
				out := expr.TakeRecord(mem, chunk.rec, firstLeft)
				defer out.Release()
				return j.next.Process(ctx, out)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// evict drops the stored rows of side the watermark has passed, and
// outputs with nulls those of a preserved side that never matched.
func (j *StreamJoin) evict(ctx context.Context, mem memory.Allocator, side int) error {
	s := j.sides[side]
	ev := j.cfg.Sides[side].Evict
	if ev.Threshold == nil || s.table == nil || s.table.live == 0 {
		return nil
	}
	th, ok := ev.Threshold(j.wm)
	if !ok || (s.minKnown && s.minTime > th) {
		return nil
	}
	emit := j.preserved(side)
	min := int64(math.MaxInt64)
	for ci, c := range s.table.chunks {
		var out []int32
		for i := int32(0); i < int32(c.rec.NumRows()); i++ {
			row := c.base + i
			if s.table.isDead(row) {
				continue
			}
			if s.times[row] > th {
				if s.times[row] < min {
					min = s.times[row]
				}
				continue
			}
			s.table.kill(row)
			s.dirty[ci] = true
			j.removed++
			if emit && !s.matched[row] {
				out = append(out, i)
			}
		}
		if len(out) > 0 {
			rec := paddedRecord(mem, &j.cfg.JoinConfig, c.rec, out, side == 0)
			err := j.next.Process(ctx, rec)
			rec.Release()
			if err != nil {
				return err
			}
		}
	}
	s.minTime, s.minKnown = min, true
	return nil
}
