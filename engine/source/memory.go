package source

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
)

// Memory is a source fed from the same process (Spark's MemoryStream):
// notebook cells and tests append records, and every query reading it
// sees them in order. Its offsets are row counts ("0", "3", ...). Rows are
// kept for the life of the source so that a re-run batch reads them again.
type Memory struct {
	schema *arrow.Schema

	mu   sync.Mutex
	recs []arrow.Record
	ends []int64 // ends[i] = rows in recs[:i+1]
	subs map[chan struct{}]struct{}
}

// NewMemory returns an empty memory source of schema.
func NewMemory(schema *arrow.Schema) *Memory {
	return &Memory{schema: schema, subs: map[chan struct{}]struct{}{}}
}

// Add appends rec, which must have the source's schema. It wakes every
// query reading the source.
func (m *Memory) Add(rec arrow.Record) error {
	if !rec.Schema().Equal(m.schema) {
		return fmt.Errorf("memory stream: record schema %s does not match the stream's %s", rec.Schema(), m.schema)
	}
	if rec.NumRows() == 0 {
		return nil
	}
	rec.Retain()
	m.mu.Lock()
	total := m.rowsLocked() + rec.NumRows()
	m.recs = append(m.recs, rec)
	m.ends = append(m.ends, total)
	for ch := range m.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	m.mu.Unlock()
	return nil
}

func (m *Memory) rowsLocked() int64 {
	if len(m.ends) == 0 {
		return 0
	}
	return m.ends[len(m.ends)-1]
}

// NumRows is the number of rows added so far.
func (m *Memory) NumRows() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rowsLocked()
}

func (m *Memory) Schema() *arrow.Schema { return m.schema }

func (m *Memory) LatestOffset(_ context.Context, start Offset) (Offset, error) {
	n := m.NumRows()
	if n == 0 {
		return start, nil
	}
	return Offset(strconv.FormatInt(n, 10)), nil
}

func parseCount(o Offset) (int64, error) {
	if o == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(o), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("memory stream: invalid offset %q: want a row count", o)
	}
	return n, nil
}

func (m *Memory) Batch(_ context.Context, start, end Offset) ([]arrow.Record, error) {
	from, err := parseCount(start)
	if err != nil {
		return nil, err
	}
	to, err := parseCount(end)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if to > m.rowsLocked() || from > to {
		return nil, fmt.Errorf("memory stream: offsets %d..%d outside the %d rows added", from, to, m.rowsLocked())
	}
	var out []arrow.Record
	i := sort.Search(len(m.ends), func(i int) bool { return m.ends[i] > from })
	for ; i < len(m.recs) && from < to; i++ {
		first := m.ends[i] - m.recs[i].NumRows()
		lo, hi := from-first, min(to, m.ends[i])-first
		if lo == 0 && hi == m.recs[i].NumRows() {
			m.recs[i].Retain()
			out = append(out, m.recs[i])
		} else {
			out = append(out, m.recs[i].NewSlice(lo, hi))
		}
		from = first + hi
	}
	return out, nil
}

func (m *Memory) Commit(context.Context, Offset) error { return nil }

// Subscribe implements Notifier.
func (m *Memory) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	m.mu.Lock()
	m.subs[ch] = struct{}{}
	m.mu.Unlock()
	return ch, func() {
		m.mu.Lock()
		delete(m.subs, ch)
		m.mu.Unlock()
	}
}

// Stop does nothing: the rows belong to the stream, not to one query.
func (m *Memory) Stop() error { return nil }

// Release frees the rows of the source; it must not be read afterwards.
func (m *Memory) Release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.recs {
		r.Release()
	}
	m.recs, m.ends = nil, nil
}

func (m *Memory) String() string {
	names := make([]string, m.schema.NumFields())
	for i, f := range m.schema.Fields() {
		names[i] = f.Name
	}
	return "MemoryStream[" + strings.Join(names, ",") + "]"
}
