package stream

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
)

// compileJoin compiles a join by the streams it reads:
//
//   - batch with batch: exec.HashJoin over both inputs;
//   - stream with batch: exec.StreamStaticJoin; the batch side is run as a
//     batch query once, when the stream first brings rows (Spark re-reads
//     it every micro-batch; here a change to the batch side is seen when
//     the query restarts);
//   - stream with stream: the stateful symmetric hash join.
//
// A projection after the join computes its output columns.
func (c *compiler) compileJoin(x *plan.Join, next exec.Operator) error {
	spec := x.Spec
	out, err := expr.BindAll(spec.Output, spec.OutputInput(x.Type))
	if err != nil {
		return err
	}
	proj, err := exec.NewProject(x.Schema(), out, next)
	if err != nil {
		return err
	}
	cfg, err := joinConfig(x)
	if err != nil {
		return err
	}
	ls, rs := plan.IsStreaming(x.Left), plan.IsStreaming(x.Right)
	switch {
	case !ls && !rs:
		hj, err := exec.NewHashJoin(cfg, proj)
		if err != nil {
			return err
		}
		if err := c.compile(x.Left, hj.Left()); err != nil {
			return err
		}
		return c.compile(x.Right, hj.Right())
	case ls != rs:
		stream, static := x.Left, x.Right
		if rs {
			stream, static = x.Right, x.Left
		}
		load := func(ctx context.Context) ([]arrow.Record, error) { return Execute(ctx, static) }
		op, err := exec.NewStreamStaticJoin(cfg, ls, load, proj)
		if err != nil {
			return err
		}
		return c.compile(stream, op)
	}
	return c.compileStreamJoin(x, cfg, proj)
}

// joinConfig binds a resolved join for the exec operators.
func joinConfig(x *plan.Join) (exec.JoinConfig, error) {
	spec := x.Spec
	cfg := exec.JoinConfig{
		Left: spec.LeftSchema, Right: spec.RightSchema, NullSafe: spec.NullSafe,
		Pair: spec.PairSchema(x.Type),
	}
	switch x.Type {
	case plan.Inner, plan.Cross:
		cfg.Type = exec.JoinInner
	case plan.LeftOuter:
		cfg.Type = exec.JoinLeftOuter
	case plan.RightOuter:
		cfg.Type = exec.JoinRightOuter
	case plan.FullOuter:
		cfg.Type = exec.JoinFullOuter
	case plan.LeftSemi:
		cfg.Type = exec.JoinLeftSemi
	case plan.LeftAnti:
		cfg.Type = exec.JoinLeftAnti
	default:
		return cfg, fmt.Errorf("join type %s has no physical operator", x.Type)
	}
	var err error
	if cfg.LeftKeys, err = expr.BindAll(spec.LeftKeys, spec.LeftSchema); err != nil {
		return cfg, err
	}
	if cfg.RightKeys, err = expr.BindAll(spec.RightKeys, spec.RightSchema); err != nil {
		return cfg, err
	}
	if spec.Residual != nil {
		if cfg.Residual, err = expr.Bind(spec.Residual, cfg.Pair); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// compileDedup compiles a deduplication; a batch one keeps its keys in a
// map for the one epoch it runs.
func (c *compiler) compileDedup(x *plan.Deduplicate, next exec.Operator) error {
	cfg := dedupConfig(x)
	if plan.IsStreaming(x) {
		return c.compileStreamDedup(x, cfg, next)
	}
	op, err := exec.NewDedup(x.Child.Schema(), cfg, exec.MapStore{}, next)
	if err != nil {
		return err
	}
	return c.compile(x.Child, op)
}

func dedupConfig(x *plan.Deduplicate) exec.DedupConfig {
	s := x.Child.Schema()
	cfg := exec.DedupConfig{Keys: x.KeyIndices, EventTime: plan.EventTimeColumn(s), EvictKey: x.EventTimeKey(),
		WithinWatermark: x.WithinWatermark}
	if !plan.IsStreaming(x) {
		// A batch query has no watermark: no row is late, no key expires.
		cfg.EventTime, cfg.EvictKey, cfg.WithinWatermark = -1, -1, false
	}
	if cfg.WithinWatermark {
		cfg.Delay = watermarkDelay(s.Field(cfg.EventTime))
	}
	return cfg
}
