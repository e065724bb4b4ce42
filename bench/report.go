package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

// result is one row of the report.
type result struct {
	area, measure string
	cores         int     // 0: not an engine measure
	value         float64 // in unit
	unit          string  // "events/s", "ms", ...
	perCore       bool    // value/cores is meaningful (throughput)
	target        string  // the per-core target, as text
	met           *bool   // whether the target is met, nil when none
	anchor        string  // the figure compared against
	ratio         string  // value / anchor, as text
	note          string
}

type report struct {
	command string
	load    string // load average at the start
	started time.Time
	elapsed time.Duration
	rows    []result
	notes   []string
	extra   []string // whole sections (the kernel table)
}

func newReport(command string) *report {
	return &report{command: command, started: time.Now().UTC(), load: loadAverage()}
}

func (r *report) add(res result)   { r.rows = append(r.rows, res) }
func (r *report) note(s string)    { r.notes = append(r.notes, s) }
func (r *report) section(s string) { r.extra = append(r.extra, s) }

func boolp(b bool) *bool { return &b }

// cpuModel is the first model name of /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return runtime.GOARCH
}

func (r *report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "date:    %s\n", r.started.Format(time.RFC3339))
	fmt.Fprintf(&b, "machine: %d cores (nproc), %s, %s/%s, %s\n", runtime.NumCPU(), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(&b, "command: cd bench && go run . %s\n", r.command)
	fmt.Fprintf(&b, "took:    %s\n", r.elapsed.Round(time.Second))
	fmt.Fprintf(&b, "load:    %s at the start, %s at the end (1, 5, 15 min averages; other work on the machine slows the wall-clock figures, not the per-CPU-second ones)\n\n", r.load, loadAverage())
	if len(r.rows) > 0 {
		b.WriteString("| area | measure | cores | result | per core | target per core | anchor | vs anchor |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|\n")
	}
	for _, x := range r.rows {
		cores, perCore := "", ""
		if x.cores > 0 {
			cores = fmt.Sprint(x.cores)
		}
		if x.perCore && x.cores > 0 {
			perCore = human(x.value/float64(x.cores), x.unit)
		}
		target := x.target
		if x.perCore && x.cores > 1 {
			// The per-core targets are checked on one core; on more, the
			// column shows how the figure scales.
			target = ""
			for _, one := range r.rows {
				if one.area == x.area && one.measure == x.measure && one.cores == 1 && one.value > 0 {
					target = fmt.Sprintf("scaling: %s of 1 core", ratio(x.value, one.value))
				}
			}
		} else if x.met != nil {
			if *x.met {
				target += " (met)"
			} else {
				target += " (MISSED)"
			}
		}
		val := human(x.value, x.unit)
		if x.note != "" {
			val += " " + x.note
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", x.area, x.measure, cores, val, perCore, target, x.anchor, x.ratio)
	}
	for _, n := range r.notes {
		fmt.Fprintf(&b, "\n%s\n", n)
	}
	for _, s := range r.extra {
		fmt.Fprintf(&b, "\n%s\n", s)
	}
	return b.String()
}

// human formats v with its unit: thousands and millions for rates,
// milliseconds with two decimals.
func human(v float64, unit string) string {
	switch {
	case unit == "ms" && v < 1:
		return fmt.Sprintf("%.3f %s", v, unit)
	case unit == "ms" || unit == "s" || unit == "x":
		return fmt.Sprintf("%.2f %s", v, unit)
	case strings.HasPrefix(unit, "MB"):
		return fmt.Sprintf("%.0f %s", v, unit)
	case v >= 1e6:
		return fmt.Sprintf("%.2f M %s", v/1e6, unit)
	case v >= 1e3:
		return fmt.Sprintf("%.1f K %s", v/1e3, unit)
	}
	return fmt.Sprintf("%.0f %s", v, unit)
}

// ratio formats a/b as "12.3x".
func ratio(a, b float64) string {
	if b == 0 {
		return ""
	}
	r := a / b
	switch {
	case r > 0 && r < 0.01:
		return fmt.Sprintf("1/%.0f", 1/r)
	case r >= 100:
		return fmt.Sprintf("%.0fx", r)
	case r >= 10:
		return fmt.Sprintf("%.1fx", r)
	}
	return fmt.Sprintf("%.2fx", r)
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the first three fields of /proc/loadavg, "" when
// unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// profiled runs fn with GOMAXPROCS set to cores, writing a CPU profile
// named name into the -cpuprofile directory when one is set.
func profiled(name string, cores int, fn func() error) error {
	runtime.GOMAXPROCS(cores)
	if *flagProfile == "" {
		return fn()
	}
	if err := os.MkdirAll(*flagProfile, 0o755); err != nil {
		return err
	}
	path := filepath.Join(*flagProfile, fmt.Sprintf("%s-%dcpu.prof", name, cores))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	err = fn()
	pprof.StopCPUProfile()
	return err
}
