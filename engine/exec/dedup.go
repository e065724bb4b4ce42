package exec

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/state"
)

// KeyValueStore is the state a deduplication keeps between epochs: the
// keys it has seen. A *state.Store of a streaming query satisfies it; a
// batch query uses a map.
type KeyValueStore interface {
	Get(key []byte) ([]byte, bool)
	Put(key, value []byte)
	Remove(key []byte) bool
	Range(fn func(key, value []byte) bool)
	Len() int
}

// MapStore is a KeyValueStore in a Go map, for batch queries.
type MapStore map[string][]byte

func (m MapStore) Get(key []byte) ([]byte, bool) { v, ok := m[string(key)]; return v, ok }
func (m MapStore) Put(key, value []byte)         { m[string(key)] = value }
func (m MapStore) Len() int                      { return len(m) }
func (m MapStore) Remove(key []byte) bool {
	_, ok := m[string(key)]
	delete(m, string(key))
	return ok
}
func (m MapStore) Range(fn func(key, value []byte) bool) {
	for k, v := range m {
		if !fn([]byte(k), v) {
			return
		}
	}
}

// DedupConfig describes a deduplication.
type DedupConfig struct {
	// Keys are the key columns.
	Keys []int
	// EventTime is the input's watermarked event-time column, or -1: rows
	// whose event time is at or before the watermark are late and dropped.
	EventTime int
	// EvictKey is the position in Keys of a key carrying the watermark, or
	// -1: with one, a key leaves the state once the watermark passes its
	// time; without, the state keeps every key for ever.
	EvictKey int
	// WithinWatermark remembers each key until the watermark passes its
	// first row's event time plus Delay (dropDuplicatesWithinWatermark).
	WithinWatermark bool
	Delay           time.Duration
}

// DedupMetrics counts what a deduplication did in an epoch, and its state
// size after it.
type DedupMetrics struct {
	NumRowsTotal, NumRowsUpdated, NumRowsRemoved       int64
	NumRowsDroppedByWatermark, NumDroppedDuplicateRows int64
	MemoryUsedBytes                                    int64
}

// Dedup forwards the first row of every key and drops the rows whose key
// it has already seen, in this epoch or (for a stream) an earlier one.
//
// A streaming Dedup is Stateful: it keeps the keys in a state store
// (key: the key columns' canonical bytes; value: the time the key leaves,
// in microseconds, or empty when it never does), drops as late the rows at
// or before the previous batch's watermark, and removes the keys this
// batch's watermark has passed.
type Dedup struct {
	cfg   DedupConfig
	next  Operator
	store KeyValueStore
	wm    int64 // watermark of the epoch, microseconds
	key   []byte
	m     DedupMetrics

	// streaming
	sc       *StateConfig
	provider *state.Provider
	st       *state.Store
	batch    Batch
	began    bool
	progress StateProgress
	minTime  int64 // least leave time among stored keys, when minKnown
	minKnown bool
}

// NewDedup returns a deduplication of cfg over records of schema, keeping
// its keys in store (a batch query's).
func NewDedup(schema *arrow.Schema, cfg DedupConfig, store KeyValueStore, next Operator) (*Dedup, error) {
	if len(cfg.Keys) == 0 {
		return nil, fmt.Errorf("exec: deduplication without key columns")
	}
	for _, k := range cfg.Keys {
		if k < 0 || k >= schema.NumFields() {
			return nil, fmt.Errorf("exec: deduplication key column %d out of range", k)
		}
	}
	if cfg.EventTime >= 0 && eventTimeOf(schema.Field(cfg.EventTime).Type) == nil {
		return nil, fmt.Errorf("exec: event-time column %s is of type %s", schema.Field(cfg.EventTime).Name, schema.Field(cfg.EventTime).Type)
	}
	if cfg.EvictKey >= 0 && eventTimeOf(schema.Field(cfg.Keys[cfg.EvictKey]).Type) == nil {
		return nil, fmt.Errorf("exec: deduplication key %s is not an event time", schema.Field(cfg.Keys[cfg.EvictKey]).Name)
	}
	if cfg.WithinWatermark && cfg.EventTime < 0 {
		return nil, fmt.Errorf("exec: dropDuplicatesWithinWatermark needs an event-time column")
	}
	return &Dedup{cfg: cfg, next: next, store: store}, nil
}

