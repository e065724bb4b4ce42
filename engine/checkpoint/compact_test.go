package checkpoint

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestCompactLog(t *testing.T) {
	tests := []struct {
		name      string
		interval  int
		batches   int
		wantFiles []string
	}{
		{"interval 3", 3, 7, []string{"0", "1", "2.compact", "3", "4", "5.compact", "6"}},
		{"interval 1 compacts every batch", 1, 3, []string{"0.compact", "1.compact", "2.compact"}},
		{"interval 10 like Spark", 10, 11, []string{"0", "1", "10", "2", "3", "4", "5", "6", "7", "8", "9.compact"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := OpenCompactLog(t.TempDir(), tc.interval, nil)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for b := 0; b < tc.batches; b++ {
				entry := []byte(`{"batch":` + string(rune('0'+b%10)) + `}`)
				if ok, err := c.Add(int64(b), entry); !ok || err != nil {
					t.Fatalf("Add(%d) = %v, %v", b, ok, err)
				}
				want = append(want, string(entry))
			}
			if got := dirNames(t, c.Dir()); !reflect.DeepEqual(got, tc.wantFiles) {
				t.Errorf("files = %v; want %v", got, tc.wantFiles)
			}
			all, err := c.AllEntries()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(strs(all), want) {
				t.Errorf("AllEntries = %q; want %q", strs(all), want)
			}
			latest, ok, err := c.Latest()
			if err != nil || !ok || latest != int64(tc.batches-1) {
				t.Errorf("Latest = %d, %v, %v; want %d", latest, ok, err, tc.batches-1)
			}
		})
	}
}

func TestCompactLogGetCompactionFile(t *testing.T) {
	c, _ := OpenCompactLog(t.TempDir(), 2, nil)
	c.Add(0, []byte(`"a"`))
	c.Add(1, []byte(`"b"`))
	b, ok, err := c.Get(1)
	if err != nil || !ok {
		t.Fatalf("Get(1) = %v, %v", ok, err)
	}
	if !b.Compacted || !reflect.DeepEqual(strs(b.Lines), []string{`"a"`, `"b"`}) {
		t.Errorf("Get(1) = %+v; want a compacted batch with \"a\",\"b\"", b)
	}
	if ok, err := c.Add(1, []byte(`"c"`)); ok || err != nil {
		t.Errorf("re-Add of compaction batch = %v, %v; want false, nil", ok, err)
	}
}

func TestCompactLogCompactFunc(t *testing.T) {
	dropDeleted := func(entries [][]byte) ([][]byte, error) {
		var out [][]byte
		for _, e := range entries {
			if !bytes.Contains(e, []byte("delete")) {
				out = append(out, e)
			}
		}
		return out, nil
	}
	c, _ := OpenCompactLog(t.TempDir(), 2, dropDeleted)
	c.Add(0, []byte(`"add x"`), []byte(`"delete y"`))
	c.Add(1, []byte(`"add z"`))
	c.Add(2, []byte(`"delete w"`))
	all, err := c.AllEntries()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{`"add x"`, `"add z"`, `"delete w"`}; !reflect.DeepEqual(strs(all), want) {
		t.Errorf("AllEntries = %q; want %q", strs(all), want)
	}
}

func TestCompactLogReadsOtherInterval(t *testing.T) {
	dir := t.TempDir()
	w, _ := OpenCompactLog(dir, 2, nil)
	for b := int64(0); b < 5; b++ { // 0, 1.compact, 2, 3.compact, 4
		w.Add(b, []byte(`1`))
	}
	r, _ := OpenCompactLog(dir, 10, nil)
	r.Add(5, []byte(`1`))
	all, err := r.AllEntries()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 {
		t.Errorf("AllEntries has %d entries; want 6", len(all))
	}
}

func TestCompactLogMissingDelta(t *testing.T) {
	c, _ := OpenCompactLog(t.TempDir(), 10, nil)
	for b := int64(0); b < 4; b++ {
		c.Add(b, []byte(`1`))
	}
	os.Remove(filepath.Join(c.Dir(), "1"))
	_, err := c.AllEntries()
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "/1") || !strings.Contains(err.Error(), "missing") {
		t.Errorf("AllEntries error = %v; want a corrupt-file error naming batch 1 as missing", err)
	}
}

func TestCompactLogPurgeKeepsCompaction(t *testing.T) {
	c, _ := OpenCompactLog(t.TempDir(), 3, nil)
	for b := int64(0); b < 8; b++ {
		c.Add(b, []byte(`1`))
	}
	if err := c.Purge(7); err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, c.Dir()), []string{"5.compact", "6", "7"}; !reflect.DeepEqual(got, want) {
		t.Errorf("files after Purge(7) = %v; want %v", got, want)
	}
	all, err := c.AllEntries()
	if err != nil || len(all) != 8 {
		t.Errorf("AllEntries after purge = %d entries, %v; want 8", len(all), err)
	}
}

func TestOpenCompactLogBadInterval(t *testing.T) {
	if _, err := OpenCompactLog(t.TempDir(), 0, nil); err == nil {
		t.Error("OpenCompactLog(interval 0) succeeded; want an error")
	}
}
