package cells

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gostream/gostream/kernel"
)

// step is one cell of a scripted session and what it must produce.
type step struct {
	code      string
	want      string // text/plain of the result; "" for none
	wantErr   string // ename; "" for success
	errHas    string // substring of evalue
	stdoutHas string
}

func runSteps(t *testing.T, steps []step) {
	t.Helper()
	s := newSession(t, Options{})
	for i, st := range steps {
		res, out := s.run(st.code)
		got := ""
		if p, ok := res.Data["text/plain"].(string); ok {
			got = p
		}
		if st.wantErr == "" && res.Error != nil {
			t.Fatalf("step %d %q: unexpected %s: %s\n%s", i, st.code, res.Error.EName, res.Error.EValue, strings.Join(res.Error.Traceback, "\n"))
		}
		if st.wantErr != "" {
			if res.Error == nil {
				t.Fatalf("step %d %q: got result %q, want %s error", i, st.code, got, st.wantErr)
			}
			if res.Error.EName != st.wantErr || !strings.Contains(res.Error.EValue, st.errHas) {
				t.Fatalf("step %d %q: got %s: %q, want %s containing %q", i, st.code, res.Error.EName, res.Error.EValue, st.wantErr, st.errHas)
			}
			continue
		}
		if got != st.want {
			t.Errorf("step %d %q: result got %q, want %q", i, st.code, got, st.want)
		}
		if so := out.stream("stdout"); !strings.Contains(so, st.stdoutHas) {
			t.Errorf("step %d %q: stdout got %q, want it to contain %q", i, st.code, so, st.stdoutHas)
		}
	}
}

func TestStateAcrossCells(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		// goroutines marks cases whose goroutines run while the cell's
		// later pieces compile (see race_test.go).
		goroutines bool
	}{
		{name: "define then use", steps: []step{{code: "x := 1"}, {code: "x + 1", want: "2"}}},
		{name: "redefine with :=", steps: []step{{code: "x := 1"}, {code: "x := 2"}, {code: "x", want: "2"}}},
		{name: "redefine with another type", steps: []step{{code: "x := 1"}, {code: `x := "s"`}, {code: "x", want: `"s"`}}},
		{name: "functions see reassigned vars", steps: []step{
			{code: "n := 10\nfunc get() int { return n }"},
			{code: "n := 20"},
			{code: "get()", want: "20"},
		}},
		{name: "mixed cell in any order", steps: []step{{code: `x := 2
import "fmt"
type P struct{ X, Y int }
func (p P) Sum() int { return p.X + p.Y }
var q = P{1, x}
fmt.Println("sum", q.Sum())
q.Sum()`, want: "3", stdoutHas: "sum 3"}}},
		{name: "var reading earlier cells", steps: []step{{code: "a := 5"}, {code: "var b = a * 2\nb", want: "10"}}},
		{name: "compiled type composite", steps: []step{{code: "import \"bytes\"\nbuf := &bytes.Buffer{}\nbuf.WriteString(\"hi\")\nbuf.String()", want: `"hi"`}}},
		{name: "multi define", steps: []step{{code: "import \"strconv\"\nn, err := strconv.Atoi(\"42\")"}, {code: "n + 1", want: "43"}, {code: "err", want: "nil"}}},
		{name: "redefine func", steps: []step{{code: "func f() int { return 1 }"}, {code: "func f() int { return 2 }"}, {code: "f()", want: "2"}}},
		{name: "closure var", steps: []step{{code: "add := func(a, b int) int { return a + b }"}, {code: "add(2, 3)", want: "5"}}},
		{name: "statement then decl using it", steps: []step{{code: "var count int\nfunc inc() { count++ }\ninc()\ninc()\ncount", want: "2"}}},
		{name: "loop and goroutines with arguments", steps: []step{{code: `import "sync"
var wg sync.WaitGroup
out := make([]int, 4)
func work(i int) { defer wg.Done(); out[i] = i * 10 }
for i := 0; i < 4; i++ {
	wg.Add(1)
	go work(i)
}
wg.Wait()
out`, want: "[0 10 20 30]"}}},
		{name: "undefined name defined later", steps: []step{
			{code: "undefinedName", wantErr: "CompileError", errHas: "undefined: undefinedName"},
			{code: "y := undefinedName + 1", wantErr: "CompileError", errHas: "undefined: undefinedName"},
			{code: "undefinedName := 4"},
			{code: "undefinedName", want: "4"},
		}},
		{name: "log.New writes to its writer", steps: []step{
			{code: "import \"bytes\"\nimport \"log\"\nvar buf bytes.Buffer\nl := log.New(&buf, \"p: \", 0)\nl.Print(\"x\")\nbuf.String()", want: `"p: x\n"`},
		}},
		{name: "log.Writer returns what SetOutput set", steps: []step{
			{code: "import \"bytes\"\nimport \"log\"\nvar buf bytes.Buffer\nlog.SetOutput(&buf)\nlog.SetFlags(0)\nlog.Print(\"y\")\nlog.Writer() == &buf", want: "true"},
			{code: "buf.String()", want: `"y\n"`},
		}},
		{name: "go with float32 parameter", steps: []step{{code: `done := make(chan float32)
func half(f float32) { done <- f / 2 }
go half(1.5)
<-done`, want: "0.75"}}, goroutines: true},
		{name: "go builtin and variadic", steps: []step{{code: `ch := make(chan int, 1)
func sum(xs ...int) { t := 0; for _, x := range xs { t += x }; ch <- t }
xs := []int{1, 2, 3}
go sum(xs...)
r := <-ch
go close(ch)
r`, want: "6"}}, goroutines: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.goroutines && raceDetector {
				t.Skip("yaegi's global frame races with running goroutines; see race_test.go")
			}
			runSteps(t, tc.steps)
		})
	}
}

