package exec

import (
	"time"

	"github.com/apache/arrow/go/v15/arrow"
)

// twoInputs is what a two-input operator (HashJoin, StreamJoin) keeps of
// an epoch until both inputs have finished it: each side's records, and
// the watermarks and finishes seen so far.
type twoInputs struct {
	inputs [2][]arrow.Record
	marks  int
	wm     time.Time
	done   int
	err    error
}

// add buffers rec (retained) for side.
func (t *twoInputs) add(side int, rec arrow.Record) {
	rec.Retain()
	t.inputs[side] = append(t.inputs[side], rec)
}

// watermark records one side's watermark; once both sides have given
// theirs, ok is true and wm is the earlier of the two.
func (t *twoInputs) watermark(w time.Time) (wm time.Time, ok bool) {
	if t.marks == 0 || w.Before(t.wm) {
		t.wm = w
	}
	if t.marks++; t.marks < 2 {
		return time.Time{}, false
	}
	t.marks = 0
	return t.wm, true
}

// finish records one side's finish; once both sides have finished, last
// is true and err is the first error either side gave.
func (t *twoInputs) finish(err error) (last bool, first error) {
	if err != nil && t.err == nil {
		t.err = err
	}
	if t.done++; t.done < 2 {
		return false, nil
	}
	return true, t.err
}

// reset releases the buffered records and starts the next epoch.
func (t *twoInputs) reset() {
	for i := range t.inputs {
		Release(t.inputs[i])
		t.inputs[i] = nil
	}
	t.done, t.err, t.marks = 0, nil, 0
}
