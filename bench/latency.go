package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/gostream/gostream/engine"
)

const (
	latencyWarmup = 200
	latencyRuns   = 2000
)

// measureLatency adds one row at a time to a memory stream and times how
// long it takes to reach the sink of a query reading it (foreachBatch
// with the default trigger, which the memory stream wakes at once). With
// checkpoint, the query writes its offset and commit logs to disk.
func measureLatency(checkpoint bool) (p50, p99 time.Duration, err error) {
	s := engine.NewSession()
	defer s.Close()
	in := s.MemoryStream("id BIGINT, v STRING")
	arrived := make(chan time.Time, 1)
	w := in.ToDF().Select("id", "v").WriteStream().ForeachBatch(func(df *engine.DataFrame, _ int64) error {
		arrived <- time.Now()
		return nil
	})
	if checkpoint {
		dir, err := os.MkdirTemp("", "gostream-bench-latency-")
		if err != nil {
			return 0, 0, err
		}
		defer os.RemoveAll(dir)
		w = w.Option("checkpointLocation", dir)
	}
	q, err := w.Start()
	if err != nil {
		return 0, 0, err
	}
	defer q.Stop()
	var lat []time.Duration
	for i := 0; i < latencyWarmup+latencyRuns; i++ {
		start := time.Now()
		if err := in.AddRows([]any{int64(i), "x"}); err != nil {
			return 0, 0, err
		}
		select {
		case t := <-arrived:
			if i >= latencyWarmup {
				lat = append(lat, t.Sub(start))
			}
		case <-time.After(10 * time.Second):
			return 0, 0, fmt.Errorf("row %d did not reach the sink in 10 s (query: %v)", i, q.Exception())
		}
	}
	if err := q.ProcessAllAvailable(context.Background()); err != nil {
		return 0, 0, err
	}
	if p := q.LastProgress(); p == nil || p.BatchID < latencyWarmup+latencyRuns-1 {
		return 0, 0, fmt.Errorf("%d rows went through fewer micro-batches (%v): the measure needs one batch per row", latencyWarmup+latencyRuns, p)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat[len(lat)/2], lat[len(lat)*99/100], nil
}

func runLatency(r *report, cores []int) error {
	for _, checkpoint := range []bool{false, true} {
		name := "1-row micro-batch, memory source to sink"
		if checkpoint {
			name += ", with checkpoint (fsync)"
		}
		for _, c := range cores {
			progress("latency (checkpoint %v) on %d core(s)", checkpoint, c)
			var p50, p99 time.Duration
			err := profiled(fmt.Sprintf("latency-checkpoint-%v", checkpoint), c, func() (err error) {
				p50, p99, err = measureLatency(checkpoint)
				return err
			})
			if err != nil {
				return err
			}
			ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
			r.add(result{area: "Latency", measure: name + " (p50)", cores: c, value: ms(p50), unit: "ms",
				anchor: "Spark ~100 ms", ratio: ratio(ms(p50), 100)})
			res := result{area: "Latency", measure: name + " (p99)", cores: c, value: ms(p99), unit: "ms",
				anchor: "Spark ~100 ms", ratio: ratio(ms(p99), 100)}
			if !checkpoint {
				res.target, res.met = "< 5 ms", boolp(ms(p99) < 5)
			}
			r.add(res)
		}
	}
	r.note(fmt.Sprintf("Latency: %d rows added one at a time (after %d warm-up rows) to a MemoryStream; "+
		"each is timed from AddRows until the foreachBatch sink receives its micro-batch. "+
		"Spark's anchor is its micro-batch floor (~100 ms).", latencyRuns, latencyWarmup))
	return nil
}
