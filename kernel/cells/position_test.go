package cells

import (
	"strings"
	"testing"
)

func TestPanicPositions(t *testing.T) {
	tests := []struct {
		name  string
		setup []string // cells run first, numbered from 2 (cell1 imports)
		code  string
		want  []string // the traceback's frames, innermost first
	}{
		{name: "panic in an if block",
			code: "if true {\n  fmt.Println(\"in\")\n  panic(\"boom\")\n}",
			want: []string{"cell2:3:3 in main"}},
		{name: "compiled panic on line 4 of 5",
			code: "n := 1\nfmt.Println(n)\nm := n + 1\ntestpkg.Fail(\"AnalysisException\", \"x\")\nfmt.Println(m)",
			want: []string{"cell2:4:9 in main"}},
		{name: "compiled panic in a nested argument",
			code: "xs := []int{1, 2}\nfmt.Println(\"a\")\nfmt.Println(len(xs),\n\tlen(xs)+testpkg.Must(len(xs)-3))",
			want: []string{"cell2:4:18 in main"}},
		{name: "panic in a for loop",
			code: "total := 0\nfor i := 0; i < 5; i++ {\n\ttotal += i\n\tif i == 3 {\n\t\tpanic(total)\n\t}\n}",
			want: []string{"cell2:5:3 in main"}},
		{name: "panic in a switch case",
			code: "k := \"b\"\nswitch k {\ncase \"a\":\n\tfmt.Println(\"a\")\ncase \"b\":\n\ttestpkg.Fail(\"ParseException\", \"b\")\n}",
			want: []string{"cell2:6:10 in main"}},
		{name: "panic in a closure called at once",
			code: "func() {\n\tfmt.Println(1)\n\ttestpkg.Fail(\"X\", \"closure\")\n}()",
			want: []string{"cell2:3:10 in main.func1", "cell2:4:2 in main"}},
		{name: "function of an earlier cell",
			setup: []string{"func f(n int) int {\n\tif n > 2 {\n\t\tfmt.Println(n)\n\t\ttestpkg.Fail(\"X\", \"deep\")\n\t}\n\treturn n\n}"},
			code:  "a := 1\nfmt.Println(a)\nfmt.Println(a, f(a+2) + 1)",
			want:  []string{"cell2:4:11 in main.f", "cell3:3:16 in main"}},
		{name: "method of a type from an earlier cell",
			setup: []string{"type Acc struct{ n int }", "func (a *Acc) Add(k int) {\n\ta.n += k\n\tif a.n > 3 {\n\t\tpanic(\"overflow\")\n\t}\n}"},
			code:  "acc := &Acc{n: 3}\nfmt.Println(acc.n)\nacc.Add(2)",
			want:  []string{"cell3:4:3 in main.(*Acc).Add", "cell4:3:5 in main"}},
		{name: "chain of interpreted frames",
			setup: []string{"func inner() { testpkg.Fail(\"X\", \"inner\") }", "func outer() {\n\tfmt.Println(\"outer\")\n\tinner()\n}"},
			code:  "fmt.Println(0)\nouter()",
			want:  []string{"cell2:1:24 in main.inner", "cell3:3:2 in main.outer", "cell4:2:1 in main"}},
		{name: "closure assigned to a variable",
			setup: []string{"g := func(s string) {\n\tif s == \"\" {\n\t\tpanic(\"empty\")\n\t}\n}"},
			code:  "fmt.Println(\"a\")\ng(\"\")",
			want:  []string{"cell2:3:3 in main.func1", "cell3:2:1 in main"}},
		{name: "callback called by compiled code",
			code: "sum := 0\ntestpkg.Each([]int{1, 2, 3}, func(x int) {\n\tsum += x\n\tif x == 2 {\n\t\tpanic(sum)\n\t}\n})",
			want: []string{"cell2:5:3 in main.func1", "cell2:2:9 in main"}},
		{name: "nil map write in a compiled callee",
			code: "var m map[string]int\nfmt.Println(len(m))\ntestpkg.Store(m, \"k\")",
			want: []string{"cell2:3:9 in main"}},
		{name: "nil map write in cell code",
			code: "counts := map[string]int{}\ncounts[\"a\"]++\nvar m map[string]int\nfor _, w := range []string{\"x\"} {\n\tm[w] = 1\n}",
			want: []string{"cell2:5:2 in main"}},
		{name: "division by zero",
			code: "z := 0\nfmt.Println(z)\n_ = 10 / z",
			want: []string{"cell2:3:5 in main"}},
		{name: "index out of range",
			code: "xs := []int{1}\ni := 5\nfmt.Println(i)\nfmt.Println(len(xs), xs[i])",
			want: []string{"cell2:4:22 in main"}},
		{name: "slice bounds out of range",
			code: "s := \"abc\"\nn := 9\nfmt.Println(len(s))\nfmt.Println(s[1:n])",
			want: []string{"cell2:4:13 in main"}},
		{name: "send on a closed channel",
			code: "ch := make(chan int, 1)\nclose(ch)\nfmt.Println(len(ch))\nch <- 1",
			want: []string{"cell2:4:1 in main"}},
		{name: "wrapped top-level block",
			code: "m := map[string]int{\"a\": 1}\nfmt.Println(m)\nif v, ok := m[\"a\"]; ok {\n\tfmt.Println(v)\n\ttestpkg.Fail(\"X\", \"wrapped\")\n}",
			want: []string{"cell2:5:10 in main"}},
		{name: "trailing expression",
			setup: []string{"func h(n int) int { return testpkg.Must(n) }"},
			code:  "fmt.Println(1)\nh(-2)",
			want:  []string{"cell2:1:36 in main.h", "cell3:2:1 in main"}},
		{name: "Input without an answer",
			code: "fmt.Println(\"?\")\nname := \"\"\nif name == \"\" {\n\tname = Input(\"name? \")\n}",
			want: []string{"cell2:4:9 in main"}},
		{name: "recovered panic does not leak into the next",
			setup: []string{"func safe() (err any) {\n\tdefer func() { err = recover() }()\n\ttestpkg.Fail(\"X\", \"recovered\")\n\treturn nil\n}"},
			code:  "fmt.Println(safe())\npanic(\"second\")",
			want:  []string{"cell3:2:1 in main"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, Options{Exports: []interpExports{testExports}})
			s.ok("import \"fmt\"\nimport \"gostream/testpkg\"")
			for _, c := range tc.setup {
				s.ok(c)
			}
			res, _ := s.run(tc.code)
			if res.Error == nil {
				t.Fatal("got no error, want a panic")
			}
			var got []string
			for _, l := range res.Error.Traceback {
				if strings.HasPrefix(l, "  cell") {
					got = append(got, strings.TrimPrefix(l, "  "))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("frames got\n%s\nwant\n%s\ntraceback:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"), strings.Join(res.Error.Traceback, "\n"))
			}
		})
	}
}