// NewStreamDedup returns the deduplication of a stream, keeping its keys
// in the state store sc names.
func NewStreamDedup(schema *arrow.Schema, cfg DedupConfig, sc StateConfig, next Operator) (*Dedup, error) {
	d, err := NewDedup(schema, cfg, nil, next)
	if err != nil {
		return nil, err
	}
	d.sc = &sc
	d.progress.OperatorName = "dedupe"
	if cfg.WithinWatermark {
		d.progress.OperatorName = "dedupeWithinWatermark"
	}
	return d, nil
}

// BeginBatch loads the state version of batch b.
func (d *Dedup) BeginBatch(ctx context.Context, b Batch) error {
	if d.sc == nil {
		return nil
	}
	if d.provider == nil {
		p, err := state.OpenProvider(d.sc.Root, state.ID{Operator: d.sc.Operator}, d.sc.Options)
		if err != nil {
			return err
		}
		d.provider = p
	}
	if d.st != nil {
		d.st.Abort()
		d.st = nil
	}
	st, err := d.provider.Load(b.ID)
	if err != nil {
		return err
	}
	if b.ID == 0 || b.ID != d.batch.ID+1 || !d.began {
		d.minKnown = false
	}
	d.st, d.store, d.batch, d.began = st, st, b, true
	return nil
}

// StateProgress reports the batch that ended last.
func (d *Dedup) StateProgress() StateProgress { return d.progress }

// NeedsNoDataBatch reports whether watermark next would remove keys.
func (d *Dedup) NeedsNoDataBatch(next time.Time) bool {
	if d.sc == nil || !(d.cfg.WithinWatermark || d.cfg.EvictKey >= 0) || d.st == nil && !d.began {
		return false
	}
	return !d.minKnown || d.minTime <= next.UnixMicro()
}

// Close releases the state store.
func (d *Dedup) Close() error {
	if d.st != nil {
		d.st.Abort()
		d.st = nil
	}
	return nil
}

// eventTimeOf returns the micros accessor of a timestamp column or of the
// end of a window struct; nil for other types.
func eventTimeOf(t arrow.DataType) func(a arrow.Array) (*array.Timestamp, bool) {
	switch x := t.(type) {
	case *arrow.TimestampType:
		return func(a arrow.Array) (*array.Timestamp, bool) { return a.(*array.Timestamp), false }
	case *arrow.StructType:
		if x.NumFields() == 2 && x.Field(1).Type.ID() == arrow.TIMESTAMP {
			return func(a arrow.Array) (*array.Timestamp, bool) {
				return a.(*array.Struct).Field(1).(*array.Timestamp), true
			}
		}
	}
	return nil
}

// eventTimes reads an event-time column (a timestamp, or a window's end)
// as microseconds; valid[i] is false for nulls.
func eventTimes(a arrow.Array) (vals []int64, valid func(int) bool) {
	ts, isStruct := eventTimeOf(a.DataType())(a)
	vals = values[int64](ts)
	outer := validOf(a)
	inner := validOf(ts)
	return vals, func(i int) bool { return !(isStruct && outer.isNull(i)) && !inner.isNull(i) }
}

// SetStore replaces the state store, for the next epoch.
func (d *Dedup) SetStore(s KeyValueStore) { d.store = s }

// Metrics returns the counts of the epoch that ended last.
func (d *Dedup) Metrics() DedupMetrics { return d.m }

func (d *Dedup) Watermark(ctx context.Context, wm time.Time) error {
	d.wm = wm.UnixMicro()
	d.m = DedupMetrics{}
	return d.next.Watermark(ctx, wm)
}

