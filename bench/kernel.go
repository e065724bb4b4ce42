package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// pythonForKernel is the interpreter with the Jupyter client stack
// (Debian's, see the Makefile).
const pythonForKernel = "/usr/bin/python3"

// runKernel builds the gostream binary and runs tests/bench_kernel.py,
// which starts gostream and ipykernel through the same jupyter_client,
// and includes its table in the report.
func runKernel(r *report, _ []int) error {
	dir, err := os.MkdirTemp("", "gostream-bench-kernel-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "gostream")
	progress("kernel: building %s", bin)
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir, build.Stderr = "..", os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building gostream: %w", err)
	}
	progress("kernel: running tests/bench_kernel.py %s", *flagKernel)
	args := append([]string{"tests/bench_kernel.py"}, strings.Fields(*flagKernel)...)
	cmd := exec.Command(pythonForKernel, args...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOSTREAM_BIN="+bin, "PYDEVD_DISABLE_FILE_VALIDATION=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tests/bench_kernel.py: %w", err)
	}
	r.section("Kernel (tests/bench_kernel.py, gostream against ipykernel through the same jupyter_client; " +
		"targets: start median < 150 ms, round-trip median < 2 ms and below ipykernel's, 10,000 lines < 1 s):\n\n" +
		strings.TrimSpace(out.String()))
	return nil
}
