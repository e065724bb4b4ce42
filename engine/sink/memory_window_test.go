package sink

import (
	"context"
	"reflect"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func TestMemoryHeadAndTail(t *testing.T) {
	m := NewMemory(schema, false)
	defer m.Release()
	for i, vals := range [][]int64{{1, 2}, {3}, {}, {4, 5, 6}} {
		r := rec(vals...)
		if err := m.AddBatch(context.Background(), int64(i), []arrow.Record{r}); err != nil {
			t.Fatal(err)
		}
		r.Release()
	}
	tests := []struct {
		name     string
		tail     bool
		n        int64
		wantRows []int64 // rows of the records returned
		wantLeft int64   // rows before (tail) or after (head) them
	}{
		{"tail within the last record", true, 2, []int64{4, 5, 6}, 3},
		{"tail across records", true, 4, []int64{3, 4, 5, 6}, 2},
		{"tail of everything", true, 10, []int64{1, 2, 3, 4, 5, 6}, 0},
		{"tail of nothing", true, 0, nil, 6},
		{"head within the first record", false, 1, []int64{1, 2}, 4},
		{"head across records", false, 3, []int64{1, 2, 3}, 3},
		{"head of everything", false, 10, []int64{1, 2, 3, 4, 5, 6}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var recs []arrow.Record
			var left int64
			if tc.tail {
				recs, left = m.Tail(tc.n)
			} else {
				recs, left = m.Head(tc.n)
			}
			defer func() {
				for _, r := range recs {
					r.Release()
				}
			}()
			if got := rows(recs); !reflect.DeepEqual(got, tc.wantRows) || left != tc.wantLeft {
				t.Errorf("got rows %v and %d left out, want %v and %d", got, left, tc.wantRows, tc.wantLeft)
			}
		})
	}
}
