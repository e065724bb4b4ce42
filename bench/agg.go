package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

// The aggregation data: aggRows rows over 1,000 seconds of event time,
// so that 10-second windows make 100 groups. Row i has ts = base +
// i*span/rows microseconds, k = i mod 100 and v = i*7919 mod 1009; the
// DuckDB side (bench/duckdb) builds the same table with the same formula.
const (
	aggRows       = 1 << 24
	aggSpanMicros = 1_000_000_000
	aggBaseMicros = 1_714_557_600_000_000
	aggChunk      = 1 << 16
	aggRuns       = 5
)

// duckDBDir is the directory of the DuckDB program, relative to bench/.
const duckDBDir = "duckdb"

// aggGroup is one row of an aggregation's result.
type aggGroup struct {
	Key   int64 `json:"key"`
	Count int64 `json:"count"`
	Sum   int64 `json:"sum"`
}

// aggResult is one query's fastest run and its rows.
type aggResult struct {
	Seconds float64       `json:"best_seconds"`
	Groups  []aggGroup    `json:"groups"`
	cpu     time.Duration // CPU time of the fastest run (gostream's side)
}

// aggData builds the table as Arrow records of aggChunk rows.
func aggData() []arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "ts", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	var out []arrow.Record
	for lo := int64(0); lo < aggRows; lo += aggChunk {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		ts := b.Field(0).(*array.TimestampBuilder)
		k, v := b.Field(1).(*array.Int64Builder), b.Field(2).(*array.Int64Builder)
		ts.Reserve(aggChunk)
		k.Reserve(aggChunk)
		v.Reserve(aggChunk)
		for i := lo; i < min(lo+aggChunk, aggRows); i++ {
			ts.UnsafeAppend(arrow.Timestamp(aggBaseMicros + i*aggSpanMicros/aggRows))
			k.UnsafeAppend(i % 100)
			v.UnsafeAppend(i * 7919 % 1009)
		}
		out = append(out, b.NewRecord())
		b.Release()
	}
	return out
}

// aggQueries are the two aggregations: by 10-second window and by k.
func aggQueries(s *engine.Session, data []arrow.Record) map[string]*engine.DataFrame {
	in := s.CreateDataFrame(data, nil)
	return map[string]*engine.DataFrame{
		"window": in.GroupBy(F.Window(F.Col("ts"), "10 seconds")).
			Agg(F.Count("*").Alias("n"), F.Sum("v").Alias("s")).
			Select(F.Col("window.start").Cast("bigint").Multiply(1_000_000).Alias("key"), F.Col("n"), F.Col("s")),
		"key": in.GroupBy("k").Agg(F.Count("*").Alias("n"), F.Sum("v").Alias("s")),
	}
}

// gostreamAgg runs df aggRuns times (after a warm-up) as a batch query and
// returns the fastest run and the result.
func gostreamAgg(df *engine.DataFrame) (aggResult, error) {
	var out aggResult
	if err := df.Err(); err != nil {
		return out, err
	}
	for i := 0; i < aggRuns+1; i++ {
		start, cpu := time.Now(), cpuTime()
		recs, err := df.ToArrow()
		if err != nil {
			return out, err
		}
		secs := time.Since(start).Seconds()
		if i > 0 && (out.Seconds == 0 || secs < out.Seconds) {
			out.Seconds, out.cpu = secs, cpuTime()-cpu
		}
		out.Groups = out.Groups[:0]
		for _, r := range recs {
			key, n, sum := r.Column(0).(*array.Int64), r.Column(1).(*array.Int64), r.Column(2).(*array.Int64)
			for j := 0; j < int(r.NumRows()); j++ {
				out.Groups = append(out.Groups, aggGroup{key.Value(j), n.Value(j), sum.Value(j)})
			}
			r.Release()
		}
	}
	return out, nil
}

// duckDBAgg runs the DuckDB program with threads threads.
func duckDBAgg(bin string, threads int) (version string, results map[string]aggResult, err error) {
	cmd := exec.Command(bin, "-rows", strconv.Itoa(aggRows), "-span-us", strconv.Itoa(aggSpanMicros),
		"-base-us", strconv.FormatInt(aggBaseMicros, 10), "-threads", strconv.Itoa(threads), "-runs", strconv.Itoa(aggRuns))
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return "", nil, err
	}
	var out struct {
		Version     string `json:"version"`
		Window, Key aggResult
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return "", nil, fmt.Errorf("reading the DuckDB program's output: %w", err)
	}
	return out.Version, map[string]aggResult{"window": out.Window, "key": out.Key}, nil
}

