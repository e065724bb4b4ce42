package stream

import (
	"strconv"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
)

// compileStreamJoin compiles a stream-stream join: the parts of the
// condition over one side filter that side's rows before they are
// buffered, the rest is checked on pairs, and each side's state leaves by
// the watermark as plan.Join.Eviction works it out.
func (c *compiler) compileStreamJoin(x *plan.Join, cfg exec.JoinConfig, next exec.Operator) error {
	spec := x.Spec
	left, right, both := spec.SplitResidual()
	cfg.Residual = nil
	if both != nil {
		b, err := expr.Bind(both, cfg.Pair)
		if err != nil {
			return err
		}
		cfg.Residual = b
	}
	sc := exec.StreamJoinConfig{JoinConfig: cfg}
	for i, side := range []plan.JoinSide{plan.JoinLeft, plan.JoinRight} {
		schema, filter := spec.LeftSchema, left
		if side == plan.JoinRight {
			schema, filter = spec.RightSchema, right
		}
		s := exec.StreamJoinSide{LateColumn: plan.EventTimeColumn(schema)}
		if filter != nil {
			b, err := expr.Bind(filter, schema)
			if err != nil {
				return err
			}
			s.Filter = b
		}
		ev := x.Eviction(side)
		s.Evict = exec.StateEviction{KeyOrdinal: -1, Column: ev.Column}
		if ev.ByKey {
			s.Evict.KeyOrdinal = ev.KeyOrdinal
		}
		if ev.ByKey || ev.ByValue {
			s.Evict.Threshold = func(wm time.Time) (int64, bool) { return ev.ThresholdMicros(wm.UnixMilli()) }
		}
		sc.Sides[i] = s
	}
	sc.State = c.stateConfig()
	j, err := exec.NewStreamJoin(sc, next)
	if err != nil {
		return err
	}
	c.addStateful(statefulJoin{j.Left(), j})
	if err := c.compile(x.Left, j.Left()); err != nil {
		return err
	}
	return c.compile(x.Right, j.Right())
}

// statefulJoin presents a stream-stream join, an operator with two
// inputs, as the exec.Stateful the runtime drives (which only begins
// batches on it, asks for no-data batches and reads its progress).
type statefulJoin struct {
	exec.Operator
	*exec.StreamJoin
}

// compileStreamDedup compiles the deduplication of a stream, which keeps
// the keys it has seen in state.
func (c *compiler) compileStreamDedup(x *plan.Deduplicate, cfg exec.DedupConfig, next exec.Operator) error {
	d, err := exec.NewStreamDedup(x.Child.Schema(), cfg, c.stateConfig(), next)
	if err != nil {
		return err
	}
	c.addStateful(d)
	return c.compile(x.Child, d)
}

// watermarkDelay reads the delay a watermarked column carries.
func watermarkDelay(f arrow.Field) time.Duration {
	v, _ := f.Metadata.GetValue(plan.WatermarkDelayKey)
	ms, _ := strconv.ParseInt(v, 10, 64)
	return time.Duration(ms) * time.Millisecond
}
