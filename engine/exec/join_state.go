package exec

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/state"
)

// joinState is the buffered rows of one side of a stream-stream join:
// chunks of rows with a hash index on the join key, each row's matched
// flag and time, and the state store that checkpoints them. A chunk is
// stored under key "c"+id as an Arrow IPC stream of its live rows plus a
// boolean column of matched flags.
type joinState struct {
	side  int
	j     *StreamJoin
	table *joinTable
	// per row
	matched []bool
	times   []int64 // math.MaxInt64: never leaves (no time, or a null)
	// per chunk
	ids     []uint64
	dirty   map[int]bool
	removed []uint64 // ids of chunks merged away
	nextID  uint64

	provider *state.Provider
	store    *state.Store
	minTime  int64 // least time among live rows, when minKnown
	minKnown bool
}

// matchedColumn names the matched flags in a stored chunk.
const matchedColumn = "__matched"

func (s *joinState) schema() *arrow.Schema {
	return [2]*arrow.Schema{s.j.cfg.Left, s.j.cfg.Right}[s.side]
}

func (s *joinState) keys() []expr.Bound {
	return [2][]expr.Bound{s.j.cfg.LeftKeys, s.j.cfg.RightKeys}[s.side]
}

func (s *joinState) reset() {
	if s.table != nil {
		s.table.release()
	}
	s.table = newJoinTable(s.j.cfg.NullSafe)
	s.matched, s.times, s.ids, s.removed = nil, nil, nil, nil
	s.dirty = map[int]bool{}
	s.nextID, s.minKnown = 0, false
}

func chunkKey(id uint64) []byte { return binary.BigEndian.AppendUint64([]byte{'c'}, id) }

// stateSchema is the schema of a stored chunk.
func (s *joinState) stateSchema() *arrow.Schema {
	fields := append(append([]arrow.Field(nil), s.schema().Fields()...), arrow.Field{Name: matchedColumn, Type: arrow.FixedWidthTypes.Boolean})
	return arrow.NewSchema(fields, nil)
}

// restore rebuilds the side from its store.
func (s *joinState) restore() error {
	s.reset()
	ctx := context.Background()
	want := s.stateSchema()
	for _, k := range s.store.SortedKeys() {
		if len(k) != 9 || k[0] != 'c' {
			return fmt.Errorf("unexpected state key %x", k)
		}
		v, _ := s.store.Get(k)
		rec, err := decodeChunk(v)
		if err != nil {
			return err
		}
		if !rec.Schema().Equal(want) {
			rec.Release()
			return fmt.Errorf("the stored rows have schema %s, the query's are %s: a checkpoint belongs to one query; use a new checkpointLocation for a changed query", rec.Schema(), want)
		}
		n := int(rec.NumCols()) - 1
		flags := rec.Column(n).(*array.Boolean)
		data := array.NewRecord(s.schema(), rec.Columns()[:n], rec.NumRows())
		matched := make([]bool, rec.NumRows())
		for i := range matched {
			matched[i] = flags.Value(i)
		}
		rec.Release()
		ks, err := evalKeys(ctx, s.keys(), data)
		if err != nil {
			data.Release()
			return err
		}
		id := binary.BigEndian.Uint64(k[1:])
		s.addChunk(data, ks, matched, id)
		data.Release()
		if id >= s.nextID {
			s.nextID = id + 1
		}
	}
	s.dirty = map[int]bool{}
	return nil
}

func decodeChunk(v []byte) (arrow.Record, error) {
	r, err := ipc.NewReader(bytes.NewReader(v), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return nil, fmt.Errorf("decoding stored join rows: %w", err)
	}
	defer r.Release()
	if !r.Next() {
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("decoding stored join rows: %w", err)
		}
		return nil, fmt.Errorf("decoding stored join rows: no record")
	}
	rec := r.Record()
	rec.Retain()
	return rec, nil
}

// addChunk appends rows (rec, retained) with their keys (owned) and flags.
func (s *joinState) addChunk(rec arrow.Record, ks *keySet, matched []bool, id uint64) {
	ci := len(s.table.chunks)
	s.table.add(rec, ks)
	s.matched = append(s.matched, matched...)
	ev := s.j.cfg.Sides[s.side].Evict
	n := int(rec.NumRows())
	start := len(s.times)
	for i := 0; i < n; i++ {
		s.times = append(s.times, math.MaxInt64)
	}
	if ev.Threshold != nil {
		var a arrow.Array
		if ev.KeyOrdinal >= 0 {
			a = ks.arrs[ev.KeyOrdinal]
		} else {
			a = rec.Column(ev.Column)
		}
		vals, valid := eventTimes(a)
		for i, v := range vals {
			if valid(i) {
				s.times[start+i] = v
			}
		}
	}
	for i := start; i < len(s.times); i++ {
		if s.minKnown && s.times[i] < s.minTime {
			s.minTime = s.times[i]
		}
	}
	s.ids = append(s.ids, id)
	s.dirty[ci] = true
}

