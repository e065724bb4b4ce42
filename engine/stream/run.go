package stream

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/checkpoint"
	"github.com/gostream/gostream/engine/exec"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/sink"
	"github.com/gostream/gostream/engine/source"
)

// Idle polling of the default trigger: the loop sleeps between checks for
// data, starting short and backing off; sources that notify wake it at
// once.
const (
	minPoll = 10 * time.Millisecond
	maxPoll = 100 * time.Millisecond
)

// loop is the state of the query goroutine between triggers.
type loop struct {
	q         *Query
	ctx       context.Context
	batchID   int64
	committed []source.Offset
	watermark time.Time
	lastWm    time.Time // watermark of the latest batch: late rows of the next are at or before it
	rerun     *checkpoint.OffsetSeq
	caps      []source.Offset // availableNow bounds of sources that cannot bound themselves
	capped    []bool

	lastTrigger time.Time
	lastIdle    time.Time
}

func (q *Query) run() {
	q.runner.Store(goroutineID())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, s := range q.cfg.Sources {
		if n, ok := s.(source.Notifier); ok {
			ch, unsubscribe := n.Subscribe()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer unsubscribe()
				for {
					select {
					case <-ch:
						q.poke()
					case <-ctx.Done():
						return
					}
				}
			}()
		}
	}

	l := &loop{q: q, ctx: ctx}
	err := l.run()

	cancel()
	wg.Wait()
	stopErr := q.release()
	var exc error
	if err != nil {
		exc = &QueryError{ID: q.id, RunID: q.runID, Name: q.cfg.Name, Err: err}
	}
	q.update(func() {
		q.active = false
		q.err = exc
		q.stopErr = stopErr
		q.status = Status{Message: StatusStopped}
	})
	close(q.done)
	if q.cfg.Listener != nil {
		q.cfg.Listener.OnQueryTerminated(QueryTerminatedEvent{ID: q.id, RunID: q.runID, Exception: exc})
	}
}

// release stops the sources and the sink and closes the log.
func (q *Query) release() error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	for _, s := range q.cfg.Sources {
		keep(s.Stop())
	}
	if s, ok := q.cfg.Sink.(sink.Stopper); ok {
		keep(s.Stop())
	}
	keep(q.pipeline.CloseState())
	keep(q.cfg.Log.Close())
	return first
}

func (q *Query) stopped() bool {
	select {
	case <-q.stopCh:
		return true
	default:
		return false
	}
}

func (l *loop) run() error {
	q := l.q
	if err := l.resume(); err != nil {
		return err
	}
	switch q.cfg.Trigger.Kind {
	case TriggerAvailableNow:
		if err := l.prepareAvailableNow(); err != nil {
			return err
		}
	case TriggerOnce:
		for _, s := range q.cfg.Sources {
			if u, ok := s.(source.Unlimited); ok {
				u.ReadAllAvailable()
			}
		}
	}
	poll := minPoll
	for !q.stopped() {
		start := q.now()
		ran, err := l.trigger()
		if err != nil {
			return err
		}
		switch q.cfg.Trigger.Kind {
		case TriggerOnce:
			return nil
		case TriggerAvailableNow:
			if !ran {
				return nil
			}
		case TriggerProcessingTime:
			iv := q.cfg.Trigger.Interval
			next := start.Truncate(iv).Add(iv)
			if d := next.Sub(q.now()); d > 0 {
				q.setStatus(StatusNextTrigger, false, false)
				if !l.sleep(d, false) {
					return nil
				}
			}
		default:
			if ran {
				poll = minPoll
				continue
			}
			if !l.sleep(poll, true) {
				return nil
			}
			poll = min(2*poll, maxPoll)
		}
	}
	return nil
}

// sleep waits d, or less when woken and wakeable; false when the query is
// stopped meanwhile.
func (l *loop) sleep(d time.Duration, wakeable bool) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	var wake chan struct{}
	if wakeable {
		wake = l.q.wake
	}
	select {
	case <-l.q.stopCh:
		return false
	case <-t.C:
	case <-wake:
	}
	return true
}

// resume sets the loop's start from the log: the next batch, its start
// offsets and watermark, and the batch to re-run if one was planned but
// not committed.
func (l *loop) resume() error {
	n := len(l.q.cfg.Sources)
	r, err := l.q.cfg.Log.Resume()
	if err != nil {
		return err
	}
	l.batchID = r.Batch
	l.watermark = time.UnixMilli(r.WatermarkMs).UTC()
	l.lastWm = time.UnixMilli(0).UTC()
	l.committed = make([]source.Offset, n)
	if r.Start != nil {
		l.lastWm = time.UnixMilli(r.Start.BatchWatermarkMs).UTC()
		l.q.pipeline.restoreConf(r.Start.Conf)
		if len(r.Start.Offsets) != n {
			return fmt.Errorf("the checkpoint has offsets for %d sources but the query reads %d: a checkpoint belongs to one query; use a new checkpointLocation for a changed query", len(r.Start.Offsets), n)
		}
		for i, o := range r.Start.Offsets {
			l.committed[i] = source.Offset(o)
		}
	}
	if r.Rerun {
		if len(r.End.Offsets) != n {
			return fmt.Errorf("the checkpoint has offsets for %d sources but the query reads %d: a checkpoint belongs to one query; use a new checkpointLocation for a changed query", len(r.End.Offsets), n)
		}
		l.rerun = r.End
		l.q.pipeline.restoreConf(r.End.Conf)
	}
	return nil
}

