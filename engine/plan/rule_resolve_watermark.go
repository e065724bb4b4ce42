package plan

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// resolveWatermark checks the event-time column of withWatermark (it must
// exist and be a timestamp, the delay must not be negative) and marks the
// column with WatermarkDelayKey in the output schema.
type resolveWatermark struct{}

func (resolveWatermark) Name() string { return "ResolveWatermark" }

func (resolveWatermark) Apply(n Node) (Node, error) {
	w, ok := n.(*EventTimeWatermark)
	if !ok || w.Out != nil {
		return n, nil
	}
	in := w.Child.Schema()
	if _, err := expr.Bind(&expr.ColumnRef{Parts: []string{w.Column}}, in); err != nil {
		return nil, err
	}
	idx := fieldIndexFold(in, w.Column)
	if idx < 0 {
		return nil, fmt.Errorf("withWatermark: %q is not a top-level column; select the nested field as a column first", w.Column)
	}
	f := in.Field(idx)
	if ts, ok := f.Type.(*arrow.TimestampType); !ok || ts.Unit != arrow.Microsecond {
		return nil, &expr.AnalysisError{Message: fmt.Sprintf(
			"Event time must be defined on a window or a timestamp, but %s is of type %s", f.Name, expr.SimpleTypeName(f.Type))}
	}
	if w.Delay < 0 {
		return nil, &expr.AnalysisError{Message: fmt.Sprintf(
			"delay threshold (%s) should not be negative.", formatDelay(w.Delay))}
	}
	fields := append([]arrow.Field(nil), in.Fields()...)
	fields[idx].Metadata = arrow.NewMetadata([]string{WatermarkDelayKey}, []string{strconv.FormatInt(w.Delay.Milliseconds(), 10)})
	cp := *w
	cp.Column = f.Name
	cp.Out = arrow.NewSchema(fields, nil)
	return &cp, nil
}