func TestResultRendering(t *testing.T) {
	tests := []struct {
		name string
		code string
		want kernel.MIMEBundle // nil: no result
	}{
		{"int", "1+1", kernel.MIMEBundle{"text/plain": "2"}},
		{"string quoted", `"a\tb"`, kernel.MIMEBundle{"text/plain": `"a\tb"`}},
		{"nil", "nil", kernel.MIMEBundle{"text/plain": "nil"}},
		{"nil pointer", "var p *int\np", kernel.MIMEBundle{"text/plain": "nil"}},
		{"slice", "[]string{\"a\"}", kernel.MIMEBundle{"text/plain": "[a]"}},
		{"void call", "func f() {}\nf()", nil},
		{"println", "println(1)", nil},
		{"fmt.Println", "import \"fmt\"\nfmt.Println(1)", nil},
		{"value and nil error", "import \"strconv\"\nstrconv.Atoi(\"7\")", kernel.MIMEBundle{"text/plain": "7"}},
		{"interpreted HTML", "type H struct{}\nfunc (H) HTML() string { return \"<b>x</b>\" }\nH{}",
			kernel.MIMEBundle{"text/plain": "{}", "text/html": "<b>x</b>"}},
		{"interpreted pointer methods", "type M struct{ s string }\nfunc (m *M) Markdown() string { return \"# \" + m.s }\nfunc (m *M) String() string { return m.s }\n&M{\"t\"}",
			kernel.MIMEBundle{"text/plain": "t", "text/markdown": "# t"}},
		{"interpreted SVG PNG JSON", "type G int\nfunc (G) SVG() string { return \"<svg/>\" }\nfunc (G) PNG() []byte { return []byte{1, 2} }\nfunc (G) JSON() string { return `{\"a\":1}` }\nG(3)",
			kernel.MIMEBundle{"text/plain": "3", "image/svg+xml": "<svg/>", "image/png": "AQI=", "application/json": map[string]any{"a": float64(1)}}},
		{"interpreted bundle", "type B struct{}\nfunc (B) MIMEBundle() map[string]any { return map[string]any{\"text/x-custom\": \"c\"} }\nB{}",
			kernel.MIMEBundle{"text/plain": "{}", "text/x-custom": "c"}},
		{"compiled Stringer", "import \"time\"\ntime.Duration(1500) * time.Millisecond", kernel.MIMEBundle{"text/plain": "1.5s"}},
		{"conversion to a slice type", `[]byte("hi")`, kernel.MIMEBundle{"text/plain": "[104 105]"}},
		{"conversion to a map type", `map[string]int(nil)`, kernel.MIMEBundle{"text/plain": "nil"}},
		{"conversion to a func type", `(func())(nil)`, kernel.MIMEBundle{"text/plain": "nil"}},
		{"conversion to a session type", "type Chip string\nChip(\"go\")", kernel.MIMEBundle{"text/plain": `"go"`}},
		{"compiled type with Display", "import \"gostream/testpkg\"\ntestpkg.Chart{Title: \"t\"}",
			kernel.MIMEBundle{"text/plain": "chart t", "text/html": "<h1>t</h1>", "application/vnd.test": "t"}},
	}
	s := newSession(t, Options{Exports: []interpExports{testExports}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := s.run(tc.code)
			if res.Error != nil {
				t.Fatalf("%s: %s\n%s", res.Error.EName, res.Error.EValue, strings.Join(res.Error.Traceback, "\n"))
			}
			if !bundlesEqual(res.Data, tc.want) {
				t.Errorf("result\n got %#v\nwant %#v", res.Data, tc.want)
			}
		})
	}
}