func (l *loop) prepareAvailableNow() error {
	srcs := l.q.cfg.Sources
	l.caps = make([]source.Offset, len(srcs))
	l.capped = make([]bool, len(srcs))
	for i, s := range srcs {
		if a, ok := s.(source.AvailableNow); ok {
			if err := a.PrepareAvailableNow(l.ctx); err != nil {
				return fmt.Errorf("preparing %s for availableNow: %w", s, err)
			}
			continue
		}
		start := l.committed[i]
		if l.rerun != nil {
			start = source.Offset(l.rerun.Offsets[i])
		}
		end, err := s.LatestOffset(l.ctx, start)
		if err != nil {
			return fmt.Errorf("latest offset of %s: %w", s, err)
		}
		l.caps[i], l.capped[i] = end, true
	}
	return nil
}

// trigger runs one trigger: the pending re-run, or a new batch when any
// source has new data. It reports whether a batch ran.
func (l *loop) trigger() (bool, error) {
	q := l.q
	var seq int64
	q.update(func() {
		q.triggers++
		seq = q.triggers
	})
	started := q.now()
	durations := map[string]int64{}
	var ends []source.Offset
	var seqOut checkpoint.OffsetSeq
	if l.rerun != nil {
		seqOut = *l.rerun
		l.rerun = nil
		ends = make([]source.Offset, len(seqOut.Offsets))
		for i, o := range seqOut.Offsets {
			ends[i] = source.Offset(o)
		}
	} else {
		q.setStatus(StatusProcessing, false, true)
		t0 := time.Now()
		var err error
		var hasData bool
		ends, hasData, err = l.latest()
		durations["latestOffset"] = time.Since(t0).Milliseconds()
		if err != nil {
			return false, err
		}
		if !hasData && !(l.watermark.After(l.lastWm) && q.pipeline.NeedsNoDataBatch(l.watermark)) {
			l.idle(seq)
			return false, nil
		}
		seqOut = checkpoint.OffsetSeq{
			BatchWatermarkMs: l.watermark.UnixMilli(),
			BatchTimestampMs: q.now().UnixMilli(),
			Conf:             q.pipeline.recordConf(),
			Offsets:          make([]json.RawMessage, len(ends)),
		}
		for i, o := range ends {
			if o != "" {
				seqOut.Offsets[i] = json.RawMessage(o)
			}
		}
		t0 = time.Now()
		if err := q.cfg.Log.AddOffsets(l.batchID, seqOut); err != nil {
			return false, fmt.Errorf("writing offsets for batch %d: %w", l.batchID, err)
		}
		durations["walCommit"] = time.Since(t0).Milliseconds()
	}
	if err := l.batch(started, seqOut, ends, durations); err != nil {
		return false, fmt.Errorf("batch %d: %w", l.batchID, err)
	}
	l.batchID++
	return true, nil
}

// latest asks every source for its next end offset.
func (l *loop) latest() ([]source.Offset, bool, error) {
	srcs := l.q.cfg.Sources
	ends := make([]source.Offset, len(srcs))
	hasData := false
	for i, s := range srcs {
		if l.capped != nil && l.capped[i] {
			ends[i] = l.caps[i]
		} else {
			end, err := s.LatestOffset(l.ctx, l.committed[i])
			if err != nil {
				return nil, false, fmt.Errorf("latest offset of %s: %w", s, err)
			}
			ends[i] = end
		}
		hasData = hasData || ends[i] != l.committed[i]
	}
	return ends, hasData, nil
}

// idle records a trigger that found nothing new.
func (l *loop) idle(seq int64) {
	q := l.q
	q.update(func() {
		q.status = Status{Message: StatusWaiting}
		if seq > q.idleUpTo {
			q.idleUpTo = seq
		}
	})
	now := q.now()
	if q.cfg.Listener != nil && (l.lastIdle.IsZero() || now.Sub(l.lastIdle) >= q.cfg.IdleEventInterval) {
		l.lastIdle = now
		q.cfg.Listener.OnQueryIdle(QueryIdleEvent{ID: q.id, RunID: q.runID, Timestamp: isoTime(now)})
	}
}

