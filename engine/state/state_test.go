package state

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// op is one change of a batch: a put (value != "") or a remove.
type op struct {
	key, value string
}

func put(k, v string) op { return op{k, v} }
func del(k string) op    { return op{k, ""} }

func apply(s *Store, ops []op) {
	for _, o := range ops {
		if o.value == "" {
			s.Remove([]byte(o.key))
		} else {
			s.Put([]byte(o.key), []byte(o.value))
		}
	}
}

func dump(s *Store) string {
	var parts []string
	s.Range(func(k, v []byte) bool {
		parts = append(parts, string(k)+"="+string(v))
		return true
	})
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// runBatches commits one version per batch and returns the content after
// each.
func runBatches(t *testing.T, p *Provider, batches [][]op) []string {
	t.Helper()
	var out []string
	for i, b := range batches {
		s, err := p.Load(int64(i))
		if err != nil {
			t.Fatalf("load %d: %v", i, err)
		}
		apply(s, b)
		want := dump(s)
		v, err := s.Commit()
		if err != nil {
			t.Fatalf("commit %d: %v", i, err)
		}
		if v != int64(i+1) {
			t.Fatalf("commit %d: got version %d, want %d", i, v, i+1)
		}
		out = append(out, want)
	}
	return out
}

func TestReloadEveryVersion(t *testing.T) {
	tests := []struct {
		name      string
		snapEvery int
		batches   [][]op
	}{
		{"puts only", 10, [][]op{{put("a", "1")}, {put("b", "2")}, {put("a", "3")}}},
		{"removes", 10, [][]op{{put("a", "1"), put("b", "2")}, {del("a")}, {del("b"), put("c", "3")}, {}}},
		{"put then remove of a new key", 10, [][]op{{put("a", "1")}, {put("x", "9"), del("x")}}},
		{"snapshot every 2", 2, [][]op{{put("a", "1")}, {put("b", "2")}, {del("a")}, {put("c", "3")}, {put("a", "4")}, {del("c")}}},
		{"snapshot every version", 1, [][]op{{put("a", "1")}, {del("a")}, {put("b", "2")}}},
		{"remove of a missing key", 10, [][]op{{del("k")}, {put("a", "1")}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			id := ID{Operator: 1, Partition: 0}
			p, err := OpenProvider(root, id, Options{MinDeltasForSnapshot: tc.snapEvery})
			if err != nil {
				t.Fatal(err)
			}
			want := runBatches(t, p, tc.batches)
			for v := 1; v <= len(tc.batches); v++ {
				fresh, err := OpenProvider(root, id, Options{MinDeltasForSnapshot: tc.snapEvery})
				if err != nil {
					t.Fatal(err)
				}
				s, err := fresh.Load(int64(v))
				if err != nil {
					t.Fatalf("load %d: %v", v, err)
				}
				if got := dump(s); got != want[v-1] {
					t.Errorf("version %d: got %q, want %q", v, got, want[v-1])
				}
				s.Abort()
			}
		})
	}
}

func TestFilesFollowSparkLayout(t *testing.T) {
	root := t.TempDir()
	p, err := OpenProvider(root, ID{Operator: 2, Partition: 3, Name: "left-keyToNumValues"}, Options{MinDeltasForSnapshot: 3})
	if err != nil {
		t.Fatal(err)
	}
	batches := make([][]op, 7)
	for i := range batches {
		batches[i] = []op{put(fmt.Sprint(i), "v")}
	}
	runBatches(t, p, batches)
	ents, err := os.ReadDir(filepath.Join(root, "2", "3", "left-keyToNumValues"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	sort.Strings(got)
	want := []string{"1.delta", "1.snapshot", "2.delta", "3.delta", "4.delta", "4.snapshot", "5.delta", "6.delta", "7.delta", "7.snapshot"}
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files:\ngot  %v\nwant %v", got, want)
	}
}

func TestRerunReplacesVersion(t *testing.T) {
	root := t.TempDir()
	id := ID{}
	p, _ := OpenProvider(root, id, Options{})
	runBatches(t, p, [][]op{{put("a", "1")}, {put("a", "2"), put("b", "1")}})

	// A restarted query re-runs batch 1 (its commit was lost): it loads
	// version 1 again and commits a different version 2.
	p2, _ := OpenProvider(root, id, Options{})
	s, err := p2.Load(1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(s), "a=1"; got != want {
		t.Fatalf("version 1: got %q, want %q", got, want)
	}
	s.Put([]byte("a"), []byte("5"))
	if _, err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	p3, _ := OpenProvider(root, id, Options{})
	s, err = p3.Load(2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(s), "a=5"; got != want {
		t.Errorf("version 2 after re-run: got %q, want %q", got, want)
	}
}

func TestAbortRestores(t *testing.T) {
	for _, root := range []string{"", "dir"} {
		t.Run(fmt.Sprintf("root=%q", root), func(t *testing.T) {
			if root != "" {
				root = t.TempDir()
			}
			p, _ := OpenProvider(root, ID{}, Options{})
			runBatches(t, p, [][]op{{put("a", "1"), put("b", "2")}})
			s, err := p.Load(1)
			if err != nil {
				t.Fatal(err)
			}
			before := s.Metrics()
			apply(s, []op{put("a", "9"), del("b"), put("c", "3")})
			s.Abort()
			s, err = p.Load(1)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := dump(s), "a=1,b=2"; got != want {
				t.Errorf("after abort: got %q, want %q", got, want)
			}
			if got := s.Metrics(); got.MemoryUsedBytes != before.MemoryUsedBytes || got.NumKeys != 2 {
				t.Errorf("metrics after abort: got %+v, want %+v", got, before)
			}
		})
	}
}

func TestEmptyValueSurvivesReload(t *testing.T) {
	root := t.TempDir()
	p, _ := OpenProvider(root, ID{}, Options{})
	s, _ := p.Load(0)
	s.Put([]byte("k"), nil)
	if _, err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	p2, _ := OpenProvider(root, ID{}, Options{})
	s, err := p2.Load(1)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := s.Get([]byte("k")); !ok || len(v) != 0 {
		t.Errorf("got %q, %v; want an empty value", v, ok)
	}
}

func TestMemoryOnlyRefusesOldVersions(t *testing.T) {
	p, _ := OpenProvider("", ID{}, Options{})
	runBatches(t, p, [][]op{{put("a", "1")}, {put("b", "1")}})
	if _, err := p.Load(1); err == nil || !strings.Contains(err.Error(), "no checkpointLocation") {
		t.Errorf("load of an old in-memory version: got %v, want an error naming checkpointLocation", err)
	}
}

func TestMetrics(t *testing.T) {
	p, _ := OpenProvider("", ID{}, Options{})
	s, _ := p.Load(0)
	apply(s, []op{put("a", "1"), put("a", "22"), put("b", "1"), del("b"), del("zz")})
	got := s.Metrics()
	want := Metrics{NumKeys: 1, MemoryUsedBytes: 1 + 2 + entryOverhead, NumPuts: 3, NumRemoves: 1}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestCorruptFile(t *testing.T) {
	tests := []struct {
		name   string
		damage func(b []byte) []byte
		reason string
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)-3] }, "checksum"},
		{"flipped byte", func(b []byte) []byte { b[8] ^= 0xff; return b }, "checksum"},
		{"not a state file", func([]byte) []byte { return []byte("hello world") }, "bad header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			p, _ := OpenProvider(root, ID{}, Options{})
			runBatches(t, p, [][]op{{put("a", "1")}, {put("b", "2")}})
			path := filepath.Join(root, "0", "0", "2.delta")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			p2, _ := OpenProvider(root, ID{}, Options{})
			_, err = p2.Load(2)
			var ce *CorruptError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("got %v, want a *CorruptError about %q", err, tc.reason)
			}
		})
	}
}

