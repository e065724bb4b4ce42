package display

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// message is one display_data or update_display_data a Target received.
type message struct {
	update bool
	id     string
	text   string
	at     time.Time
}

// recorder is a Target that keeps what it receives, as a front end's
// output area would.
type recorder struct {
	mu   sync.Mutex
	msgs []message
	// block, when set, makes Update wait for it to be closed: a front end
	// (or socket) that does not keep up.
	block chan struct{}
}

func (r *recorder) Display(data, _ Bundle, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, message{id: id, text: fmt.Sprint(data[MIMEText]), at: time.Now()})
}

func (r *recorder) Update(data, _ Bundle, id string) {
	if r.block != nil {
		<-r.block
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, message{update: true, id: id, text: fmt.Sprint(data[MIMEText]), at: time.Now()})
}

func (r *recorder) messages() []message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]message(nil), r.msgs...)
}

func (r *recorder) last() message {
	m := r.messages()
	return m[len(m)-1]
}

// counter renders the value of n, "final" appended for the last rendering.
func counter(n *atomic.Int64) func(bool) (Bundle, Bundle) {
	return func(final bool) (Bundle, Bundle) {
		s := fmt.Sprint(n.Load())
		if final {
			s += " final"
		}
		return Bundle{MIMEText: s}, nil
	}
}

func TestLiveCoalescesAndDeliversTheLatestState(t *testing.T) {
	const throttle = 40 * time.Millisecond
	var n atomic.Int64
	rec := &recorder{}
	l := Show(rec, LiveConfig{Render: counter(&n), Throttle: throttle})
	start := time.Now()
	// A fast query: 100,000 changes as fast as they come.
	for i := 0; i < 100000; i++ {
		n.Add(1)
		l.Mark()
	}
	time.Sleep(3 * throttle) // the last change goes out within one throttle
	elapsed := time.Since(start)
	msgs := rec.messages()
	if msgs[0].update || msgs[0].text != "0" {
		t.Errorf("first message = %+v, want display_data of the initial state", msgs[0])
	}
	updates := len(msgs) - 1
	if limit := int(elapsed/throttle) + 2; updates > limit || updates < 1 {
		t.Errorf("%d updates in %v at a %v throttle, want 1..%d", updates, elapsed, throttle, limit)
	}
	if got := rec.last().text; got != "100000" {
		t.Errorf("last update shows %q, want the latest state 100000", got)
	}
	for i := 2; i < len(msgs); i++ {
		if gap := msgs[i].at.Sub(msgs[i-1].at); gap < throttle-5*time.Millisecond {
			t.Errorf("updates %d and %d are %v apart, want at least %v", i-1, i, gap, throttle)
		}
	}
	l.Close(context.Background())
	if got := rec.last().text; got != "100000 final" {
		t.Errorf("after Close the display shows %q, want the final state", got)
	}
}

func TestLiveFirstChangeAfterQuietGoesOutAtOnce(t *testing.T) {
	var n atomic.Int64
	rec := &recorder{}
	l := Show(rec, LiveConfig{Render: counter(&n)})
	defer l.Close(context.Background())
	time.Sleep(DefaultThrottle + 20*time.Millisecond)
	n.Store(7)
	marked := time.Now()
	l.Mark()
	deadline := time.Now().Add(time.Second)
	for len(rec.messages()) < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	msgs := rec.messages()
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want the display and one update", len(msgs))
	}
	if lag := msgs[1].at.Sub(marked); lag > 20*time.Millisecond {
		t.Errorf("update went out %v after the change, want at once (< 20ms)", lag)
	}
}

