package engine_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
)

const crashEnv = "GOSTREAM_CRASH_CHILD"

// TestCrashChild is the child process of TestCrashRecovery: it runs the
// file-to-file query with Trigger.AvailableNow until every input file is
// processed, unless it is killed first.
func TestCrashChild(t *testing.T) {
	args := crashChildArgs(t, crashEnv)
	in, out, cp := args[0], args[1], args[2]
	s := engine.NewSession()
	q, err := s.ReadStream().Schema("id INT, payload STRING").Option("maxFilesPerTrigger", 1).Csv(in).
		WithColumn("twice", "id").
		WriteStream().Format("csv").Option("checkpointLocation", cp).Trigger(engine.AvailableNow()).Start(out)
	runToEnd(t, q, err)
}

// TestCrashRecovery kills a file-source-to-file-sink query with SIGKILL at
// random moments, restarts it each time, and checks that every input row
// appears exactly once in the sink's committed output.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	in, out, cp := t.TempDir(), t.TempDir(), t.TempDir()
	const files, rowsPerFile = 30, 200
	for f := 0; f < files; f++ {
		var b strings.Builder
		for r := 0; r < rowsPerFile; r++ {
			fmt.Fprintf(&b, "%d,%s\n", f*rowsPerFile+r, strings.Repeat("x", 100))
		}
		writeFile(t, in, fmt.Sprintf("part-%03d.csv", f), b.String())
	}
	kills := killAndRestart(t, crashChild{test: "TestCrashChild", env: crashEnv, args: []string{in, out, cp},
		kills: 8, delay: 150 * time.Millisecond, jitter: 400 * time.Millisecond})
	t.Logf("killed the query %d times", kills)

	s := engine.NewSession()
	df := s.Read().Schema("id INT, payload STRING, twice INT").Csv(out)
	rows, err := df.Collect()
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[int32]int, files*rowsPerFile)
	for _, r := range rows {
		seen[r.At(0).(int32)]++
	}
	for id := int32(0); id < files*rowsPerFile; id++ {
		if seen[id] != 1 {
			t.Fatalf("row %d appears %d times in the committed output (%d rows in all), want exactly once", id, seen[id], len(rows))
		}
	}
	if len(rows) != files*rowsPerFile {
		t.Errorf("committed rows = %d, want %d", len(rows), files*rowsPerFile)
	}
	parts, _ := filepath.Glob(filepath.Join(out, "part-*"))
	t.Logf("%d part files, %d rows", len(parts), len(rows))
}
