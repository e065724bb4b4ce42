package wire

import "sync"

// DigestHistorySize is how many signatures the codec remembers to reject
// replayed messages, the size ipykernel uses.
const DigestHistorySize = 1 << 16

// digestHistory is a bounded set of seen signatures. When it grows past its
// limit it forgets a random tenth of its entries, as jupyter_client's
// Session does, so memory stays bounded in a long session.
type digestHistory struct {
	mu    sync.Mutex
	limit int
	seen  map[string]struct{}
}

func newDigestHistory(limit int) *digestHistory {
	return &digestHistory{limit: limit, seen: make(map[string]struct{})}
}

// add records sig and reports whether it was new.
func (h *digestHistory) add(sig string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.seen[sig]; dup {
		return false
	}
	h.seen[sig] = struct{}{}
	if len(h.seen) > h.limit {
		h.cull()
	}
	return true
}

// cull drops max(len/10, len-limit) entries. Map iteration starts at a
// random point, which makes the choice random enough for this purpose.
func (h *digestHistory) cull() {
	n := max(len(h.seen)/10, len(h.seen)-h.limit)
	for sig := range h.seen {
		if n == 0 {
			break
		}
		delete(h.seen, sig)
		n--
	}
}

func (h *digestHistory) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.seen)
}
