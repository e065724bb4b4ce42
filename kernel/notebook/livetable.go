package notebook

import (
	"encoding/binary"
	"fmt"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/kernel/notebook/host"
)

// displayStream starts a query of the streaming DataFrame d into a table
// and shows the table live in the running cell: after every batch it shows
// the table as the output mode leaves it (append grows, update upserts by
// key, complete replaces). Append and complete write a memory sink;
// update, which a memory sink does not take, keeps its own table,
// registered as a temporary view of the same name, so spark.Table(name)
// reads what the display shows in every mode.
func (s *Session) displayStream(d *DataFrame, o DisplayOptions) *StreamingQuery {
	aggregates := hasAggregation(d.df.Plan())
	mode := strings.ToLower(o.Mode)
	if mode == "" {
		mode = "append"
		if aggregates {
			mode = "complete"
		}
	}
	name := o.Name
	if name == "" {
		name = s.h.DisplayName()
	}
	schema := d.df.ArrowSchema()
	w := d.WriteStream().QueryName(name).OutputMode(mode)
	max := int64(o.MaxRows)
	if max <= 0 {
		max = display.DefaultMaxRows
	}
	// read returns the records holding the rows shown and the number of
	// rows left out of them.
	var read func() ([]arrow.Record, int64, error)
	if mode == "update" {
		keys, err := upsertKeys(d.df, o.Key, aggregates)
		raise(err)
		t := &upsertTable{s: s.engine(), name: name, schema: schema, keys: keys, last: -1}
		raise(t.register())
		w.w.ForeachBatch(t.addBatch)
		read = t.snapshot
	} else {
		// Only the rows shown are read: the end of an append table, the
		// start of a complete one; a long table costs no copy.
		w.Format("memory")
		read = func() ([]arrow.Record, int64, error) {
			if mode == "append" {
				return s.engine().MemoryTableTail(name, max)
			}
			return s.engine().MemoryTableHead(name, max)
		}
	}
	q := w.start(true)
	eq := q.q
	render := func(bool) (display.Bundle, display.Bundle) {
		recs, omitted, err := read()
		defer release(recs)
		v := host.ViewOf(eq)
		t := display.Table{Schema: schema, Records: recs, Omitted: omitted, MaxRows: int(max), Tail: mode == "append",
			Title: tableTitle(name, mode, v), Error: v.Error}
		if err != nil && t.Error == "" {
			t.Error = "reading the table: " + err.Error()
		}
		var batch any
		if p := v.Last(); p != nil {
			batch = p.BatchID
		}
		md := display.Bundle{"gostream": map[string]any{
			"query": name, "id": eq.ID(), "runId": eq.RunID(), "mode": mode,
			"state": v.State(), "batchId": batch, "totalRows": t.Total(),
		}}
		return t.Bundle(), md
	}
	s.h.ShowLive(eq.RunID(), display.LiveConfig{
		Render: render,
		// The table changes only when a batch commits or the query ends.
		Version:  func() string { return tableVersion(eq) },
		Throttle: o.Throttle,
	})
	return q
}

// tableTitle is the caption of a live table: query, mode and batch.
func tableTitle(name, mode string, v display.QueryView) string {
	title := fmt.Sprintf("query %q · %s mode", name, mode)
	p := v.Last()
	switch v.State() {
	case display.StateFailed:
		return title + " · failed"
	case display.StateStopped:
		if p != nil {
			return fmt.Sprintf("%s · stopped after batch %d", title, p.BatchID)
		}
		return title + " · stopped"
	}
	if p == nil {
		return title + " · waiting for the first batch"
	}
	return fmt.Sprintf("%s · batch %d", title, p.BatchID)
}

func tableVersion(q *engine.StreamingQuery) string {
	v := host.ViewOf(q)
	batch := int64(-1)
	if p := v.Last(); p != nil {
		batch = p.BatchID
	}
	return fmt.Sprintf("%s %d", v.State(), batch)
}

// hasAggregation reports whether the plan aggregates a stream.
func hasAggregation(n plan.Node) bool {
	found := false
	plan.Walk(n, func(n plan.Node) bool {
		if _, ok := n.(plan.Aggregation); ok {
			found = true
		}
		return !found
	})
	return found
}

// groupingNamer is implemented by aggregation nodes that name their
// grouping columns in the output.
type groupingNamer interface {
	GroupingNames() []string
}

