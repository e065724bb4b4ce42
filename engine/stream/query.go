package stream

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sink"
	"github.com/gostream/gostream/engine/source"
)

// Config is everything a streaming query runs with. Sources are numbered
// as plan.StreamingRelations numbers the plan's streaming relations; the
// query takes ownership of them, of the sink and of the log.
type Config struct {
	Name     string
	Plan     plan.Node
	Sources  []source.Source
	Sink     sink.Sink
	Trigger  Trigger
	Log      Log
	Listener Listener
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// IdleEventInterval is the least time between two QueryIdleEvents
	// (default 10 s, Spark's noDataProgressEventInterval).
	IdleEventInterval time.Duration
	// OutputMode is the mode stateful operators emit rows by.
	OutputMode plan.OutputMode
	// Conf holds the session settings the runtime reads (see
	// MultipleWatermarkPolicyConf and the other *Conf keys).
	Conf map[string]string
}

// RecentProgressLimit is how many progress reports a query keeps
// (spark.sql.streaming.numRecentProgressUpdates).
const RecentProgressLimit = 100

// QueryError is the exception of a query that failed.
type QueryError struct {
	ID, RunID, Name string
	Err             error
}

func (e *QueryError) Error() string {
	name := ""
	if e.Name != "" {
		name = e.Name + " "
	}
	return fmt.Sprintf("Query %s[id = %s, runId = %s] terminated with exception: %v", name, e.ID, e.RunID, e.Err)
}

func (e *QueryError) Unwrap() error { return e.Err }

// Query is a running (or terminated) streaming query.
type Query struct {
	cfg      Config
	id       string
	runID    string
	pipeline *Pipeline
	now      func() time.Time

	stopCh   chan struct{}
	stopOnce sync.Once
	done     chan struct{}
	wake     chan struct{}
	runner   atomic.Int64 // goroutine id of the loop

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every state change
	status   Status
	active   bool
	err      error
	stopErr  error
	recent   []*Progress
	triggers int64 // triggers begun
	idleUpTo int64 // latest trigger that found no new data
}

// Start checks cfg, compiles the plan and starts the query's goroutine.
// On error nothing is left running, but the caller still owns the
// sources, the sink and the log.
func Start(cfg Config) (*Query, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IdleEventInterval == 0 {
		cfg.IdleEventInterval = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = NewMemoryLog()
	}
	rels := plan.StreamingRelations(cfg.Plan)
	if len(rels) != len(cfg.Sources) {
		return nil, fmt.Errorf("the plan reads %d streams but %d sources were opened", len(rels), len(cfg.Sources))
	}
	for i, r := range rels {
		if !cfg.Sources[i].Schema().Equal(r.Schema()) {
			return nil, fmt.Errorf("source %s returns %s, but the plan expects %s", cfg.Sources[i], cfg.Sources[i].Schema(), r.Schema())
		}
	}
	opts := Options{Mode: cfg.OutputMode, Conf: cfg.Conf}
	if sd, ok := cfg.Log.(interface{ StateDir() string }); ok {
		opts.StateDir = sd.StateDir()
	}
	p, err := CompileWith(cfg.Plan, opts)
	if err != nil {
		return nil, err
	}
	q := &Query{
		cfg: cfg, id: cfg.Log.QueryID(), runID: uuid.NewString(), pipeline: p, now: cfg.Now,
		stopCh: make(chan struct{}), done: make(chan struct{}), wake: make(chan struct{}, 1),
		changed: make(chan struct{}), active: true,
		status: Status{Message: StatusInitializing},
	}
	if cl, ok := cfg.Log.(*CheckpointLog); ok {
		q.runID = cl.RunID()
	}
	if cfg.Listener != nil {
		cfg.Listener.OnQueryStarted(QueryStartedEvent{ID: q.id, RunID: q.runID, Name: cfg.Name, Timestamp: isoTime(q.now())})
	}
	go q.run()
	return q, nil
}