func TestPanicTraceback(t *testing.T) {
	tests := []struct {
		name, code    string
		ename, evalue string
		want          []string // the whole traceback
	}{
		{name: "carets under the call",
			code:  "n := -1\nfmt.Println(n,\n\ttestpkg.Must(n))",
			ename: "AnalysisException", evalue: "negative: -1",
			want: []string{"AnalysisException: negative: -1",
				"  cell2:3:10 in main", "    \ttestpkg.Must(n))", "    \t        ^^^^^^^"}},
		{name: "two calls that could have raised it",
			code:  "fmt.Println(testpkg.Must(1), testpkg.Must(-2))",
			ename: "AnalysisException", evalue: "negative: -2",
			want: []string{"AnalysisException: negative: -2",
				"  cell2:1:21 in main", "    fmt.Println(testpkg.Must(1), testpkg.Must(-2))", "                        ^^^^^^^",
				"    (or the other place in main that can raise it)"}},
		{name: "failed type assertion",
			code:  "var v any = 1\ns := v.(string)\nfmt.Println(s)",
			ename: "runtime.Error", evalue: "interface conversion: interface {} is int, not string",
			want: []string{"runtime.Error: interface conversion: interface {} is int, not string",
				"  cell2:2:6 in main", "    s := v.(string)", "         ^^^^^^^^^^"}},
		{name: "call spanning lines",
			code:  "testpkg.Fail(\"X\",\n\t\"long\")",
			ename: "X", evalue: "long",
			want: []string{"X: long", "  cell2:1:9 in main", "    testpkg.Fail(\"X\",", "            ^^^^^^^^^"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, Options{Exports: []interpExports{testExports}})
			s.ok("import \"fmt\"\nimport \"gostream/testpkg\"")
			res, _ := s.run(tc.code)
			if res.Error == nil {
				t.Fatal("got no error, want a panic")
			}
			if res.Error.EName != tc.ename || res.Error.EValue != tc.evalue {
				t.Errorf("got %s: %q, want %s: %q", res.Error.EName, res.Error.EValue, tc.ename, tc.evalue)
			}
			if got := strings.Join(res.Error.Traceback, "\n"); got != strings.Join(tc.want, "\n") {
				t.Errorf("traceback got\n%s\nwant\n%s", got, strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestCalledName(t *testing.T) {
	tests := []struct{ full, want string }{
		{"github.com/gostream/gostream/kernel/notebook.(*DataFrame).Count", "Count"},
		{"github.com/gostream/gostream/kernel/notebook.Col", "Col"},
		{"github.com/gostream/gostream/kernel/notebook.(*DataFrame).Count-fm", "Count"},
		{"example.com/p.Map[...]", "Map"},
		{"example.com/p.(*List[...]).Push", "Push"},
		{"fmt.Println", "Println"},
		{"github.com/gostream/gostream/kernel/cells.(*Executor).symbols.func3", ""},
		{"example.com/p.F.func1.2", ""},
		{"main", ""},
		{"main.Input", "Input"},
		{"main.f.func", ""},
	}
	for _, tc := range tests {
		t.Run(tc.full, func(t *testing.T) {
			if got := calledName(tc.full); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestUnwindingFrame(t *testing.T) {
	const (
		wr    = "github.com/gostream/gostream/kernel/cells.streamWriter.Write"
		fmtln = "fmt.Fprintln"
		pnc   = "runtime.gopanic"
		rcall = "reflect.Value.call"
		bin   = yaegiPkg + "callBin.func11"
		call  = yaegiPkg + "call.func9"
		wrap  = yaegiPkg + "genFunctionWrapper.func1.1"
		count = "github.com/gostream/gostream/kernel/notebook.(*DataFrame).Count"
		raise = "github.com/gostream/gostream/kernel/notebook.raise"
		each  = "example.com/p.Each"
	)
	// A cell calls f (interpreted), which calls p.Each (compiled) with a
	// callback (interpreted) that calls Count, which panics.
	chain := []string{pnc, raise, count, rcall, bin, runCfgFunc, wrap, "reflect.callReflect", each, rcall, bin, runCfgFunc, call, runCfgFunc, "github.com/traefik/yaegi/interp.(*Interpreter).run"}
	at := func(depth int) []string {
		s := []string{wr, fmtln}
		for i := 0; i < depth; i++ {
			s = append(s, runCfgDefer, pnc)
		}
		return append(s[:len(s)-1], chain...)
	}
	tests := []struct {
		name      string
		stack     []string
		wantIndex int
		want      traceFrame
		wantOK    bool
	}{
		{"innermost: the compiled callee", at(1), 0, traceFrame{callee: count, via: "callBin"}, true},
		{"second: the compiled function it was called by", at(2), 1, traceFrame{callee: each, via: "callBin"}, true},
		{"third: an interpreted call", at(3), 2, traceFrame{via: "call"}, true},
		{"more lines than frames", at(4), 0, traceFrame{}, false},
		{"not unwinding", []string{wr, fmtln, "main.main"}, 0, traceFrame{}, false},
		{"the panic builtin", []string{wr, fmtln, runCfgDefer, pnc, yaegiPkg + "_panic.func1", runCfgFunc}, 0, traceFrame{via: "_panic"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			index, f, ok := unwindingFrame(tc.stack)
			if index != tc.wantIndex || f != tc.want || ok != tc.wantOK {
				t.Errorf("got %d %+v %v, want %d %+v %v", index, f, ok, tc.wantIndex, tc.want, tc.wantOK)
			}
		})
	}
}