// upsertKeys returns the column indexes an update-mode table is keyed by.
func upsertKeys(df *engine.DataFrame, key []string, aggregates bool) ([]int, error) {
	if len(key) == 0 && aggregates {
		plan.Walk(df.Plan(), func(n plan.Node) bool {
			if g, ok := n.(groupingNamer); ok {
				key = g.GroupingNames()
				return false
			}
			return true
		})
		if len(key) == 0 {
			return nil, fmt.Errorf("Display in update mode needs the key columns of the table: Display(df, DisplayOptions{Mode: \"update\", Key: []string{...}}) with the grouping columns among %v", df.Columns())
		}
	}
	schema := df.ArrowSchema()
	idx := make([]int, len(key))
	for i, k := range key {
		found := schema.FieldIndices(k)
		if len(found) == 0 {
			return nil, &expr.AnalysisError{Message: fmt.Sprintf("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column with name `%s` cannot be resolved. Did you mean one of the following? %v (DisplayOptions.Key)", k, df.Columns())}
		}
		idx[i] = found[0]
	}
	return idx, nil
}

// upsertTable is the result table of an update-mode stream: each batch's
// rows replace the rows with the same key, new keys are added at the end.
// Without keys every row is new. It is rebuilt as one record per batch, in
// compiled code, and registered as a temporary view.
type upsertTable struct {
	s      *engine.Session
	name   string
	schema *arrow.Schema
	keys   []int

	mu   sync.Mutex
	rec  arrow.Record // nil while empty
	last int64
}

// addBatch upserts a batch's rows; a batch id seen before is skipped, so a
// replayed batch changes nothing.
func (u *upsertTable) addBatch(df *engine.DataFrame, batchID int64) error {
	recs, err := df.ToArrow()
	if err != nil {
		return err
	}
	defer release(recs)
	u.mu.Lock()
	defer u.mu.Unlock()
	if batchID <= u.last {
		return nil
	}
	next, err := upsert(u.schema, u.rec, recs, u.keys)
	if err != nil {
		return err
	}
	if u.rec != nil {
		u.rec.Release()
	}
	u.rec = next
	u.last = batchID
	return u.registerLocked()
}

func (u *upsertTable) register() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.registerLocked()
}

func (u *upsertTable) registerLocked() error {
	var data any = []arrow.Record{}
	if u.rec != nil {
		data = u.rec
	}
	df := u.s.CreateDataFrame(data, u.schema)
	if err := df.Err(); err != nil {
		return err
	}
	return df.CreateOrReplaceTempView(u.name)
}

// snapshot returns the table's rows, which the caller releases.
func (u *upsertTable) snapshot() ([]arrow.Record, int64, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.rec == nil {
		return nil, 0, nil
	}
	u.rec.Retain()
	return []arrow.Record{u.rec}, 0, nil
}

// upsert returns old with recs' rows upserted by the key columns: the
// latest row of each key, in the order keys first appeared.
func upsert(schema *arrow.Schema, old arrow.Record, recs []arrow.Record, keys []int) (arrow.Record, error) {
	all := make([]arrow.Record, 0, len(recs)+1)
	if old != nil {
		all = append(all, old)
	}
	all = append(all, recs...)
	combined, err := concat(schema, all)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return combined, nil
	}
	defer combined.Release()
	n := int(combined.NumRows())
	slots := make(map[string]int, n)
	order := make([]int32, 0, n)
	var key []byte
	var cell []byte
	f := format.Formatter{}
	for r := 0; r < n; r++ {
		key = key[:0]
		for _, k := range keys {
			col := combined.Column(k)
			if col.IsNull(r) {
				key = append(key, 0)
				continue
			}
			cell = f.Append(cell[:0], col, r)
			key = append(key, 1)
			key = binary.AppendUvarint(key, uint64(len(cell)))
			key = append(key, cell...)
		}
		if slot, ok := slots[string(key)]; ok {
			order[slot] = int32(r)
			continue
		}
		slots[string(key)] = len(order)
		order = append(order, int32(r))
	}
	return expr.TakeRecord(memory.DefaultAllocator, combined, order), nil
}

// concat makes one record of recs.
func concat(schema *arrow.Schema, recs []arrow.Record) (arrow.Record, error) {
	var n int64
	for _, r := range recs {
		n += r.NumRows()
	}
	if len(recs) == 1 {
		recs[0].Retain()
		return recs[0], nil
	}
	cols := make([]arrow.Array, schema.NumFields())
	for i := range cols {
		parts := make([]arrow.Array, 0, len(recs))
		for _, r := range recs {
			parts = append(parts, r.Column(i))
		}
		if len(parts) == 0 {
			b := array.NewBuilder(memory.DefaultAllocator, schema.Field(i).Type)
			cols[i] = b.NewArray()
			b.Release()
			continue
		}
		c, err := array.Concatenate(parts, memory.DefaultAllocator)
		if err != nil {
			for _, done := range cols[:i] {
				done.Release()
			}
			return nil, err
		}
		cols[i] = c
	}
	rec := array.NewRecord(schema, cols, n)
	for _, c := range cols {
		c.Release()
	}
	return rec, nil
}
