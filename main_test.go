package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantStdout string // regexp
		wantStderr string // regexp
	}{
		{"no arguments", nil, 2, `^$`, `Usage:`},
		{"help", []string{"help"}, 0, `gostream install \[--user`, `^$`},
		{"--help", []string{"--help"}, 0, `gostream kernel CONNECTION_FILE`, `^$`},
		{"unknown command", []string{"serve"}, 2, `^$`, `unknown command "serve"`},
		{"version", []string{"version"}, 0, `(?m)^gostream dev\ngo +go1\.\S+ \w+/\w+\nyaegi +v\S+\narrow +(v15\.\S+|\(not linked\))\n$`, `^$`},
		{"version with argument", []string{"version", "x"}, 2, `^$`, `version takes no arguments`},
		{"kernel without file", []string{"kernel"}, 2, `^$`, `kernel needs exactly one argument`},
		{"kernel with two files", []string{"kernel", "a", "b"}, 2, `^$`, `kernel needs exactly one argument`},
		{"kernel with missing file", []string{"kernel", "/nonexistent/kernel-1.json"}, 1, `^$`, `connection file: .*no such file`},
		{"install with two scopes", []string{"install", "--user", "--prefix", "/tmp/x"}, 2, `^$`, `choose one of --user, --sys-prefix and --prefix`},
		{"install with empty prefix", []string{"install", "--prefix", ""}, 2, `^$`, `--prefix needs a directory`},
		{"install with unknown flag", []string{"install", "--global"}, 2, `^$`, `flag provided but not defined: -global`},
		{"install with argument", []string{"install", "extra"}, 2, `^$`, `install takes no arguments`},
		{"install with bad name", []string{"install", "--name", "a/b"}, 1, `^$`, `invalid kernel name "a/b"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
			var stdout, stderr bytes.Buffer
			status := run(tc.args, &stdout, &stderr)
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d (stderr %q)", status, tc.wantStatus, stderr.String())
			}
			if !regexp.MustCompile(tc.wantStdout).MatchString(stdout.String()) {
				t.Errorf("stdout = %q, want match for %q", stdout.String(), tc.wantStdout)
			}
			if !regexp.MustCompile(tc.wantStderr).MatchString(stderr.String()) {
				t.Errorf("stderr = %q, want match for %q", stderr.String(), tc.wantStderr)
			}
		})
	}
}

func TestInstallCommand(t *testing.T) {
	tests := []struct {
		name string
		// args gets the temporary directory; wantDir is relative to it.
		args    func(dir string) []string
		wantDir string
	}{
		{"default is user", func(string) []string { return []string{"install"} }, "data/kernels/gostream"},
		{"user with name", func(string) []string { return []string{"install", "--user", "--name", "go2"} }, "data/kernels/go2"},
		{"prefix", func(d string) []string { return []string{"install", "--prefix", filepath.Join(d, "env")} }, "env/share/jupyter/kernels/gostream"},
		{"prefix=", func(d string) []string { return []string{"install", "--prefix=" + filepath.Join(d, "env")} }, "env/share/jupyter/kernels/gostream"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			t.Setenv("JUPYTER_DATA_DIR", filepath.Join(d, "data"))
			var stdout, stderr bytes.Buffer
			if status := run(tc.args(d), &stdout, &stderr); status != 0 {
				t.Fatalf("status = %d, stderr %q", status, stderr.String())
			}
			want := filepath.Join(d, tc.wantDir)
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("stdout = %q, want it to name %s", stdout.String(), want)
			}
			if _, err := os.Stat(filepath.Join(want, "kernel.json")); err != nil {
				t.Errorf("kernel.json not written: %v", err)
			}
		})
	}
}
