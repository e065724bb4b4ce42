package enginetest

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update makes Golden rewrite golden files instead of comparing: go test
// -update.
var Update = flag.Bool("update", false, "rewrite golden files under testdata/")

// Golden compares got with the file at path, or writes it with -update.
func Golden(t testing.TB, path string, got string) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file: %v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
