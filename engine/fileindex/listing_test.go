package fileindex

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"
)

// put writes a file (creating directories) with the given modification time.
func put(t *testing.T, path, content string, mtime time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

var t0 = time.UnixMilli(1_700_000_000_000)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

func TestIsHidden(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"data.json", false}, {".data.json", true}, {"_SUCCESS", true}, {"_temporary", true},
		{"_spark_metadata", true}, {"_k=1", false}, {"date=2024-01-01", false},
		{"x.json._COPYING_", true}, {".part-00000-x.c000.json.inprogress", true},
	}
	for _, tc := range tests {
		if got := IsHidden(tc.name); got != tc.want {
			t.Errorf("IsHidden(%q) = %v; want %v", tc.name, got, tc.want)
		}
	}
}

func TestExpandBraces(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a/*.json", []string{"a/*.json"}},
		{"a/*.{json,csv}", []string{"a/*.json", "a/*.csv"}},
		{"{x,y{1,2}}/f", []string{"x/f", "y1/f", "y2/f"}},
		{"a{b", []string{"a{b"}},
	}
	for _, tc := range tests {
		if got := expandBraces(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("expandBraces(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestListPath(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{
		"a.json", "b.csv", "sub/c.json", "date=2024-01-01/d.json", "_k=1/e.json",
		".hidden.json", "_SUCCESS", "_temporary/0/part-0.json", ".staging/f.json", "g.json._COPYING_",
		"sub/.h.json.tmp", "_spark_metadata/0",
	} {
		put(t, filepath.Join(root, name), "x", at(0))
	}
	rel := func(files []fileStatus) []string {
		var out []string
		for _, f := range files {
			r, _ := filepath.Rel(root, f.path)
			out = append(out, filepath.ToSlash(r))
		}
		sort.Strings(out)
		return out
	}
	tests := []struct {
		name    string
		pattern string
		want    []string
	}{
		{"directory, recursive", root, []string{"_k=1/e.json", "a.json", "b.csv", "date=2024-01-01/d.json", "sub/c.json"}},
		{"one file", filepath.Join(root, "a.json"), []string{"a.json"}},
		{"glob on names", filepath.Join(root, "*.json"), []string{"a.json"}},
		{"glob with braces", filepath.Join(root, "*.{json,csv}"), []string{"a.json", "b.csv"}},
		{"glob on directories", filepath.Join(root, "*", "*.json"), []string{"_k=1/e.json", "date=2024-01-01/d.json", "sub/c.json"}},
		{"missing directory", filepath.Join(root, "nope"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files, err := listPath(context.Background(), tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := rel(files); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("listed %q; want %q", got, tc.want)
			}
		})
	}
}

func TestListPathCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := listPath(ctx, t.TempDir()); err != context.Canceled {
		t.Errorf("listPath with cancelled context: %v; want context.Canceled", err)
	}
}

func TestFileURI(t *testing.T) {
	tests := []struct {
		path, uri string
	}{
		{"/tmp/in/a.json", "file:///tmp/in/a.json"},
		{"/tmp/my dir/a#1.json", "file:///tmp/my%20dir/a%231.json"},
		{"/tmp/date=2024-01-01/ü.json", "file:///tmp/date=2024-01-01/%C3%BC.json"},
	}
	for _, tc := range tests {
		if got := fileURI(tc.path); got != tc.uri {
			t.Errorf("fileURI(%q) = %q; want %q", tc.path, got, tc.uri)
		}
		if back, err := localPath(tc.uri); err != nil || back != tc.path {
			t.Errorf("localPath(%q) = %q, %v; want %q", tc.uri, back, err, tc.path)
		}
	}
	for _, uri := range []string{"file:/tmp/a.json", "file://localhost/tmp/a.json", "/tmp/a.json"} {
		if got, err := localPath(uri); err != nil || got != "/tmp/a.json" {
			t.Errorf("localPath(%q) = %q, %v; want /tmp/a.json", uri, got, err)
		}
	}
	for _, uri := range []string{"hdfs://nn/a.json", "file://otherhost/a.json", "rel/a.json"} {
		if _, err := localPath(uri); err == nil {
			t.Errorf("localPath(%q) succeeded; want an error", uri)
		}
	}
}