// ID is the query id, kept across restarts from the same checkpoint.
func (q *Query) ID() string { return q.id }

// RunID is the id of this run, new on every start.
func (q *Query) RunID() string { return q.runID }

// Name is the query name, "" when it has none.
func (q *Query) Name() string { return q.cfg.Name }

// Plan is the plan the query runs.
func (q *Query) Plan() plan.Node { return q.cfg.Plan }

// Sink is the query's sink.
func (q *Query) Sink() sink.Sink { return q.cfg.Sink }

// IsActive reports whether the query is still running.
func (q *Query) IsActive() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.active
}

// Status returns what the query is doing now.
func (q *Query) Status() Status {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.status
}

// LastProgress returns the report of the latest batch, nil before the
// first.
func (q *Query) LastProgress() *Progress {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.recent) == 0 {
		return nil
	}
	return q.recent[len(q.recent)-1]
}

// RecentProgress returns the reports of the latest batches (at most
// RecentProgressLimit), oldest first.
func (q *Query) RecentProgress() []*Progress {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]*Progress(nil), q.recent...)
}

// Exception returns the error that terminated the query (a *QueryError),
// nil while it runs or when it was stopped or finished cleanly.
func (q *Query) Exception() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}

// Done is closed when the query has terminated.
func (q *Query) Done() <-chan struct{} { return q.done }

// Stop ends the query: the batch under way finishes, then the sources and
// the sink are stopped and the checkpoint released. Stop waits for all of
// it, except when called from the query's own goroutine (a foreachBatch
// function), where it only asks. It is safe to call more than once.
func (q *Query) Stop() error {
	q.stopOnce.Do(func() { close(q.stopCh) })
	if goroutineID() == q.runner.Load() {
		return nil
	}
	<-q.done
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.stopErr
}

// AwaitTermination waits until the query terminates and returns its
// exception, or ctx's error when ctx ends first.
func (q *Query) AwaitTermination(ctx context.Context) error {
	select {
	case <-q.done:
		return q.Exception()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// AwaitTerminationTimeout waits at most d: it reports whether the query
// terminated, with its exception.
func (q *Query) AwaitTerminationTimeout(ctx context.Context, d time.Duration) (bool, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-q.done:
		return true, q.Exception()
	case <-t.C:
		return false, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// ErrTerminated is returned by ProcessAllAvailable when the query ended
// (stopped or finished) without an exception before all data was seen.
var ErrTerminated = errors.New("the query is no longer active")

// ProcessAllAvailable waits until every row available in the sources when
// it was called has been processed and written to the sink: until a
// trigger that began after the call found nothing new. It returns the
// query's exception if it fails, nil if it finishes (once, availableNow)
// and ctx's error when ctx ends first.
func (q *Query) ProcessAllAvailable(ctx context.Context) error {
	q.mu.Lock()
	since := q.triggers
	q.mu.Unlock()
	q.poke()
	for {
		q.mu.Lock()
		idle, active, err, changed := q.idleUpTo > since, q.active, q.err, q.changed
		q.mu.Unlock()
		if err != nil {
			return err
		}
		if idle || !active {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// poke wakes the loop if it is waiting for data.
func (q *Query) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// update changes the query's shared state and wakes its waiters.
func (q *Query) update(fn func()) {
	q.mu.Lock()
	fn()
	close(q.changed)
	q.changed = make(chan struct{})
	q.mu.Unlock()
}

func (q *Query) setStatus(msg string, dataAvailable, triggerActive bool) {
	q.update(func() {
		q.status = Status{Message: msg, IsDataAvailable: dataAvailable, IsTriggerActive: triggerActive}
	})
}

// goroutineID is the id of the calling goroutine, from its stack header
// "goroutine N [...".
func goroutineID() int64 {
	var buf [64]byte
	s := string(buf[:runtime.Stack(buf[:], false)])
	s = strings.TrimPrefix(s, "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		id, _ := strconv.ParseInt(s[:i], 10, 64)
		return id
	}
	return -1
}
