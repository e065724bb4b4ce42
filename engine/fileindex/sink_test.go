package fileindex

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gostream/gostream/engine/checkpoint"
)

// writeBatch writes one part file per content through the commit protocol.
func writeBatch(t *testing.T, s *Sink, batchID int64, contents ...string) []string {
	t.Helper()
	b, err := s.Begin(batchID)
	if err != nil {
		t.Fatalf("Begin(%d): %v", batchID, err)
	}
	var paths []string
	for i, c := range contents {
		f, err := b.Create(i, "", ".json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(c)); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, f.Path())
	}
	if ok, err := b.Commit(); !ok || err != nil {
		t.Fatalf("Commit(%d) = %v, %v", batchID, ok, err)
	}
	return paths
}

var partName = regexp.MustCompile(`^part-(\d{5})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.c(\d{3})\.json$`)

func TestSinkCommitProtocol(t *testing.T) {
	out := t.TempDir()
	s, err := OpenSink(out)
	if err != nil {
		t.Fatal(err)
	}
	paths := writeBatch(t, s, 0, `{"a":1}`+"\n", `{"a":2}`+"\n")
	var jobIDs []string
	for i, p := range paths {
		m := partName.FindStringSubmatch(filepath.Base(p))
		if m == nil {
			t.Fatalf("part file %s is not named part-NNNNN-<uuid>.c000.json", filepath.Base(p))
		}
		if want := []string{"00000", "00001"}[i]; m[1] != want || m[3] != "000" {
			t.Errorf("part file %s: partition %s, counter %s; want %s, 000", p, m[1], m[3], want)
		}
		jobIDs = append(jobIDs, m[2])
	}
	if jobIDs[0] != jobIDs[1] {
		t.Errorf("part files of one batch have different uuids: %v", jobIDs)
	}
	got, err := ManifestFiles(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, paths) {
		t.Errorf("ManifestFiles = %q; want %q", got, paths)
	}

	// The manifest file itself, in Spark's layout (uuid, paths and times
	// normalised).
	data, err := os.ReadFile(filepath.Join(out, ManifestDir, "0"))
	if err != nil {
		t.Fatal(err)
	}
	norm := strings.ReplaceAll(string(data), fileURI(out), "file:///OUT")
	norm = strings.ReplaceAll(norm, jobIDs[0], "UUID")
	norm = regexp.MustCompile(`"modificationTime":\d+`).ReplaceAllString(norm, `"modificationTime":MTIME`)
	golden(t, "spark_metadata_0.golden", []byte(norm))

	files, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		info, _ := os.Stat(paths[i])
		if f.Size != info.Size() || f.ModificationTime != info.ModTime().UnixMilli() || f.Action != ActionAdd {
			t.Errorf("entry %d = %+v; want size %d, mtime %d, action add", i, f, info.Size(), info.ModTime().UnixMilli())
		}
	}
}

func TestSinkReplayIsSkipped(t *testing.T) {
	out := t.TempDir()
	s, _ := OpenSink(out)
	writeBatch(t, s, 0, "a")
	writeBatch(t, s, 1, "b")
	for _, id := range []int64{0, 1} {
		if _, err := s.Begin(id); !errors.Is(err, ErrAlreadyCommitted) {
			t.Errorf("Begin(%d) after commit: %v; want ErrAlreadyCommitted", id, err)
		}
	}
	// A restarted sink sees the same.
	s2, _ := OpenSink(out)
	if _, err := s2.Begin(1); !errors.Is(err, ErrAlreadyCommitted) {
		t.Errorf("Begin(1) after restart: %v; want ErrAlreadyCommitted", err)
	}
	latest, ok, err := s2.LatestBatch()
	if err != nil || !ok || latest != 1 {
		t.Errorf("LatestBatch = %d, %v, %v; want 1", latest, ok, err)
	}
	files, _ := ManifestFiles(out)
	if len(files) != 2 {
		t.Errorf("ManifestFiles has %d files; want 2 (no duplicates from replays)", len(files))
	}
}