func (d *Dedup) Process(ctx context.Context, rec arrow.Record) error {
	if d.store == nil {
		return fmt.Errorf("exec: streaming deduplication got rows of a batch it did not begin")
	}
	n := int(rec.NumRows())
	var late []bool
	if d.cfg.EventTime >= 0 {
		lateWm := d.wm
		if d.sc != nil {
			lateWm = d.batch.LateWatermark.UnixMicro()
		}
		vals, valid := eventTimes(rec.Column(d.cfg.EventTime))
		for i, v := range vals {
			if valid(i) && v <= lateWm {
				if late == nil {
					late = make([]bool, n)
				}
				late[i] = true
				d.m.NumRowsDroppedByWatermark++
			}
		}
	}
	ks := columnKeys(rec, d.cfg.Keys)
	defer ks.release()
	var times []int64
	var timeValid func(int) bool
	switch {
	case d.cfg.WithinWatermark:
		times, timeValid = eventTimes(rec.Column(d.cfg.EventTime))
	case d.cfg.EvictKey >= 0:
		times, timeValid = eventTimes(rec.Column(d.cfg.Keys[d.cfg.EvictKey]))
	}
	keep := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if late != nil && late[i] {
			continue
		}
		d.key = ks.appendKey(d.key[:0], i)
		if _, seen := d.store.Get(d.key); seen {
			d.m.NumDroppedDuplicateRows++
			continue
		}
		var value []byte
		if times != nil && timeValid(i) {
			t := times[i]
			if d.cfg.WithinWatermark {
				t += d.cfg.Delay.Microseconds()
			}
			value = binary.LittleEndian.AppendUint64(make([]byte, 0, 8), uint64(t))
			if d.minKnown && t < d.minTime {
				d.minTime = t
			}
		}
		d.store.Put(d.key, value)
		d.m.NumRowsUpdated++
		keep = append(keep, int32(i))
	}
	switch len(keep) {
	case 0:
		return nil
	case n:
		return d.next.Process(ctx, rec)
	}
	out := expr.TakeRecord(expr.AllocatorFrom(ctx), rec, keep)
	defer out.Release()
	return d.next.Process(ctx, out)
}

// Finish evicts the keys the watermark has passed (when keys can leave),
// commits a stream's state and ends the epoch.
func (d *Dedup) Finish(ctx context.Context, err error) error {
	if err == nil && d.store == nil {
		err = fmt.Errorf("exec: streaming deduplication finished a batch it did not begin")
	}
	if err != nil {
		if d.st != nil {
			d.st.Abort()
			d.st, d.store = nil, nil
		}
		d.minKnown = false
		return d.next.Finish(ctx, err)
	}
	if d.cfg.WithinWatermark || d.cfg.EvictKey >= 0 {
		d.evict()
	}
	d.m.NumRowsTotal = int64(d.store.Len())
	if d.st != nil {
		d.m.MemoryUsedBytes = d.st.Metrics().MemoryUsedBytes
		_, err := d.st.Commit()
		d.st, d.store = nil, nil
		if err != nil {
			return d.next.Finish(ctx, err)
		}
		d.progress = StateProgress{OperatorName: d.progress.OperatorName, NumRowsTotal: d.m.NumRowsTotal,
			NumRowsUpdated: d.m.NumRowsUpdated, NumRowsRemoved: d.m.NumRowsRemoved,
			NumRowsDroppedByWatermark: d.m.NumRowsDroppedByWatermark, MemoryUsedBytes: d.m.MemoryUsedBytes}
	}
	return d.next.Finish(ctx, nil)
}

// evict removes the keys whose leave time the watermark has reached, and
// learns the least leave time left.
func (d *Dedup) evict() {
	if d.minKnown && d.minTime > d.wm {
		return
	}
	var old [][]byte
	min := int64(math.MaxInt64)
	d.store.Range(func(k, v []byte) bool {
		if len(v) != 8 {
			return true
		}
		t := int64(binary.LittleEndian.Uint64(v))
		if t <= d.wm {
			old = append(old, k)
		} else if t < min {
			min = t
		}
		return true
	})
	for _, k := range old {
		if d.store.Remove(k) {
			d.m.NumRowsRemoved++
		}
	}
	d.minTime, d.minKnown = min, true
}
