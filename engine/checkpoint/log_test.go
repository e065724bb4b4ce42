package checkpoint

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func lines(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, x := range s {
		out[i] = []byte(x)
	}
	return out
}

func strs(b [][]byte) []string {
	out := make([]string, len(b))
	for i, x := range b {
		out[i] = string(x)
	}
	return out
}

func TestLogAddWritesSparkLayout(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		file  string
	}{
		{"no entries", nil, "v1"},
		{"one entry", []string{`{"a":1}`}, "v1\n{\"a\":1}"},
		{"entries and a missing offset", []string{`{"a":1}`, "-", `[1,2]`}, "v1\n{\"a\":1}\n-\n[1,2]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := OpenLog(filepath.Join(t.TempDir(), "log"))
			if err != nil {
				t.Fatal(err)
			}
			created, err := l.Add(4, lines(tc.lines...)...)
			if err != nil || !created {
				t.Fatalf("Add = %v, %v; want true, nil", created, err)
			}
			data, err := os.ReadFile(filepath.Join(l.Dir(), "4"))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(data); got != tc.file {
				t.Errorf("file content = %q; want %q", got, tc.file)
			}
			got, ok, err := l.Get(4)
			if err != nil || !ok {
				t.Fatalf("Get = ok %v, err %v", ok, err)
			}
			if want := tc.lines; len(want) != 0 && !reflect.DeepEqual(strs(got), want) {
				t.Errorf("Get = %q; want %q", strs(got), want)
			}
			if len(tc.lines) == 0 && len(got) != 0 {
				t.Errorf("Get = %q; want no lines", strs(got))
			}
		})
	}
}

func TestLogNeverOverwrites(t *testing.T) {
	l, err := OpenLog(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Add(0, []byte(`{"first":true}`)); !ok || err != nil {
		t.Fatalf("first Add = %v, %v", ok, err)
	}
	if ok, err := l.Add(0, []byte(`{"second":true}`)); ok || err != nil {
		t.Fatalf("second Add = %v, %v; want false, nil", ok, err)
	}
	got, _, err := l.Get(0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{`{"first":true}`}; !reflect.DeepEqual(strs(got), want) {
		t.Errorf("batch 0 = %q; want %q", strs(got), want)
	}
	assertNoTempFiles(t, l.Dir())
}

func TestLogRejectsBadEntries(t *testing.T) {
	tests := []struct {
		name    string
		batch   int64
		lines   []string
		wantErr string
	}{
		{"multi-line entry", 0, []string{"{\n}"}, "spans several lines"},
		{"negative batch", -1, nil, "negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, _ := OpenLog(t.TempDir())
			_, err := l.Add(tc.batch, lines(tc.lines...)...)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Add error = %v; want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestLogReadErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantIs   error
		wantText []string
	}{
		{"newer version", "v2\n{}", ErrNewerVersion,
			[]string{"log version v2 is newer than supported v1: the checkpoint was written by a newer gostream", "/7"}},
		{"empty file", "", ErrCorrupt, []string{"/7", "is empty", "delete this file", "batch 7 will be run again"}},
		{"garbage version", "hello\n{}", ErrCorrupt, []string{"/7 line 1", "failed to read the log version"}},
		{"v0", "v0", ErrCorrupt, []string{"log version"}},
		{"truncated JSON", "v1\n{\"a\":1}\n{\"path\":\"file:///x", ErrCorrupt,
			[]string{"/7 line 3", "not a JSON document", "delete this file and restart the query"}},
		{"blank line inside", "v1\n\n{}", ErrCorrupt, []string{"line 2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "7"), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			l, _ := OpenLog(dir)
			_, _, err := l.Get(7)
			if !errors.Is(err, tc.wantIs) {
				t.Fatalf("Get error = %v; want errors.Is %v", err, tc.wantIs)
			}
			for _, want := range tc.wantText {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if _, _, _, lerr := l.Latest(); !errors.Is(lerr, tc.wantIs) {
				t.Errorf("Latest error = %v; want errors.Is %v", lerr, tc.wantIs)
			}
		})
	}
}

func TestLogListLatestPurge(t *testing.T) {
	dir := t.TempDir()
	l, _ := OpenLog(dir)
	for _, id := range []int64{2, 0, 10, 1} {
		if _, err := l.Add(id, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	// Files that are not batches: a temp file left by a crash mid-write,
	// Hadoop checksum files, names that only look numeric.
	for _, name := range []string{".3.123.tmp", ".0.crc", "03", "4.json", "x"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := l.List()
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{0, 1, 2, 10}; !reflect.DeepEqual(ids, want) {
		t.Errorf("List = %v; want %v", ids, want)
	}
	id, _, ok, err := l.Latest()
	if err != nil || !ok || id != 10 {
		t.Errorf("Latest = %d, %v, %v; want 10, true, nil", id, ok, err)
	}
	if err := l.Purge(2); err != nil {
		t.Fatal(err)
	}
	ids, _ = l.List()
	if want := []int64{2, 10}; !reflect.DeepEqual(ids, want) {
		t.Errorf("after Purge(2) List = %v; want %v", ids, want)
	}
	if _, ok, _ := l.Get(1); ok {
		t.Errorf("Get(1) after purge: ok = true; want false")
	}
}

func TestLogLatestEmpty(t *testing.T) {
	l, _ := OpenLog(t.TempDir())
	id, got, ok, err := l.Latest()
	if err != nil || ok || id != -1 || got != nil {
		t.Errorf("Latest on empty log = %d, %v, %v, %v; want -1, nil, false, nil", id, got, ok, err)
	}
}

func TestWriteNewFileIsAtomicAndExclusive(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "metadata")
	const writers = 8
	results := make(chan bool, writers)
	for i := 0; i < writers; i++ {
		go func(i int) {
			created, err := WriteNewFile(path, []byte(strings.Repeat(string(rune('a'+i)), 4096)))
			if err != nil {
				t.Error(err)
			}
			results <- created
		}(i)
	}
	won := 0
	for i := 0; i < writers; i++ {
		if <-results {
			won++
		}
	}
	if won != 1 {
		t.Errorf("%d writers created the file; want exactly 1", won)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != 4096 || strings.Count(string(data), string(data[:1])) != 4096 {
		t.Errorf("file holds a mix of writers' data or a partial write (len %d)", len(data))
	}
	assertNoTempFiles(t, dir)
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
