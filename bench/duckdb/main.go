// Command duckdb is DuckDB's side of the aggregation comparison of the
// bench command: it builds the table the bench command builds in Arrow
// (same formula, row by row), runs the same two aggregations (10-second
// tumbling windows, and a group-by on a key of 100 values) with the given
// number of threads and prints the fastest runs and the results as JSON. It is a module of its own because DuckDB's Go driver
// needs cgo and a prebuilt library; the bench command and the kernel stay
// pure Go.
package main

import (
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// Group is one row of a result: the group key (a window's start in
// microseconds since the epoch, or k), its row count and its sum of v.
type Group struct {
	Key   int64 `json:"key"`
	Count int64 `json:"count"`
	Sum   int64 `json:"sum"`
}

// Result is one query's fastest run and its rows.
type Result struct {
	Seconds float64 `json:"best_seconds"`
	Groups  []Group `json:"groups"`
}

// Output is what the command prints: the tumbling-window aggregation and
// the aggregation grouped by k.
type Output struct {
	Version string `json:"version"`
	Rows    int64  `json:"rows"`
	Threads int    `json:"threads"`
	Window  Result `json:"window"`
	Key     Result `json:"key"`
}

func main() {
	rows := flag.Int64("rows", 1<<24, "rows of the table")
	spanMicros := flag.Int64("span-us", 1_000_000_000, "event-time span of the rows, in microseconds")
	baseMicros := flag.Int64("base-us", 1_714_557_600_000_000, "event time of row 0, in microseconds since the epoch")
	threads := flag.Int("threads", 1, "DuckDB worker threads")
	runs := flag.Int("runs", 5, "timed runs; the fastest is reported")
	flag.Parse()
	out, err := run(*rows, *spanMicros, *baseMicros, *threads, *runs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "duckdb:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "duckdb:", err)
		os.Exit(1)
	}
}

func run(rows, span, base int64, threads, runs int) (*Output, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: SET applies to it
	out := &Output{Rows: rows, Threads: threads}
	if err := db.QueryRow("SELECT version()").Scan(&out.Version); err != nil {
		return nil, err
	}
	if _, err := db.Exec(fmt.Sprintf("SET threads = %d", threads)); err != nil {
		return nil, err
	}
	// Row i: ts = base + i*span/rows microseconds, k = i mod 100,
	// v = i*7919 mod 1009.
	create := fmt.Sprintf(`CREATE TABLE t AS
		SELECT make_timestamp(CAST(%d + (i * %d) // %d AS BIGINT)) AS ts,
			CAST(i %% 100 AS BIGINT) AS k, CAST((i * 7919) %% 1009 AS BIGINT) AS v
		FROM range(%d) r(i)`, base, span, rows, rows)
	if _, err := db.Exec(create); err != nil {
		return nil, err
	}
	// Two spellings of the window: time_bucket, and the same bucket in
	// integer arithmetic; the faster one is reported.
	for _, w := range []string{
		"epoch_us(time_bucket(INTERVAL '10 seconds', ts))",
		"epoch_us(ts) // 10000000 * 10000000",
	} {
		res, err := timed(db, runs, "SELECT "+w+" AS w, count(*), sum(v)::BIGINT FROM t GROUP BY w")
		if err != nil {
			return nil, err
		}
		if out.Window.Seconds == 0 || res.Seconds < out.Window.Seconds {
			out.Window = res
		}
	}
	if out.Key, err = timed(db, runs, `SELECT k, count(*), sum(v)::BIGINT FROM t GROUP BY k`); err != nil {
		return nil, err
	}
	return out, nil
}

// timed runs query once to warm up, then runs times, and returns the
// fastest run with the rows.
func timed(db *sql.DB, runs int, query string) (Result, error) {
	var out Result
	for i := 0; i < runs+1; i++ {
		start := time.Now()
		res, err := db.Query(query)
		if err != nil {
			return out, err
		}
		var groups []Group
		for res.Next() {
			var g Group
			if err := res.Scan(&g.Key, &g.Count, &g.Sum); err != nil {
				res.Close()
				return out, err
			}
			groups = append(groups, g)
		}
		if err := res.Close(); err != nil {
			return out, err
		}
		secs := time.Since(start).Seconds()
		if i > 0 && (out.Seconds == 0 || secs < out.Seconds) {
			out.Seconds = secs
		}
		out.Groups = groups
	}
	return out, nil
}
