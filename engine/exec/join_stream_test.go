package exec

import (
	"context"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

var (
	sjLeft = arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "lt", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
	}, nil)
	sjRight = arrow.NewSchema([]arrow.Field{
		{Name: "rk", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "rt", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
	}, nil)
)

// streamJoinConfig joins on k = rk; each side's rows leave once the
// watermark passes their time (a state key watermark on its time column).
func streamJoinConfig(t *testing.T, typ JoinType, root string) StreamJoinConfig {
	pair := arrow.NewSchema(append(append([]arrow.Field(nil), sjLeft.Fields()...), sjRight.Fields()...), nil)
	cfg := StreamJoinConfig{JoinConfig: JoinConfig{Type: typ, Left: sjLeft, Right: sjRight, Pair: pair,
		LeftKeys: []expr.Bound{bind(t, col("k"), sjLeft)}, RightKeys: []expr.Bound{bind(t, col("rk"), sjRight)},
		NullSafe: []bool{false}}}
	byTime := func(wm time.Time) (int64, bool) { return wm.UnixMicro(), true }
	cfg.Sides[0] = StreamJoinSide{LateColumn: 1, Evict: StateEviction{Threshold: byTime, KeyOrdinal: -1, Column: 1}}
	cfg.Sides[1] = StreamJoinSide{LateColumn: 1, Evict: StateEviction{Threshold: byTime, KeyOrdinal: -1, Column: 1}}
	cfg.State = StateConfig{Root: root}
	return cfg
}

// sjEpoch runs one batch of the join with the given rows and watermark
// (seconds) and returns the output rows, sorted.
func sjEpoch(t *testing.T, ctx context.Context, j *StreamJoin, out *Collector, id int64, wm, lateWm int64, left, right [][]any) string {
	t.Helper()
	if err := j.BeginBatch(ctx, Batch{ID: id, LateWatermark: time.Unix(lateWm, 0)}); err != nil {
		t.Fatal(err)
	}
	mem := expr.AllocatorFrom(ctx)
	for side, rows := range [][][]any{left, right} {
		port := [2]Operator{j.Left(), j.Right()}[side]
		if err := port.Watermark(ctx, time.Unix(wm, 0)); err != nil {
			t.Fatal(err)
		}
		if len(rows) > 0 {
			rec, err := BuildRecord(mem, [2]*arrow.Schema{sjLeft, sjRight}[side], rows)
			if err != nil {
				t.Fatal(err)
			}
			err = port.Process(ctx, rec)
			rec.Release()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, port := range []Operator{j.Left(), j.Right()} {
		if err := port.Finish(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	recs, _ := out.Take()
	defer Release(recs)
	return sortedRows(recs)
}

func ts(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

func TestStreamJoin(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := expr.WithAllocator(context.Background(), mem)
	root := t.TempDir()
	out := NewCollector()
	j, err := NewStreamJoin(streamJoinConfig(t, JoinLeftOuter, root), out)
	if err != nil {
		t.Fatal(err)
	}
	// batch 0: left 1@10 and 2@11, right 1@12: the pair comes out at once
	got := sjEpoch(t, ctx, j, out, 0, 0, 0, [][]any{{1, ts(10)}, {2, ts(11)}}, [][]any{{1, ts(12)}})
	if want := "1 1970-01-01 00:00:10 +0000 UTC 1 1970-01-01 00:00:12 +0000 UTC"; got != want {
		t.Errorf("batch 0:\n%s\nwant\n%s", got, want)
	}
	if p := j.StateProgress(); p.NumRowsTotal != 3 || p.NumRowsUpdated != 3 {
		t.Errorf("batch 0 progress = %+v, want 3 rows total and updated", p)
	}
	if !j.NeedsNoDataBatch(ts(11)) || j.NeedsNoDataBatch(ts(9)) {
		t.Errorf("NeedsNoDataBatch: want a batch for watermark 11, none for 9")
	}
	j.Close()

	// a new operator restores both sides from the checkpointed state; the
	// watermark 11 evicts left 1 (matched) and 2 (unmatched: null row)
	j, err = NewStreamJoin(streamJoinConfig(t, JoinLeftOuter, root), out)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	got = sjEpoch(t, ctx, j, out, 1, 11, 0, nil, [][]any{{9, ts(5)}})
	if want := "2 1970-01-01 00:00:11 +0000 UTC <nil> <nil>"; got != want {
		t.Errorf("batch 1:\n%s\nwant\n%s", got, want)
	}
	if p := j.StateProgress(); p.NumRowsTotal != 1 || p.NumRowsRemoved != 2 || p.NumRowsUpdated != 0 {
		t.Errorf("batch 1 progress = %+v, want right 1@12 left, 2 removed, none added (9@5 is below the watermark)", p)
	}
	// batch 2: late rows (at or before the previous watermark) are dropped
	got = sjEpoch(t, ctx, j, out, 2, 11, 11, [][]any{{1, ts(11)}, {1, ts(13)}}, nil)
	if want := "1 1970-01-01 00:00:13 +0000 UTC 1 1970-01-01 00:00:12 +0000 UTC"; got != want {
		t.Errorf("batch 2:\n%s\nwant\n%s", got, want)
	}
	if p := j.StateProgress(); p.NumRowsDroppedByWatermark != 1 || p.NumRowsTotal != 2 {
		t.Errorf("batch 2 progress = %+v, want 1 dropped, 2 rows", p)
	}
}
