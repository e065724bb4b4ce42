package cells

import (
	"reflect"
	"sync"
	"testing"
)

// prober is a goroutine that answers, on request, which cell the router
// gives it, calling forG at a chosen stack depth.
type prober struct {
	ask  chan chan *cell
	done chan struct{}
}

func (p *prober) loop(r *router, depth int) {
	if depth > 0 {
		p.loop(r, depth-1)
		return
	}
	for reply := range p.ask {
		reply <- r.forG()
	}
}

func (p *prober) cell() *cell {
	reply := make(chan *cell)
	p.ask <- reply
	return <-reply
}

func (p *prober) stop() {
	close(p.ask)
	<-p.done
}

// startProber starts a prober registered with cell c, as a go statement in
// c's code does, or an unregistered one (a goroutine of compiled code) when
// c is nil.
func startProber(e *Executor, c *cell, depth int) *prober {
	p := &prober{ask: make(chan chan *cell), done: make(chan struct{})}
	body := func() {
		defer close(p.done)
		p.loop(e.rt, depth)
	}
	if c == nil {
		go body()
	} else {
		go runCellGoroutine(e, c, reflect.ValueOf(body), nil, false)
	}
	return p
}

func TestRouterForG(t *testing.T) {
	c1, c2, c3 := &cell{name: "cell1"}, &cell{name: "cell2"}, &cell{name: "cell3"}
	type probe struct {
		owner *cell // registered with this cell; nil: not registered
		depth int   // extra stack frames below forG
		want  *cell
	}
	tests := []struct {
		name    string
		running *cell // the cell running now; nil: none (the last one was c3)
		probes  []probe
		main    *cell // what the test's own goroutine gets
	}{
		{name: "no goroutines", running: c1, probes: []probe{{nil, 0, c1}}, main: c1},
		{name: "no cell running", running: nil, probes: []probe{{nil, 0, c3}}, main: c3},
		{name: "goroutine of an earlier cell", running: c2,
			probes: []probe{{c1, 0, c1}, {nil, 0, c2}}, main: c2},
		{name: "goroutines of one earlier cell", running: c3,
			probes: []probe{{c1, 0, c1}, {c1, 5, c1}, {nil, 0, c3}}, main: c3},
		{name: "goroutines of two cells", running: c3,
			probes: []probe{{c1, 0, c1}, {c2, 0, c2}, {nil, 0, c3}}, main: c3},
		{name: "stack deeper than the bottom search", running: c3,
			probes: []probe{{c1, 400, c1}, {c2, 400, c2}, {nil, 400, c3}}, main: c3},
		{name: "deep stack of one cell", running: c2,
			probes: []probe{{c1, 400, c1}, {nil, 400, c2}}, main: c2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &Executor{rt: newRouter()}
			e.rt.start(c3)
			e.rt.end()
			if tc.running != nil {
				e.rt.start(tc.running)
			}
			var ps []*prober
			for _, pr := range tc.probes {
				ps = append(ps, startProber(e, pr.owner, pr.depth))
			}
			// Ask each prober twice: the second answer comes from the
			// router's cache of goroutine entries.
			for round := 0; round < 2; round++ {
				for i, p := range ps {
					if got := p.cell(); got != tc.probes[i].want {
						t.Errorf("round %d, goroutine %d: got %s, want %s", round, i, nameOf(got), nameOf(tc.probes[i].want))
					}
				}
				if got := e.rt.forG(); got != tc.main {
					t.Errorf("round %d, test goroutine: got %s, want %s", round, nameOf(got), nameOf(tc.main))
				}
			}
			for _, p := range ps {
				p.stop()
			}
			if n := e.rt.live.Load(); n != 0 {
				t.Errorf("after every goroutine ended: live got %d, want 0", n)
			}
			if c := e.rt.only.Load(); c != nil {
				t.Errorf("after every goroutine ended: only got %s, want none", c.name)
			}
		})
	}
}

func nameOf(c *cell) string {
	if c == nil {
		return "no cell"
	}
	return c.name
}

func TestRouterForgetGoroutines(t *testing.T) {
	e := &Executor{rt: newRouter()}
	c1, c2 := &cell{name: "cell1"}, &cell{name: "cell2"}
	e.rt.start(c1)
	p := startProber(e, c1, 0)
	if got := p.cell(); got != c1 {
		t.Fatalf("before: got %s, want cell1", nameOf(got))
	}
	e.rt.forgetGoroutines()
	e.rt.start(c2)
	if got := p.cell(); got != c2 {
		t.Errorf("after forgetting: got %s, want the running cell2", nameOf(got))
	}
	p.stop()
	if n := e.rt.live.Load(); n != 0 {
		t.Errorf("live got %d, want 0", n)
	}
}

func TestRouterConcurrentRegistration(t *testing.T) {
	e := &Executor{rt: newRouter()}
	cells := []*cell{{name: "cell1"}, {name: "cell2"}, {name: "cell3"}}
	e.rt.start(cells[2])
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 32; i++ {
		c := cells[i%len(cells)]
		wg.Add(1)
		body := func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				if got := e.rt.forG(); got != c {
					errs <- "got " + nameOf(got) + ", want " + c.name
					return
				}
			}
		}
		go runCellGoroutine(e, c, reflect.ValueOf(body), nil, false)
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}
