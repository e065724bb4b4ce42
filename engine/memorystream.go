package engine

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/source"
)

// MemoryStream is a stream fed from the notebook or a test (Spark's
// MemoryStream): rows added with AddRows, AddRecord or AddJSON reach every
// query reading ToDF(), and wake them at once.
type MemoryStream struct {
	s   *Session
	src *source.Memory
	err error
}

// MemoryStream returns a new, empty stream of the given schema (a DDL
// string, a types.Schema or an *arrow.Schema).
func (s *Session) MemoryStream(schema any) *MemoryStream {
	sc, err := toSchema(schema)
	if err != nil {
		return &MemoryStream{s: s, err: fmt.Errorf("memoryStream: %w", err)}
	}
	return &MemoryStream{s: s, src: source.NewMemory(sc)}
}

// Err returns the error of a stream made with a bad schema.
func (m *MemoryStream) Err() error { return m.err }

// ToDF returns the streaming DataFrame of the stream.
func (m *MemoryStream) ToDF() *DataFrame {
	if m.err != nil {
		return &DataFrame{s: m.s, err: m.err}
	}
	return &DataFrame{s: m.s, plan: &plan.Relation{Source: memoryStream{m.src}, Out: m.src.Schema(), Streaming: true}}
}

// AddRows appends rows of Go values, one per column (see exec.BuildRecord
// for the accepted kinds: int, float64, string, bool, time.Time, nil, ...).
func (m *MemoryStream) AddRows(rows ...[]any) error {
	if m.err != nil {
		return m.err
	}
	rec, err := exec.BuildRecord(m.s.mem, m.src.Schema(), rows)
	if err != nil {
		return fmt.Errorf("addRows: %w", err)
	}
	defer rec.Release()
	return m.src.Add(rec)
}

// AddRecord appends an Arrow record of the stream's schema.
func (m *MemoryStream) AddRecord(rec arrow.Record) error {
	if m.err != nil {
		return m.err
	}
	return m.src.Add(rec)
}

// AddJSON appends rows given as JSON objects, one per line, decoded with
// the stream's schema; a malformed line fails the call (FAILFAST).
func (m *MemoryStream) AddJSON(lines ...string) error {
	if m.err != nil {
		return m.err
	}
	var data []byte
	for _, l := range lines {
		data = append(data, l...)
		data = append(data, '\n')
	}
	rec, _, err := format.DecodeJSON(data, m.src.Schema(), format.JSONOptions{Mode: format.FailFast}, m.s.mem, "addJSON")
	if err != nil {
		return fmt.Errorf("addJSON: %w", err)
	}
	defer rec.Release()
	return m.src.Add(rec)
}

// NumRows is the number of rows added so far.
func (m *MemoryStream) NumRows() int64 {
	if m.err != nil {
		return 0
	}
	return m.src.NumRows()
}
