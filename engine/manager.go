package engine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/gostream/gostream/engine/stream"
)

// Events of streaming queries, delivered to StreamingQueryListeners.
type (
	QueryStartedEvent    = stream.QueryStartedEvent
	QueryProgressEvent   = stream.QueryProgressEvent
	QueryIdleEvent       = stream.QueryIdleEvent
	QueryTerminatedEvent = stream.QueryTerminatedEvent
)

// StreamingQueryListener receives the events of every query of a session.
// Events are delivered in order on one goroutine owned by the session, so
// a listener may call the query's methods, Stop included.
type StreamingQueryListener interface {
	OnQueryStarted(QueryStartedEvent)
	OnQueryProgress(QueryProgressEvent)
	OnQueryIdle(QueryIdleEvent)
	OnQueryTerminated(QueryTerminatedEvent)
}

// ListenerFuncs is a StreamingQueryListener made of functions; nil ones
// are skipped. Pass a pointer: &ListenerFuncs{Progress: ...}.
type ListenerFuncs struct {
	Started    func(QueryStartedEvent)
	Progress   func(QueryProgressEvent)
	Idle       func(QueryIdleEvent)
	Terminated func(QueryTerminatedEvent)
}

func (l *ListenerFuncs) OnQueryStarted(e QueryStartedEvent) {
	if l.Started != nil {
		l.Started(e)
	}
}

func (l *ListenerFuncs) OnQueryProgress(e QueryProgressEvent) {
	if l.Progress != nil {
		l.Progress(e)
	}
}

func (l *ListenerFuncs) OnQueryIdle(e QueryIdleEvent) {
	if l.Idle != nil {
		l.Idle(e)
	}
}

func (l *ListenerFuncs) OnQueryTerminated(e QueryTerminatedEvent) {
	if l.Terminated != nil {
		l.Terminated(e)
	}
}

// StreamingQueryManager manages the streaming queries of a session
// (spark.streams).
type StreamingQueryManager struct {
	s *Session

	mu         sync.Mutex
	queries    []*StreamingQuery
	reserved   map[string]bool // names of queries being started
	ended      map[string]bool // run ids that ended before add saw them
	terminated *StreamingQuery // since the last ResetTerminated
	termCh     chan struct{}   // closed when terminated is set
	listeners  []StreamingQueryListener

	bus     []func() // pending listener calls
	busCond *sync.Cond
	busDone chan struct{}
	closed  bool
}

func newStreamingQueryManager(s *Session) *StreamingQueryManager {
	m := &StreamingQueryManager{s: s, reserved: map[string]bool{}, ended: map[string]bool{}, termCh: make(chan struct{})}
	m.busCond = sync.NewCond(&m.mu)
	return m
}

// Active returns the queries that are running.
func (m *StreamingQueryManager) Active() []*StreamingQuery {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*StreamingQuery
	for _, q := range m.queries {
		if q.IsActive() {
			out = append(out, q)
		}
	}
	return out
}

// Get returns the active query with the given id, nil when none.
func (m *StreamingQueryManager) Get(id string) *StreamingQuery {
	for _, q := range m.Active() {
		if q.ID() == id {
			return q
		}
	}
	return nil
}

// AwaitAnyTermination waits until a query of the session has terminated
// since the session started or since ResetTerminated, and returns that
// query's exception; or ctx's error when ctx ends first.
func (m *StreamingQueryManager) AwaitAnyTermination(ctx context.Context) error {
	m.mu.Lock()
	ch := m.termCh
	m.mu.Unlock()
	select {
	case <-ch:
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.terminated.Exception()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// AwaitAnyTerminationTimeout is AwaitAnyTermination for at most timeout;
// it reports whether a query terminated.
func (m *StreamingQueryManager) AwaitAnyTerminationTimeout(ctx context.Context, timeout time.Duration) (bool, error) {
	wait, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := m.AwaitAnyTermination(wait)
	if wait.Err() != nil && errors.Is(err, wait.Err()) {
		return false, ctx.Err()
	}
	return true, err
}

// ResetTerminated forgets the queries terminated so far, so that
// AwaitAnyTermination waits for a new one.
func (m *StreamingQueryManager) ResetTerminated() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.terminated != nil {
		m.terminated = nil
		m.termCh = make(chan struct{})
	}
}

// AddListener registers l for the events of every query of the session.
func (m *StreamingQueryManager) AddListener(l StreamingQueryListener) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.listeners = append(m.listeners, l)
	if m.busDone == nil && !m.closed {
		m.busDone = make(chan struct{})
		go m.deliver()
	}
}

