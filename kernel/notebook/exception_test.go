package notebook

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/checkpoint"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sqlparse"
)

func TestExceptionClassFollowsSpark(t *testing.T) {
	_, parseErr := sqlparse.ParseExpr("a >")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"parse error", parseErr, "ParseException"},
		{"unresolved column", &expr.AnalysisError{Class: "UNRESOLVED_COLUMN.WITH_SUGGESTION", Message: "x"}, "AnalysisException"},
		{"batch action on a stream", plan.ErrNotStreamingAction, "AnalysisException"},
		{"failed query", &engine.StreamingQueryException{ID: "q", Err: errors.New("boom")}, "StreamingQueryException"},
		{"malformed record", &format.MalformedError{Source: "f.json", Line: 3, Reason: errors.New("bad")}, "SparkException"},
		{"schema merge", &engine.SchemaMergeError{Err: errors.New("[CANNOT_MERGE_SCHEMAS] ...")}, "SparkException"},
		{"checkpoint in use", fmt.Errorf("open: %w", checkpoint.ErrLocked), "IllegalStateException"},
		{"wrapped analysis error", fmt.Errorf("select: %w", &expr.AnalysisError{Message: "x"}), "AnalysisException"},
		{"anything else", errors.New("bad option"), "IllegalArgumentException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("test error is nil")
			}
			if got := classOf(tc.err); got != tc.want {
				t.Errorf("classOf(%v) = %s, want %s", tc.err, got, tc.want)
			}
			ex := catch(func() { raise(tc.err) })
			if ex == nil || ex.ExceptionName() != tc.want || !errors.Is(ex, tc.err) {
				t.Errorf("raise(%v) panicked with %v, want an *Exception named %s wrapping it", tc.err, ex, tc.want)
			}
		})
	}
	if ex := catch(func() { raise(nil) }); ex != nil {
		t.Errorf("raise(nil) panicked with %v", ex)
	}
}
