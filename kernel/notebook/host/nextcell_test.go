package host

import (
	"context"
	"testing"

	"github.com/gostream/gostream/kernel"
)

// TestNextCellKeys: a notebook cell is known by the id the front end sends,
// else by its code.
func TestNextCellKeys(t *testing.T) {
	type run struct{ id, code string }
	tests := []struct {
		name string
		a, b run
		same bool
	}{
		{"same id, edited code", run{"c1", "x := 1"}, run{"c1", "x := 2"}, true},
		{"same code, other id", run{"c1", "x := 1"}, run{"c2", "x := 1"}, false},
		{"no ids, same code", run{"", "x := 1"}, run{"", " x := 1\n"}, true},
		{"no ids, other code", run{"", "x := 1"}, run{"", "x := 2"}, false},
		{"id against code", run{"c1", "x := 1"}, run{"", "x := 1"}, false},
	}
	key := func(h *Host, r run, id int) string {
		h.NextCell(r.id, r.code)
		h.BeginCell(context.Background(), id, nil)
		defer h.EndCell(id)
		return h.Current().Key
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := New()
			ka, kb := key(h, tc.a, 1), key(h, tc.b, 2)
			if ka == "" || kb == "" {
				t.Fatalf("keys %q and %q, want both set", ka, kb)
			}
			if got := ka == kb; got != tc.same {
				t.Errorf("same key got %v, want %v (%q, %q)", got, tc.same, ka, kb)
			}
		})
	}
	h := New()
	if got := key(h, run{"", "  "}, 1); got != "" {
		t.Errorf("blank code without id has key %q, want none", got)
	}
	h.NextCell("c1", "x := 1")
	h.BeginCell(context.Background(), 2, nil)
	h.EndCell(2)
	h.BeginCell(context.Background(), 3, nil) // no NextCell before it
	defer h.EndCell(3)
	if got := h.Current().Key; got != "" {
		t.Errorf("a cell without NextCell inherited key %q", got)
	}
}

func TestAttachOutput(t *testing.T) {
	h := New()
	// Without a router it does nothing.
	h.AttachOutput(outputs{&journal{}, "cell 1"})()

	var got []kernel.Outputs
	detached := 0
	h.SetAttach(func(out kernel.Outputs) func() {
		got = append(got, out)
		return func() { detached++ }
	})
	out := outputs{&journal{}, "cell 1"}
	h.AttachOutput(out)()
	h.AttachOutput(nil)() // nothing to route to
	if len(got) != 1 || got[0] != kernel.Outputs(out) || detached != 1 {
		t.Errorf("attached %v (detached %d times), want cell 1 once", got, detached)
	}
}
