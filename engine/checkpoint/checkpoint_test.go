package checkpoint

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs:\n got: %q\nwant: %q", name, got, want)
	}
}

func TestOffsetLogFormat(t *testing.T) {
	dir := t.TempDir()
	o, err := OpenOffsetLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	seq := OffsetSeq{
		BatchWatermarkMs: 1700000000000,
		BatchTimestampMs: 1700000005000,
		Conf:             map[string]string{"spark.sql.shuffle.partitions": "200", "spark.sql.streaming.multipleWatermarkPolicy": "min"},
		Offsets:          []json.RawMessage{json.RawMessage(`{ "logOffset" : 3 }`), nil, json.RawMessage(`{"topic":{"0":42}}`)},
	}
	if ok, err := o.Add(1, seq); !ok || err != nil {
		t.Fatalf("Add = %v, %v", ok, err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "1"))
	golden(t, "offsets_1.golden", data)

	got, ok, err := o.Get(1)
	if err != nil || !ok {
		t.Fatalf("Get = %v, %v", ok, err)
	}
	seq.Offsets[0] = json.RawMessage(`{"logOffset":3}`) // stored compacted
	if !reflect.DeepEqual(got, seq) {
		t.Errorf("Get = %+v; want %+v", got, seq)
	}
}

func TestOffsetLogReadsSparkFile(t *testing.T) {
	dir := t.TempDir()
	spark := "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1617000000000,\"conf\":{\"spark.sql.shuffle.partitions\":\"200\"}}\n{\"logOffset\":0}\n-"
	os.WriteFile(filepath.Join(dir, "0"), []byte(spark), 0o644)
	o, _ := OpenOffsetLog(dir)
	id, got, ok, err := o.Latest()
	if err != nil || !ok || id != 0 {
		t.Fatalf("Latest = %d, %v, %v", id, ok, err)
	}
	want := OffsetSeq{BatchTimestampMs: 1617000000000, Conf: map[string]string{"spark.sql.shuffle.partitions": "200"},
		Offsets: []json.RawMessage{json.RawMessage(`{"logOffset":0}`), nil}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Latest = %+v; want %+v", got, want)
	}
}

func TestOffsetLogErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantErr string
	}{
		{"no metadata line", "v1", "batch metadata line is missing"},
		{"metadata not an object", "v1\n[1]", "bad batch metadata"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "0"), []byte(tc.content), 0o644)
			o, _ := OpenOffsetLog(dir)
			_, _, err := o.Get(0)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Get error = %v; want ErrCorrupt containing %q", err, tc.wantErr)
			}
		})
	}
	o, _ := OpenOffsetLog(t.TempDir())
	if _, err := o.Add(0, OffsetSeq{Offsets: []json.RawMessage{json.RawMessage(`{bad`)}}); err == nil || !strings.Contains(err.Error(), "source 0") {
		t.Errorf("Add with invalid offset JSON: error = %v; want one naming source 0", err)
	}
}

func TestCommitLogFormat(t *testing.T) {
	dir := t.TempDir()
	c, _ := OpenCommitLog(dir)
	if ok, err := c.Add(3, CommitMetadata{NextBatchWatermarkMs: 5000}); !ok || err != nil {
		t.Fatalf("Add = %v, %v", ok, err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "3"))
	golden(t, "commits_3.golden", data)
	id, m, ok, err := c.Latest()
	if err != nil || !ok || id != 3 || m.NextBatchWatermarkMs != 5000 {
		t.Errorf("Latest = %d, %+v, %v, %v; want 3, {5000}", id, m, ok, err)
	}
	// Spark's reader accepts a commit file with only the version line.
	os.WriteFile(filepath.Join(dir, "4"), []byte("v1"), 0o644)
	if m, ok, err := c.Get(4); err != nil || !ok || m != (CommitMetadata{}) {
		t.Errorf("Get(4) of version-only file = %+v, %v, %v; want zero metadata", m, ok, err)
	}
}

func TestMetadataKeptAcrossOpens(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreateMetadata(dir)
	if err != nil || first.ID == "" {
		t.Fatalf("create = %+v, %v", first, err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, MetadataFile))
	if want := `{"id":"` + first.ID + `"}`; string(data) != want {
		t.Errorf("metadata file = %s; want %s", data, want)
	}
	again, err := LoadOrCreateMetadata(dir)
	if err != nil || again != first {
		t.Errorf("reopen = %+v, %v; want %+v", again, err, first)
	}
	os.WriteFile(filepath.Join(dir, MetadataFile), []byte(`{"id":`), 0o644)
	if _, err := LoadOrCreateMetadata(dir); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "query id") {
		t.Errorf("corrupt metadata: error = %v; want ErrCorrupt mentioning the query id", err)
	}
}