func TestErrorValueOfTrailingCall(t *testing.T) {
	s := newSession(t, Options{})
	res, _ := s.run("import \"strconv\"\nstrconv.Atoi(\"x\")")
	if res.Error == nil || res.Error.EName != "strconv.NumError" || !strings.Contains(res.Error.EValue, `parsing "x"`) {
		t.Fatalf("got %+v, want a strconv.NumError", res.Error)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name, code       string
		ename, evalueHas string
		tracebackHas     []string
	}{
		{"undefined", "x := 1\ny := x + undefinedName", "CompileError", "cell1:2:10: undefined: undefinedName",
			[]string{"    y := x + undefinedName", "             ^", "hint: define it"}},
		{"syntax", "x := (1 +\nfunc", "SyntaxError", "cell1:", nil},
		{"type mismatch", "var s string = 1", "CompileError", "cell1:1:", nil},
		{"unterminated string", "s := \"abc", "SyntaxError", "cell1:1:6", nil},
		{"unknown package", "import \"example.com/nope\"", "CompileError", "cell1:1:8", []string{"hint: only the standard library"}},
		{"positions in later lines", "a := 1\n\n\tb := a.Foo", "CompileError", "cell1:3:", nil},
		{"bare undefined name", "undefinedName", "CompileError", "cell1:1:1: undefined: undefinedName",
			[]string{"    undefinedName", "    ^", "hint: define it"}},
		{"undefined after other statements", "x := 1\nx++\n  undefinedName", "CompileError", "cell1:3:3: undefined: undefinedName", nil},
		{"undefined in a call", "import \"fmt\"\nfmt.Println(1, undefinedName)", "CompileError", "cell1:2:16: undefined: undefinedName", nil},
		{"undefined on the right of :=", "y := undefinedName", "CompileError", "cell1:1:6: undefined: undefinedName", nil},
		{"undefined operand", "-undefinedName", "CompileError", "cell1:1:2: undefined: undefinedName", nil},
		{"undefined function", "undefinedName()", "CompileError", "cell1:1:1: undefined: undefinedName", nil},
		{"undefined in a condition", "if undefinedName {\n}", "CompileError", "cell1:1:4: undefined: undefinedName", nil},
		{"missing import", "strings.ToUpper(\"x\")", "CompileError", "cell1:1:1: undefined: strings", []string{`hint: add import "strings"`}},
		{"missing import of an ambiguous name", "rand.Int()", "CompileError", "cell1:1:1: undefined: rand", []string{`hint: import one of "crypto/rand", "math/rand"`}},
		{"package without selector", "import \"fmt\"\nfmt", "CompileError", "cell1:2:1: use of package fmt without selector", nil},
		{"type as a value", "type P struct{}\nP", "CompileError", "cell1:2:1: P (type) is not an expression", nil},
		{"predeclared type as a value", "int", "CompileError", "cell1:1:1: int (type) is not an expression", nil},
		{"type literal as a value", "[]string", "CompileError", "cell1:1:1: []string (type) is not an expression", nil},
		{"other errors keep their text", "for i := 0; i < 3; i++ {\n\tvar s string = i\n\t_ = s\n}", "CompileError", "cell1:2:17: cannot use type int as type string", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, Options{})
			res, _ := s.run(tc.code)
			if res.Error == nil {
				t.Fatalf("got no error, want %s", tc.ename)
			}
			if res.Error.EName != tc.ename || !strings.Contains(res.Error.EValue, tc.evalueHas) {
				t.Fatalf("got %s: %q, want %s containing %q", res.Error.EName, res.Error.EValue, tc.ename, tc.evalueHas)
			}
			tb := strings.Join(res.Error.Traceback, "\n")
			for _, want := range tc.tracebackHas {
				if !strings.Contains(tb, want) {
					t.Errorf("traceback got\n%s\nwant it to contain %q", tb, want)
				}
			}
		})
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name, code    string
		ename, evalue string
		tracebackHas  []string
	}{
		{"string panic", "func boom() {\n\tpanic(\"boom\")\n}\nboom()", "panic", "boom",
			[]string{"cell1:2:2 in main.boom", "\tpanic(\"boom\")", "cell1:4:1"}},
		{"runtime error", "var m map[string]int\nm[\"a\"] = 1", "runtime.Error", "assignment to entry in nil map", []string{"cell1:2:"}},
		{"error value", "import \"errors\"\npanic(errors.New(\"bad\"))", "errors.errorString", "bad", nil},
		{"os.Exit", "import \"os\"\nos.Exit(3)", "Exit", "os.Exit(3) called: the kernel keeps running; restart the kernel to start over", nil},
		{"log.Fatal", "import \"log\"\nlog.Fatal(\"fatal!\")", "Exit", "os.Exit(1) called", nil},
		{"log.Default().Fatalf", "import \"log\"\nlog.Default().Fatalf(\"x %d\", 1)", "Exit", "os.Exit(1) called", nil},
		{"log.New Fatal", "import \"log\"\nimport \"os\"\nl := log.New(os.Stderr, \"app: \", 0)\nl.Fatal(\"down\")", "Exit", "os.Exit(1) called", nil},
		{"log.New Fatalln to a buffer", "import \"log\"\nimport \"bytes\"\nvar buf bytes.Buffer\nlog.New(&buf, \"\", 0).Fatalln(\"down\")", "Exit", "os.Exit(1) called", nil},
		{"log.New Fatalf to io.Discard", "import \"log\"\nimport \"io\"\nlog.New(io.Discard, \"\", 0).Fatalf(\"%d\", 1)", "Exit", "os.Exit(1) called", nil},
		{"Default Fatal after SetOutput", "import \"log\"\nimport \"io\"\nlog.SetOutput(io.Discard)\nlog.Default().Fatal(\"x\")", "Exit", "os.Exit(1) called", nil},
		{"log.New Panic", "import \"log\"\nimport \"io\"\nlog.New(io.Discard, \"\", 0).Panicf(\"bad %s\", \"input\")", "panic", "bad input", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, Options{})
			res, out := s.run(tc.code)
			if res.Error == nil {
				t.Fatalf("no error; stderr %q", out.stream("stderr"))
			}
			if res.Error.EName != tc.ename || !strings.Contains(res.Error.EValue, tc.evalue) {
				t.Fatalf("got %s: %q, want %s: %q", res.Error.EName, res.Error.EValue, tc.ename, tc.evalue)
			}
			tb := strings.Join(res.Error.Traceback, "\n")
			for _, want := range tc.tracebackHas {
				if !strings.Contains(tb, want) {
					t.Errorf("traceback got\n%s\nwant it to contain %q", tb, want)
				}
			}
			if strings.Contains(out.stream("stderr"), ": panic: ") {
				t.Errorf("panic frames leaked to stderr: %q", out.stream("stderr"))
			}
			// The kernel lives on.
			if got := s.ok("40 + 2"); got != "42" {
				t.Errorf("after the error: got %q, want 42", got)
			}
		})
	}
}