// batch runs batch l.batchID from the committed offsets to ends with the
// watermark and timestamp of seq, commits it and reports its progress.
func (l *loop) batch(started time.Time, seq checkpoint.OffsetSeq, ends []source.Offset, durations map[string]int64) (err error) {
	q := l.q
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	q.setStatus(StatusProcessing, true, true)
	wm := time.UnixMilli(seq.BatchWatermarkMs).UTC()
	ctx := expr.WithBatchTime(l.ctx, time.UnixMilli(seq.BatchTimestampMs).UTC())

	t0 := time.Now()
	srcs := q.cfg.Sources
	data := make([][]arrow.Record, len(srcs))
	defer func() {
		for _, recs := range data {
			exec.Release(recs)
		}
	}()
	rows := make([]int64, len(srcs))
	var total int64
	for i, s := range srcs {
		if ends[i] == l.committed[i] {
			continue
		}
		recs, err := s.Batch(ctx, l.committed[i], ends[i])
		if err != nil {
			return fmt.Errorf("reading %s: %w", s, err)
		}
		data[i] = recs
		rows[i] = exec.NumRows(recs)
		total += rows[i]
	}
	durations["getBatch"] = time.Since(t0).Milliseconds()

	t0 = time.Now()
	if err := q.pipeline.BeginBatch(ctx, l.batchID, l.lastWm); err != nil {
		return err
	}
	out, err := q.pipeline.RunEpoch(ctx, data, wm)
	if err != nil {
		return err
	}
	defer exec.Release(out)
	outRows := exec.NumRows(out)
	if err := q.cfg.Sink.AddBatch(ctx, l.batchID, out); err != nil {
		return fmt.Errorf("writing to %s: %w", q.cfg.Sink, err)
	}
	durations["addBatch"] = time.Since(t0).Milliseconds()

	next := q.pipeline.NextWatermark(wm)
	t0 = time.Now()
	if err := q.cfg.Log.AddCommit(l.batchID, checkpoint.CommitMetadata{NextBatchWatermarkMs: next.UnixMilli()}); err != nil {
		return fmt.Errorf("writing the commit: %w", err)
	}
	for i, s := range srcs {
		if ends[i] != l.committed[i] {
			if err := s.Commit(ctx, ends[i]); err != nil {
				return fmt.Errorf("committing %s: %w", s, err)
			}
		}
	}
	durations["commitOffsets"] = time.Since(t0).Milliseconds()
	durations["queryPlanning"] = 0

	starts := l.committed
	l.committed = ends
	l.watermark = next
	l.lastWm = wm
	finished := q.now()
	durations["triggerExecution"] = finished.Sub(started).Milliseconds()
	l.report(started, finished, seq, starts, ends, rows, total, outRows, wm, durations)
	return nil
}

func (l *loop) report(started, finished time.Time, seq checkpoint.OffsetSeq, starts, ends []source.Offset, rows []int64, total, outRows int64, wm time.Time, durations map[string]int64) {
	q := l.q
	sinceLast := 0.0
	if !l.lastTrigger.IsZero() {
		sinceLast = started.Sub(l.lastTrigger).Seconds()
	}
	l.lastTrigger = started
	elapsed := finished.Sub(started).Seconds()
	rate := func(n int64, secs float64) float64 {
		if secs <= 0 {
			return 0
		}
		return float64(n) / secs
	}
	p := &Progress{
		ID: q.id, RunID: q.runID, Name: q.cfg.Name,
		Timestamp:              isoTime(started),
		BatchID:                l.batchID,
		BatchDuration:          finished.Sub(started).Milliseconds(),
		NumInputRows:           total,
		InputRowsPerSecond:     rate(total, sinceLast),
		ProcessedRowsPerSecond: rate(total, elapsed),
		DurationMs:             durations,
		StateOperators:         q.pipeline.StateProgress(),
		Sink:                   SinkProgress{Description: q.cfg.Sink.String(), NumOutputRows: outRows},
	}
	if q.pipeline.HasEventTime() {
		p.EventTime = map[string]string{"watermark": isoTime(wm)}
		if s, ok := q.pipeline.TakeEventTimeStats(); ok {
			p.EventTime["min"] = isoTime(s.Min)
			p.EventTime["max"] = isoTime(s.Max)
			p.EventTime["avg"] = isoTime(s.Avg)
		}
	}
	raw := func(o source.Offset) json.RawMessage {
		if o == "" {
			return json.RawMessage("null")
		}
		return json.RawMessage(o)
	}
	for i, s := range q.cfg.Sources {
		sp := SourceProgress{
			Description:            s.String(),
			StartOffset:            raw(starts[i]),
			EndOffset:              raw(ends[i]),
			LatestOffset:           raw(ends[i]),
			NumInputRows:           rows[i],
			InputRowsPerSecond:     rate(rows[i], sinceLast),
			ProcessedRowsPerSecond: rate(rows[i], elapsed),
		}
		if m, ok := s.(source.MetricsReporter); ok {
			sp.Metrics = m.Metrics(ends[i])
		}
		p.Sources = append(p.Sources, sp)
	}
	q.update(func() {
		q.recent = append(q.recent, p)
		if len(q.recent) > RecentProgressLimit {
			q.recent = append([]*Progress(nil), q.recent[len(q.recent)-RecentProgressLimit:]...)
		}
		q.status = Status{Message: StatusWaiting}
	})
	if q.cfg.Listener != nil {
		q.cfg.Listener.OnQueryProgress(QueryProgressEvent{Progress: p})
	}
}
