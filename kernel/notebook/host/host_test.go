package host

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/kernel"
)

// sent is one message an execution's outputs published.
type sent struct {
	cell, kind, id string
}

// journal records the messages of every execution in order.
type journal struct {
	mu   sync.Mutex
	msgs []sent
}

// outputs is the kernel.Outputs of the execution named cell.
type outputs struct {
	j    *journal
	cell string
}

func (o outputs) add(kind, id string) {
	o.j.mu.Lock()
	defer o.j.mu.Unlock()
	o.j.msgs = append(o.j.msgs, sent{o.cell, kind, id})
}

func (o outputs) Stream(name, _ string)                           { o.add("stream "+name, "") }
func (o outputs) Display(_, _ kernel.MIMEBundle, id string)       { o.add("display", id) }
func (o outputs) UpdateDisplay(_, _ kernel.MIMEBundle, id string) { o.add("update", id) }
func (o outputs) ClearOutput(bool)                                {}
func (o outputs) Input(context.Context, string, bool) (string, error) {
	return "", kernel.ErrStdinNotAllowed
}

func (j *journal) since(n int) []sent {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]sent(nil), j.msgs[n:]...)
}

func (j *journal) len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.msgs)
}

// TestUpdatesGoWithTheRunningCell: a live display is created in its cell;
// its updates go out with the parent of the cell that runs when they are
// sent, or of its own cell between cells.
func TestUpdatesGoWithTheRunningCell(t *testing.T) {
	h := New()
	j := &journal{}
	text := "v1"
	var mu sync.Mutex
	render := func(bool) (display.Bundle, display.Bundle) {
		mu.Lock()
		defer mu.Unlock()
		return display.Bundle{display.MIMEText: text}, nil
	}
	set := func(s string) { mu.Lock(); text = s; mu.Unlock() }

	h.BeginCell(context.Background(), 1, outputs{j, "cell 1"})
	live := display.Show(target{h: h, start: outputs{j, "cell 1"}}, display.LiveConfig{Render: render})
	h.EndCell(1)

	tests := []struct {
		name    string
		running string // "" between cells
		want    string
	}{
		{"while another cell runs", "cell 2", "cell 2"},
		{"between cells", "", "cell 1"},
		{"while a third cell runs", "cell 3", "cell 3"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := 2 + i
			if tc.running != "" {
				h.BeginCell(context.Background(), id, outputs{j, tc.running})
				defer h.EndCell(id)
			}
			n := j.len()
			set(tc.name)
			live.Mark()
			live.Flush(context.Background())
			got := j.since(n)
			if len(got) != 1 || got[0] != (sent{tc.want, "update", live.ID()}) {
				t.Errorf("sent %v, want one update of %s with the parent of %s", got, live.ID(), tc.want)
			}
		})
	}
	live.Close(context.Background())
}

func TestCellKeys(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"same code", "x := 1", "x := 1", true},
		{"surrounding space ignored", "x := 1\n", "  x := 1", true},
		{"different code", "x := 1", "x := 2", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := cellKey(tc.a) == cellKey(tc.b); got != tc.same {
				t.Errorf("same key %v, want %v", got, tc.same)
			}
		})
	}
	if cellKey("  \n") != "" {
		t.Errorf("empty code has a key")
	}
	h := New()
	h.NextCode("x := 1")
	h.BeginCell(context.Background(), 1, nil)
	if c := h.Current(); c.Key != cellKey("x := 1") || !c.Running {
		t.Errorf("running cell %+v, want key of its code and running", c)
	}
	h.EndCell(1)
	if c := h.Current(); c.Running || c.Key != "" {
		t.Errorf("after EndCell: %+v, want not running", c)
	}
}

// TestOnlyTheNewestListingsStayLive: showing more listings than
// maxListings closes the oldest, each with its final state.
func TestOnlyTheNewestListingsStayLive(t *testing.T) {
	h := New()
	j := &journal{}
	h.BeginCell(context.Background(), 1, outputs{j, "cell 1"})
	defer h.EndCell(1)
	var ls []*display.Live
	for i := 0; i < maxListings+2; i++ {
		ls = append(ls, h.ShowListing())
	}
	for i, l := range ls {
		select {
		case <-l.Done():
			if i >= 2 {
				t.Errorf("listing %d closed, want the newest %d live", i, maxListings)
			}
		case <-time.After(50 * time.Millisecond):
			if i < 2 {
				t.Errorf("listing %d still live, want it closed", i)
			}
		}
	}
	if got := len(h.entries("", true)); got != maxListings {
		t.Errorf("%d listings followed, want %d", got, maxListings)
	}
	h.closeAll(context.Background())
}
