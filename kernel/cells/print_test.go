package cells

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestAppendPrint(t *testing.T) {
	x := 1
	tests := []struct {
		name       string
		v          any
		want       string
		wantPrefix bool // want is a prefix (addresses vary)
	}{
		{name: "int", v: 42, want: "42"},
		{name: "negative int8", v: int8(-3), want: "-3"},
		{name: "byte", v: byte('a'), want: "97"},
		{name: "uint64", v: uint64(math.MaxUint64), want: "18446744073709551615"},
		{name: "float64", v: 2.5, want: "2.5"},
		{name: "float64 large", v: 1e21, want: "1e+21"},
		{name: "float32", v: float32(0.1), want: "0.1"},
		{name: "NaN", v: math.NaN(), want: "NaN"},
		{name: "complex", v: complex(1, -2), want: "(1-2i)"},
		{name: "bool", v: true, want: "true"},
		{name: "string unquoted", v: "a b", want: "a b"},
		{name: "nil", v: nil, want: "nil"},
		{name: "nil map", v: map[string]int(nil), want: "0x0"},
		{name: "pointer", v: &x, want: "0x", wantPrefix: true},
		{name: "slice", v: make([]int, 2, 5), want: "[2/5]0x", wantPrefix: true},
		{name: "struct as %v", v: struct{ A, B int }{1, 2}, want: "{1 2}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(appendPrint(nil, reflect.ValueOf(tc.v)))
			if tc.wantPrefix && (!strings.HasPrefix(got, tc.want) || len(got) <= len(tc.want)) || !tc.wantPrefix && got != tc.want {
				t.Errorf("got %q, want %q (prefix %v)", got, tc.want, tc.wantPrefix)
			}
		})
	}
}

func TestPrintBuiltinsWriteStderr(t *testing.T) {
	tests := []struct {
		name, code          string
		wantStdout, wantErr string
		setup               string
	}{
		{name: "println", code: `println("builtin", 1, 2.5, true)`, wantErr: "builtin 1 2.5 true\n"},
		{name: "print has no spaces", code: `print("a", 1, "b")`, wantErr: "a1b"},
		{name: "empty println", code: "println()", wantErr: "\n"},
		{name: "empty print", code: "print()"},
		{name: "named type", setup: "type Chip string", code: `println(Chip("c"), 'x')`, wantErr: "c 120\n"},
		{name: "inside a function", setup: "func shout(s string) { println(s + \"!\") }", code: `shout("hey")`, wantErr: "hey!\n"},
		{name: "deferred", code: "func() {\n\tdefer println(\"second\")\n\tprintln(\"first\")\n}()", wantErr: "first\nsecond\n"},
		{name: "among fmt output", code: "import \"fmt\"\nfmt.Println(\"out\")\nprintln(\"err\")", wantStdout: "out\n", wantErr: "err\n"},
		{name: "in a goroutine", code: "go println(\"from g\")", wantErr: "from g\n"},
		{name: "session function named println", setup: "import \"fmt\"\nfunc println(s string) { fmt.Println(\"mine:\", s) }",
			code: `println("x")`, wantStdout: "mine: x\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, Options{})
			if tc.setup != "" {
				s.ok(tc.setup)
			}
			res, out := s.run(tc.code)
			out.waitStream(t, "stderr", tc.wantErr)
			waitGoroutines(t, s.e)
			if res.Error != nil {
				t.Fatalf("%s: %s\n%s", res.Error.EName, res.Error.EValue, strings.Join(res.Error.Traceback, "\n"))
			}
			if res.Data != nil {
				t.Errorf("result got %v, want none", res.Data)
			}
			if got := out.stream("stderr"); got != tc.wantErr {
				t.Errorf("stderr got %q, want %q", got, tc.wantErr)
			}
			if got := out.stream("stdout"); got != tc.wantStdout {
				t.Errorf("stdout got %q, want %q", got, tc.wantStdout)
			}
		})
	}
}
