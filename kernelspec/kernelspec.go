// Package kernelspec writes the Jupyter kernel specification of gostream:
// kernel.json and the logos, in a kernels/<name> folder of a Jupyter data
// directory where `jupyter kernelspec list` and every front end find it.
//
// It only writes files; it never starts a kernel and never talks to Jupyter.
package kernelspec

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

//go:embed logo-32x32.png logo-64x64.png logo-svg.svg
var logos embed.FS

// Logo file names, as Jupyter looks them up in a kernelspec folder.
var logoFiles = []string{"logo-32x32.png", "logo-64x64.png", "logo-svg.svg"}

const (
	// DefaultName is the folder name, and so the kernel name, of the spec.
	DefaultName = "gostream"
	// DefaultDisplayName is the name front ends show in their kernel lists.
	DefaultDisplayName = "Go (gostream)"
)

// Scope says which Jupyter data directory the spec goes to.
type Scope int

const (
	// User installs into the user's data directory: $JUPYTER_DATA_DIR when
	// set, else ~/.local/share/jupyter.
	User Scope = iota
	// SysPrefix installs into <sys.prefix>/share/jupyter of the Python that
	// runs the `jupyter` command found on PATH.
	SysPrefix
	// Prefix installs into <Options.Prefix>/share/jupyter.
	Prefix
)

// String returns the command-line flag that selects the scope.
func (s Scope) String() string {
	switch s {
	case User:
		return "--user"
	case SysPrefix:
		return "--sys-prefix"
	case Prefix:
		return "--prefix"
	}
	return fmt.Sprintf("Scope(%d)", int(s))
}

// Options says where the spec goes and what it runs. Zero values select the
// defaults documented on each field.
type Options struct {
	Scope Scope
	// Prefix is the installation prefix for the Prefix scope.
	Prefix string
	// Name is the kernel name and folder name; default DefaultName. Jupyter
	// accepts letters, digits, '.', '_' and '-'.
	Name string
	// DisplayName is shown by front ends; default DefaultDisplayName.
	DisplayName string
	// Executable is the gostream binary written in argv; default the
	// running executable with symlinks resolved.
	Executable string
	// Python is the interpreter whose sys.prefix the SysPrefix scope uses;
	// default the interpreter of the `jupyter` command on PATH, else
	// /usr/bin/python3, else python3 on PATH.
	Python string
}

// Spec is the content of kernel.json.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      map[string]any    `json:"metadata"`
}

// NewSpec returns the spec that starts executable as a gostream kernel.
func NewSpec(executable, displayName string) Spec {
	return Spec{
		Argv:          []string{executable, "kernel", "{connection_file}"},
		DisplayName:   displayName,
		Language:      "go",
		InterruptMode: "message",
		Env:           map[string]string{},
		Metadata:      map[string]any{"debugger": false},
	}
}

var validName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// Install writes kernel.json and the logos into <data dir>/kernels/<name>,
// replacing any spec already there, and returns the folder it wrote.
func Install(opts Options) (string, error) {
	name := opts.Name
	if name == "" {
		name = DefaultName
	}
	if !validName.MatchString(name) {
		return "", fmt.Errorf("kernelspec: invalid kernel name %q: use only letters, digits, '.', '_' and '-'", name)
	}
	display := opts.DisplayName
	if display == "" {
		display = DefaultDisplayName
	}
	exe := opts.Executable
	if exe == "" {
		var err error
		if exe, err = runningExecutable(); err != nil {
			return "", err
		}
	}
	if !filepath.IsAbs(exe) {
		return "", fmt.Errorf("kernelspec: executable %q is not an absolute path: the spec must work from any directory", exe)
	}
	dataDir, err := DataDir(opts)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(dataDir, "kernels", name)
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("kernelspec: removing the old spec in %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernelspec: creating %s: %w (choose another scope with --user, --sys-prefix or --prefix)", dir, err)
	}
	js, err := json.MarshalIndent(NewSpec(exe, display), "", " ")
	if err != nil {
		return "", fmt.Errorf("kernelspec: encoding kernel.json: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(js, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("kernelspec: writing kernel.json: %w", err)
	}
	for _, f := range logoFiles {
		b, err := logos.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("kernelspec: reading embedded %s: %w", f, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			return "", fmt.Errorf("kernelspec: writing %s: %w", f, err)
		}
	}
	return dir, nil
}

// DataDir returns the Jupyter data directory that opts.Scope selects.
func DataDir(opts Options) (string, error) {
	switch opts.Scope {
	case User:
		if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
			return filepath.Abs(d)
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("kernelspec: finding the user data directory: %w (set JUPYTER_DATA_DIR or use --prefix)", err)
		}
		return filepath.Join(home, ".local", "share", "jupyter"), nil
	case SysPrefix:
		py := opts.Python
		if py == "" {
			py = jupyterPython()
		}
		prefix, err := sysPrefix(py)
		if err != nil {
			return "", err
		}
		return filepath.Join(prefix, "share", "jupyter"), nil
	case Prefix:
		if opts.Prefix == "" {
			return "", errors.New("kernelspec: --prefix needs a directory")
		}
		p, err := filepath.Abs(opts.Prefix)
		if err != nil {
			return "", fmt.Errorf("kernelspec: prefix %q: %w", opts.Prefix, err)
		}
		return filepath.Join(p, "share", "jupyter"), nil
	}
	return "", fmt.Errorf("kernelspec: unknown scope %v", opts.Scope)
}

// runningExecutable returns the absolute path of this program, symlinks
// resolved, so the spec keeps working when a link is moved.
func runningExecutable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("kernelspec: finding the gostream executable: %w", err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return "", fmt.Errorf("kernelspec: resolving the gostream executable: %w", err)
	}
	return filepath.Abs(exe)
}

// jupyterPython returns the interpreter named on the shebang line of the
// `jupyter` command on PATH, falling back to /usr/bin/python3 and then to
// python3 on PATH.
func jupyterPython() string {
	if j, err := exec.LookPath("jupyter"); err == nil {
		if py := shebang(j); py != "" {
			return py
		}
	}
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

// shebang returns the interpreter of a "#!" script, resolving
// "#!/usr/bin/env prog" to prog; "" when the file is not a script.
func shebang(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "#!") {
		return ""
	}
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return ""
	}
	if filepath.Base(fields[0]) == "env" {
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "-") {
				return f
			}
		}
		return ""
	}
	return fields[0]
}

// sysPrefix asks python for its sys.prefix.
func sysPrefix(python string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command(python, "-c", "import sys; print(sys.prefix)")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("kernelspec: asking %s for sys.prefix: %w: %s (use --user or --prefix DIR instead)",
			python, err, strings.TrimSpace(stderr.String()))
	}
	prefix := strings.TrimSpace(string(out))
	if prefix == "" {
		return "", fmt.Errorf("kernelspec: %s printed an empty sys.prefix (use --user or --prefix DIR instead)", python)
	}
	return prefix, nil
}
