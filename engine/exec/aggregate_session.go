package exec

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/state"
)

// SessionAggregate aggregates session windows: per value of the other
// keys, events closer than the gap form one session [first event, last
// event + gap), and sessions that overlap or touch merge, across batches
// too. Each batch's rows are sorted by (key, time) and swept into partial
// sessions that the accumulators fold in one pass; at the end of the
// epoch each key's partial sessions are merged with its stored ones.
//
// The state store keeps one entry per key: its open sessions, each with
// its bounds and accumulator state. A session is closed once the
// watermark reaches its end: Append mode then emits and removes it;
// Complete mode emits every session every batch and never removes any.
// A partial session that ends at or before the previous batch's
// watermark is late: it is dropped and counted.
type SessionAggregate struct {
	cfg     AggregateConfig
	key     int // index of the session_window key among cfg.Keys
	gap     int64
	next    Operator
	mem     memory.Allocator
	enc     *keyEncoder // the other keys
	others  []int       // their indices in cfg.Keys
	table   *groupTable // the epoch's keys
	items   [][]sessionItem
	batch   *Aggregate // accumulators of one record's partial sessions
	in      []keyInput
	gids    []int32
	wm      int64
	hasWm   bool
	streams bool

	provider *state.Provider
	store    *state.Store
	b        Batch
	minEnd   int64
	minKnown bool
	progress StateProgress
}

// sessionItem is one session: bounds and encoded accumulator state.
type sessionItem struct {
	start, end int64
	state      []byte
	fresh      bool // from this epoch's rows
}

// NewSessionAggregate returns the aggregation of cfg, whose key number
// key is a session window.
func NewSessionAggregate(cfg AggregateConfig, key int, next Operator) (*SessionAggregate, error) {
	if cfg.Mem == nil {
		cfg.Mem = memory.DefaultAllocator
	}
	k := cfg.Keys[key]
	if k.SessionGap <= 0 || k.Time == nil {
		return nil, fmt.Errorf("exec: key %d is not a session window", key)
	}
	if len(cfg.Keys) == 1 && cfg.Streaming {
		return nil, fmt.Errorf("Global aggregation with session window in streaming query is not supported: group by another column as well")
	}
	if cfg.Streaming && cfg.Mode == EmitUpdate {
		return nil, fmt.Errorf("Update output mode not supported for session window on streaming DataFrames/DataSets")
	}
	s := &SessionAggregate{cfg: cfg, key: key, gap: k.SessionGap, next: next, mem: cfg.Mem, table: newGroupTable(), streams: cfg.Streaming}
	var cols []keyCol
	for i, ks := range cfg.Keys {
		if i == key {
			continue
		}
		c, err := newKeyCol(ks.Expr.Type())
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
		s.others = append(s.others, i)
	}
	s.enc = newKeyEncoder(cols)
	s.in = make([]keyInput, len(cols))
	inner := AggregateConfig{Funcs: cfg.Funcs, Mem: cfg.Mem, EventTimeKey: -1}
	fields := []arrow.Field{}
	for i, f := range cfg.Schema.Fields() {
		if i >= len(cfg.Keys) {
			fields = append(fields, f)
		}
	}
	inner.Schema = arrow.NewSchema(fields, nil)
	b, err := NewAggregate(inner, nil)
	if err != nil {
		return nil, err
	}
	s.batch = b
	s.progress.OperatorName = "sessionWindowStateStoreSaveExec"
	return s, nil
}

