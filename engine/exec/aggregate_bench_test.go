package exec

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// aggSink ends a pipeline, counting rows.
type aggSink struct{ rows int64 }

func (d *aggSink) Process(_ context.Context, rec arrow.Record) error {
	d.rows += rec.NumRows()
	return nil
}
func (d *aggSink) Watermark(context.Context, time.Time) error { return nil }
func (d *aggSink) Finish(context.Context, error) error        { return nil }

var benchSchema = arrow.NewSchema([]arrow.Field{
	{Name: "ts", Type: arrow.FixedWidthTypes.Timestamp_us},
	{Name: "key", Type: arrow.PrimitiveTypes.Int64},
	{Name: "v", Type: arrow.PrimitiveTypes.Float64},
}, nil)

// benchRecords makes n records of size rows each: event time advancing
// evenly over span starting at start (microseconds), keys cycling over
// keys.
func benchRecords(n, size, keys int, start, span int64) []arrow.Record {
	mem := memory.DefaultAllocator
	recs := make([]arrow.Record, n)
	total := int64(n * size)
	for r := range recs {
		tb := array.NewTimestampBuilder(mem, arrow.FixedWidthTypes.Timestamp_us.(*arrow.TimestampType))
		kb := array.NewInt64Builder(mem)
		vb := array.NewFloat64Builder(mem)
		for i := 0; i < size; i++ {
			k := int64(r*size + i)
			tb.Append(arrow.Timestamp(start + k*span/total))
			kb.Append(k % int64(keys))
			vb.Append(float64(k % 1000))
		}
		recs[r] = array.NewRecord(benchSchema, []arrow.Array{tb.NewArray(), kb.NewArray(), vb.NewArray()}, int64(size))
	}
	return recs
}

func benchCol(name string) expr.Bound {
	b, err := expr.Bind(&expr.ColumnRef{Parts: []string{name}}, benchSchema)
	if err != nil {
		panic(err)
	}
	return b
}