func TestResume(t *testing.T) {
	seq := func(n int64) OffsetSeq {
		return OffsetSeq{BatchWatermarkMs: n * 1000, BatchTimestampMs: 1700000000000 + n, Conf: map[string]string{},
			Offsets: []json.RawMessage{json.RawMessage(fmt.Sprintf(`{"logOffset":%d}`, n))}}
	}
	tests := []struct {
		name      string
		offsets   []int64
		commits   []int64
		want      func() Resume
		wantError string
	}{
		{name: "fresh", want: func() Resume { return Resume{} }},
		{name: "first batch planned, not committed", offsets: []int64{0},
			want: func() Resume { e := seq(0); return Resume{Batch: 0, Rerun: true, End: &e, WatermarkMs: 0} }},
		{name: "first batch committed", offsets: []int64{0}, commits: []int64{0},
			want: func() Resume { s := seq(0); return Resume{Batch: 1, Start: &s, WatermarkMs: 7000} }},
		{name: "crash after offsets before commit", offsets: []int64{0, 1, 2}, commits: []int64{0, 1},
			want: func() Resume {
				s, e := seq(1), seq(2)
				return Resume{Batch: 2, Rerun: true, Start: &s, End: &e, WatermarkMs: 2000}
			}},
		{name: "several commits missing re-runs the latest", offsets: []int64{0, 1, 2}, commits: []int64{0},
			want: func() Resume {
				s, e := seq(1), seq(2)
				return Resume{Batch: 2, Rerun: true, Start: &s, End: &e, WatermarkMs: 2000}
			}},
		{name: "commits without offsets", commits: []int64{0}, wantError: "no offsets"},
		{name: "commit ahead of offsets", offsets: []int64{0}, commits: []int64{0, 1}, wantError: "offsets only up to batch 0"},
		{name: "re-run with previous offsets purged", offsets: []int64{3}, commits: []int64{2}, wantError: "offsets/2 is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Open(t.TempDir(), "")
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for _, n := range tc.offsets {
				if _, err := c.Offsets().Add(n, seq(n)); err != nil {
					t.Fatal(err)
				}
			}
			for _, n := range tc.commits {
				if _, err := c.Commits().Add(n, CommitMetadata{NextBatchWatermarkMs: 7000}); err != nil {
					t.Fatal(err)
				}
			}
			got, err := c.Resume()
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("Resume error = %v; want one containing %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := tc.want(); !reflect.DeepEqual(got, want) {
				t.Errorf("Resume =\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}

func TestDeletingLastCommitReRunsBatch(t *testing.T) {
	dir := t.TempDir()
	c, _ := Open(dir, "")
	c.Offsets().Add(0, OffsetSeq{BatchTimestampMs: 42})
	c.Commits().Add(0, CommitMetadata{})
	queryID := c.QueryID()
	c.Close()

	os.Remove(filepath.Join(dir, CommitsDir, "0"))
	c, err := Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r, err := c.Resume()
	if err != nil {
		t.Fatal(err)
	}
	if r.Batch != 0 || !r.Rerun || r.End == nil || r.End.BatchTimestampMs != 42 {
		t.Errorf("Resume = %+v; want a re-run of batch 0 with timestamp 42", r)
	}
	if c.QueryID() != queryID {
		t.Errorf("query id changed across restart: %s then %s", queryID, c.QueryID())
	}
}

func TestCheckpointLayout(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir, "run-1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, want := dirNames(t, dir), []string{LockFile, CommitsDir, MetadataFile, OffsetsDir}; !reflect.DeepEqual(got, want) {
		t.Errorf("checkpoint holds %v; want %v", got, want)
	}
	if got, want := c.SourceDir(2), filepath.Join(dir, "sources", "2"); got != want {
		t.Errorf("SourceDir(2) = %s; want %s", got, want)
	}
	if got, want := c.StateDir(), filepath.Join(dir, "state"); got != want {
		t.Errorf("StateDir = %s; want %s", got, want)
	}
	if c.RunID() != "run-1" {
		t.Errorf("RunID = %s; want run-1", c.RunID())
	}
}

func TestLockSameProcess(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir, "run-A")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, "run-B")
	var locked *LockedError
	if !errors.As(err, &locked) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v; want *LockedError", err)
	}
	for _, want := range []string{dir, "run id run-A", fmt.Sprintf("pid %d", os.Getpid()), "stop that query first"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := Open(dir, "run-B")
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	second.Close()
}

// TestLockHelperProcess is not a test: TestLockOtherProcess runs the test
// binary again with GOSTREAM_LOCK_DIR set, and this function then holds the
// checkpoint until its stdin closes.
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv("GOSTREAM_LOCK_DIR")
	if dir == "" {
		t.Skip("helper process for TestLockOtherProcess")
	}
	c, err := Open(dir, "run-in-child")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	bufio.NewReader(os.Stdin).ReadString('\n')
	c.Close()
	os.Exit(0)
}

func TestLockOtherProcess(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), "GOSTREAM_LOCK_DIR="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		stdin.Close()
		cmd.Wait()
		t.Fatalf("child said %q; want locked", line)
	}
	_, err := Open(dir, "run-in-parent")
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "run-in-child") ||
		!strings.Contains(err.Error(), fmt.Sprintf("pid %d", cmd.Process.Pid)) {
		t.Errorf("Open while child holds the lock: error = %v; want ErrLocked naming run-in-child and pid %d", err, cmd.Process.Pid)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	c, err := Open(dir, "run-in-parent")
	if err != nil {
		t.Fatalf("Open after child exit: %v", err)
	}
	c.Close()
}
