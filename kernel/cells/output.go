package cells

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gostream/gostream/kernel"
)

// cell is one execution: where its output goes and the context engine calls
// made on its behalf honour.
type cell struct {
	id     int
	name   string
	out    kernel.Outputs
	ctx    context.Context
	cancel context.CancelFunc
	defers []deferred // recorded by top-level defers; guarded by Executor.deferMu
}

// router sends output to the cell that produced it. Goroutines started by
// cell code register themselves (goroutine id -> cell), goroutines of
// compiled code that call back into cell code are attached to a cell for
// the duration of the call (Executor.Attach); any other goroutine writes to
// the running cell, or to the last one when none runs.
//
// Finding the writing goroutine's id costs a stack walk (runtime.Stack
// formats the whole stack, ~20 µs in interpreted code), so forG avoids it:
// with no registered goroutine alive every write goes to the running cell;
// otherwise the bottom of the writer's stack (runtime.Callers, ~3 µs) tells
// registered goroutines from others, and when every registered goroutine
// belongs to one cell no id is needed either. While a goroutine is
// attached every write needs the id.
type router struct {
	mu      sync.RWMutex
	current *cell
	last    *cell
	byG     map[uint64]*cell
	byCell  map[*cell]int // live registered goroutines per cell
	// attached maps goroutines attached with Executor.Attach to their cell;
	// nAttached is len(attached).
	attached  map[uint64]*cell
	nAttached atomic.Int64
	// live is len(byG); only is the cell every live registered goroutine
	// belongs to, nil when there are none or several cells.
	live atomic.Int64
	only atomic.Pointer[cell]
	// entries caches, per goroutine entry (the return PC of the frame above
	// runtime.goexit), whether it is a registered cell goroutine.
	entries sync.Map
	// traces holds the interpreted frames a panic unwound (see trace.go),
	// per goroutine; traces of unregistered goroutines are kept in
	// mainTrace.
	traces    map[uint64][]traceFrame
	mainTrace []traceFrame
}

func newRouter() *router {
	return &router{byG: map[uint64]*cell{}, byCell: map[*cell]int{}, attached: map[uint64]*cell{}, traces: map[uint64][]traceFrame{}}
}

// goid returns the id of the calling goroutine, parsed from its stack header
// ("goroutine 123 [running]:").
func goid() uint64 {
	var buf [32]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}

// goroutineKind says what onCellGoroutine found out.
type goroutineKind int

const (
	kindUnknown goroutineKind = iota // the stack is too deep to see its bottom
	kindOther                        // not started by runCellGoroutine
	kindCell                         // started by runCellGoroutine
)

// cellGoroutineFunc is the function every registered goroutine runs.
var cellGoroutineFunc = runtime.FuncForPC(reflect.ValueOf(runCellGoroutine).Pointer()).Name()

// onCellGoroutine reports whether the calling goroutine was started by
// runCellGoroutine, from the bottom frames of its stack.
func (r *router) onCellGoroutine() goroutineKind {
	var pcs [256]uintptr
	n := runtime.Callers(1, pcs[:])
	if n == len(pcs) || n < 2 {
		return kindUnknown
	}
	key := pcs[n-2]
	if k, ok := r.entries.Load(key); ok {
		return k.(goroutineKind)
	}
	kind := kindOther
	frames := runtime.CallersFrames(pcs[max(0, n-4):n])
	for {
		f, more := frames.Next()
		if f.Function == cellGoroutineFunc {
			kind = kindCell
		}
		if !more {
			break
		}
	}
	r.entries.Store(key, kind)
	return kind
}

// forG returns the cell the calling goroutine writes to, or nil when no cell
// has run yet.
func (r *router) forG() *cell {
	if r.nAttached.Load() == 0 {
		if r.live.Load() == 0 {
			return r.fallback()
		}
		switch r.onCellGoroutine() {
		case kindOther:
			return r.fallback()
		case kindCell:
			if c := r.only.Load(); c != nil {
				return c
			}
		}
	}
	id := goid()
	r.mu.RLock()
	defer r.mu.RUnlock()
	if c := r.attached[id]; c != nil {
		return c
	}
	if c := r.byG[id]; c != nil {
		return c
	}
	if r.current != nil {
		return r.current
	}
	return r.last
}

// fallback returns the running cell, or the last one.
func (r *router) fallback() *cell {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.current != nil {
		return r.current
	}
	return r.last
}

func (r *router) start(c *cell) {
	r.mu.Lock()
	r.current, r.last = c, c
	r.mainTrace = nil
	r.mu.Unlock()
}

func (r *router) end() {
	r.mu.Lock()
	r.current = nil
	r.mu.Unlock()
}

func (r *router) enter(c *cell) uint64 {
	id := goid()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drop(id)
	r.byG[id] = c
	r.byCell[c]++
	delete(r.traces, id)
	r.recount()
	return id
}

// exit unregisters goroutine id and returns the panic frames it collected.
func (r *router) exit(id uint64) []traceFrame {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drop(id)
	r.recount()
	t := r.traces[id]
	delete(r.traces, id)
	return t
}

