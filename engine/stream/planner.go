package stream

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/plan"
)

// BatchSource is implemented by the Source of every batch plan.Relation:
// it returns the relation's rows each time a query reads it. The caller
// releases the records.
type BatchSource interface {
	Records(ctx context.Context) ([]arrow.Record, error)
}

// Pipeline is a plan compiled into exec operators, ready to run epoch after
// epoch. Its expressions are bound once, at Compile.
type Pipeline struct {
	// streams[i] are the operators fed by streaming source i, numbered as
	// plan.StreamingRelations numbers them.
	streams    [][]exec.Operator
	statics    []staticInput
	out        *exec.Collector
	eventTimes []*exec.EventTime
	stateful
}

type staticInput struct {
	rel *plan.Relation
	op  exec.Operator
}

// Compile turns an analyzed plan into a pipeline.
func Compile(root plan.Node) (*Pipeline, error) { return compile(root, Options{}) }

func compile(root plan.Node, opts Options) (*Pipeline, error) {
	if !root.Resolved() {
		return nil, fmt.Errorf("cannot run an unresolved plan:\n%s", plan.Format(root))
	}
	rels := plan.StreamingRelations(root)
	c := &compiler{
		p:     &Pipeline{streams: make([][]exec.Operator, len(rels)), out: exec.NewCollector()},
		index: make(map[*plan.Relation]int, len(rels)),
	}
	c.p.init(opts)
	for i, r := range rels {
		c.index[r] = i
	}
	if err := c.compile(root, c.p.out); err != nil {
		return nil, err
	}
	return c.p, nil
}

type compiler struct {
	p     *Pipeline
	index map[*plan.Relation]int
}

func (c *compiler) compile(n plan.Node, next exec.Operator) error {
	switch x := n.(type) {
	case *plan.Relation:
		if x.Streaming {
			i := c.index[x]
			c.p.streams[i] = append(c.p.streams[i], next)
			return nil
		}
		if _, ok := x.Source.(BatchSource); !ok {
			return fmt.Errorf("relation %s cannot be read as a batch", x.Source)
		}
		c.p.statics = append(c.p.statics, staticInput{x, next})
		return nil
	case *plan.Project:
		bound, err := expr.BindAll(x.Exprs, x.Child.Schema())
		if err != nil {
			return err
		}
		op, err := exec.NewProject(x.Schema(), bound, next)
		if err != nil {
			return err
		}
		return c.compile(x.Child, op)
	case *plan.Filter:
		cond, err := expr.Bind(x.Cond, x.Child.Schema())
		if err != nil {
			return err
		}
		op, err := exec.NewFilter(cond, next)
		if err != nil {
			return err
		}
		return c.compile(x.Child, op)
	case *plan.Union:
		u := exec.NewUnion(x.Schema(), len(x.Inputs), next)
		for _, in := range x.Inputs {
			if err := c.compile(in, u); err != nil {
				return err
			}
		}
		return nil
	case *plan.Limit:
		return c.compile(x.Child, exec.NewLimit(x.N, next))
	case *plan.EventTimeWatermark:
		idx := x.Schema().FieldIndices(x.Column)
		if len(idx) != 1 {
			return fmt.Errorf("event-time column %q not found once in %s", x.Column, x.Schema())
		}
		op, err := exec.NewEventTime(x.Schema(), idx[0], x.Delay, next)
		if err != nil {
			return err
		}
		c.p.eventTimes = append(c.p.eventTimes, op)
		return c.compile(x.Child, op)
	case *plan.Generate:
		arg, err := expr.Bind(x.Generator, x.Child.Schema())
		if err != nil {
			return err
		}
		op, err := exec.NewGenerate(x.Schema(), arg, x.Outer, next)
		if err != nil {
			return err
		}
		return c.compile(x.Child, op)
	case *plan.SubqueryAlias:
		return c.compile(x.Child, next)
	case *plan.Aggregate:
		return c.compileAggregate(x, next)
	case *plan.Sort:
		return c.compileSort(x, next)
	case *plan.Join:
		return c.compileJoin(x, next)
	case *plan.Deduplicate:
		return c.compileDedup(x, next)
	}
	return fmt.Errorf("no physical operator for %T (%s)", n, n)
}

