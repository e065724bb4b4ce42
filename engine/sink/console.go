package sink

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/source"
)

// Console prints every batch to a writer, as Spark's console sink does: a
// "Batch: N" banner, then the batch as Dataset.show prints it.
type Console struct {
	schema   *arrow.Schema
	numRows  int
	truncate int

	mu sync.Mutex
	w  io.Writer
}

// NewConsole returns a console sink writing to w, with the options
// numRows (default 20) and truncate (default true: cells cut at 20
// characters).
func NewConsole(w io.Writer, schema *arrow.Schema, opts source.Options) (*Console, error) {
	n, err := opts.Int("numRows", 20)
	if err != nil {
		return nil, err
	}
	trunc, err := opts.Bool("truncate", true)
	if err != nil {
		return nil, err
	}
	c := &Console{schema: schema, numRows: int(n), w: w}
	if trunc {
		c.truncate = 20
	}
	return c, nil
}

func (c *Console) AddBatch(_ context.Context, batchID int64, recs []arrow.Record) error {
	out := fmt.Sprintf("-------------------------------------------\nBatch: %d\n-------------------------------------------\n%s\n",
		batchID, format.Formatter{}.ShowRecords(c.schema, recs, c.numRows, c.truncate, false))
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := io.WriteString(c.w, out)
	return err
}

func (c *Console) String() string {
	return fmt.Sprintf("ConsoleSink[numRows=%d, truncate=%t]", c.numRows, c.truncate > 0)
}
