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

// KeySpec is one grouping key of an aggregation.
type KeySpec struct {
	// Expr computes the key of each row; nil for a time window.
	Expr expr.Bound
	// Time is the time argument of window(...) or session_window(...), a
	// timestamp expression.
	Time expr.Bound
	// Window is window(...)'s spec; nil otherwise.
	Window *expr.WindowSpec
	// SessionGap is session_window(...)'s gap in microseconds; 0 otherwise.
	SessionGap int64
}

// AggregateConfig describes a hash aggregation.
type AggregateConfig struct {
	Keys  []KeySpec
	Funcs []AggFunc
	// Schema is the output: one column per key, then one per function.
	Schema *arrow.Schema
	// Streaming makes the aggregation keep its groups in a state store
	// across batches and emit them by Mode; otherwise it aggregates each
	// epoch on its own and emits every group at Finish (batch queries).
	Streaming bool
	Mode      OutputMode
	// EventTimeKey is the key that carries the watermark (a timestamp or
	// a time window), -1 when none does: late rows are dropped and closed
	// groups evicted only when there is one.
	EventTimeKey int
	State        StateConfig
	Mem          memory.Allocator
}

// Aggregate is a vectorised hash aggregation. Each batch's key columns
// are encoded into bytes (see aggregate_keys.go), hashed into dense group
// ids, and every aggregate function folds its argument arrays into typed
// per-group slices in one loop per batch.
//
// Streaming, the epoch's groups are partial aggregates: at Finish the
// late ones are dropped (numRowsDroppedByWatermark counts them), the
// others are merged into the state store, and the mode decides what is
// emitted: Complete every group, Update the groups of the epoch, Append
// the groups the watermark closed, which are then removed from the
// store. Update also removes closed groups, silently.
type Aggregate struct {
	cfg  AggregateConfig
	next Operator
	mem  memory.Allocator

	enc   *keyEncoder
	table *groupTable
	accs  []accumulator
	evt   []int64 // event time (window end or timestamp) per group

	in     []keyInput
	gids   []int32
	starts []int64
	idx    []int32
	win    *windowGrouper // set when a key is a time window

	// streaming
	provider *state.Provider
	store    *state.Store
	batch    Batch
	wm       int64 // eviction watermark of the epoch, microseconds
	hasWm    bool
	minEvt   int64 // smallest event time among stored groups
	minKnown bool
	progress StateProgress
}

// NewAggregate returns a hash aggregation feeding next.
func NewAggregate(cfg AggregateConfig, next Operator) (*Aggregate, error) {
	if cfg.Mem == nil {
		cfg.Mem = memory.DefaultAllocator
	}
	if cfg.Schema.NumFields() != len(cfg.Keys)+len(cfg.Funcs) {
		return nil, fmt.Errorf("exec: aggregation of %d keys and %d functions for a schema of %d fields", len(cfg.Keys), len(cfg.Funcs), cfg.Schema.NumFields())
	}
	a := &Aggregate{cfg: cfg, next: next, mem: cfg.Mem, table: newGroupTable(), in: make([]keyInput, len(cfg.Keys))}
	cols := make([]keyCol, len(cfg.Keys))
	for i, k := range cfg.Keys {
		switch {
		case k.SessionGap > 0:
			return nil, fmt.Errorf("exec: session windows are aggregated by the session operator")
		case k.Window != nil:
			if k.Time == nil || k.Time.Type().ID() != arrow.TIMESTAMP {
				return nil, fmt.Errorf("exec: window key %d needs a timestamp time column", i)
			}
			cols[i] = keyCol{kind: kWindow, typ: expr.WindowType, width: 8, span: k.Window.Window}
		default:
			c, err := newKeyCol(k.Expr.Type())
			if err != nil {
				return nil, err
			}
			cols[i] = c
		}
	}
	a.enc = newKeyEncoder(cols)
	for i, k := range cfg.Keys {
		if k.Window != nil {
			var others []keyCol
			for j, c := range cols {
				if j != i {
					others = append(others, c)
				}
			}
			a.win = newWindowGrouper(i, *k.Window, others)
		}
	}
	for _, f := range cfg.Funcs {
		acc, err := newAccumulator(f)
		if err != nil {
			return nil, err
		}
		a.accs = append(a.accs, acc)
	}
	if cfg.EventTimeKey >= len(cfg.Keys) {
		return nil, fmt.Errorf("exec: event-time key %d out of range", cfg.EventTimeKey)
	}
	if cfg.EventTimeKey >= 0 && cols[cfg.EventTimeKey].kind != kWindow && cols[cfg.EventTimeKey].kind != kInt64 {
		return nil, fmt.Errorf("exec: event-time key %d is not a timestamp or a window", cfg.EventTimeKey)
	}
	a.progress.OperatorName = "stateStoreSave"
	return a, nil
}

// Process folds one batch of rows into the epoch's groups.
func (a *Aggregate) Process(ctx context.Context, rec arrow.Record) error {
	ev := &batchEval{ctx: ctx, rec: rec}
	defer ev.release()
	n := int(rec.NumRows())
	var idx []int32
	if a.win != nil {
		return a.processWindowed(ev)
	}
	for i, k := range a.cfg.Keys {
		if k.Window == nil {
			x, err := ev.eval(k.Expr)
			if err != nil {
				return err
			}
			a.in[i] = keyInput{arr: x}
			continue
		}
		ts, err := ev.eval(k.Time)
		if err != nil {
			return err
		}
		if !timestampArray(ts) {
			return fmt.Errorf("window time column %s is %s, want a timestamp", k.Time.Name(), ts.DataType())
		}
		a.starts, a.idx = assignWindows(*k.Window, ts, a.starts, a.idx)
		a.in[i] = keyInput{starts: a.starts}
		n, idx = len(a.starts), a.idx
		if idx == nil {
			n = len(a.starts)
		}
	}
	args, err := ev.funcArgs(a.cfg.Funcs)
	if err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	buf, offs := a.enc.encode(a.in, idx, n)
	a.gids = grow32(a.gids, n)
	before := a.table.len()
	a.table.insert(buf, offs, a.gids)
	a.addGroups(before)
	for f, acc := range a.accs {
		acc.update(a.gids, idx, args[f])
	}
	return nil
}