func TestSinkCrashedBatch(t *testing.T) {
	out := t.TempDir()
	s, _ := OpenSink(out)
	committed := writeBatch(t, s, 0, "a")

	// Batch 1 crashes: one part file renamed into place, one still being
	// written, manifest never written.
	b, _ := s.Begin(1)
	done, _ := b.Create(0, "", ".json")
	done.Write([]byte("b"))
	done.Close()
	open, _ := b.Create(1, "date=2024-01-01", ".json")
	open.Write([]byte("partial"))
	userFile := filepath.Join(out, "README.txt")
	os.WriteFile(userFile, []byte("not ours"), 0o644)

	got, err := ManifestFiles(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, committed) {
		t.Errorf("ManifestFiles after crash = %q; want only the committed %q", got, committed)
	}

	// Restart: a new Sink cleans up and re-runs batch 1.
	open.f.Close()
	s2, _ := OpenSink(out)
	removed, err := s2.RemoveUncommitted()
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(removed)
	want := []string{filepath.Join(out, "date=2024-01-01", "."+filepath.Base(open.Path())+tempSuffix), done.Path()}
	sort.Strings(want)
	if !reflect.DeepEqual(removed, want) {
		t.Errorf("RemoveUncommitted removed %q; want %q", removed, want)
	}
	for _, keep := range append(committed, userFile) {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s was removed: %v", keep, err)
		}
	}
	redo := writeBatch(t, s2, 1, "b")
	got, _ = ManifestFiles(out)
	if want := append(committed, redo...); !reflect.DeepEqual(got, want) {
		t.Errorf("after re-run ManifestFiles = %q; want %q", got, want)
	}
}

func TestSinkCompactsEveryTenBatches(t *testing.T) {
	out := t.TempDir()
	s, _ := OpenSink(out)
	var all []string
	for id := int64(0); id < 12; id++ {
		all = append(all, writeBatch(t, s, id, "x")...)
	}
	if _, err := os.Stat(filepath.Join(out, ManifestDir, "9.compact")); err != nil {
		t.Errorf("no 9.compact: %v", err)
	}
	got, err := ManifestFiles(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, all) {
		t.Errorf("ManifestFiles has %d files; want %d in commit order", len(got), len(all))
	}
}

func TestSinkBatchLifecycle(t *testing.T) {
	out := t.TempDir()
	s, _ := OpenSink(out)

	b, _ := s.Begin(0)
	f, _ := b.Create(0, "", ".json")
	if _, err := b.Commit(); err == nil || !strings.Contains(err.Error(), "still open") {
		t.Errorf("Commit with an open part file: %v; want an error", err)
	}
	f.Write([]byte("x"))
	f.Close()
	g, _ := b.Create(0, "", ".json")
	if m := partName.FindStringSubmatch(filepath.Base(g.Path())); m == nil || m[3] != "001" {
		t.Errorf("second file of partition 0 = %s; want counter c001", g.Path())
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 || entries[0].Name() != ManifestDir {
		var n []string
		for _, e := range entries {
			n = append(n, e.Name())
		}
		t.Errorf("after Abort the output holds %v; want only %s", n, ManifestDir)
	}
	if _, err := b.Create(1, "", ".json"); err == nil {
		t.Error("Create after Abort succeeded; want an error")
	}
	if _, err := b.Create(0, "../escape", ".json"); err == nil {
		t.Error("Create with a subdir outside the output succeeded; want an error")
	}

	// An empty batch still commits (Spark writes an empty manifest batch).
	e, _ := s.Begin(0)
	if ok, err := e.Commit(); !ok || err != nil {
		t.Fatalf("empty Commit = %v, %v", ok, err)
	}
	data, _ := os.ReadFile(filepath.Join(out, ManifestDir, "0"))
	if string(data) != "v1" {
		t.Errorf("empty batch manifest = %q; want \"v1\"", data)
	}
}

func TestSinkCommitRace(t *testing.T) {
	out := t.TempDir()
	s, _ := OpenSink(out)
	a, _ := s.Begin(0)
	b, _ := s.Begin(0) // a second writer that began before the first committed
	fa, _ := a.Create(0, "", ".json")
	fa.Close()
	fb, _ := b.Create(0, "", ".json")
	fb.Close()
	if ok, err := a.Commit(); !ok || err != nil {
		t.Fatalf("first Commit = %v, %v", ok, err)
	}
	if ok, err := b.Commit(); ok || err != nil {
		t.Fatalf("second Commit = %v, %v; want false, nil", ok, err)
	}
	if _, err := os.Stat(fb.Path()); !os.IsNotExist(err) {
		t.Errorf("losing writer's part file still exists (%v)", err)
	}
}

func TestReadManifestDeletes(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, ManifestDir)
	os.MkdirAll(dir, 0o755)
	entry := func(p, action string) string {
		b, _ := json.Marshal(SinkFile{Path: "file://" + p, Size: 1, BlockReplication: 1, BlockSize: localBlockSize, Action: action})
		return string(b)
	}
	os.WriteFile(filepath.Join(dir, "0"), []byte("v1\n"+entry("/o/a", "add")+"\n"+entry("/o/b", "add")), 0o644)
	os.WriteFile(filepath.Join(dir, "1"), []byte("v1\n"+entry("/o/a", "delete")), 0o644)
	got, err := ManifestFiles(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/o/b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ManifestFiles = %q; want %q", got, want)
	}
}

