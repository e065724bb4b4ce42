package engine_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

const crashStateEnv = "GOSTREAM_CRASH_STATE_CHILD"

// TestCrashStateChild is the child process of TestCrashStatefulRecovery:
// a windowed aggregation with a watermark from CSV files to CSV files in
// append mode, run with Trigger.AvailableNow until every file is read and
// every closable window written, unless it is killed first.
func TestCrashStateChild(t *testing.T) {
	args := crashChildArgs(t, crashStateEnv)
	in, out, cp := args[0], args[1], args[2]
	s := engine.NewSession()
	q, err := s.ReadStream().Schema("id BIGINT, sec BIGINT").Option("maxFilesPerTrigger", 1).Csv(in).
		WithColumn("ts", F.Col("sec").Cast("timestamp")).
		WithWatermark("ts", "5 seconds").
		GroupBy(F.Window(F.Col("ts"), "10 seconds")).
		Agg(F.Count("*").Alias("n"), F.Sum("id").Alias("total")).
		Select(F.Col("window.start").Cast("bigint").Alias("start"), F.Col("n"), F.Col("total")).
		WriteStream().Format("csv").Option("checkpointLocation", cp).Trigger(engine.AvailableNow()).Start(out)
	runToEnd(t, q, err)
}

// TestCrashStatefulRecovery kills a stateful query (window aggregation,
// state store, file sink) with SIGKILL at random moments, restarts it from
// its checkpoint each time, and checks that every window is written
// exactly once with the count and sum of all its rows: no row lost, none
// counted twice.
func TestCrashStatefulRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	in, out, cp := t.TempDir(), t.TempDir(), t.TempDir()
	const files, rowsPerFile = 100, 200
	// file f holds ids f*200 ... f*200+199 at seconds 10f ... 10f+9, so
	// window [10f, 10f+10) is exactly file f; a last file far ahead moves
	// the watermark past them all.
	wantTotal := map[int64]int64{}
	for f := 0; f < files; f++ {
		var b strings.Builder
		for r := 0; r < rowsPerFile; r++ {
			id := int64(f*rowsPerFile + r)
			sec := int64(10*f + r%10)
			fmt.Fprintf(&b, "%d,%d\n", id, sec)
			wantTotal[int64(10*f)] += id
		}
		writeFile(t, in, fmt.Sprintf("part-%03d.csv", f), b.String())
		time.Sleep(time.Millisecond) // distinct modification times keep the file order
	}
	writeFile(t, in, "part-999.csv", "999999,100000\n")

	kills := killAndRestart(t, crashChild{test: "TestCrashStateChild", env: crashStateEnv, args: []string{in, out, cp},
		kills: 8, delay: 40 * time.Millisecond, jitter: 300 * time.Millisecond})
	t.Logf("killed the query %d times", kills)

	s := engine.NewSession()
	rows, err := s.Read().Schema("start BIGINT, n BIGINT, total BIGINT").Csv(out).Collect()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for _, r := range rows {
		start, n, total := r.At(0).(int64), r.At(1).(int64), r.At(2).(int64)
		seen[start]++
		want, ok := wantTotal[start]
		if !ok {
			t.Errorf("window %d should not be written", start)
			continue
		}
		if n != rowsPerFile || total != want {
			t.Errorf("window %d: got count %d, sum %d; want %d, %d", start, n, total, rowsPerFile, want)
		}
	}
	for start := range wantTotal {
		if seen[start] != 1 {
			t.Errorf("window %d written %d times, want exactly once", start, seen[start])
		}
	}
	if len(rows) != files {
		t.Errorf("%d windows written, want %d", len(rows), files)
	}
}
