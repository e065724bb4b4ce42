package cells

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestMultiValueDefineInTopLevelBlocks(t *testing.T) {
	const pair = "import \"fmt\"\nimport \"strconv\"\nfunc pair(i int) (int, error) { return i * 10, nil }"
	tests := []struct {
		name  string
		steps []step
	}{
		{name: "for loop with a, b := f()", steps: []step{{code: pair + `
for i := 1; i <= 3; i++ {
	a, err := pair(i)
	fmt.Println(a, err)
}`, stdoutHas: "10 <nil>\n20 <nil>\n30 <nil>\n"}}},
		{name: "range loop with a, b := f()", steps: []step{{code: pair + `
for _, s := range []string{"4", "x"} {
	n, err := strconv.Atoi(s)
	fmt.Println(n, err != nil)
}`, stdoutHas: "4 false\n0 true\n"}}},
		{name: "if init with comma ok", steps: []step{
			{code: `import "fmt"
m := map[string]int{"a": 1}
k := "a"`},
			{code: `if v, ok := m[k]; ok {
	fmt.Println("found", v)
} else {
	fmt.Println("missing")
}`, stdoutHas: "found 1"},
		}},
		{name: "switch with x, err := in a case", steps: []step{{code: `import "fmt"
import "strconv"
s := "42"
switch {
case len(s) > 0:
	x, err := strconv.Atoi(s)
	fmt.Println("parsed", x+1, err)
default:
	fmt.Println("empty")
}`, stdoutHas: "parsed 43 <nil>"}}},
		{name: "select with v, ok := <-ch", steps: []step{{code: `import "fmt"
ch := make(chan int, 1)
ch <- 7
close(ch)
select {
case v, ok := <-ch:
	fmt.Println("got", v, ok)
}`, stdoutHas: "got 7 true"}}},
		{name: "type assertion and type switch", steps: []step{{code: `import "fmt"
var i any = 5
if n, ok := i.(int); ok {
	fmt.Println("int", n)
}
switch v := i.(type) {
case string:
	fmt.Println("string", v)
case int:
	fmt.Println("twice", v*2)
}`, stdoutHas: "int 5\ntwice 10"}}},
		{name: "var a, b = f() in a block", steps: []step{{code: pair + `
{
	var a, err = pair(2)
	fmt.Println(a, err)
}`, stdoutHas: "20 <nil>"}}},
		{name: "nested blocks", steps: []step{{code: pair + `
for i := 0; i < 2; i++ {
	if i > 0 {
		for j := 0; j < 2; j++ {
			switch {
			case j == 1:
				a, err := pair(i + j)
				fmt.Println("nested", a, err)
			}
		}
	}
}`, stdoutHas: "nested 20 <nil>"}}},
		{name: "session variables updated inside", steps: []step{
			{code: pair + "\ntotal := 0\nvar seen []int\nfunc getTotal() int { return total }"},
			{code: `for i := 1; i <= 3; i++ {
	a, err := pair(i)
	if err == nil {
		total += a
		seen = append(seen, a)
	}
}`},
			{code: "total", want: "60"},
			{code: "getTotal()", want: "60"},
			{code: "seen", want: "[10 20 30]"},
			{code: "m := map[string]int{\"k\": 5}\nif v, ok := m[\"k\"]; ok { total = v }\ntotal", want: "5"},
		}},
		{name: "names declared inside stay local", steps: []step{
			{code: pair + "\na := 1\nif true {\n\ta, err := pair(9)\n\t_, _ = a, err\n}\na", want: "1"},
		}},
		{name: "labelled break and continue", steps: []step{{code: pair + `
n := 0
outer:
for i := 0; i < 3; i++ {
	for j := 0; j < 3; j++ {
		a, _ := pair(j)
		if j == 1 {
			continue outer
		}
		if i == 2 {
			break outer
		}
		n += a + 1
	}
}
n`, want: "2"}}},
		{name: "goto out of a block still works", steps: []step{{code: `import "fmt"
x := 1
if x == 1 {
	goto done
}
fmt.Println("skipped")
done:
fmt.Println("at done")`, stdoutHas: "at done"}}},
		{name: "result after a wrapped block", steps: []step{{code: pair + `
sum := 0
for i := 1; i <= 2; i++ {
	a, _ := pair(i)
	sum += a
}
sum * 2`, want: "60"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runSteps(t, tc.steps) })
	}
}

func TestTopLevelDefer(t *testing.T) {
	tests := []struct {
		name       string
		code       string
		wantStdout string
		wantResult string
		wantErr    string // evalue
	}{
		{
			name:       "runs when the cell ends, last first",
			code:       "import \"fmt\"\ndefer fmt.Println(\"first deferred\")\ndefer fmt.Println(\"second deferred\")\nfmt.Println(\"body\")",
			wantStdout: "body\nsecond deferred\nfirst deferred\n",
		},
		{
			name:       "inside a wrapped block it still waits for the cell",
			code:       "import \"fmt\"\nimport \"strconv\"\nif n, err := strconv.Atoi(\"3\"); err == nil {\n\tdefer fmt.Println(\"deferred\", n)\n}\nfmt.Println(\"after the block\")",
			wantStdout: "after the block\ndeferred 3\n",
		},
		{
			name:       "arguments are evaluated at the defer statement",
			code:       "import \"fmt\"\nx := 1\ndefer fmt.Println(\"x was\", x)\nx = 2\nfmt.Println(\"x is\", x)",
			wantStdout: "x is 2\nx was 1\n",
		},
		{
			name:       "after the result is computed",
			code:       "import \"fmt\"\nv := 1\ndefer func() { v = 100; fmt.Println(\"deferred\") }()\nv + 1",
			wantStdout: "deferred\n",
			wantResult: "2",
		},
		{
			name:       "runs when the cell panics",
			code:       "import \"fmt\"\ndefer fmt.Println(\"cleanup\")\npanic(\"boom\")",
			wantStdout: "cleanup\n",
			wantErr:    "boom",
		},
		{
			name:       "a panic in a deferred call is the cell's error",
			code:       "defer func() { panic(\"in defer\") }()\n1",
			wantErr:    "in defer",
			wantResult: "",
		},
		{
			name:       "builtin and spread calls",
			code:       "import \"fmt\"\nch := make(chan int, 1)\ndefer close(ch)\nxs := []any{\"a\", \"b\"}\ndefer fmt.Println(xs...)",
			wantStdout: "a b\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, Options{})
			res, out := s.run(tc.code)
			gotErr := ""
			if res.Error != nil {
				gotErr = res.Error.EValue
			}
			if gotErr != tc.wantErr {
				t.Fatalf("error got %q, want %q", gotErr, tc.wantErr)
			}
			gotResult, _ := res.Data["text/plain"].(string)
			if gotResult != tc.wantResult {
				t.Errorf("result got %q, want %q", gotResult, tc.wantResult)
			}
			if got := out.stream("stdout"); got != tc.wantStdout {
				t.Errorf("stdout got %q, want %q", got, tc.wantStdout)
			}
		})
	}
}

