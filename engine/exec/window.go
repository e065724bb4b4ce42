package exec

import (
	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// floorMod is a mod b with the sign of b, as Java's Math.floorMod.
func floorMod(a, b int64) int64 {
	m := a % b
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return m
}

// assignWindows lists the windows of spec that each row's time ts (a
// timestamp array, microseconds) falls in, as Spark's window() does:
// windows are aligned to the epoch plus spec.Start, a row at t belongs to
// every window with start <= t < start + spec.Window, and a null time
// belongs to none. It returns one window start per output row and the
// input row of each (idx nil when output row j is input row j). The
// slices are reused from starts and idx.
func assignWindows(spec expr.WindowSpec, ts arrow.Array, starts []int64, idx []int32) ([]int64, []int32) {
	vals := values[int64](ts)
	nb := nullBits(ts)
	starts, idx = starts[:0], idx[:0]
	if spec.Tumbling() {
		if nb.bits == nil {
			starts = growSlice(starts, len(vals))
			for i, t := range vals {
				starts[i] = t - floorMod(t-spec.Start, spec.Slide)
			}
			return starts, nil
		}
		for i, t := range vals {
			if nb.null(i) {
				continue
			}
			starts = append(starts, t-floorMod(t-spec.Start, spec.Slide))
			idx = append(idx, int32(i))
		}
		return starts, idx
	}
	for i, t := range vals {
		if nb.null(i) {
			continue
		}
		last := t - floorMod(t-spec.Start, spec.Slide) // the latest start <= t
		for s := last; s > t-spec.Window; s -= spec.Slide {
			starts = append(starts, s)
			idx = append(idx, int32(i))
		}
	}
	return starts, idx
}

// timestampArray checks that a is a timestamp array in microseconds.
func timestampArray(a arrow.Array) bool {
	ts, ok := a.DataType().(*arrow.TimestampType)
	return ok && ts.Unit == arrow.Microsecond
}
