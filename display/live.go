package display

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultThrottle is the shortest interval between two updates of a live
// display unless told otherwise.
const DefaultThrottle = 250 * time.Millisecond

// LiveConfig says how a live display renders itself.
type LiveConfig struct {
	// Render returns the display's current data and metadata. final is set
	// for the last rendering, after Close. Render runs on the display's own
	// goroutine (the first time on the caller of Show) and must not block
	// for long.
	Render func(final bool) (data, metadata Bundle)
	// Version, when set, summarises the state Render would show: an update
	// whose version equals the last one published is skipped, the final one
	// included.
	Version func() string
	// Throttle is the shortest interval between two updates;
	// DefaultThrottle when zero.
	Throttle time.Duration
}

// Live is a display that updates in place. Mark says the state changed and
// never blocks; one goroutine per display renders the latest state at most
// once per throttle interval (the first change after a quiet interval is
// published at once), so any number of changes costs a few updates a
// second and the last state is always delivered. Close publishes the final
// state and ends the goroutine.
type Live struct {
	id     string
	target Target
	cfg    LiveConfig

	dirty   atomic.Bool
	closed  atomic.Bool
	updates atomic.Int64

	kick      chan struct{} // capacity 1: a pending kick is the latest-wins slot
	flushReq  chan chan struct{}
	closeReq  chan chan struct{}
	done      chan struct{}
	closeOnce sync.Once

	// Owned by the goroutine.
	last        time.Time
	lastVersion string
}

// Show renders the display, publishes it as display_data on target and
// starts keeping it up to date.
func Show(target Target, cfg LiveConfig) *Live {
	if cfg.Throttle <= 0 {
		cfg.Throttle = DefaultThrottle
	}
	l := &Live{
		id:       NewID(),
		target:   target,
		cfg:      cfg,
		kick:     make(chan struct{}, 1),
		flushReq: make(chan chan struct{}),
		closeReq: make(chan chan struct{}),
		done:     make(chan struct{}),
	}
	if cfg.Version != nil {
		l.lastVersion = cfg.Version()
	}
	data, md := l.render(false)
	target.Display(data, md, l.id)
	// The first display does not count toward the throttle: the first
	// change, typically a query's first batch, goes out at once.
	go l.run()
	return l
}

// NewID returns a new display id.
func NewID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "gostream-" + hex.EncodeToString(b[:])
}

// ID is the display id the front end knows the display by.
func (l *Live) ID() string { return l.id }

// Updates is the number of update_display_data published so far.
func (l *Live) Updates() int64 { return l.updates.Load() }

// Done is closed once the display has published its final state.
func (l *Live) Done() <-chan struct{} { return l.done }

// Mark says the state changed. It never blocks, whatever the rate of
// calls: changes between two updates are coalesced into one.
func (l *Live) Mark() {
	if l.closed.Load() {
		return
	}
	l.dirty.Store(true)
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// Flush publishes a pending change now, ignoring the throttle, and waits
// until it is published or ctx ends.
func (l *Live) Flush(ctx context.Context) {
	ack := make(chan struct{})
	select {
	case l.flushReq <- ack:
	case <-l.done:
		return
	case <-ctx.Done():
		return
	}
	select {
	case <-ack:
	case <-l.done:
	case <-ctx.Done():
	}
}

// Close publishes the final state and stops updating; it waits until that
// is published or ctx ends. Later calls only wait.
func (l *Live) Close(ctx context.Context) {
	l.closeOnce.Do(func() {
		l.closed.Store(true)
		go func() {
			ack := make(chan struct{})
			select {
			case l.closeReq <- ack:
			case <-l.done:
			}
		}()
	})
	select {
	case <-l.done:
	case <-ctx.Done():
	}
}

func (l *Live) run() {
	defer close(l.done)
	var timer *time.Timer
	var fire <-chan time.Time
	stopTimer := func() {
		if timer != nil {
			timer.Stop()
		}
		fire = nil
	}
	for {
		select {
		case <-l.kick:
			if fire != nil {
				continue // an update is already due; it will show this change
			}
			if wait := l.cfg.Throttle - time.Since(l.last); wait > 0 {
				timer = time.NewTimer(wait)
				fire = timer.C
				continue
			}
			l.publish(false)
		case <-fire:
			fire = nil
			l.publish(false)
		case ack := <-l.flushReq:
			stopTimer()
			l.publish(false)
			close(ack)
		case ack := <-l.closeReq:
			stopTimer()
			l.publish(true)
			close(ack)
			return
		}
	}
}

// publish renders and sends an update when the state changed since the
// last one. The final update is sent unless Version says the front end
// shows that state already.
func (l *Live) publish(final bool) {
	if !l.dirty.Swap(false) && !final {
		return
	}
	if l.cfg.Version != nil {
		v := l.cfg.Version()
		if v == l.lastVersion {
			return // the front end shows this state already
		}
		l.lastVersion = v
	}
	data, md := l.render(final)
	l.target.Update(data, md, l.id)
	l.updates.Add(1)
	l.last = time.Now()
}

// render calls cfg.Render; a panic becomes a text/plain message, never a
// crash of the kernel.
func (l *Live) render(final bool) (data, md Bundle) {
	defer func() {
		if r := recover(); r != nil {
			data, md = Bundle{MIMEText: fmt.Sprintf("display failed: %v", r)}, nil
		}
	}()
	return l.cfg.Render(final)
}