func TestMissingDelta(t *testing.T) {
	root := t.TempDir()
	p, _ := OpenProvider(root, ID{}, Options{})
	runBatches(t, p, [][]op{{put("a", "1")}, {put("b", "2")}, {put("c", "3")}})
	os.Remove(filepath.Join(root, "0", "0", "2.delta"))
	p2, _ := OpenProvider(root, ID{}, Options{})
	if _, err := p2.Load(3); err == nil || !strings.Contains(err.Error(), "2.delta is missing") {
		t.Errorf("got %v, want an error naming the missing 2.delta", err)
	}
}

func TestCleanupKeepsRetainedVersions(t *testing.T) {
	root := t.TempDir()
	opts := Options{MinDeltasForSnapshot: 2, MinVersionsToRetain: 3}
	p, _ := OpenProvider(root, ID{}, opts)
	batches := make([][]op, 12)
	for i := range batches {
		batches[i] = []op{put(fmt.Sprint(i%4), fmt.Sprint(i))}
	}
	want := runBatches(t, p, batches)
	ents, _ := os.ReadDir(filepath.Join(root, "0", "0"))
	if len(ents) > 8 {
		t.Errorf("%d files left, want old versions deleted", len(ents))
	}
	for v := 12 - 3; v <= 12; v++ {
		p2, _ := OpenProvider(root, ID{}, opts)
		s, err := p2.Load(int64(v))
		if err != nil {
			t.Fatalf("retained version %d: %v", v, err)
		}
		if got := dump(s); got != want[v-1] {
			t.Errorf("version %d: got %q, want %q", v, got, want[v-1])
		}
	}
}

func TestRemoveDuringRange(t *testing.T) {
	p, _ := OpenProvider("", ID{}, Options{})
	s, _ := p.Load(0)
	for i := 0; i < 100; i++ {
		s.Put([]byte(fmt.Sprintf("k%03d", i)), []byte{byte(i)})
	}
	s.Range(func(k, v []byte) bool {
		if v[0]%2 == 0 {
			s.Remove(k)
		}
		return true
	})
	if got, want := s.Len(), 50; got != want {
		t.Errorf("keys left: got %d, want %d", got, want)
	}
}

func BenchmarkCommit(b *testing.B) {
	root := b.TempDir()
	p, _ := OpenProvider(root, ID{}, Options{})
	val := make([]byte, 40)
	for i := 0; i < b.N; i++ {
		s, err := p.Load(int64(i))
		if err != nil {
			b.Fatal(err)
		}
		for k := 0; k < 1000; k++ {
			s.Put([]byte(fmt.Sprintf("key-%d-%d", i%20, k)), val)
		}
		if _, err := s.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}