func TestLiveFlushAndVersion(t *testing.T) {
	tests := []struct {
		name        string
		change      bool // the state changes between Show and Flush
		version     bool // the display has a Version func
		wantUpdates int
	}{
		{"changed", true, false, 1},
		{"changed with version", true, true, 1},
		{"marked but same version", false, true, 0},
		{"not marked", false, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			rec := &recorder{}
			cfg := LiveConfig{Render: counter(&n), Throttle: time.Hour}
			if tc.version {
				cfg.Version = func() string { return fmt.Sprint(n.Load()) }
			}
			l := Show(rec, cfg)
			defer l.Close(context.Background())
			if tc.change {
				n.Add(1)
			}
			if tc.change || tc.version {
				l.Mark()
			}
			// Within the hour-long throttle, only Flush can publish.
			l.Flush(context.Background())
			if got := int(l.Updates()); got != tc.wantUpdates {
				t.Errorf("Flush published %d updates, want %d", got, tc.wantUpdates)
			}
			if tc.wantUpdates > 0 && rec.last().text != "1" {
				t.Errorf("flushed update shows %q, want 1", rec.last().text)
			}
		})
	}
}

func TestLiveCloseIsFinalAndIdempotent(t *testing.T) {
	var n atomic.Int64
	rec := &recorder{}
	var finals atomic.Int64
	l := Show(rec, LiveConfig{Render: func(final bool) (Bundle, Bundle) {
		if final {
			finals.Add(1)
		}
		return counter(&n)(final)
	}})
	n.Store(3)
	l.Close(context.Background())
	l.Close(context.Background())
	l.Mark() // ignored after Close
	l.Flush(context.Background())
	select {
	case <-l.Done():
	default:
		t.Fatal("Done not closed after Close")
	}
	if finals.Load() != 1 {
		t.Errorf("final rendering ran %d times, want once", finals.Load())
	}
	if got := rec.last().text; got != "3 final" {
		t.Errorf("display shows %q, want %q", got, "3 final")
	}
}

func TestLiveFinalStateIsNotRepeated(t *testing.T) {
	tests := []struct {
		name        string
		change      bool
		wantUpdates int64
	}{
		{"state changed before Close", true, 1},
		{"front end shows the final state already", false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			rec := &recorder{}
			l := Show(rec, LiveConfig{Render: counter(&n), Version: func() string { return fmt.Sprint(n.Load()) }})
			if tc.change {
				n.Add(1)
			}
			l.Close(context.Background())
			if got := l.Updates(); got != tc.wantUpdates {
				t.Errorf("Close sent %d updates, want %d", got, tc.wantUpdates)
			}
		})
	}
}

func TestLiveRenderPanicIsShownNotFatal(t *testing.T) {
	rec := &recorder{}
	l := Show(rec, LiveConfig{Render: func(bool) (Bundle, Bundle) { panic("boom") }})
	l.Close(context.Background())
	for _, m := range rec.messages() {
		if m.text != "display failed: boom" {
			t.Errorf("message %+v, want the panic shown", m)
		}
	}
}

func TestMarkNeverBlocksOnASlowTarget(t *testing.T) {
	rec := &recorder{block: make(chan struct{})}
	var n atomic.Int64
	l := Show(rec, LiveConfig{Render: counter(&n), Throttle: time.Millisecond})
	start := time.Now()
	for i := 0; i < 100000; i++ {
		n.Add(1)
		l.Mark()
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("100,000 Marks took %v with the target stuck, want them not to wait", d)
	}
	close(rec.block)
	l.Close(context.Background())
	if got := rec.last().text; got != "100000 final" {
		t.Errorf("display shows %q, want the latest state", got)
	}
}

func TestCloseGivesUpWhenTheContextEnds(t *testing.T) {
	rec := &recorder{block: make(chan struct{})}
	l := Show(rec, LiveConfig{Render: func(bool) (Bundle, Bundle) { return Bundle{MIMEText: "x"}, nil }})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	l.Close(ctx) // the final update is stuck in the target
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close waited %v past its context", d)
	}
	close(rec.block)
	<-l.Done()
}

func BenchmarkLiveMark(b *testing.B) {
	rec := &recorder{}
	var n atomic.Int64
	l := Show(rec, LiveConfig{Render: counter(&n)})
	defer l.Close(context.Background())
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		l.Mark()
	}
}