// Process sweeps one record into partial sessions per key.
func (s *SessionAggregate) Process(ctx context.Context, rec arrow.Record) error {
	ev := &batchEval{ctx: ctx, rec: rec}
	defer ev.release()
	n := int(rec.NumRows())
	if n == 0 {
		return nil
	}
	for j, i := range s.others {
		x, err := ev.eval(s.cfg.Keys[i].Expr)
		if err != nil {
			return err
		}
		s.in[j] = keyInput{arr: x}
	}
	ts, err := ev.eval(s.cfg.Keys[s.key].Time)
	if err != nil {
		return err
	}
	if !timestampArray(ts) {
		return fmt.Errorf("session window time column is %s, want a timestamp", ts.DataType())
	}
	args, err := ev.funcArgs(s.cfg.Funcs)
	if err != nil {
		return err
	}
	buf, offs := s.enc.encode(s.in, nil, n)
	s.gids = grow32(s.gids, n)
	s.table.insert(buf, offs, s.gids)
	s.items = growSlice(s.items, s.table.len())

	// rows with a time, sorted by (key, time)
	times := values[int64](ts)
	nb := nullBits(ts)
	rows := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if !nb.null(i) {
			rows = append(rows, int32(i))
		}
	}
	gids := s.gids
	sort.Slice(rows, func(a, b int) bool {
		ra, rb := rows[a], rows[b]
		if gids[ra] != gids[rb] {
			return gids[ra] < gids[rb]
		}
		return times[ra] < times[rb]
	})
	// sweep: a row joins the current session when its time is at or
	// before the session's end
	sids := make([]int32, len(rows))
	var starts, ends []int64
	var owners []int32
	for j, r := range rows {
		t := times[r]
		k := len(starts) - 1
		if k >= 0 && owners[k] == gids[r] && t <= ends[k] {
			if t+s.gap > ends[k] {
				ends[k] = t + s.gap
			}
		} else {
			starts, ends, owners = append(starts, t), append(ends, t+s.gap), append(owners, gids[r])
			k++
		}
		sids[j] = int32(k)
	}
	b := s.batch
	for _, acc := range b.accs {
		acc.reset()
		acc.grow(len(starts))
	}
	for f, acc := range b.accs {
		acc.update(sids, rows, args[f])
	}
	var state []byte
	for k := range starts {
		state = state[:0]
		for _, acc := range b.accs {
			state = acc.appendState(state, int32(k))
		}
		g := owners[k]
		s.items[g] = append(s.items[g], sessionItem{start: starts[k], end: ends[k], state: bytes.Clone(state), fresh: true})
	}
	return nil
}

func (s *SessionAggregate) Watermark(ctx context.Context, wm time.Time) error {
	s.wm, s.hasWm = wm.UnixMicro(), true
	return s.next.Watermark(ctx, wm)
}

// BeginBatch loads the state version of batch b.
func (s *SessionAggregate) BeginBatch(ctx context.Context, b Batch) error {
	if !s.streams {
		return nil
	}
	if s.provider == nil {
		p, err := state.OpenProvider(s.cfg.State.Root, state.ID{Operator: s.cfg.State.Operator}, s.cfg.State.Options)
		if err != nil {
			return err
		}
		s.provider = p
	}
	if s.store != nil {
		s.store.Abort()
		s.store = nil
	}
	st, err := s.provider.Load(b.ID)
	if err != nil {
		return err
	}
	s.store, s.b = st, b
	return nil
}

func (s *SessionAggregate) resetEpoch() {
	s.table.reset()
	clear(s.items)
	s.items = s.items[:0]
	s.hasWm = false
}

// Finish merges the epoch's sessions with the stored ones and emits by
// output mode (every session at once for a batch query).
func (s *SessionAggregate) Finish(ctx context.Context, err error) error {
	defer s.resetEpoch()
	if err == nil {
		err = s.finish(ctx)
	}
	if err != nil && s.store != nil {
		s.store.Abort()
		s.store = nil
	}
	return s.next.Finish(ctx, err)
}

