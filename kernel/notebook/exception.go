package notebook

import (
	"errors"
	"fmt"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/checkpoint"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sqlparse"
	"github.com/gostream/gostream/engine/types"
)

// Exception is an engine error raised in a cell. Class is the name of the
// Spark exception a PySpark user would see for the same mistake; the kernel
// shows it as the error's name.
type Exception struct {
	Class string
	Err   error
}

func (e *Exception) Error() string { return e.Err.Error() }

// Unwrap returns the engine error.
func (e *Exception) Unwrap() error { return e.Err }

// ExceptionName is the name the kernel shows for the error.
func (e *Exception) ExceptionName() string { return e.Class }

// raise panics with err as an *Exception; nil is a no-op.
func raise(err error) {
	if err == nil {
		return
	}
	var ex *Exception
	if errors.As(err, &ex) {
		panic(ex)
	}
	panic(&Exception{Class: classOf(err), Err: err})
}

// raisef raises a new IllegalArgumentException.
func raisef(format string, args ...any) {
	panic(&Exception{Class: "IllegalArgumentException", Err: fmt.Errorf(format, args...)})
}

// classOf names the Spark exception class for err.
func classOf(err error) string {
	var (
		parse     *sqlparse.ParseError
		analysis  *expr.AnalysisError
		query     *engine.StreamingQueryException
		malformed *format.MalformedError
		merge     *engine.SchemaMergeError
		typ       *types.UnsupportedTypeError
		corrupt   *checkpoint.CorruptError
	)
	switch {
	case errors.As(err, &query):
		return "StreamingQueryException"
	case errors.As(err, &parse):
		return "ParseException"
	case errors.As(err, &analysis), errors.As(err, &typ), errors.Is(err, plan.ErrNotStreamingAction):
		return "AnalysisException"
	case errors.As(err, &malformed), errors.As(err, &merge):
		return "SparkException"
	case errors.As(err, &corrupt), errors.Is(err, checkpoint.ErrLocked), errors.Is(err, checkpoint.ErrNewerVersion):
		return "IllegalStateException"
	}
	return "IllegalArgumentException"
}
