package cells

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestExceptionNames(t *testing.T) {
	tests := []struct {
		name, code    string
		ename, evalue string
		firstLine     string // the traceback's first line
	}{
		{name: "compiled panic", code: `testpkg.Fail("AnalysisException", "cannot resolve column x")`,
			ename: "AnalysisException", evalue: "cannot resolve column x", firstLine: "AnalysisException: cannot resolve column x"},
		{name: "cell panics with the value", code: `panic(testpkg.NewFailure("ParseException", "syntax error at 'FROM'"))`,
			ename: "ParseException", evalue: "syntax error at 'FROM'", firstLine: "ParseException: syntax error at 'FROM'"},
		{name: "wrapped with %w", code: "import \"fmt\"\npanic(fmt.Errorf(\"query q1: %w\", testpkg.NewFailure(\"StreamingQueryException\", \"sink failed\")))",
			ename: "StreamingQueryException", evalue: "query q1: sink failed", firstLine: "StreamingQueryException: query q1: sink failed"},
		{name: "returned error of a trailing call", code: "testpkg.Check(-1)",
			ename: "AnalysisException", evalue: "check -1: negative", firstLine: "AnalysisException: check -1: negative"},
		{name: "empty name falls back to the type", code: `testpkg.Fail("", "anonymous")`,
			ename: "cells.Failure", evalue: "anonymous", firstLine: "cells.Failure: anonymous"},
		{name: "errors without a name keep their type", code: "import \"errors\"\npanic(errors.New(\"plain\"))",
			ename: "errors.errorString", evalue: "plain", firstLine: "errors.errorString: plain"},
	}
	s := newSession(t, Options{Exports: []interpExports{testExports}})
	s.ok(`import "gostream/testpkg"`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := s.run(tc.code)
			if res.Error == nil {
				t.Fatalf("got no error, want %s", tc.ename)
			}
			if res.Error.EName != tc.ename || res.Error.EValue != tc.evalue {
				t.Errorf("got %s: %q, want %s: %q", res.Error.EName, res.Error.EValue, tc.ename, tc.evalue)
			}
			if len(res.Error.Traceback) == 0 || res.Error.Traceback[0] != tc.firstLine {
				t.Errorf("traceback got %q, want first line %q", res.Error.Traceback, tc.firstLine)
			}
		})
	}
}

func TestExceptionNameInGoroutine(t *testing.T) {
	s := newSession(t, Options{Exports: []interpExports{testExports}})
	_, out := s.run("import \"gostream/testpkg\"\ngo testpkg.Fail(\"StreamingQueryException\", \"source gone\")")
	got := out.waitStream(t, "stderr", "source gone")
	waitGoroutines(t, s.e)
	if want := "StreamingQueryException in a goroutine started by cell1: source gone"; !strings.Contains(got, want) {
		t.Errorf("stderr got %q, want it to contain %q", got, want)
	}
}

func TestErrorName(t *testing.T) {
	var nilFailure *Failure
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"named value", &Failure{"AnalysisException", "x"}, "AnalysisException"},
		{"wrapped once", fmt.Errorf("ctx: %w", &Failure{"ParseException", "x"}), "ParseException"},
		{"joined", errors.Join(errors.New("a"), &Failure{"KeyboardInterrupt", "x"}), "KeyboardInterrupt"},
		{"nil pointer with the method", nilFailure, "cells.Failure"},
		{"string", "boom", "panic"},
		{"nil", nil, "panic"},
		{"other error", errors.New("x"), "errors.errorString"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := errorName(tc.v); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