func TestPanicInWrappedBlock(t *testing.T) {
	s := newSession(t, Options{})
	res, out := s.run("m := map[string]int{\"a\": 1}\nif v, ok := m[\"a\"]; ok {\n\tpanic(v)\n}")
	if res.Error == nil {
		t.Fatal("got no error, want the panic")
	}
	tb := strings.Join(res.Error.Traceback, "\n")
	if res.Error.EName != "int" || res.Error.EValue != "1" {
		t.Errorf("got %s: %s, want int: 1", res.Error.EName, res.Error.EValue)
	}
	if want := "  cell1:3:2 in main\n"; !strings.Contains(tb, want) {
		t.Errorf("traceback got\n%s\nwant the frame %q", tb, want)
	}
	if got := out.stream("stderr"); got != "" {
		t.Errorf("stderr got %q, want nothing", got)
	}
}

func TestRewriteTopLevelWraps(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []bool // per top-level statement: wrapped in a func literal
	}{
		{name: "multi define in for", body: "for {\n\ta, b := f()\n\t_, _ = a, b\n}", want: []bool{true}},
		{name: "if init comma ok", body: "if v, ok := m[k]; ok {\n\t_ = v\n}", want: []bool{true}},
		{name: "single define stays", body: "for i := 0; i < 3; i++ {\n\tx := i\n\t_ = x\n}", want: []bool{false}},
		{name: "two values stay", body: "if true {\n\ta, b := 1, 2\n\t_, _ = a, b\n}", want: []bool{false}},
		{name: "range stays", body: "for k, v := range m {\n\t_, _ = k, v\n}", want: []bool{false}},
		{name: "inside func literal stays", body: "for {\n\tfunc() {\n\t\ta, b := f()\n\t\t_, _ = a, b\n\t}()\n}", want: []bool{false}},
		{name: "simple statement stays", body: "x = 1", want: []bool{false}},
		{name: "return stays", body: "if true {\n\ta, b := f()\n\t_, _ = a, b\n\treturn\n}", want: []bool{false}},
		{name: "goto outside stays", body: "if true {\n\ta, b := f()\n\t_, _ = a, b\n\tgoto L\n}\nL:\nx = 1", want: []bool{false, false}},
		{name: "own label", body: "L:\nfor {\n\ta, b := f()\n\t_, _ = a, b\n\tbreak L\n}", want: []bool{true}},
		{name: "label jumped to from outside stays", body: "goto L\nL:\nfor {\n\ta, b := f()\n\t_, _ = a, b\n\tbreak L\n}", want: []bool{false, false}},
		{name: "type switch with assign", body: "switch v := i.(type) {\ncase int:\n\t_ = v\n}", want: []bool{true}},
		{name: "type switch without assign stays", body: "switch i.(type) {\ncase int:\n}", want: []bool{false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parser.ParseFile(token.NewFileSet(), "", "package main\nfunc _() {\n"+tc.body+"\n}\n", 0)
			if err != nil {
				t.Fatal(err)
			}
			body := f.Decls[0].(*ast.FuncDecl).Body
			rewriteTopLevel(body)
			var got []bool
			for _, s := range body.List {
				wrapped := false
				if es, ok := s.(*ast.ExprStmt); ok {
					if call, ok := es.X.(*ast.CallExpr); ok {
						_, wrapped = call.Fun.(*ast.FuncLit)
					}
				}
				got = append(got, wrapped)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d statements, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("statement %d: wrapped got %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
