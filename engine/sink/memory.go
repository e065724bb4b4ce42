package sink

import (
	"context"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
)

// Memory keeps a query's output in memory as a table that batch queries
// can read (Spark's memory sink, named after the query). In append mode
// each batch adds its rows; in complete mode each batch replaces the
// table. A batch id at or below the last one written is skipped.
type Memory struct {
	schema   *arrow.Schema
	complete bool

	mu   sync.Mutex
	recs []arrow.Record
	last int64
}

// NewMemory returns an empty memory sink for rows of schema.
func NewMemory(schema *arrow.Schema, complete bool) *Memory {
	return &Memory{schema: schema, complete: complete, last: -1}
}

// Schema is the table's schema.
func (m *Memory) Schema() *arrow.Schema { return m.schema }

func (m *Memory) AddBatch(_ context.Context, batchID int64, recs []arrow.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if batchID <= m.last {
		return nil
	}
	m.last = batchID
	if m.complete {
		for _, r := range m.recs {
			r.Release()
		}
		m.recs = m.recs[:0]
	}
	for _, r := range recs {
		r.Retain()
		m.recs = append(m.recs, r)
	}
	return nil
}

// Snapshot returns the table's records as of now. The caller releases
// them.
func (m *Memory) Snapshot() []arrow.Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]arrow.Record, len(m.recs))
	for i, r := range m.recs {
		r.Retain()
		out[i] = r
	}
	return out
}

// Release frees the table's rows.
func (m *Memory) Release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.recs {
		r.Release()
	}
	m.recs = nil
}

func (m *Memory) String() string { return "MemorySink" }