func TestLogFatalPrintsMessage(t *testing.T) {
	s := newSession(t, Options{})
	_, out := s.run("import \"log\"\nlog.SetFlags(0)\nlog.Fatalf(\"disk %s\", \"full\")")
	if got := out.stream("stderr"); got != "disk full\n" {
		t.Errorf("stderr got %q, want %q", got, "disk full\n")
	}
}

func TestGoroutineOutputAfterCellEnded(t *testing.T) {
	if raceDetector {
		t.Skip("yaegi's global frame races with goroutines running across cells; see race_test.go")
	}
	s := newSession(t, Options{})
	s.ok("import \"fmt\"\nimport \"os\"\nrelease := make(chan bool)")
	_, first := s.run(`go func() {
	<-release
	fmt.Println("late from cell 2")
	go func() { fmt.Println("grandchild of cell 2") }()
}()
"started"`)
	_, second := s.run("release <- true\nfmt.Println(\"cell 3 itself\")")
	first.waitStream(t, "stdout", "late from cell 2")
	first.waitStream(t, "stdout", "grandchild of cell 2")
	if got := second.stream("stdout"); got != "cell 3 itself\n" {
		t.Errorf("cell 3 stdout got %q, want only its own line", got)
	}
	// os.Stdout and os.Stderr reach the running cell.
	_, third := s.run("fmt.Fprintln(os.Stdout, \"to stdout\")\nfmt.Fprintln(os.Stderr, \"to stderr\")")
	if got := third.stream("stdout"); got != "to stdout\n" {
		t.Errorf("os.Stdout got %q", got)
	}
	if got := third.stream("stderr"); got != "to stderr\n" {
		t.Errorf("os.Stderr got %q", got)
	}
}