// drop unregisters goroutine id; r.mu is held.
func (r *router) drop(id uint64) {
	c, ok := r.byG[id]
	if !ok {
		return
	}
	delete(r.byG, id)
	if r.byCell[c]--; r.byCell[c] <= 0 {
		delete(r.byCell, c)
	}
}

// recount publishes live and only after a change; r.mu is held.
func (r *router) recount() {
	var only *cell
	if len(r.byCell) == 1 {
		for c := range r.byCell {
			only = c
		}
	}
	r.only.Store(only)
	r.live.Store(int64(len(r.byG)))
}

// forgetGoroutines drops every registration: after a hard interrupt no
// interpreted goroutine runs any more.
func (r *router) forgetGoroutines() {
	r.mu.Lock()
	r.byG = map[uint64]*cell{}
	r.byCell = map[*cell]int{}
	r.traces = map[uint64][]traceFrame{}
	r.recount()
	r.mu.Unlock()
}

func (r *router) takeMainTrace() []traceFrame {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.mainTrace
	r.mainTrace = nil
	return t
}

// ownTrace reports whether goroutine id keeps its own panic lines: it was
// started by a cell or is attached to one; r.mu is held.
func (r *router) ownTrace(id uint64) bool {
	_, registered := r.byG[id]
	return registered || r.attached[id] != nil
}

// streamWriter is the interpreter's stdout or stderr: every Write goes to
// the cell of the writing goroutine as one stream message.
type streamWriter struct {
	r    *router
	name string
}

func (w streamWriter) Write(p []byte) (int, error) {
	if w.name == "stderr" && w.r.notePanicLine(p) {
		return len(p), nil
	}
	if c := w.r.forG(); c != nil && len(p) > 0 {
		c.out.Stream(w.name, string(p))
	}
	return len(p), nil
}

// pipeStream backs os.Stdout or os.Stderr as seen by cells: a real *os.File
// (so the variable keeps its type) whose reading end is copied to the
// running cell. sync lets a cell wait until what it wrote has been read.
type pipeStream struct {
	r       *router
	name    string
	rd, wr  *os.File
	pending atomic.Int32
	synced  chan struct{}
	done    chan struct{}
}

var syncMarker = []byte("\x00\x01gostream-sync\x01\x00")

func newPipeStream(r *router, name string) (*pipeStream, error) {
	rd, wr, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p := &pipeStream{r: r, name: name, rd: rd, wr: wr, synced: make(chan struct{}, 16), done: make(chan struct{})}
	go p.copy()
	return p, nil
}

func (p *pipeStream) copy() {
	defer close(p.done)
	buf := make([]byte, 32<<10)
	var carry []byte
	for {
		n, err := p.rd.Read(buf)
		carry = append(carry, buf[:n]...)
		for {
			i := bytes.Index(carry, syncMarker)
			if i < 0 {
				break
			}
			p.emit(carry[:i])
			carry = carry[i+len(syncMarker):]
			p.pending.Add(-1)
			p.synced <- struct{}{}
		}
		keep := 0
		if p.pending.Load() > 0 {
			keep = partialSuffix(carry, syncMarker)
		}
		p.emit(carry[:len(carry)-keep])
		carry = append(carry[:0], carry[len(carry)-keep:]...)
		if err != nil {
			return
		}
	}
}

// partialSuffix returns the length of the longest suffix of b that is a
// proper prefix of m.
func partialSuffix(b, m []byte) int {
	for k := min(len(m)-1, len(b)); k > 0; k-- {
		if bytes.HasSuffix(b, m[:k]) {
			return k
		}
	}
	return 0
}

func (p *pipeStream) emit(b []byte) {
	if len(b) == 0 {
		return
	}
	if c := p.r.fallback(); c != nil {
		c.out.Stream(p.name, string(b))
	}
}

// sync waits (at most d) until everything written so far has been published.
func (p *pipeStream) sync(d time.Duration) {
	p.pending.Add(1)
	if _, err := p.wr.Write(syncMarker); err != nil {
		p.pending.Add(-1)
		return
	}
	select {
	case <-p.synced:
	case <-time.After(d):
	}
}

func (p *pipeStream) close() {
	p.wr.Close()
	<-p.done
	p.rd.Close()
}

// lineSource reads stdin for cells: each time more input is needed it asks
// the front end of the reading goroutine's cell for one line.
type lineSource struct {
	r   *router
	buf []byte
}

func (s *lineSource) Read(p []byte) (int, error) {
	if len(s.buf) == 0 {
		c := s.r.forG()
		if c == nil {
			return 0, io.EOF
		}
		line, err := c.out.Input(c.ctx, "", false)
		if err != nil {
			return 0, err
		}
		s.buf = []byte(line + "\n")
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// newStdin returns the reader that fmt.Scan* and os.Stdin read in cells. It
// is a bufio.Reader (an io.RuneScanner), so fmt.Fscan loses no input between
// calls.
func newStdin(r *router) *bufio.Reader {
	return bufio.NewReaderSize(&lineSource{r: r}, 4096)
}