func (s *SessionAggregate) finish(ctx context.Context) error {
	var out sessionOutput
	if !s.streams {
		for g := 0; g < s.table.len(); g++ {
			merged, err := s.mergeStates(s.items[g])
			if err != nil {
				return err
			}
			for _, it := range merged {
				out.add(s.table.key(int32(g)), it)
			}
		}
		return s.emit(ctx, &out)
	}
	st := s.store
	if st == nil {
		return fmt.Errorf("exec: session aggregation finished a batch it did not begin")
	}
	useWm := s.cfg.EventTimeKey >= 0 && s.cfg.Mode != EmitComplete
	lateWm := s.b.LateWatermark.UnixMicro()
	evictWm := s.wm
	if !s.hasWm {
		evictWm = lateWm
	}
	p := StateProgress{OperatorName: s.progress.OperatorName}
	for g := 0; g < s.table.len(); g++ {
		key := s.table.key(int32(g))
		fresh := s.items[g][:0]
		for _, it := range s.items[g] {
			if useWm && it.end <= lateWm {
				p.NumRowsDroppedByWatermark++
				continue
			}
			fresh = append(fresh, it)
		}
		if len(fresh) == 0 {
			continue
		}
		stored, err := decodeSessions(st, key)
		if err != nil {
			return err
		}
		merged, err := s.mergeStates(append(stored, fresh...))
		if err != nil {
			return err
		}
		st.Put(key, encodeSessions(merged))
		for _, it := range merged {
			if it.fresh {
				p.NumRowsUpdated++
			}
			if s.minKnown && it.end < s.minEnd {
				s.minEnd = it.end
			}
		}
	}
	switch {
	case s.cfg.Mode == EmitComplete:
		for _, key := range st.SortedKeys() {
			sessions, err := decodeSessions(st, key)
			if err != nil {
				return err
			}
			for _, it := range sessions {
				out.add(key, it)
			}
		}
	case useWm && (!s.minKnown || s.minEnd <= evictWm):
		min := int64(math.MaxInt64)
		var closedKeys [][]byte
		closed := map[string][]sessionItem{}
		st.Range(func(key, value []byte) bool {
			sessions, err := parseSessions(value)
			if err != nil {
				return true
			}
			var keep []sessionItem
			for _, it := range sessions {
				if it.end <= evictWm {
					closed[string(key)] = append(closed[string(key)], it)
				} else {
					keep = append(keep, it)
					if it.end < min {
						min = it.end
					}
				}
			}
			if len(keep) == len(sessions) {
				return true
			}
			closedKeys = append(closedKeys, key)
			if len(keep) == 0 {
				st.Remove(key)
			} else {
				st.Put(key, encodeSessions(keep))
			}
			return true
		})
		s.minEnd, s.minKnown = min, true
		sort.Slice(closedKeys, func(i, j int) bool { return bytes.Compare(closedKeys[i], closedKeys[j]) < 0 })
		for _, k := range closedKeys {
			for _, it := range closed[string(k)] {
				out.add(k, it)
				p.NumRowsRemoved++
			}
		}
	}
	if err := s.emit(ctx, &out); err != nil {
		return err
	}
	after := st.Metrics()
	if _, err := st.Commit(); err != nil {
		s.store = nil
		return err
	}
	s.store = nil
	p.NumRowsTotal = after.NumKeys
	p.MemoryUsedBytes = after.MemoryUsedBytes
	s.progress = p
	return nil
}

// mergeStates sorts sessions by start, merges those that overlap or
// touch (Spark's isSessionsOverlap) and combines their states.
func (s *SessionAggregate) mergeStates(items []sessionItem) ([]sessionItem, error) {
	sort.SliceStable(items, func(i, j int) bool { return items[i].start < items[j].start })
	var out []sessionItem
	var group []sessionItem
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		if len(group) == 1 {
			out = append(out, group[0])
			group = group[:0]
			return nil
		}
		m := sessionItem{start: group[0].start, end: group[0].end}
		b := s.batch
		for _, acc := range b.accs {
			acc.reset()
			acc.grow(1)
		}
		// merge later sessions first: mergeState folds in earlier data
		for k := len(group) - 1; k >= 0; k-- {
			it := group[k]
			if it.end > m.end {
				m.end = it.end
			}
			m.fresh = m.fresh || it.fresh
			if err := b.mergeInto(0, it.state); err != nil {
				return fmt.Errorf("session state: %w", err)
			}
		}
		var st []byte
		for _, acc := range b.accs {
			st = acc.appendState(st, 0)
		}
		m.state = st
		out = append(out, m)
		group = group[:0]
		return nil
	}
	for _, it := range items {
		if len(group) > 0 && it.start > maxEnd(group) {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		group = append(group, it)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func maxEnd(items []sessionItem) int64 {
	m := items[0].end
	for _, it := range items[1:] {
		if it.end > m {
			m = it.end
		}
	}
	return m
}

// encodeSessions writes a key's sessions: count, then per session start,
// end, state length and state.
func encodeSessions(items []sessionItem) []byte {
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(items)))
	for _, it := range items {
		b = binary.AppendVarint(b, it.start)
		b = binary.AppendVarint(b, it.end)
		b = binary.AppendUvarint(b, uint64(len(it.state)))
		b = append(b, it.state...)
	}
	return b
}

