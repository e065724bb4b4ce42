package format

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// micros builds the expected instant from a civil UTC time.
func micros(y, mo, d, h, mi, s, us int) int64 {
	return time.Date(y, time.Month(mo), d, h, mi, s, us*1000, time.UTC).UnixMicro()
}

// checkedMem returns an allocator that fails the test if anything it
// allocated is still held when the test ends.
func checkedMem(t *testing.T) *memory.CheckedAllocator {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// rowStrings renders each row of rec as "{v1, v2, ...}" with Spark's
// cast-to-string rules.
func rowStrings(rec arrow.Record) []string {
	out := make([]string, rec.NumRows())
	for r := range out {
		cells := make([]string, rec.NumCols())
		for c, col := range rec.Columns() {
			cells[c] = FormatValue(col, r)
		}
		out[r] = "{" + strings.Join(cells, ", ") + "}"
	}
	return out
}

func schemaOf(fields ...arrow.Field) *arrow.Schema {
	for i := range fields {
		fields[i].Nullable = true
	}
	return arrow.NewSchema(fields, nil)
}

func field(name string, t arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: true}
}

var (
	tsType   = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	strType  = arrow.BinaryTypes.String
	i64Type  = arrow.PrimitiveTypes.Int64
	i32Type  = arrow.PrimitiveTypes.Int32
	f64Type  = arrow.PrimitiveTypes.Float64
	boolType = arrow.FixedWidthTypes.Boolean
	dateType = arrow.FixedWidthTypes.Date32
)

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
