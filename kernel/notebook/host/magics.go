package host

import (
	"context"
	"fmt"
	"strings"

	"github.com/gostream/gostream/kernel"
)

// StreamsMagic answers %streams: a live table of every query started in
// the session, active ones first, with status, rates and errors. It updates
// in place as the queries run.
func (h *Host) StreamsMagic(ctx context.Context, args string, out kernel.Outputs) (kernel.MIMEBundle, error) {
	if strings.TrimSpace(args) != "" {
		return nil, fmt.Errorf("%%streams takes no arguments; %%stop NAME|ID|all stops queries")
	}
	h.ShowListing()
	return nil, nil
}

// StopMagic answers %stop NAME|ID|all [NAME|ID ...]: it stops the queries
// named, each after its batch under way commits, and says what it did.
func (h *Host) StopMagic(ctx context.Context, args string, out kernel.Outputs) (kernel.MIMEBundle, error) {
	keys := strings.Fields(args)
	if len(keys) == 0 {
		return nil, fmt.Errorf("%%stop needs a query name, id or run id, or all: %%streams lists them")
	}
	var stopped []*Query
	for _, key := range keys {
		found := h.find(key)
		if len(found) == 0 {
			return nil, fmt.Errorf("no query %q in this session%s: %%streams lists them", key, h.knownNames())
		}
		qs, err := h.Stop(key)
		for _, q := range qs {
			out.Stream("stdout", "stopped "+stoppedText(h, q)+"\n")
		}
		stopped = append(stopped, qs...)
		if err != nil {
			return nil, err
		}
		if len(qs) == 0 && key != "all" {
			out.Stream("stdout", fmt.Sprintf("query %s is not active (%s); nothing to stop\n", label(found[0].Q), h.View(found[0]).StatusLine()))
		}
	}
	if len(stopped) == 0 && len(keys) == 1 && keys[0] == "all" {
		out.Stream("stdout", "no active query; nothing to stop\n")
	}
	return nil, nil
}

// stoppedText describes a query just stopped: its name and last batch.
func stoppedText(h *Host, q *Query) string {
	v := h.View(q)
	if p := v.Last(); p != nil {
		return fmt.Sprintf("query %s after batch %d", v.Label(), p.BatchID)
	}
	return fmt.Sprintf("query %s before its first batch", v.Label())
}

// knownNames lists the names of the session's queries for error messages.
func (h *Host) knownNames() string {
	var names []string
	for _, q := range h.Queries() {
		if q.Q.Name() != "" {
			names = append(names, q.Q.Name())
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (named queries: " + strings.Join(names, ", ") + ")"
}