func parseSessions(b []byte) ([]sessionItem, error) {
	n, b, err := readUvarint(b)
	if err != nil {
		return nil, err
	}
	out := make([]sessionItem, 0, n)
	for k := uint64(0); k < n; k++ {
		start, w := binary.Varint(b)
		if w <= 0 {
			return nil, errShortState
		}
		b = b[w:]
		end, w := binary.Varint(b)
		if w <= 0 {
			return nil, errShortState
		}
		b = b[w:]
		l, rest, err := readUvarint(b)
		if err != nil || uint64(len(rest)) < l {
			return nil, errShortState
		}
		out = append(out, sessionItem{start: start, end: end, state: rest[:l:l]})
		b = rest[l:]
	}
	return out, nil
}

func decodeSessions(st *state.Store, key []byte) ([]sessionItem, error) {
	v, ok := st.Get(key)
	if !ok {
		return nil, nil
	}
	items, err := parseSessions(v)
	if err != nil {
		return nil, fmt.Errorf("session state of %x: %w", key, err)
	}
	return items, nil
}

// sessionOutput gathers sessions to emit.
type sessionOutput struct {
	keys   [][]byte
	starts []int64
	ends   []int64
	states [][]byte
}

func (o *sessionOutput) add(key []byte, it sessionItem) {
	o.keys = append(o.keys, key)
	o.starts = append(o.starts, it.start)
	o.ends = append(o.ends, it.end)
	o.states = append(o.states, it.state)
}

// emit builds the output record: the other keys decoded, the session
// window struct, and the aggregates from the sessions' states.
func (s *SessionAggregate) emit(ctx context.Context, o *sessionOutput) error {
	n := len(o.keys)
	if n == 0 {
		return nil
	}
	kb := s.enc.builders(s.mem, n)
	defer kb.release()
	for _, k := range o.keys {
		kb.add(k)
	}
	others := kb.finish()
	b := s.batch
	for _, acc := range b.accs {
		acc.reset()
		acc.grow(n)
	}
	for g, st := range o.states {
		if err := b.mergeInto(int32(g), st); err != nil {
			return err
		}
	}
	cols := make([]arrow.Array, 0, s.cfg.Schema.NumFields())
	oi := 0
	for i := range s.cfg.Keys {
		if i == s.key {
			cols = append(cols, sessionStructs(s.mem, o.starts, o.ends))
			continue
		}
		cols = append(cols, others[oi])
		oi++
	}
	for _, acc := range b.accs {
		cols = append(cols, acc.build(s.mem, nil, n))
	}
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	rec := array.NewRecord(s.cfg.Schema, cols, int64(n))
	defer rec.Release()
	return s.next.Process(ctx, rec)
}

// sessionStructs builds session_window structs {start, end}.
func sessionStructs(mem memory.Allocator, starts, ends []int64) arrow.Array {
	sb := array.NewStructBuilder(mem, expr.WindowType)
	defer sb.Release()
	st, en := sb.FieldBuilder(0).(*array.TimestampBuilder), sb.FieldBuilder(1).(*array.TimestampBuilder)
	for i := range starts {
		sb.Append(true)
		st.Append(arrow.Timestamp(starts[i]))
		en.Append(arrow.Timestamp(ends[i]))
	}
	return sb.NewArray()
}

// NeedsNoDataBatch reports whether watermark next would close a stored
// session.
func (s *SessionAggregate) NeedsNoDataBatch(next time.Time) bool {
	if !s.streams || s.cfg.Mode == EmitComplete || s.cfg.EventTimeKey < 0 {
		return false
	}
	return !s.minKnown || s.minEnd <= next.UnixMicro()
}

// StateProgress reports the batch that ended last.
func (s *SessionAggregate) StateProgress() StateProgress { return s.progress }

// Close releases the state store.
func (s *SessionAggregate) Close() error {
	if s.store != nil {
		s.store.Abort()
		s.store = nil
	}
	return nil
}
