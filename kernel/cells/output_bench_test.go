package cells

import (
	"context"
	"strings"
	"testing"

	"github.com/gostream/gostream/kernel"
)

// countingOutputs counts stream bytes and drops everything else.
type countingOutputs struct {
	discard
	n int
}

func (c *countingOutputs) Stream(_, text string) { c.n += len(text) }

// benchmarkPrint runs a cell printing 10,000 lines per iteration; with
// background set, a goroutine started by an earlier cell stays alive.
func benchmarkPrint(b *testing.B, background bool) {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Shutdown(context.Background(), false)
	n := 0
	run := func(code string, out kernel.Outputs) {
		n++
		res := e.Execute(context.Background(), kernel.ExecuteRequest{Code: code, ExecutionCount: n}, out)
		if res.Error != nil {
			b.Fatalf("%s: %s\n%s", res.Error.EName, res.Error.EValue, strings.Join(res.Error.Traceback, "\n"))
		}
	}
	run("import \"fmt\"\nstop := make(chan bool)", discard{})
	if background {
		run("go func() { <-stop }()", discard{})
		defer run("close(stop)", discard{})
	}
	b.ResetTimer()
	for b.Loop() {
		out := &countingOutputs{}
		run("for i := 0; i < 10000; i++ {\n\tfmt.Println(i)\n}", out)
		if out.n != 48890 {
			b.Fatalf("got %d bytes, want 48890", out.n)
		}
	}
}

func BenchmarkPrint10000Lines(b *testing.B)               { benchmarkPrint(b, false) }
func BenchmarkPrint10000LinesGoroutineAlive(b *testing.B) { benchmarkPrint(b, true) }