// processWindowed is Process for aggregations keyed on a time window.
func (a *Aggregate) processWindowed(ev *batchEval) error {
	var others []arrow.Array
	var ts arrow.Array
	for _, k := range a.cfg.Keys {
		e := k.Expr
		if k.Window != nil {
			e = k.Time
		}
		x, err := ev.eval(e)
		if err != nil {
			return err
		}
		if k.Window == nil {
			others = append(others, x)
			continue
		}
		if !timestampArray(x) {
			return fmt.Errorf("window time column %s is %s, want a timestamp", k.Time.Name(), x.DataType())
		}
		ts = x
	}
	args, err := ev.funcArgs(a.cfg.Funcs)
	if err != nil {
		return err
	}
	before := a.table.len()
	gids, idx := a.win.group(a.table, others, ts)
	if len(gids) == 0 {
		return nil
	}
	a.addGroups(before)
	for f, acc := range a.accs {
		acc.update(gids, idx, args[f])
	}
	return nil
}

// addGroups sizes the accumulators for new groups and records their
// event times.
func (a *Aggregate) addGroups(before int) {
	n := a.table.len()
	if n == before {
		return
	}
	for _, acc := range a.accs {
		acc.grow(n)
	}
	if k := a.cfg.EventTimeKey; k >= 0 {
		a.evt = growSlice(a.evt, n)
		for g := before; g < n; g++ {
			t, ok := a.enc.eventTime(a.table.key(int32(g)), k)
			if !ok {
				t = math.MinInt64
			}
			a.evt[g] = t
		}
	}
}

// Watermark records the epoch's watermark, which decides eviction.
func (a *Aggregate) Watermark(ctx context.Context, wm time.Time) error {
	a.wm, a.hasWm = wm.UnixMicro(), true
	return a.next.Watermark(ctx, wm)
}

// Finish ends the epoch: batch aggregations emit every group; streaming
// ones merge into the state store and emit by output mode.
func (a *Aggregate) Finish(ctx context.Context, err error) error {
	defer a.resetEpoch()
	if err != nil {
		if a.store != nil {
			a.store.Abort()
			a.store = nil
		}
		return a.next.Finish(ctx, err)
	}
	if !a.cfg.Streaming {
		if len(a.cfg.Keys) == 0 && a.table.len() == 0 {
			a.table.insert(nil, []int32{0, 0}, []int32{0})
			a.addGroups(0)
		}
		if a.table.len() > 0 {
			if err := a.emitTable(ctx, nil); err != nil {
				return a.next.Finish(ctx, err)
			}
		}
		return a.next.Finish(ctx, nil)
	}
	if a.store == nil {
		return a.next.Finish(ctx, fmt.Errorf("exec: streaming aggregation finished a batch it did not begin"))
	}
	if err := a.finishStreaming(ctx); err != nil {
		if a.store != nil {
			a.store.Abort()
			a.store = nil
		}
		return a.next.Finish(ctx, err)
	}
	return a.next.Finish(ctx, nil)
}

func (a *Aggregate) resetEpoch() {
	a.table.reset()
	if a.win != nil {
		a.win.reset()
	}
	for _, acc := range a.accs {
		acc.reset()
	}
	a.evt = a.evt[:0]
	a.hasWm = false
}

// emitTable sends the epoch groups sel (all when nil) to next.
func (a *Aggregate) emitTable(ctx context.Context, sel []int32) error {
	n := a.table.len()
	rows := n
	if sel != nil {
		rows = len(sel)
	}
	kb := a.enc.builders(a.mem, rows)
	defer kb.release()
	each(sel, n, func(g int32) { kb.add(a.table.key(g)) })
	cols := kb.finish()
	for _, acc := range a.accs {
		cols = append(cols, acc.build(a.mem, sel, n))
	}
	return a.emit(ctx, cols, rows)
}

func (a *Aggregate) emit(ctx context.Context, cols []arrow.Array, rows int) error {
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	rec := array.NewRecord(a.cfg.Schema, cols, int64(rows))
	defer rec.Release()
	return a.next.Process(ctx, rec)
}

// batchEval evaluates bound expressions over one record and keeps the
// arrays they return until release.
type batchEval struct {
	ctx   context.Context
	rec   arrow.Record
	owned []arrow.Array
}

func (e *batchEval) eval(b expr.Bound) (arrow.Array, error) {
	x, err := b.Eval(e.ctx, e.rec)
	if err != nil {
		return nil, fmt.Errorf("evaluating %s: %w", b.Name(), err)
	}
	e.owned = append(e.owned, x)
	return x, nil
}

// funcArgs evaluates the arguments of each aggregate function.
func (e *batchEval) funcArgs(funcs []AggFunc) ([][]arrow.Array, error) {
	args := make([][]arrow.Array, len(funcs))
	for f, fn := range funcs {
		for _, b := range fn.Args {
			x, err := e.eval(b)
			if err != nil {
				return nil, err
			}
			args[f] = append(args[f], x)
		}
	}
	return args, nil
}

func (e *batchEval) release() {
	for _, x := range e.owned {
		x.Release()
	}
	e.owned = nil
}
