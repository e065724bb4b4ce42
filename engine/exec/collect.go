package exec

import (
	"context"
	"sync"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
)

// Collector ends a pipeline: it keeps the records of the current epoch
// until Take hands them over.
type Collector struct {
	mu   sync.Mutex
	recs []arrow.Record
	rows int64
}

// NewCollector returns an empty Collector.
func NewCollector() *Collector { return &Collector{} }

func (c *Collector) Process(_ context.Context, rec arrow.Record) error {
	if rec.NumRows() == 0 {
		return nil
	}
	rec.Retain()
	c.mu.Lock()
	c.recs = append(c.recs, rec)
	c.rows += rec.NumRows()
	c.mu.Unlock()
	return nil
}

func (c *Collector) Watermark(context.Context, time.Time) error { return nil }

// Finish drops the epoch's records when err is not nil.
func (c *Collector) Finish(_ context.Context, err error) error {
	if err != nil {
		c.Reset()
	}
	return nil
}

// Take returns the records collected so far and their row count, and
// empties the collector. The caller releases the records.
func (c *Collector) Take() ([]arrow.Record, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	recs, rows := c.recs, c.rows
	c.recs, c.rows = nil, 0
	return recs, rows
}

// Reset releases every collected record.
func (c *Collector) Reset() {
	recs, _ := c.Take()
	Release(recs)
}

// Release releases every record of recs.
func Release(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

// NumRows is the total row count of recs.
func NumRows(recs []arrow.Record) int64 {
	var n int64
	for _, r := range recs {
		n += r.NumRows()
	}
	return n
}