// sameGroups compares two results whatever their row order.
func sameGroups(a, b []aggGroup) error {
	for _, g := range [][]aggGroup{a, b} {
		sort.Slice(g, func(i, j int) bool { return g[i].Key < g[j].Key })
	}
	if len(a) != len(b) {
		return fmt.Errorf("gostream has %d groups, DuckDB %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Errorf("group %d: gostream %+v, DuckDB %+v", i, a[i], b[i])
		}
	}
	return nil
}

func runAgg(r *report, cores []int) error {
	progress("agg: building the DuckDB program in %s", duckDBDir)
	bin := filepath.Join(os.TempDir(), "gostream-bench-duckdb")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir, build.Stderr = duckDBDir, os.Stderr
	duck := build.Run() == nil
	if !duck {
		r.note("Aggregation: DuckDB skipped: its program (bench/duckdb: cgo and DuckDB's prebuilt library) did not build; the gostream figures stand alone.")
	}
	defer os.Remove(bin)
	data := aggData()
	defer func() {
		for _, rec := range data {
			rec.Release()
		}
	}()
	names := map[string]string{
		"window": "tumbling 10 s windows, count + sum, 100 groups",
		"key":    "group by a BIGINT key, count + sum, 100 groups",
	}
	version := ""
	for _, c := range cores {
		progress("agg on %d core(s)", c)
		s := engine.NewSession()
		ours := map[string]aggResult{}
		for _, q := range []string{"window", "key"} {
			err := profiled("agg-"+q, c, func() (err error) {
				ours[q], err = gostreamAgg(aggQueries(s, data)[q])
				return err
			})
			if err != nil {
				s.Close()
				return err
			}
		}
		s.Close()
		var theirs map[string]aggResult
		if duck {
			var err error
			if version, theirs, err = duckDBAgg(bin, c); err != nil {
				return fmt.Errorf("DuckDB: %w", err)
			}
		}
		for _, q := range []string{"window", "key"} {
			rate := aggRows / ours[q].Seconds
			res := result{area: "Aggregation", measure: names[q] + ", in memory", cores: c, value: rate,
				unit: "rows/s", perCore: true, anchor: "DuckDB group-by ~170 M rows/s/core",
				note: fmt.Sprintf("(%s per CPU-s)", human(aggRows/ours[q].cpu.Seconds(), "rows"))}
			if q == "window" {
				res.target = "within 3x of DuckDB"
			}
			if duck {
				if err := sameGroups(ours[q].Groups, theirs[q].Groups); err != nil {
					return fmt.Errorf("%s: gostream and DuckDB disagree: %w", q, err)
				}
				dRate := aggRows / theirs[q].Seconds
				res.anchor = fmt.Sprintf("DuckDB here: %s", human(dRate, "rows/s"))
				if dRate > rate {
					res.ratio = ratio(dRate, rate) + " slower"
				} else {
					res.ratio = ratio(rate, dRate) + " faster"
				}
				if q == "window" {
					res.met = boolp(dRate/rate <= 3)
				}
			}
			r.add(res)
		}
	}
	note := fmt.Sprintf("Aggregation: %d rows (ts TIMESTAMP, k BIGINT, v BIGINT) over 1,000 s of event time, in Arrow "+
		"records of %d rows, aggregated as batch queries: groupBy(window(ts, '10 seconds')) and groupBy(k), each with "+
		"count(*) and sum(v); fastest of %d runs after a warm-up.", aggRows, aggChunk, aggRuns)
	if duck {
		note += fmt.Sprintf(" DuckDB %s (github.com/duckdb/duckdb-go/v2 v2.10504.0, in memory, SET threads to the "+
			"core count) builds the same table with the same formula and runs the window as the faster of time_bucket(INTERVAL '10 seconds', ts) "+
			"and integer arithmetic on epoch_us(ts), and GROUP BY k; the results are compared group by group.", version)
	}
	r.note(note)
	return nil
}