// windowAggregate is groupBy(window(ts, ...), key).agg(count, sum(v),
// avg(v)), streaming in append mode with state in memory.
func windowAggregate(b testing.TB, spec expr.WindowSpec, out Operator) *Aggregate {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "window", Type: expr.WindowType},
		{Name: "key", Type: arrow.PrimitiveTypes.Int64},
		{Name: "count", Type: arrow.PrimitiveTypes.Int64},
		{Name: "sum", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "avg", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	a, err := NewAggregate(AggregateConfig{
		Keys: []KeySpec{{Time: benchCol("ts"), Window: &spec}, {Expr: benchCol("key")}},
		Funcs: []AggFunc{
			{Name: "count"},
			{Name: "sum", Args: []expr.Bound{benchCol("v")}, Out: arrow.PrimitiveTypes.Float64},
			{Name: "avg", Args: []expr.Bound{benchCol("v")}, Out: arrow.PrimitiveTypes.Float64},
		},
		Schema: schema, Streaming: true, Mode: EmitAppend, EventTimeKey: 0,
	}, out)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// runEpochs pushes epochs of recs through a, one per second of event
// time, with the watermark delay behind the latest event time, and
// reports rows per second.
func runEpochs(b *testing.B, a *Aggregate, recs func(epoch int) []arrow.Record, rowsPerEpoch int, delay time.Duration) {
	ctx := context.Background()
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		epoch := recs(i)
		b.StartTimer()
		c0 := cpuTime()
		if err := a.BeginBatch(ctx, Batch{ID: int64(i), LateWatermark: time.UnixMicro(int64(i-1)*1e6 - delay.Microseconds())}); err != nil {
			b.Fatal(err)
		}
		if err := a.Watermark(ctx, time.UnixMicro(int64(i)*1e6-delay.Microseconds())); err != nil {
			b.Fatal(err)
		}
		for _, r := range epoch {
			if err := a.Process(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
		if err := a.Finish(ctx, nil); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
		b.StopTimer()
		Release(epoch)
	}
	b.ReportMetric(float64(b.N*rowsPerEpoch)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(b.N*rowsPerEpoch)/cpu.Seconds(), "rows/cpu-s")
}

// cpuTime is the CPU time the process has used (user and system): with
// GOMAXPROCS=1 (-cpu 1) the throughput per CPU second is the single-core
// figure even when other processes share the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkTumblingWindow is a 10-second tumbling-window count, sum and
// avg over 100 keys: each iteration is one second of event time, 1 M rows
// in 16 records.
func BenchmarkTumblingWindow(b *testing.B) {
	const rows, size = 1 << 20, 1 << 16
	a := windowAggregate(b, expr.WindowSpec{Window: 10e6, Slide: 10e6}, &aggSink{})
	runEpochs(b, a, func(i int) []arrow.Record {
		return benchRecords(rows/size, size, 100, int64(i)*1e6, 1e6)
	}, rows, 10*time.Second)
}

// BenchmarkSlidingWindow is 10-minute windows sliding by 1 minute (ten
// windows per row), same aggregates and keys.
func BenchmarkSlidingWindow(b *testing.B) {
	const rows, size = 1 << 20, 1 << 16
	a := windowAggregate(b, expr.WindowSpec{Window: 600e6, Slide: 60e6}, &aggSink{})
	runEpochs(b, a, func(i int) []arrow.Record {
		return benchRecords(rows/size, size, 100, int64(i)*1e6, 1e6)
	}, rows, 10*time.Second)
}

// BenchmarkBatchGroupBy is a batch groupBy over keys of several
// cardinalities.
func BenchmarkBatchGroupBy(b *testing.B) {
	for _, keys := range []int{100, 10000, 1000000} {
		b.Run(fmt.Sprintf("keys=%d", keys), func(b *testing.B) {
			const rows, size = 1 << 20, 1 << 16
			recs := benchRecords(rows/size, size, keys, 0, 1e6)
			defer Release(recs)
			schema := arrow.NewSchema([]arrow.Field{
				{Name: "key", Type: arrow.PrimitiveTypes.Int64},
				{Name: "count", Type: arrow.PrimitiveTypes.Int64},
				{Name: "sum", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
			}, nil)
			out := &aggSink{}
			a, err := NewAggregate(AggregateConfig{
				Keys:   []KeySpec{{Expr: benchCol("key")}},
				Funcs:  []AggFunc{{Name: "count"}, {Name: "sum", Args: []expr.Bound{benchCol("v")}, Out: arrow.PrimitiveTypes.Float64}},
				Schema: schema, EventTimeKey: -1,
			}, out)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ResetTimer()
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				for _, r := range recs {
					if err := a.Process(ctx, r); err != nil {
						b.Fatal(err)
					}
				}
				if err := a.Finish(ctx, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(b.N*rows)/(cpuTime()-c0).Seconds(), "rows/cpu-s")
		})
	}
}

// epochRecords makes one epoch of rows records of size rows: event times
// spread evenly over [start, start+span) microseconds; the key and value
// columns are shared across epochs (keys cycle over 100 values).
type epochMaker struct {
	keys, vals []arrow.Array
	size       int
}

func newEpochMaker(rows, size int) *epochMaker {
	m := &epochMaker{size: size}
	mem := memory.DefaultAllocator
	for r := 0; r < rows/size; r++ {
		kb, vb := array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
		for i := 0; i < size; i++ {
			k := int64(r*size + i)
			kb.Append(k % 100)
			vb.Append(float64(k % 1000))
		}
		m.keys, m.vals = append(m.keys, kb.NewArray()), append(m.vals, vb.NewArray())
	}
	return m
}

func (m *epochMaker) epoch(start, span int64) []arrow.Record {
	total := int64(len(m.keys) * m.size)
	recs := make([]arrow.Record, len(m.keys))
	for r := range recs {
		ts := make([]arrow.Timestamp, m.size)
		for i := range ts {
			ts[i] = arrow.Timestamp(start + int64(r*m.size+i)*span/total)
		}
		tsArr := array.NewTimestampData(array.NewData(arrow.FixedWidthTypes.Timestamp_us, m.size,
			[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.TimestampTraits.CastToBytes(ts))}, nil, 0, 0))
		recs[r] = array.NewRecord(benchSchema, []arrow.Array{tsArr, m.keys[r], m.vals[r]}, int64(m.size))
		tsArr.Release()
	}
	return recs
}

// TestStateStaysBounded runs a long event-time stream through a windowed
// aggregation with a watermark (10-second windows, 100 keys, a 10-second
// watermark delay, one second of event time per batch) and checks that the
// state holds only the windows the watermark has not closed: its size
// stays flat however long the stream runs. With GOSTREAM_STATE_CURVE set
// to a file name it runs an hour of event time at 1 M rows/s and writes
// the state size after every batch to that file (the figures in
// BENCHMARKS.md); otherwise two minutes at 64 K rows/s.
func TestStateStaysBounded(t *testing.T) {
	seconds, rows, size := 120, 1<<16, 1<<14
	curve := os.Getenv("GOSTREAM_STATE_CURVE")
	if curve != "" {
		seconds, rows, size = 3600, 1<<20, 1<<16
	}
	out := &aggSink{}
	a := windowAggregate(t, expr.WindowSpec{Window: 10e6, Slide: 10e6}, out)
	m := newEpochMaker(rows, size)
	ctx := context.Background()
	var lines []string
	var maxTotal, maxMem int64
	var ms runtime.MemStats
	started := time.Now()
	for i := 0; i < seconds; i++ {
		epoch := m.epoch(int64(i)*1e6, 1e6)
		wm := int64(i)*1e6 - 10e6
		if err := a.BeginBatch(ctx, Batch{ID: int64(i), LateWatermark: time.UnixMicro(wm - 1e6)}); err != nil {
			t.Fatal(err)
		}
		if err := a.Watermark(ctx, time.UnixMicro(wm)); err != nil {
			t.Fatal(err)
		}
		for _, r := range epoch {
			if err := a.Process(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Finish(ctx, nil); err != nil {
			t.Fatal(err)
		}
		Release(epoch)
		p := a.StateProgress()
		if i >= 20 {
			maxTotal, maxMem = max(maxTotal, p.NumRowsTotal), max(maxMem, p.MemoryUsedBytes)
		}
		if curve != "" {
			runtime.ReadMemStats(&ms)
			lines = append(lines, fmt.Sprintf("%d\t%d\t%d\t%d\t%d", i, p.NumRowsTotal, p.MemoryUsedBytes, p.NumRowsRemoved, ms.HeapInuse))
		}
	}
	// open windows: the one being filled, and those ending after the
	// watermark (10 s behind): at most 3 windows of 100 keys
	if maxTotal > 300 {
		t.Errorf("state grew to %d groups, want at most 300", maxTotal)
	}
	if maxMem > 300*256 {
		t.Errorf("state memory grew to %d bytes, want at most %d", maxMem, 300*256)
	}
	if want := int64(seconds/10-2) * 100; out.rows < want {
		t.Errorf("%d rows written, want at least %d (every closed window of every key)", out.rows, want)
	}
	if curve != "" {
		elapsed := time.Since(started)
		header := fmt.Sprintf("# %d batches of %d rows in %s (%.1f M rows/s with generation)\n# batch\tnumRowsTotal\tmemoryUsedBytes\tnumRowsRemoved\theapInuse\n",
			seconds, rows, elapsed.Round(time.Second), float64(seconds*rows)/elapsed.Seconds()/1e6)
		if err := os.WriteFile(curve, []byte(header+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