// buffer keeps in state the rows of rec (of this side) that were kept and
// that the watermark has not already passed; ks are rec's keys (owned).
func (s *joinState) buffer(ctx context.Context, rec arrow.Record, ks *keySet, keep, matched []bool) error {
	n := int(rec.NumRows())
	ev := s.j.cfg.Sides[s.side].Evict
	var th int64
	var thOK bool
	var vals []int64
	var valid func(int) bool
	if ev.Threshold != nil {
		if th, thOK = ev.Threshold(s.j.wm); thOK {
			a := rec.Column(ev.Column)
			if ev.KeyOrdinal >= 0 {
				a = ks.arrs[ev.KeyOrdinal]
			}
			vals, valid = eventTimes(a)
		}
	}
	var idx []int32
	for i := 0; i < n; i++ {
		if keep[i] && !(thOK && valid(i) && vals[i] <= th) {
			idx = append(idx, int32(i))
		}
	}
	flags := matched
	switch len(idx) {
	case 0:
		ks.release()
		return nil
	case n:
	default:
		ks.release()
		rec = expr.TakeRecord(memory.DefaultAllocator, rec, idx)
		defer rec.Release()
		var err error
		if ks, err = evalKeys(ctx, s.keys(), rec); err != nil {
			return err
		}
		flags = make([]bool, len(idx))
		for k, i := range idx {
			flags[k] = matched[i]
		}
	}
	if !s.j.tracksMatches(s.side) {
		flags = make([]bool, len(flags))
	}
	s.addChunk(rec, ks, flags, s.nextID)
	s.nextID++
	s.j.added += int64(len(idx))
	return nil
}

func (s *joinState) setMatched(row int32) {
	if !s.matched[row] {
		s.matched[row] = true
		s.dirty[int(s.table.chunkOf[row])] = true
	}
}

// save writes the changed chunks to the store.
func (s *joinState) save() error {
	if err := s.mergeIfFragmented(); err != nil {
		return err
	}
	for _, id := range s.removed {
		s.store.Remove(chunkKey(id))
	}
	s.removed = nil
	for ci := range s.dirty {
		c := s.table.chunks[ci]
		var live []int32
		for i := int32(0); i < int32(c.rec.NumRows()); i++ {
			if !s.table.isDead(c.base + i) {
				live = append(live, i)
			}
		}
		if len(live) == 0 {
			s.store.Remove(chunkKey(s.ids[ci]))
			continue
		}
		v, err := s.encodeChunk(c, live)
		if err != nil {
			return err
		}
		s.store.Put(chunkKey(s.ids[ci]), v)
	}
	s.dirty = map[int]bool{}
	return nil
}

func (s *joinState) encodeChunk(c *tableChunk, live []int32) ([]byte, error) {
	mem := memory.DefaultAllocator
	cols := takeColumns(mem, c.rec, live)
	fb := array.NewBooleanBuilder(mem)
	for _, i := range live {
		fb.Append(s.matched[c.base+i])
	}
	cols = append(cols, fb.NewArray())
	fb.Release()
	rec := array.NewRecord(s.stateSchema(), cols, int64(len(live)))
	releaseArrays(cols)
	defer rec.Release()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(mem))
	if err := w.Write(rec); err != nil {
		return nil, fmt.Errorf("encoding join state: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encoding join state: %w", err)
	}
	return buf.Bytes(), nil
}

// mergeIfFragmented merges the live rows into one chunk when many chunks
// or many dead rows have piled up, so that probing stays fast.
func (s *joinState) mergeIfFragmented() error {
	t := s.table
	dead := t.numRows() - t.live
	if len(t.chunks) <= 32 && (dead == 0 || dead < t.live) {
		return nil
	}
	ctx := context.Background()
	mem := memory.DefaultAllocator
	var parts [][]arrow.Array
	var matched []bool
	rows := 0
	for _, c := range t.chunks {
		var live []int32
		for i := int32(0); i < int32(c.rec.NumRows()); i++ {
			if !t.isDead(c.base + i) {
				live = append(live, i)
				matched = append(matched, s.matched[c.base+i])
			}
		}
		if len(live) > 0 {
			parts = append(parts, takeColumns(mem, c.rec, live))
			rows += len(live)
		}
	}
	for _, id := range s.ids {
		s.removed = append(s.removed, id)
	}
	removed, nextID, minTime, minKnown := s.removed, s.nextID, s.minTime, s.minKnown
	s.reset()
	s.removed, s.nextID = removed, nextID
	if rows > 0 {
		cols := make([]arrow.Array, s.schema().NumFields())
		var err error
		for f := range cols {
			var arrs []arrow.Array
			for _, p := range parts {
				arrs = append(arrs, p[f])
			}
			if cols[f], err = array.Concatenate(arrs, mem); err != nil {
				releaseArrays(cols[:f])
				break
			}
		}
		for _, p := range parts {
			releaseArrays(p)
		}
		if err != nil {
			return fmt.Errorf("merging join state: %w", err)
		}
		rec := array.NewRecord(s.schema(), cols, int64(rows))
		releaseArrays(cols)
		defer rec.Release()
		ks, err := evalKeys(ctx, s.keys(), rec)
		if err != nil {
			return err
		}
		s.addChunk(rec, ks, matched, s.nextID)
		s.nextID++
	}
	s.minTime, s.minKnown = minTime, minKnown
	return nil
}