// RemoveListener unregisters l.
func (m *StreamingQueryManager) RemoveListener(l StreamingQueryListener) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, x := range m.listeners {
		if sameListener(x, l) {
			m.listeners = append(m.listeners[:i:i], m.listeners[i+1:]...)
			return
		}
	}
}

func sameListener(a, b StreamingQueryListener) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta != nil && ta.Comparable() && a == b
}

// reserve claims name for a query being started.
func (m *StreamingQueryManager) reserve(name string) (release func(), err error) {
	if name == "" {
		return func() {}, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, errors.New("the session is closed")
	}
	taken := m.reserved[name]
	for _, q := range m.queries {
		taken = taken || (q.Name() == name && q.IsActive())
	}
	if taken {
		return nil, fmt.Errorf("Cannot start query with name %s as a query with that name is already active", name)
	}
	m.reserved[name] = true
	return func() {
		m.mu.Lock()
		delete(m.reserved, name)
		m.mu.Unlock()
	}, nil
}

// add records a started query.
func (m *StreamingQueryManager) add(q *stream.Query, df *DataFrame) *StreamingQuery {
	sq := &StreamingQuery{q: q, df: df}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.reserved, q.Name())
	m.queries = append(m.queries, sq)
	if m.ended[q.RunID()] {
		delete(m.ended, q.RunID())
		m.setTerminated(sq)
	}
	return sq
}

func (m *StreamingQueryManager) setTerminated(sq *StreamingQuery) {
	if m.terminated == nil {
		m.terminated = sq
		close(m.termCh)
	}
	for i, q := range m.queries {
		if q == sq {
			m.queries = append(m.queries[:i:i], m.queries[i+1:]...)
			break
		}
	}
}

// post queues a call of every listener.
func (m *StreamingQueryManager) post(call func(StreamingQueryListener)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.listeners) == 0 || m.busDone == nil || m.closed {
		return
	}
	ls := append([]StreamingQueryListener(nil), m.listeners...)
	m.bus = append(m.bus, func() {
		for _, l := range ls {
			call(l)
		}
	})
	m.busCond.Signal()
}

// deliver runs queued listener calls until the session closes.
func (m *StreamingQueryManager) deliver() {
	defer close(m.busDone)
	for {
		m.mu.Lock()
		for len(m.bus) == 0 && !m.closed {
			m.busCond.Wait()
		}
		if len(m.bus) == 0 {
			m.mu.Unlock()
			return
		}
		calls := m.bus
		m.bus = nil
		m.mu.Unlock()
		for _, c := range calls {
			func() {
				defer func() { recover() }()
				c()
			}()
		}
	}
}

func (m *StreamingQueryManager) OnQueryStarted(e stream.QueryStartedEvent) {
	m.post(func(l StreamingQueryListener) { l.OnQueryStarted(e) })
}

func (m *StreamingQueryManager) OnQueryProgress(e stream.QueryProgressEvent) {
	m.post(func(l StreamingQueryListener) { l.OnQueryProgress(e) })
}

func (m *StreamingQueryManager) OnQueryIdle(e stream.QueryIdleEvent) {
	m.post(func(l StreamingQueryListener) { l.OnQueryIdle(e) })
}

func (m *StreamingQueryManager) OnQueryTerminated(e stream.QueryTerminatedEvent) {
	m.mu.Lock()
	found := false
	for _, q := range m.queries {
		if q.RunID() == e.RunID {
			m.setTerminated(q)
			found = true
			break
		}
	}
	if !found {
		m.ended[e.RunID] = true
	}
	m.mu.Unlock()
	m.post(func(l StreamingQueryListener) { l.OnQueryTerminated(e) })
}

// close stops every active query, then the listener goroutine once it
// has delivered the queued events.
func (m *StreamingQueryManager) close() error {
	var errs []error
	for _, q := range m.Active() {
		errs = append(errs, q.Stop())
	}
	m.mu.Lock()
	m.closed = true
	done := m.busDone
	m.busCond.Broadcast()
	m.mu.Unlock()
	if done != nil {
		<-done
	}
	return errors.Join(errs...)
}