// RunEpoch pushes one epoch through the pipeline: data[i] are the records
// of streaming source i (borrowed), batch relations are read afresh, and
// wm is the epoch's watermark. It returns the output records, which the
// caller releases.
func (p *Pipeline) RunEpoch(ctx context.Context, data [][]arrow.Record, wm time.Time) ([]arrow.Record, error) {
	var firstErr error
	feed := func(op exec.Operator, recs []arrow.Record, err error) {
		if err == nil && firstErr == nil {
			err = op.Watermark(ctx, wm)
			for _, r := range recs {
				if err != nil {
					break
				}
				err = op.Process(ctx, r)
			}
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if err := op.Finish(ctx, firstErr); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	for i, ops := range p.streams {
		var recs []arrow.Record
		if i < len(data) {
			recs = data[i]
		}
		feed(exec.Tee(ops), recs, nil)
	}
	for _, s := range p.statics {
		var recs []arrow.Record
		var err error
		if firstErr == nil {
			recs, err = s.rel.Source.(BatchSource).Records(ctx)
			if err != nil {
				err = fmt.Errorf("reading %s: %w", s.rel.Source, err)
			}
		}
		feed(s.op, recs, err)
		exec.Release(recs)
	}
	if firstErr != nil {
		p.out.Reset()
		return nil, firstErr
	}
	recs, _ := p.out.Take()
	return recs, nil
}

// HasEventTime reports whether the plan declares a watermark.
func (p *Pipeline) HasEventTime() bool { return len(p.eventTimes) > 0 }

// NextWatermark is the watermark for the next epoch: the smallest of the
// event-time operators' proposals (the largest with
// multipleWatermarkPolicy max), never below current.
func (p *Pipeline) NextWatermark(current time.Time) time.Time {
	if len(p.eventTimes) == 0 {
		return current
	}
	next := p.eventTimes[0].NextWatermark()
	for _, e := range p.eventTimes[1:] {
		if w := e.NextWatermark(); w.Before(next) != p.maxWm && !w.Equal(next) {
			next = w
		}
	}
	if next.Before(current) {
		return current
	}
	return next
}

// TakeEventTimeStats returns the epoch's event-time summary over every
// event-time operator; ok is false when no row carried an event time.
func (p *Pipeline) TakeEventTimeStats() (s exec.EventTimeStats, ok bool) {
	var base, count int64
	var sum float64 // of (avg-base)*count, far from overflow
	for _, e := range p.eventTimes {
		es, has := e.TakeStats()
		if !has {
			continue
		}
		if !ok || es.Min.Before(s.Min) {
			s.Min = es.Min
		}
		if !ok || es.Max.After(s.Max) {
			s.Max = es.Max
		}
		if !ok {
			base = es.Avg.UnixMicro()
		}
		sum += float64(es.Avg.UnixMicro()-base) * float64(es.Count)
		count += es.Count
		ok = true
	}
	if ok {
		s.Count = count
		s.Avg = time.UnixMicro(base + int64(sum/float64(count))).UTC()
	}
	return s, ok
}

// Execute runs root once as a batch query and returns its rows. The
// caller releases the records.
func Execute(ctx context.Context, root plan.Node) ([]arrow.Record, error) {
	if err := plan.CheckBatch(root); err != nil {
		return nil, err
	}
	p, err := Compile(root)
	if err != nil {
		return nil, err
	}
	if _, ok := expr.BatchTimeFrom(ctx); !ok {
		ctx = expr.WithBatchTime(ctx, time.Now())
	}
	return p.RunEpoch(ctx, nil, time.UnixMilli(0).UTC())
}