func TestManifestErrors(t *testing.T) {
	plain := t.TempDir()
	if _, err := ManifestFiles(plain); !errors.Is(err, ErrNoManifest) {
		t.Errorf("ManifestFiles of a plain dir: %v; want ErrNoManifest", err)
	}
	if ok, _ := HasManifest(filepath.Join(plain, "*")); ok {
		t.Error("HasManifest(glob) = true; want false")
	}
	bad := t.TempDir()
	os.MkdirAll(filepath.Join(bad, ManifestDir), 0o755)
	os.WriteFile(filepath.Join(bad, ManifestDir, "0"), []byte("v1\n{\"path\":"), 0o644)
	if _, err := ManifestFiles(bad); err == nil || !errors.Is(err, checkpoint.ErrCorrupt) {
		t.Errorf("ManifestFiles of a torn manifest: %v; want a corrupt-file error", err)
	}
}

// The file source reading a file sink's output sees committed files only.
func TestIndexReadsSinkOutput(t *testing.T) {
	out, ck := t.TempDir(), t.TempDir()
	s, _ := OpenSink(out)
	first := writeBatch(t, s, 0, "a", "b")
	b, _ := s.Begin(1)
	f, _ := b.Create(0, "", ".json")
	f.Close() // renamed into place, never committed

	ix, err := Open(out, DefaultOptions(), ck)
	if err != nil {
		t.Fatal(err)
	}
	off, err := ix.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := ix.Files(NoOffset, off)
	var got []string
	for _, e := range entries {
		p, _ := e.LocalPath()
		got = append(got, p)
	}
	sort.Strings(got)
	sort.Strings(first)
	if !reflect.DeepEqual(got, first) {
		t.Errorf("source planned %q; want the committed %q", got, first)
	}

	if ok, err := b.Commit(); !ok || err != nil {
		t.Fatal(err)
	}
	next, _ := ix.Latest(context.Background())
	more, _ := ix.Files(off, next)
	if len(more) != 1 {
		t.Errorf("after commit the source planned %d more files; want 1", len(more))
	}

	opts := DefaultOptions()
	opts.CleanSource = CleanDelete
	ix2, _ := Open(out, opts, t.TempDir())
	if _, err := ix2.Latest(context.Background()); err == nil ||
		err.Error() != "list file source "+out+": Clean up source files is not supported when reading from the output directory of FileStreamSink." {
		t.Errorf("cleanSource on sink output: %v; want Spark's refusal", err)
	}
}
