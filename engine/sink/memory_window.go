package sink

import "github.com/apache/arrow/go/v15/arrow"

// Tail returns the records holding the last n rows of the table, retained
// for the caller, and the number of rows before them, without copying the
// table: a live view of a long append-mode table reads only its end.
func (m *Memory) Tail(n int64) (recs []arrow.Record, before int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var total int64
	for _, r := range m.recs {
		total += r.NumRows()
	}
	i, kept := len(m.recs), int64(0)
	for i > 0 && kept < n {
		i--
		kept += m.recs[i].NumRows()
	}
	recs = make([]arrow.Record, 0, len(m.recs)-i)
	for _, r := range m.recs[i:] {
		r.Retain()
		recs = append(recs, r)
	}
	return recs, total - kept
}

// Head returns the records holding the first n rows of the table, retained
// for the caller, and the number of rows after them.
func (m *Memory) Head(n int64) (recs []arrow.Record, after int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var kept, total int64
	for _, r := range m.recs {
		total += r.NumRows()
		if kept < n {
			r.Retain()
			recs = append(recs, r)
			kept += r.NumRows()
		}
	}
	return recs, total - kept
}
