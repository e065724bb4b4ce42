package engine

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// MemoryTableTail returns the records holding the last n rows of the
// memory sink table name, retained for the caller, and the number of rows
// before them. It reads the sink without running a query, so a notebook
// can show the end of a long table as often as it likes.
func (s *Session) MemoryTableTail(name string, n int64) ([]arrow.Record, int64, error) {
	s.mu.Lock()
	m, ok := s.sinks[strings.ToLower(name)]
	s.mu.Unlock()
	if !ok {
		return nil, 0, fmt.Errorf("no memory sink table %q: a memory sink's table is named by the query's QueryName", name)
	}
	recs, before := m.Tail(n)
	return recs, before, nil
}

// MemoryTableHead returns the records holding the first n rows of the
// memory sink table name, retained for the caller, and the number of rows
// after them.
func (s *Session) MemoryTableHead(name string, n int64) ([]arrow.Record, int64, error) {
	s.mu.Lock()
	m, ok := s.sinks[strings.ToLower(name)]
	s.mu.Unlock()
	if !ok {
		return nil, 0, fmt.Errorf("no memory sink table %q: a memory sink's table is named by the query's QueryName", name)
	}
	recs, after := m.Head(n)
	return recs, after, nil
}