func TestPanicInGoroutine(t *testing.T) {
	if raceDetector {
		t.Skip("yaegi's global frame races with goroutines running across cells; see race_test.go")
	}
	s := newSession(t, Options{})
	_, out := s.run("import \"time\"\ngo func() {\n\ttime.Sleep(20 * time.Millisecond)\n\tpanic(\"in goroutine\")\n}()")
	got := out.waitStream(t, "stderr", "in goroutine")
	for _, want := range []string{"panic in a goroutine started by cell1: in goroutine", "  cell1:"} {
		if !strings.Contains(got, want) {
			t.Errorf("stderr got %q, want it to contain %q", got, want)
		}
	}
	_, out = s.run("import \"os\"\ndone := make(chan bool)\ngo func() { defer close(done); os.Exit(4) }()\n<-done")
	if got := out.waitStream(t, "stderr", "os.Exit(4)"); !strings.Contains(got, "Exit in a goroutine started by cell2") {
		t.Errorf("stderr got %q", got)
	}
	if got := s.ok("1"); got != "1" {
		t.Errorf("after goroutine panics got %q", got)
	}
}

func TestInput(t *testing.T) {
	s := newSession(t, Options{})
	out := newRecorder("Ada", "3 4", "last line")
	res, _ := s.runCtx(context.Background(), `import "fmt"
import "bufio"
import "os"
name := Input("name? ")
var a, b int
fmt.Scanln(&a, &b)
line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
fmt.Sprintf("%s %d %q", name, a+b, line)`, out)
	if res.Error != nil {
		t.Fatalf("%s: %s", res.Error.EName, res.Error.EValue)
	}
	if got, want := res.Data["text/plain"], `"Ada 7 \"last line\\n\""`; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := out.prompts; len(got) != 3 || got[0] != "name? " {
		t.Errorf("prompts got %q", got)
	}

	denied := newRecorder()
	denied.inputErr = kernel.ErrStdinNotAllowed
	res, _ = s.runCtx(context.Background(), `Input("x")`, denied)
	if res.Error == nil || !strings.Contains(res.Error.EValue, "allow_stdin is false") {
		t.Errorf("got %+v, want the stdin-not-allowed error", res.Error)
	}
}

