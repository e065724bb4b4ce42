package stream

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/state"
)

// Configuration keys the runtime reads (Spark's names). They are recorded
// in each batch's offsets file and, as in Spark, the recorded values win
// over the session's when a query restarts from its checkpoint.
const (
	// MultipleWatermarkPolicyConf chooses the global watermark over the
	// query's withWatermark operators: "min" (default) or "max".
	MultipleWatermarkPolicyConf = "spark.sql.streaming.multipleWatermarkPolicy"
	// NoDataMicroBatchesConf enables the extra batch without new data that
	// runs when the watermark would close groups ("true" by default).
	NoDataMicroBatchesConf = "spark.sql.streaming.noDataMicroBatches.enabled"
	// MinBatchesToRetainConf is how many recent state versions stay
	// loadable (default 100).
	MinBatchesToRetainConf = "spark.sql.streaming.minBatchesToRetain"
	// MinDeltasForSnapshotConf is how many state deltas separate two
	// snapshots (default 10).
	MinDeltasForSnapshotConf = "spark.sql.streaming.stateStore.minDeltasForSnapshot"
)

// Options are what a streaming pipeline is compiled with.
type Options struct {
	// Mode is the query's output mode.
	Mode plan.OutputMode
	// StateDir is the checkpoint's state folder, "" to keep state in
	// memory only.
	StateDir string
	// Conf holds the settings above; absent keys take Spark's defaults.
	Conf map[string]string
}

func (o Options) conf(key, def string) string {
	if v, ok := o.Conf[key]; ok && v != "" {
		return v
	}
	return def
}

func (o Options) stateOptions() state.Options {
	var so state.Options
	so.MinVersionsToRetain, _ = strconv.Atoi(o.conf(MinBatchesToRetainConf, "100"))
	so.MinDeltasForSnapshot, _ = strconv.Atoi(o.conf(MinDeltasForSnapshotConf, "10"))
	return so
}

// checkConf refuses values the runtime cannot use.
func (o Options) checkConf() error {
	switch p := strings.ToLower(o.conf(MultipleWatermarkPolicyConf, "min")); p {
	case "min", "max":
	default:
		return fmt.Errorf("%s must be min or max, not %q", MultipleWatermarkPolicyConf, p)
	}
	if _, err := strconv.ParseBool(o.conf(NoDataMicroBatchesConf, "true")); err != nil {
		return fmt.Errorf("%s must be true or false, not %q", NoDataMicroBatchesConf, o.conf(NoDataMicroBatchesConf, ""))
	}
	return nil
}

// stateful is the part of a Pipeline that drives stateful operators.
type stateful struct {
	opts     Options
	ops      []exec.Stateful
	maxWm    bool // multipleWatermarkPolicy = max
	noDataOK bool
}

// CompileWith turns an analyzed streaming plan into a pipeline whose
// stateful operators keep their state as opts say.
func CompileWith(root plan.Node, opts Options) (*Pipeline, error) {
	if err := opts.checkConf(); err != nil {
		return nil, err
	}
	return compile(root, opts)
}

// stateConfig returns the state location of the next stateful operator
// the compiler meets (operators are numbered in plan order from 0).
func (c *compiler) stateConfig() exec.StateConfig {
	id := len(c.p.ops)
	return exec.StateConfig{Root: c.p.opts.StateDir, Operator: id, Options: c.p.opts.stateOptions()}
}

// addStateful registers a stateful operator: the runtime begins each
// batch on it and reports its progress. Call stateConfig first.
func (c *compiler) addStateful(op exec.Stateful) { c.p.ops = append(c.p.ops, op) }

// BeginBatch starts batch id on every stateful operator: each loads the
// state version id. lateWm is the watermark of the previous batch.
func (s *stateful) BeginBatch(ctx context.Context, id int64, lateWm time.Time) error {
	for _, op := range s.ops {
		if err := op.BeginBatch(ctx, exec.Batch{ID: id, LateWatermark: lateWm}); err != nil {
			return fmt.Errorf("loading state for batch %d: %w", id, err)
		}
	}
	return nil
}

// NeedsNoDataBatch reports whether a batch without new data must run with
// watermark next: some stateful operator would emit or evict with it.
func (s *stateful) NeedsNoDataBatch(next time.Time) bool {
	if !s.noDataOK {
		return false
	}
	for _, op := range s.ops {
		if op.NeedsNoDataBatch(next) {
			return true
		}
	}
	return false
}

// StateProgress reports every stateful operator's last batch.
func (s *stateful) StateProgress() []StateOperatorProgress {
	out := make([]StateOperatorProgress, 0, len(s.ops))
	for _, op := range s.ops {
		p := op.StateProgress()
		out = append(out, StateOperatorProgress{
			OperatorName: p.OperatorName, NumRowsTotal: p.NumRowsTotal, NumRowsUpdated: p.NumRowsUpdated,
			NumRowsRemoved: p.NumRowsRemoved, NumRowsDroppedByWatermark: p.NumRowsDroppedByWatermark,
			MemoryUsedBytes: p.MemoryUsedBytes,
		})
	}
	return out
}

// CloseState releases the stateful operators' stores.
func (s *stateful) CloseState() error {
	var first error
	for _, op := range s.ops {
		if err := op.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// recordConf returns the settings written into each batch's offsets.
func (s *stateful) recordConf() map[string]string {
	policy := "min"
	if s.maxWm {
		policy = "max"
	}
	return map[string]string{
		MultipleWatermarkPolicyConf: policy,
		NoDataMicroBatchesConf:      strconv.FormatBool(s.noDataOK),
	}
}

// restoreConf applies the settings a checkpoint recorded.
func (s *stateful) restoreConf(conf map[string]string) {
	if v, ok := conf[MultipleWatermarkPolicyConf]; ok {
		s.maxWm = strings.EqualFold(v, "max")
	}
	if v, ok := conf[NoDataMicroBatchesConf]; ok {
		if b, err := strconv.ParseBool(v); err == nil {
			s.noDataOK = b
		}
	}
}

func (s *stateful) init(opts Options) {
	s.opts = opts
	s.maxWm = strings.EqualFold(opts.conf(MultipleWatermarkPolicyConf, "min"), "max")
	s.noDataOK, _ = strconv.ParseBool(opts.conf(NoDataMicroBatchesConf, "true"))
}
