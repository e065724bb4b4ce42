package engine

import (
	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/format"
)

// showString renders up to n rows of recs in Spark's show layout.
func showString(schema *arrow.Schema, recs []arrow.Record, n, truncate int, vertical bool) string {
	return format.Formatter{}.ShowRecords(schema, recs, n, truncate, vertical)
}