func TestInterrupt(t *testing.T) {
	if raceDetector {
		t.Skip("a hard-stopped yaegi evaluation still reads the global frame the next cell grows; see race_test.go")
	}
	var hard atomic.Int32
	var cellCtxDone atomic.Int32
	s := newSession(t, Options{
		OnHardInterrupt: func() { hard.Add(1) },
		OnCellStart: func(ctx context.Context, _ int, _ kernel.Outputs) {
			go func() { <-ctx.Done(); cellCtxDone.Add(1) }()
		},
	})
	s.ok("x := 41\nfunc inc(v int) int { return v + 1 }\nf := func() int { return 7 }\ntype T struct{ A int }\nfunc (t T) Get() int { return t.A }")

	for _, tc := range []struct{ name, code string }{
		{"busy loop", "for {}"},
		{"blocked receive", "<-make(chan int)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := hard.Load()
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			start := time.Now()
			res, _ := s.runCtx(ctx, tc.code, newRecorder())
			took := time.Since(start) - 50*time.Millisecond
			if took > time.Second {
				t.Errorf("Execute took %v after the interrupt, want under 1s", took)
			}
			if res.Error == nil || res.Error.EName != "KeyboardInterrupt" || !strings.Contains(res.Error.EValue, "interrupted") {
				t.Fatalf("got %+v, want KeyboardInterrupt", res.Error)
			}
			if hard.Load() != before+1 {
				t.Errorf("OnHardInterrupt calls got %d, want %d", hard.Load(), before+1)
			}
			tb := strings.Join(res.Error.Traceback, "\n")
			if !strings.Contains(tb, "Rebuilt the function literals stored in: f") {
				t.Errorf("traceback got\n%s\nwant it to say f was rebuilt", tb)
			}
			for code, want := range map[string]string{"inc(x)": "42", "f()": "7", "T{5}.Get()": "5", "x": "41"} {
				if got := s.ok(code); got != want {
					t.Errorf("after interrupt %s got %q, want %q", code, got, want)
				}
			}
		})
	}
	if cellCtxDone.Load() < 2 {
		t.Errorf("cell contexts cancelled: %d, want 2", cellCtxDone.Load())
	}
}

