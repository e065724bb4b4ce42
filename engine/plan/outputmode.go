package plan

import (
	"fmt"
	"strings"
)

// OutputMode says which rows of the result table a streaming query writes
// to its sink after each micro-batch.
type OutputMode int

const (
	// Append writes only rows that will never change again.
	Append OutputMode = iota
	// Update writes the rows that changed in the batch.
	Update
	// Complete writes the whole result table every batch.
	Complete
)

// ParseOutputMode reads "append", "update" or "complete", ignoring case.
func ParseOutputMode(s string) (OutputMode, error) {
	switch strings.ToLower(s) {
	case "append":
		return Append, nil
	case "update":
		return Update, nil
	case "complete":
		return Complete, nil
	}
	return Append, fmt.Errorf("Unknown output mode %s. Accepted output modes are 'append', 'complete', 'update'", s)
}

// String is the mode's name as Spark prints it: "Append", "Update",
// "Complete".
func (m OutputMode) String() string {
	switch m {
	case Update:
		return "Update"
	case Complete:
		return "Complete"
	}
	return "Append"
}

// Aggregation is implemented by plan nodes that aggregate a stream. The
// output-mode check needs to know whether the aggregation is keyed on an
// event-time column or window that carries a watermark.
type Aggregation interface {
	Node
	// KeyedOnWatermark reports whether a grouping key is an event-time
	// column (or window over one) with a watermark.
	KeyedOnWatermark() bool
}
