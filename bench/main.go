// Command bench measures gostream side by side with the figures it is
// compared against: the Nexmark queries (events/s), the tutorial workload
// (nested JSON files flattened, windowed with a watermark and written as
// Parquet: rows/s and MB/s), micro-batch latency (p50/p99 from a memory
// source to the sink), in-memory tumbling-window aggregation against
// DuckDB on the same data, and the kernel against ipykernel
// (tests/bench_kernel.py). Every engine measure runs on one core
// (GOMAXPROCS=1) and on all cores.
//
// Usage:
//
//	go run . [flags] all|nexmark|tutorial|latency|agg|kernel ...
//
// It prints a Markdown report: the machine, the command, and one table of
// figures with their targets, anchors and ratios. The DuckDB comparison
// needs the duckdb build tag (cgo and DuckDB's prebuilt library): `make
// bench` sets it; without it the comparison is reported as skipped.
//
// This is a separate module so that the kernel module stays pure Go.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

var (
	flagCores   = flag.String("cores", "1,all", "core counts to run the engine measures on: a list of numbers and \"all\"")
	flagSeconds = flag.Float64("seconds", 3, "target duration of one measured run")
	flagProfile = flag.String("cpuprofile", "", "directory to write a CPU profile of every measured run into")
	flagOut     = flag.String("out", "", "also write the report to this file")
	flagQueries = flag.String("queries", "q0,q1,q2,q3,q4,q5,q7,q8", "Nexmark queries to run")
	flagKernel  = flag.String("kernel-args", "--starts 10 --runs 300", "arguments of tests/bench_kernel.py")
)

func usage() {
	fmt.Fprintf(flag.CommandLine.Output(), "usage: go run . [flags] all|nexmark|tutorial|latency|agg|kernel ...\n\nflags:\n")
	flag.PrintDefaults()
}

func main() {
	flag.Usage = usage
	flag.Parse()
	what := flag.Args()
	if len(what) == 0 {
		usage()
		os.Exit(2)
	}
	cores, err := parseCores(*flagCores)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	all := map[string]func(*report, []int) error{
		"nexmark":  runNexmark,
		"tutorial": runTutorial,
		"latency":  runLatency,
		"agg":      runAgg,
		"kernel":   runKernel,
	}
	order := []string{"nexmark", "tutorial", "latency", "agg", "kernel"}
	var run []string
	for _, w := range what {
		switch {
		case w == "all":
			run = append(run, order...)
		case all[w] != nil:
			run = append(run, w)
		default:
			fmt.Fprintf(os.Stderr, "bench: unknown benchmark %q\n", w)
			usage()
			os.Exit(2)
		}
	}
	r := newReport(strings.Join(os.Args[1:], " "))
	start := time.Now()
	failed := false
	for _, w := range run {
		progress("== %s", w)
		if err := all[w](r, cores); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s: %v\n", w, err)
			r.note(fmt.Sprintf("%s failed: %v", w, err))
			failed = true
		}
	}
	runtime.GOMAXPROCS(runtime.NumCPU())
	r.elapsed = time.Since(start)
	text := r.String()
	fmt.Print(text)
	if *flagOut != "" {
		if err := os.WriteFile(*flagOut, []byte(text), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

// parseCores reads the -cores list.
func parseCores(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "all" {
			out = append(out, runtime.NumCPU())
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-cores: %q is not a core count or \"all\"", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// progress prints a line to stderr while the benchmarks run.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