func TestSoftInterrupt(t *testing.T) {
	var hard atomic.Int32
	var cellCtx context.Context
	s := newSession(t, Options{OnHardInterrupt: func() { hard.Add(1) }})
	s.e.opts.OnCellStart = func(ctx context.Context, _ int, _ kernel.Outputs) { cellCtx = ctx }
	s.e.in.Use(interpExports{"gostream/wait/wait": {"Wait": reflectValue(func() { <-cellCtx.Done() })}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	res, _ := s.runCtx(ctx, "import \"gostream/wait\"\nwait.Wait()", newRecorder())
	if res.Error == nil || res.Error.EName != "KeyboardInterrupt" {
		t.Fatalf("got %+v, want KeyboardInterrupt", res.Error)
	}
	if hard.Load() != 0 {
		t.Errorf("a cell that honoured its context was stopped the hard way")
	}
}

func TestMagics(t *testing.T) {
	s := newSession(t, Options{Magics: map[string]MagicFunc{
		"echo": func(_ context.Context, args string, _ kernel.Outputs) (kernel.MIMEBundle, error) {
			return kernel.MIMEBundle{"text/plain": "echo:" + args}, nil
		},
		"fail": func(context.Context, string, kernel.Outputs) (kernel.MIMEBundle, error) {
			return nil, errors.New("it failed")
		},
	}})
	tests := []struct {
		name, code, want, ename string
		displays                int
	}{
		{"lsmagic", "%lsmagic", "%echo\n%fail\n%help       show how cells work and list the magics\n%lsmagic    list the magics\n", "", 0},
		{"user magic", "%echo a b", "echo:a b", "", 0},
		{"magic then code", "%echo 1\nx := 2\nx * 3", "6", "", 1},
		{"unknown", "%nope", "", "UsageError", 0},
		{"failing", "%fail", "", "MagicError", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, out := s.run(tc.code)
			if tc.ename != "" {
				if res.Error == nil || res.Error.EName != tc.ename {
					t.Fatalf("got %+v, want %s", res.Error, tc.ename)
				}
				return
			}
			if res.Error != nil {
				t.Fatalf("%s: %s", res.Error.EName, res.Error.EValue)
			}
			if got := res.Data["text/plain"]; got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if len(out.displays) != tc.displays {
				t.Errorf("displays got %d, want %d", len(out.displays), tc.displays)
			}
		})
	}
	res, _ := s.run("%help")
	if h, _ := res.Data["text/plain"].(string); !strings.Contains(h, "%echo") || !strings.Contains(h, "Input(prompt)") {
		t.Errorf("help got %q", h)
	}
}

func TestHooksAndUserExpressions(t *testing.T) {
	var started, ended []int
	s := newSession(t, Options{
		Prelude:     "spark := \"session\"",
		OnCellStart: func(_ context.Context, id int, _ kernel.Outputs) { started = append(started, id) },
		OnCellEnd:   func(id int) { ended = append(ended, id) },
	})
	if got := s.ok("spark"); got != `"session"` {
		t.Errorf("prelude variable got %q", got)
	}
	res := s.e.Execute(context.Background(), kernel.ExecuteRequest{Code: "y := 3", ExecutionCount: 2,
		UserExpressions: map[string]string{"double": "y * 2"}}, newRecorder())
	ue, _ := res.UserExpressions["double"].(map[string]any)
	if data, _ := ue["data"].(map[string]any); data["text/plain"] != "6" {
		t.Errorf("user expression got %#v", res.UserExpressions)
	}
	if len(started) != 2 || started[1] != 2 || len(ended) != 2 {
		t.Errorf("hooks got started %v ended %v", started, ended)
	}
}

func TestConcurrentOutputWhileExecuting(t *testing.T) {
	if raceDetector {
		t.Skip("yaegi's global frame races with goroutines running across cells; see race_test.go")
	}
	s := newSession(t, Options{})
	s.ok("import \"fmt\"\nimport \"time\"\nstop := make(chan bool)")
	_, bg := s.run("go func() {\n\tfor {\n\t\tselect {\n\t\tcase <-stop:\n\t\t\treturn\n\t\tdefault:\n\t\t\tfmt.Print(\".\")\n\t\t\ttime.Sleep(time.Millisecond)\n\t\t}\n\t}\n}()")
	for i := 0; i < 20; i++ {
		if got := s.ok("i := 1\ni + 1"); got != "2" {
			t.Fatalf("got %q", got)
		}
	}
	s.ok("close(stop)")
	bg.waitStream(t, "stdout", "..")
}

func BenchmarkExecuteOnePlusOne(b *testing.B) {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Shutdown(context.Background(), false)
	out := newRecorder()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		res := e.Execute(context.Background(), kernel.ExecuteRequest{Code: "1+1", ExecutionCount: i + 1}, out)
		if res.Data["text/plain"] != "2" {
			b.Fatalf("got %v", res.Data)
		}
	}
}
