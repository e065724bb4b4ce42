package cells

import (
	"slices"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	s := newSession(t, Options{})
	s.ok("import \"strings\"\nimport \"bytes\"\ntype Point struct{ X, Y int }\nfunc (p Point) Norm() int { return p.X*p.X + p.Y*p.Y }\npt := Point{1, 2}\nbuf := &bytes.Buffer{}\ncounter := 3\nfunc compute() int { return 1 }")
	tests := []struct {
		name       string
		code       string
		cursor     int // -1: end of code
		want       []string
		notWant    []string
		start, end int
	}{
		{name: "session names", code: "co", cursor: -1, want: []string{"compute", "const", "continue", "copy", "counter"}, start: 0, end: 2},
		{name: "package members", code: "x := strings.ToU", cursor: -1, want: []string{"ToUpper", "ToUpperSpecial"}, start: 13, end: 16},
		{name: "unimported stdlib package", code: "strconv.Ato", cursor: -1, want: []string{"Atoi"}, start: 8, end: 11},
		{name: "compiled value methods", code: "buf.Wri", cursor: -1, want: []string{"Write", "WriteByte", "WriteRune", "WriteString", "WriteTo"}, start: 4, end: 7},
		{name: "interpreted fields and methods", code: "pt.", cursor: -1, want: []string{"Norm", "X", "Y"}, start: 3, end: 3},
		{name: "cursor in the middle, code points", code: "é := coun + 1", cursor: 9, want: []string{"counter"}, start: 5, end: 9},
		{name: "hidden names stay hidden", code: "__g", cursor: -1, notWant: []string{"__gs_v", "__gs_run"}, start: 0, end: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cursor := tc.cursor
			if cursor < 0 {
				cursor = len([]rune(tc.code))
			}
			r := s.e.Complete(tc.code, cursor)
			for _, w := range tc.want {
				if !slices.Contains(r.Matches, w) {
					t.Errorf("matches %v lack %q", r.Matches, w)
				}
			}
			for _, w := range tc.notWant {
				if slices.Contains(r.Matches, w) {
					t.Errorf("matches %v contain %q", r.Matches, w)
				}
			}
			if r.CursorStart != tc.start || r.CursorEnd != tc.end {
				t.Errorf("cursor got %d..%d, want %d..%d", r.CursorStart, r.CursorEnd, tc.start, tc.end)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	s := newSession(t, Options{})
	s.ok("import \"strings\"\n// Twice doubles.\nfunc Twice(n int) int { return 2 * n }\ntotal := 41")
	tests := []struct {
		name, code string
		cursor     int
		found      bool
		has        []string
	}{
		{"stdlib func with doc", "strings.ToUpper(x)", 10, true, []string{"func ToUpper(s string) string", "ToUpper returns s with all Unicode letters mapped to their upper case."}},
		{"session func", "Twice(3)", 2, true, []string{"func Twice(n int) int"}},
		{"session var", "total + 1", 0, true, []string{"total := 41", "type: int", "value: 41"}},
		{"builtin", "len(x)", 1, true, []string{"func len(v Type) int"}},
		{"Input", "Input(\"a\")", 1, true, []string{"func Input(prompt string) string"}},
		{"unknown", "nothingHere", 3, false, nil},
		{"unknown member", "strings.Nope", 9, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := s.e.Inspect(tc.code, tc.cursor, 0)
			if r.Found != tc.found {
				t.Fatalf("found got %v, want %v (%v)", r.Found, tc.found, r.Data)
			}
			text, _ := r.Data["text/plain"].(string)
			for _, h := range tc.has {
				if !strings.Contains(text, h) {
					t.Errorf("text/plain got %q, want it to contain %q", text, h)
				}
			}
			if tc.found {
				if md, _ := r.Data["text/markdown"].(string); !strings.HasPrefix(md, "```go\n") {
					t.Errorf("text/markdown got %q", md)
				}
			}
		})
	}
}

func TestIsComplete(t *testing.T) {
	e := &Executor{}
	tests := []struct {
		name, code, status, indent string
	}{
		{"statement", "x := 1", "complete", ""},
		{"open brace", "func f() {", "incomplete", "\t"},
		{"nested open brace", "func f() {\n\tif x {", "incomplete", "\t\t"},
		{"open paren", "fmt.Println(1,", "incomplete", "\t"},
		{"open bracket", "a := []int{1, 2", "incomplete", "\t"},
		{"raw string", "s := `abc", "incomplete", "\t"},
		{"trailing operator", "x := 1 +", "incomplete", "\t"},
		{"trailing comma", "a, b := 1,", "incomplete", "\t"},
		{"closed func", "func f() {\n}", "complete", ""},
		{"unmatched close", "x := 1)", "invalid", ""},
		{"bad syntax", "x := := 2", "invalid", ""},
		{"unterminated string", "s := \"abc", "invalid", ""},
		{"magic", "%lsmagic", "complete", ""},
		{"empty", "", "complete", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.IsComplete(tc.code)
			if r.Status != tc.status || r.Indent != tc.indent {
				t.Errorf("got %q indent %q, want %q indent %q", r.Status, r.Indent, tc.status, tc.indent)
			}
		})
	}
}
