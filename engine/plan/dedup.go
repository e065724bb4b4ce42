package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Deduplicate keeps the first row of each distinct value of the Keys
// columns (dropDuplicates; every column when Keys is empty, as distinct).
// A stream keeps the keys it has seen in state: for ever, unless a key
// column carries a watermark, whose rows then leave the state once the
// watermark passes them.
//
// With WithinWatermark (dropDuplicatesWithinWatermark), the keys need not
// include the event time: each key is remembered until the watermark
// passes its first row's event time plus the watermark delay.
type Deduplicate struct {
	Child           Node
	Keys            []string
	WithinWatermark bool
	// KeyIndices are the key columns' positions in the child's schema, set
	// by the analyzer. A name that several columns share selects them all.
	KeyIndices []int
}

func (d *Deduplicate) Schema() *arrow.Schema {
	if d.KeyIndices == nil {
		return nil
	}
	return d.Child.Schema()
}
func (d *Deduplicate) Resolved() bool   { return d.KeyIndices != nil }
func (d *Deduplicate) Children() []Node { return []Node{d.Child} }
func (d *Deduplicate) WithChildren(c ...Node) Node {
	checkArity(d, c, 1)
	cp := *d
	cp.Child = c[0]
	cp.KeyIndices = nil
	return &cp
}

func (d *Deduplicate) String() string {
	name := "Deduplicate"
	if d.WithinWatermark {
		name = "DeduplicateWithinWatermark"
	}
	if d.KeyIndices == nil {
		return fmt.Sprintf("%s [%s]", name, strings.Join(d.Keys, ", "))
	}
	names := make([]string, len(d.KeyIndices))
	for i, k := range d.KeyIndices {
		names[i] = d.Child.Schema().Field(k).Name
	}
	return fmt.Sprintf("%s [%s]", name, strings.Join(names, ", "))
}

// EventTimeKey returns the position, among KeyIndices, of the first key
// column that carries a watermark, or -1.
func (d *Deduplicate) EventTimeKey() int {
	s := d.Child.Schema()
	for i, k := range d.KeyIndices {
		if s.Field(k).HasMetadata() && s.Field(k).Metadata.FindKey(WatermarkDelayKey) >= 0 {
			return i
		}
	}
	return -1
}

// EventTimeColumn returns the position of the child's first column that
// carries a watermark, or -1.
func EventTimeColumn(s *arrow.Schema) int {
	for i, f := range s.Fields() {
		if f.HasMetadata() && f.Metadata.FindKey(WatermarkDelayKey) >= 0 {
			return i
		}
	}
	return -1
}
