package fileindex

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gostream/gostream/engine/checkpoint"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

type file struct {
	name  string
	size  int
	mtime int // seconds after t0
}

func putAll(t *testing.T, dir string, files []file) {
	t.Helper()
	for _, f := range files {
		put(t, filepath.Join(dir, f.name), strings.Repeat("x", f.size), at(f.mtime))
	}
}

// names returns the planned files' paths relative to dir.
func names(t *testing.T, dir string, entries []FileEntry) []string {
	t.Helper()
	out := []string{}
	for _, e := range entries {
		p, err := e.LocalPath()
		if err != nil {
			t.Fatal(err)
		}
		r, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(r))
	}
	return out
}

// drain calls Latest until the offset stops moving and returns each batch's
// files.
func drain(t *testing.T, ix *Index, dir string) [][]string {
	t.Helper()
	var batches [][]string
	prev := ix.Current()
	for i := 0; i < 100; i++ {
		off, err := ix.Latest(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if off == prev {
			return batches
		}
		files, err := ix.Files(prev, off)
		if err != nil {
			t.Fatal(err)
		}
		batches = append(batches, names(t, dir, files))
		prev = off
	}
	t.Fatal("Latest never stopped moving")
	return nil
}

func TestIndexPlanning(t *testing.T) {
	tests := []struct {
		name    string
		files   []file
		opts    map[string]string
		pattern string // relative to the source dir; "" = the dir
		want    [][]string
	}{
		{name: "all new files in one batch, by mtime then name",
			files: []file{{"c.json", 1, 5}, {"b.json", 1, 1}, {"a.json", 1, 5}},
			want:  [][]string{{"b.json", "a.json", "c.json"}}},
		{name: "maxFilesPerTrigger",
			files: []file{{"a", 1, 1}, {"b", 1, 2}, {"c", 1, 3}},
			opts:  map[string]string{"maxFilesPerTrigger": "2"},
			want:  [][]string{{"a", "b"}, {"c"}}},
		{name: "maxBytesPerTrigger packs files up to the cap",
			files: []file{{"a", 4, 1}, {"b", 4, 2}, {"c", 3, 3}, {"d", 1, 4}},
			opts:  map[string]string{"maxBytesPerTrigger": "8"},
			want:  [][]string{{"a", "b"}, {"c", "d"}}},
		{name: "maxBytesPerTrigger takes one oversized file",
			files: []file{{"big", 100, 1}, {"small", 1, 2}},
			opts:  map[string]string{"maxBytesPerTrigger": "10"},
			want:  [][]string{{"big"}, {"small"}}},
		{name: "latestFirst",
			files: []file{{"a", 1, 1}, {"b", 1, 2}, {"c", 1, 3}},
			opts:  map[string]string{"latestFirst": "true", "maxFilesPerTrigger": "2"},
			want:  [][]string{{"c", "b"}, {"a"}}},
		{name: "fileNameOnly dedupes by name",
			files: []file{{"x/data.json", 1, 1}, {"y/data.json", 1, 2}, {"y/other.json", 1, 3}},
			opts:  map[string]string{"fileNameOnly": "true"},
			want:  [][]string{{"x/data.json", "y/other.json"}}},
		{name: "full paths distinguish same names",
			files: []file{{"x/data.json", 1, 1}, {"y/data.json", 1, 2}},
			want:  [][]string{{"x/data.json", "y/data.json"}}},
		{name: "maxFileAge is relative to the newest file, first batch takes all",
			files: []file{{"old", 1, 0}, {"new", 1, 3600}},
			opts:  map[string]string{"maxFileAge": "10m"},
			want:  [][]string{{"old", "new"}}},
		{name: "glob pattern",
			files:   []file{{"a.json", 1, 1}, {"b.csv", 1, 2}, {"sub/c.json", 1, 3}},
			pattern: "*.json",
			want:    [][]string{{"a.json"}}},
		{name: "hidden and temporary files never planned",
			files: []file{{".a.json.tmp", 1, 1}, {"_temporary/0/b.json", 1, 2}, {"c.json._COPYING_", 1, 3}, {"_SUCCESS", 0, 4}, {"d.json", 1, 5}},
			want:  [][]string{{"d.json"}}},
		{name: "empty directory", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, ck := t.TempDir(), t.TempDir()
			putAll(t, src, tc.files)
			opts, err := ParseOptions(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			pattern := src
			if tc.pattern != "" {
				pattern = filepath.Join(src, tc.pattern)
			}
			ix, err := Open(pattern, opts, filepath.Join(ck, "sources", "0"))
			if err != nil {
				t.Fatal(err)
			}
			if got := drain(t, ix, src); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("batches = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestIndexMaxFileAgeAfterFirstBatch(t *testing.T) {
	tests := []struct {
		name string
		opts map[string]string
		want [][]string
	}{
		{"an old file arriving late is skipped", map[string]string{"maxFileAge": "10m"}, nil},
		{"a generous maxFileAge keeps it", map[string]string{"maxFileAge": "2h"}, [][]string{{"late-old"}}},
		{"ignored with latestFirst and maxFilesPerTrigger", map[string]string{"maxFileAge": "10m", "latestFirst": "true", "maxFilesPerTrigger": "5"}, [][]string{{"late-old"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, ck := t.TempDir(), t.TempDir()
			putAll(t, src, []file{{"new", 1, 3600}})
			opts, _ := ParseOptions(tc.opts)
			ix, err := Open(src, opts, ck)
			if err != nil {
				t.Fatal(err)
			}
			drain(t, ix, src)
			putAll(t, src, []file{{"late-old", 1, 0}}) // e.g. moved in with its old mtime kept
			if got := drain(t, ix, src); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("batches = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestIndexSeenFilesLogFormat(t *testing.T) {
	src, ck := t.TempDir(), t.TempDir()
	putAll(t, src, []file{{"a.json", 1, 1}, {"my dir/b.json", 1, 2}})
	ix, err := Open(src, DefaultOptions(), ck)
	if err != nil {
		t.Fatal(err)
	}
	off, err := ix.Latest(context.Background())
	if err != nil || off != 0 {
		t.Fatalf("Latest = %v, %v; want 0", off, err)
	}
	data, err := os.ReadFile(filepath.Join(ck, "0"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(string(data), fileURI(src), "file:///SRC")
	golden(t, "sources_0_0.golden", []byte(got))

	offJSON, _ := json.Marshal(off)
	if string(offJSON) != `{"logOffset":0}` {
		t.Errorf("offset JSON = %s; want {\"logOffset\":0}", offJSON)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
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

func TestOffsetJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Offset
		wantErr bool
	}{
		{`{"logOffset":7}`, 7, false}, {`{"logOffset":-1}`, -1, false}, {`3`, 3, false},
		{`{"x":1}`, 0, true}, {`"a"`, 0, true},
	}
	for _, tc := range tests {
		var o Offset
		err := json.Unmarshal([]byte(tc.in), &o)
		if (err != nil) != tc.wantErr || (!tc.wantErr && o != tc.want) {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d, err=%v", tc.in, o, err, tc.want, tc.wantErr)
		}
	}
}

// A batch planned before a crash (offsets written, batch never committed)
// must read the same files when re-run, whatever arrived since.
func TestIndexRestartReplaysPlannedBatch(t *testing.T) {
	src, ck := t.TempDir(), t.TempDir()
	putAll(t, src, []file{{"a", 1, 1}, {"b", 1, 2}, {"c", 1, 3}})
	opts := DefaultOptions()
	opts.MaxFilesPerTrigger = 2
	ix, _ := Open(src, opts, ck)
	end, err := ix.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	before, _ := ix.Files(NoOffset, end)

	// Crash. Meanwhile new files arrive, some older than the planned ones.
	putAll(t, src, []file{{"0-early", 1, 0}, {"d", 1, 4}})
	ix2, err := Open(src, opts, ck)
	if err != nil {
		t.Fatal(err)
	}
	if ix2.Current() != end {
		t.Errorf("restored Current = %d; want %d", ix2.Current(), end)
	}
	after, err := ix2.Files(NoOffset, end)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("re-run batch files = %v; want the planned %v", after, before)
	}
	// The next batches take the rest, each file once.
	rest := drain(t, ix2, src)
	if want := [][]string{{"0-early", "c"}, {"d"}}; !reflect.DeepEqual(rest, want) {
		t.Errorf("later batches = %q; want %q", rest, want)
	}
}

// A file planned by Latest whose offset never reached the offsets log is
// not lost: it is seen, so the next Latest returns an offset covering it.
func TestIndexPlannedButUnrecordedOffset(t *testing.T) {
	src, ck := t.TempDir(), t.TempDir()
	putAll(t, src, []file{{"a", 1, 1}})
	ix, _ := Open(src, DefaultOptions(), ck)
	if _, err := ix.Latest(context.Background()); err != nil {
		t.Fatal(err)
	}
	ix2, _ := Open(src, DefaultOptions(), ck)
	off, err := ix2.Latest(context.Background())
	if err != nil || off != 0 {
		t.Fatalf("Latest after restart = %d, %v; want 0 (the recorded batch)", off, err)
	}
	files, _ := ix2.Files(NoOffset, off)
	if got := names(t, src, files); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("files = %q; want [a]", got)
	}
}

func TestIndexCompaction(t *testing.T) {
	src, ck := t.TempDir(), t.TempDir()
	var files []file
	for i := 0; i < 12; i++ {
		files = append(files, file{fmt.Sprintf("f%02d", i), 1, i})
	}
	putAll(t, src, files)
	opts := DefaultOptions()
	opts.MaxFilesPerTrigger = 1
	ix, _ := Open(src, opts, ck)
	if got := len(drain(t, ix, src)); got != 12 {
		t.Fatalf("%d batches; want 12", got)
	}
	if _, err := os.Stat(filepath.Join(ck, "9.compact")); err != nil {
		t.Errorf("no compaction file: %v", err)
	}
	one, err := ix.Files(8, 9) // batch 9 lives in 9.compact with all earlier files
	if err != nil {
		t.Fatal(err)
	}
	if got := names(t, src, one); !reflect.DeepEqual(got, []string{"f09"}) {
		t.Errorf("Files(8, 9) = %q; want [f09]", got)
	}
	all, _ := ix.Files(NoOffset, 11)
	if len(all) != 12 {
		t.Errorf("Files(-1, 11) has %d files; want 12", len(all))
	}
	// Restart restores the seen files from 9.compact + deltas: nothing new.
	ix2, err := Open(src, opts, ck)
	if err != nil {
		t.Fatal(err)
	}
	if got := drain(t, ix2, src); got != nil {
		t.Errorf("after restart planned %q; want nothing", got)
	}
}

func TestIndexOpenErrors(t *testing.T) {
	src := t.TempDir()
	tests := []struct {
		name    string
		path    string
		opts    Options
		wantErr string
	}{
		{"missing path", filepath.Join(src, "nope"), DefaultOptions(), "Path does not exist: file://" + src + "/nope"},
		{"missing glob is fine", filepath.Join(src, "nope", "*.json"), DefaultOptions(), ""},
		{"archive inside source", src, Options{CleanSource: CleanArchive, SourceArchiveDir: filepath.Join(src, "archive")},
			"Base archive path cannot be set to the path where archived path can possibly match with source pattern"},
		{"archive is the source's parent", src, Options{CleanSource: CleanArchive, SourceArchiveDir: filepath.Dir(src)},
			"Base archive path cannot be set"},
		{"archive matching a glob", filepath.Join(src, "in*"), Options{CleanSource: CleanArchive, SourceArchiveDir: filepath.Join(src, "inarchive")},
			"Base archive path cannot be set"},
		{"archive beside source", src, Options{CleanSource: CleanArchive, SourceArchiveDir: src + "-archive"}, ""},
		{"invalid options struct", src, Options{MaxFilesPerTrigger: 1, MaxBytesPerTrigger: 1}, "can't be both set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.path, tc.opts, t.TempDir())
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Open error = %v; want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestIndexCleanSource(t *testing.T) {
	tests := []struct {
		name      string
		mode      CleanMode
		wantLeft  []string // still in the source dir after committing batch 0
		archived  []string // under the archive dir, relative to the source dir
		commitOff Offset
	}{
		{name: "off", mode: CleanOff, wantLeft: []string{"a", "sub/b", "c"}, commitOff: 0},
		{name: "delete", mode: CleanDelete, wantLeft: []string{"c"}, commitOff: 0},
		{name: "archive keeps the absolute path under the archive dir", mode: CleanArchive,
			wantLeft: []string{"c"}, archived: []string{"a", "sub/b"}, commitOff: 0},
		{name: "no offset cleans nothing", mode: CleanDelete, wantLeft: []string{"a", "sub/b", "c"}, commitOff: NoOffset},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			src, archive := filepath.Join(base, "in"), filepath.Join(base, "archive")
			putAll(t, src, []file{{"a", 1, 1}, {"sub/b", 1, 2}})
			opts := DefaultOptions()
			opts.CleanSource, opts.SourceArchiveDir = tc.mode, archive
			ix, err := Open(src, opts, filepath.Join(base, "ck"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ix.Latest(context.Background()); err != nil {
				t.Fatal(err)
			}
			putAll(t, src, []file{{"c", 1, 3}}) // arrives after planning: not part of batch 0
			if err := ix.Commit(tc.commitOff); err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{"a", "sub/b", "c"} {
				_, err := os.Stat(filepath.Join(src, n))
				if want := contains(tc.wantLeft, n); (err == nil) != want {
					t.Errorf("%s present in source = %v; want %v", n, err == nil, want)
				}
			}
			for _, n := range tc.archived {
				if _, err := os.Stat(filepath.Join(archive, src, n)); err != nil {
					t.Errorf("%s not archived: %v", n, err)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestIndexCleanSourceCatchesUpSkippedCommits(t *testing.T) {
	base := t.TempDir()
	src := filepath.Join(base, "in")
	putAll(t, src, []file{{"a", 1, 1}, {"b", 1, 2}})
	opts := DefaultOptions()
	opts.MaxFilesPerTrigger, opts.CleanSource = 1, CleanDelete
	ix, _ := Open(src, opts, filepath.Join(base, "ck"))
	ix.Latest(context.Background())
	if err := ix.Commit(0); err != nil {
		t.Fatal(err)
	}
	ix.Latest(context.Background())
	putAll(t, src, []file{{"a", 1, 1}}) // re-created: a new file for the log, but batch 0 is already cleaned
	if err := ix.Commit(1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(src, "b")); err == nil {
		t.Error("b (batch 1) not deleted")
	}
	if _, err := os.Stat(filepath.Join(src, "a")); err != nil {
		t.Error("re-created a deleted again although batch 0 was cleaned already")
	}
}

func TestIndexCleanSourceFailureIsAWarning(t *testing.T) {
	base := t.TempDir()
	src, archive := filepath.Join(base, "in"), filepath.Join(base, "archive")
	putAll(t, src, []file{{"a", 1, 1}})
	put(t, filepath.Join(archive, src, "a"), "already here", at(0))
	opts := DefaultOptions()
	opts.CleanSource, opts.SourceArchiveDir = CleanArchive, archive
	ix, _ := Open(src, opts, filepath.Join(base, "ck"))
	ix.Latest(context.Background())
	err := ix.Commit(0)
	if !errors.Is(err, ErrCleanSource) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Commit error = %v; want ErrCleanSource saying the target exists", err)
	}
	if _, serr := os.Stat(filepath.Join(src, "a")); serr != nil {
		t.Error("file removed although archiving failed")
	}
}

func TestIndexAvailableNow(t *testing.T) {
	src, ck := t.TempDir(), t.TempDir()
	putAll(t, src, []file{{"a", 1, 1}, {"b", 1, 2}, {"c", 1, 3}})
	opts := DefaultOptions()
	opts.MaxFilesPerTrigger = 2
	ix, _ := Open(src, opts, ck)
	if err := ix.PrepareAvailableNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	putAll(t, src, []file{{"later", 1, 4}})
	if got, want := drain(t, ix, src), [][]string{{"a", "b"}, {"c"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("batches = %q; want %q (files present at start only)", got, want)
	}
}

func TestIndexFilesErrors(t *testing.T) {
	src, ck := t.TempDir(), t.TempDir()
	ix, _ := Open(src, DefaultOptions(), ck)
	if _, err := ix.Files(2, 1); err == nil {
		t.Error("Files(2, 1) succeeded; want an error")
	}
	if _, err := ix.Files(NoOffset, 0); err == nil || !strings.Contains(err.Error(), "has no batch 0") {
		t.Errorf("Files of a missing log batch: %v; want an error naming batch 0", err)
	}
}

func TestIndexCancelled(t *testing.T) {
	src, ck := t.TempDir(), t.TempDir()
	putAll(t, src, []file{{"a", 1, 1}})
	ix, _ := Open(src, DefaultOptions(), ck)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if off, err := ix.Latest(ctx); !errors.Is(err, context.Canceled) || off != NoOffset {
		t.Errorf("Latest(cancelled) = %d, %v; want -1, context.Canceled", off, err)
	}
}

func TestIndexOpenCorruptLog(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantIs  error
	}{
		{"torn entry", "v1\n{\"path\":\"file:///x\",\"times", checkpoint.ErrCorrupt},
		{"newer version", "v2\n{}", checkpoint.ErrNewerVersion},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, ck := t.TempDir(), t.TempDir()
			os.WriteFile(filepath.Join(ck, "0"), []byte(tc.content), 0o644)
			_, err := Open(src, DefaultOptions(), ck)
			if !errors.Is(err, tc.wantIs) || !strings.Contains(err.Error(), filepath.Join(ck, "0")) {
				t.Errorf("Open error = %v; want %v naming the file", err, tc.wantIs)
			}
		})
	}
}
