package exec

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/gostream/gostream/engine/state"
)

// The streaming side of Aggregate: the state store version of each
// batch, merging the epoch's partial aggregates into it, eviction and
// emission by output mode.

// BeginBatch loads the state version of batch b.
func (a *Aggregate) BeginBatch(ctx context.Context, b Batch) error {
	if !a.cfg.Streaming {
		return nil
	}
	if a.provider == nil {
		p, err := state.OpenProvider(a.cfg.State.Root, state.ID{Operator: a.cfg.State.Operator}, a.cfg.State.Options)
		if err != nil {
			return err
		}
		a.provider = p
	}
	if a.store != nil {
		a.store.Abort()
		a.store = nil
	}
	st, err := a.provider.Load(b.ID)
	if err != nil {
		return err
	}
	a.store, a.batch = st, b
	return nil
}

// late reports whether event time t is at or before watermark wm.
func late(t int64, wm int64) bool { return t <= wm }

func (a *Aggregate) finishStreaming(ctx context.Context) error {
	st := a.store
	evtKey := a.cfg.EventTimeKey
	useWm := evtKey >= 0 && a.cfg.Mode != EmitComplete
	lateWm := a.batch.LateWatermark.UnixMicro()
	evictWm := a.wm
	if !a.hasWm {
		evictWm = lateWm
	}
	var p StateProgress
	p.OperatorName = a.progress.OperatorName
	before := st.Metrics()

	// merge the epoch's groups into the store, dropping late ones
	n := a.table.len()
	kept := make([]int32, 0, n)
	var buf []byte
	for g := int32(0); g < int32(n); g++ {
		if useWm && late(a.evt[g], lateWm) {
			p.NumRowsDroppedByWatermark++
			continue
		}
		key := a.table.key(g)
		if old, ok := st.Get(key); ok {
			if err := a.mergeInto(g, old); err != nil {
				return fmt.Errorf("state of group %x: %w", key, err)
			}
		}
		buf = buf[:0]
		for _, acc := range a.accs {
			buf = acc.appendState(buf, g)
		}
		st.Put(key, bytes.Clone(buf))
		kept = append(kept, g)
		if useWm && a.minKnown && a.evt[g] < a.minEvt {
			a.minEvt = a.evt[g]
		}
	}
	p.NumRowsUpdated = int64(len(kept))

	switch a.cfg.Mode {
	case EmitComplete:
		if err := a.emitStates(ctx, st.SortedKeys(), st.Get); err != nil {
			return err
		}
	case EmitUpdate:
		sort.Slice(kept, func(i, j int) bool {
			return bytes.Compare(a.table.key(kept[i]), a.table.key(kept[j])) < 0
		})
		if len(kept) > 0 {
			if err := a.emitTable(ctx, kept); err != nil {
				return err
			}
		}
		if useWm {
			a.evict(st, evictWm, false)
		}
	case EmitAppend:
		if useWm {
			closed := a.evict(st, evictWm, true)
			keys := make([][]byte, 0, len(closed))
			for k := range closed {
				keys = append(keys, []byte(k))
			}
			sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i], keys[j]) < 0 })
			get := func(k []byte) ([]byte, bool) { v, ok := closed[string(k)]; return v, ok }
			if err := a.emitStates(ctx, keys, get); err != nil {
				return err
			}
		}
	}
	after := st.Metrics()
	p.NumRowsRemoved = after.NumRemoves - before.NumRemoves
	if _, err := st.Commit(); err != nil {
		a.store = nil
		return err
	}
	a.store = nil
	p.NumRowsTotal = after.NumKeys
	p.MemoryUsedBytes = after.MemoryUsedBytes
	a.progress = p
	return nil
}

// mergeInto merges a stored state into epoch group g.
func (a *Aggregate) mergeInto(g int32, b []byte) error {
	var err error
	for _, acc := range a.accs {
		if b, err = acc.mergeState(g, b); err != nil {
			return err
		}
	}
	if len(b) != 0 {
		return fmt.Errorf("%d unread bytes: the state was written by a different query", len(b))
	}
	return nil
}

// evict removes the stored groups whose event time is at or before wm
// and, when keep is set, returns their states by key. It also
// recomputes the smallest event time left.
func (a *Aggregate) evict(st *state.Store, wm int64, keep bool) map[string][]byte {
	var closed map[string][]byte
	if keep {
		closed = map[string][]byte{}
	}
	if a.minKnown && a.minEvt > wm {
		return closed
	}
	k := a.cfg.EventTimeKey
	min := int64(math.MaxInt64)
	st.Range(func(key, value []byte) bool {
		t, ok := a.enc.eventTime(key, k)
		if !ok {
			t = math.MinInt64
		}
		if late(t, wm) {
			if keep {
				closed[string(key)] = value
			}
			st.Remove(key)
		} else if t < min {
			min = t
		}
		return true
	})
	a.minEvt, a.minKnown = min, true
	return closed
}

// NeedsNoDataBatch reports whether watermark next would close a stored
// group.
func (a *Aggregate) NeedsNoDataBatch(next time.Time) bool {
	if !a.cfg.Streaming || a.cfg.Mode == EmitComplete || a.cfg.EventTimeKey < 0 {
		return false
	}
	if !a.minKnown {
		return true
	}
	return a.minEvt <= next.UnixMicro()
}

// StateProgress reports the batch that ended last.
func (a *Aggregate) StateProgress() StateProgress { return a.progress }

// Close releases the state store.
func (a *Aggregate) Close() error {
	if a.store != nil {
		a.store.Abort()
		a.store = nil
	}
	return nil
}

// emitStates sends the stored groups keys, in that order, to next: their
// states (read with get) are merged into a fresh table and built like
// epoch groups.
func (a *Aggregate) emitStates(ctx context.Context, keys [][]byte, get func([]byte) ([]byte, bool)) error {
	if len(keys) == 0 {
		return nil
	}
	out := &Aggregate{cfg: a.cfg, next: a.next, mem: a.mem, enc: a.enc, table: newGroupTable()}
	for _, f := range a.cfg.Funcs {
		acc, err := newAccumulator(f)
		if err != nil {
			return err
		}
		acc.grow(len(keys))
		out.accs = append(out.accs, acc)
	}
	for _, k := range keys {
		g := out.table.add(k)
		v, ok := get(k)
		if !ok {
			return fmt.Errorf("exec: stored group %x has no state", k)
		}
		if err := out.mergeInto(g, v); err != nil {
			return fmt.Errorf("state of group %x: %w", k, err)
		}
	}
	return out.emitTable(ctx, nil)
}
