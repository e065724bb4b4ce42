package kernelspec

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakePython writes an executable script that prints prefix the way
// `python -c 'import sys; print(sys.prefix)'` does.
func fakePython(t *testing.T, prefix string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "python")
	script := "#!/bin/sh\necho '" + prefix + "'\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInstall(t *testing.T) {
	const exe = "/opt/gostream/bin/gostream"
	tests := []struct {
		name string
		// setup returns the options and the folder the spec must land in.
		setup       func(t *testing.T) (Options, string)
		wantDisplay string
	}{
		{
			name: "user honours JUPYTER_DATA_DIR",
			setup: func(t *testing.T) (Options, string) {
				d := t.TempDir()
				t.Setenv("JUPYTER_DATA_DIR", d)
				return Options{Scope: User, Executable: exe}, filepath.Join(d, "kernels", "gostream")
			},
			wantDisplay: DefaultDisplayName,
		},
		{
			name: "user defaults to ~/.local/share/jupyter",
			setup: func(t *testing.T) (Options, string) {
				home := t.TempDir()
				t.Setenv("JUPYTER_DATA_DIR", "")
				t.Setenv("HOME", home)
				return Options{Executable: exe}, filepath.Join(home, ".local", "share", "jupyter", "kernels", "gostream")
			},
			wantDisplay: DefaultDisplayName,
		},
		{
			name: "prefix",
			setup: func(t *testing.T) (Options, string) {
				d := t.TempDir()
				t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
				return Options{Scope: Prefix, Prefix: d, Executable: exe}, filepath.Join(d, "share", "jupyter", "kernels", "gostream")
			},
			wantDisplay: DefaultDisplayName,
		},
		{
			name: "sys-prefix uses sys.prefix of the python",
			setup: func(t *testing.T) (Options, string) {
				d := t.TempDir()
				return Options{Scope: SysPrefix, Python: fakePython(t, d), Executable: exe},
					filepath.Join(d, "share", "jupyter", "kernels", "gostream")
			},
			wantDisplay: DefaultDisplayName,
		},
		{
			name: "custom name and display name",
			setup: func(t *testing.T) (Options, string) {
				d := t.TempDir()
				t.Setenv("JUPYTER_DATA_DIR", d)
				return Options{Name: "go-dev", DisplayName: "Go (dev)", Executable: exe}, filepath.Join(d, "kernels", "go-dev")
			},
			wantDisplay: "Go (dev)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts, wantDir := tc.setup(t)
			dir, err := Install(opts)
			if err != nil {
				t.Fatalf("Install: %v", err)
			}
			if dir != wantDir {
				t.Errorf("dir = %q, want %q", dir, wantDir)
			}
			var got map[string]any
			b, err := os.ReadFile(filepath.Join(wantDir, "kernel.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("kernel.json is not JSON: %v\n%s", err, b)
			}
			want := map[string]any{
				"argv":           []any{exe, "kernel", "{connection_file}"},
				"display_name":   tc.wantDisplay,
				"language":       "go",
				"interrupt_mode": "message",
				"env":            map[string]any{},
				"metadata":       map[string]any{"debugger": false},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("kernel.json:\n got %v\nwant %v", got, want)
			}
			for _, f := range logoFiles {
				gotLogo, err := os.ReadFile(filepath.Join(wantDir, f))
				if err != nil {
					t.Fatalf("logo: %v", err)
				}
				wantLogo, _ := logos.ReadFile(f)
				if len(wantLogo) == 0 || !bytes.Equal(gotLogo, wantLogo) {
					t.Errorf("%s: got %d bytes, want the %d embedded bytes", f, len(gotLogo), len(wantLogo))
				}
			}
		})
	}
}

func TestInstallReplacesOldSpec(t *testing.T) {
	d := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", d)
	dir, err := Install(Options{Executable: "/old/gostream"})
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "stale.txt")
	if err := os.WriteFile(stale, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(Options{Executable: "/new/gostream"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale file survived a reinstall: stat err = %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "kernel.json"))
	var spec Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if got, want := spec.Argv[0], "/new/gostream"; got != want {
		t.Errorf("argv[0] = %q, want %q", got, want)
	}
}

func TestInstallDefaultExecutable(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	dir, err := Install(Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "kernel.json"))
	var spec Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	self, _ := os.Executable()
	want, _ := filepath.EvalSymlinks(self)
	if got := spec.Argv[0]; got != want {
		t.Errorf("argv[0] = %q, want the running executable %q", got, want)
	}
}

func TestInstallErrors(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"invalid name", Options{Name: "go stream", Executable: "/x/gostream"}, "invalid kernel name"},
		{"relative executable", Options{Executable: "bin/gostream"}, "not an absolute path"},
		{"prefix without dir", Options{Scope: Prefix, Executable: "/x/gostream"}, "--prefix needs a directory"},
		{"python that fails", Options{Scope: SysPrefix, Python: "/nonexistent/python3", Executable: "/x/gostream"}, "sys.prefix"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
			_, err := Install(tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestShebang(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"absolute interpreter", "#!/usr/bin/python3\nimport sys\n", "/usr/bin/python3"},
		{"interpreter with flag", "#!/usr/bin/python3 -I\n", "/usr/bin/python3"},
		{"env", "#!/usr/bin/env python3\n", "python3"},
		{"env with flag", "#!/usr/bin/env -S python3 -u\n", "python3"},
		{"binary", "\x7fELF\x02\x01\n", ""},
		{"empty shebang", "#!\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "jupyter")
			if err := os.WriteFile(p, []byte(tc.content), 0o755); err != nil {
				t.Fatal(err)
			}
			if got := shebang(p); got != tc.want {
				t.Errorf("shebang = %q, want %q", got, tc.want)
			}
		})
	}
}
