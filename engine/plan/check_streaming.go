package plan

import (
	"errors"
	"fmt"

	"github.com/gostream/gostream/engine/expr"
)

// ErrNotStreamingAction is returned when a batch action (collect, count,
// show, ...) is called on a plan that reads a stream.
var ErrNotStreamingAction = errors.New("Queries with streaming sources must be executed with writeStream.start()")

// CheckBatch refuses to run n as a batch query when it reads a stream.
func CheckBatch(n Node) error {
	if IsStreaming(n) {
		return ErrNotStreamingAction
	}
	return checkBatchDedup(n)
}

// CheckStreaming makes the checks Spark makes when a streaming query
// starts (UnsupportedOperationChecker): operations a stream cannot run,
// and the output mode against the plan's aggregations.
func CheckStreaming(n Node, mode OutputMode) error {
	if !IsStreaming(n) {
		return unsupported("'writeStream' can be called only on streaming Dataset/DataFrame")
	}
	var err error
	aggs, watermarked := 0, 0
	Walk(n, func(n Node) bool {
		switch x := n.(type) {
		case *Limit:
			if IsStreaming(x.Child) {
				err = unsupported("Limits are not supported on streaming DataFrames/Datasets in %s output mode", mode)
			}
		case *Union:
			streams := 0
			for _, in := range x.Inputs {
				if IsStreaming(in) {
					streams++
				}
			}
			if streams != len(x.Inputs) {
				err = unsupported("Union between streaming and batch DataFrames/Datasets is not supported")
			}
		case Aggregation:
			if IsStreaming(x) {
				aggs++
				if x.KeyedOnWatermark() {
					watermarked++
				}
			}
		}
		return err == nil
	})
	if err != nil {
		return err
	}
	switch {
	case mode == Complete && aggs == 0:
		return unsupported("Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets")
	case mode == Append && aggs > watermarked:
		return unsupported("Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark")
	}
	if err := checkAggregatesAndSorts(n, mode); err != nil {
		return err
	}
	return checkJoinsAndDedup(n, mode)
}

// unsupported reports an operation a streaming query cannot run, as the
// AnalysisException Spark raises for it.
func unsupported(format string, args ...any) error {
	return &expr.AnalysisError{Message: fmt.Sprintf(format, args...)}
}
