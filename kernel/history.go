package kernel

import (
	"regexp"
	"strings"
	"sync"

	"github.com/gostream/gostream/kernel/wire"
)

// historySession is the number this kernel's session has in history
// replies; only the current session is kept.
const historySession = 1

// history is the session's input history (and the text/plain of results),
// kept in memory.
type history struct {
	mu      sync.Mutex
	entries []historyEntry
}

type historyEntry struct {
	line   int
	input  string
	output *string
}

func (h *history) add(line int, input string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, historyEntry{line: line, input: input})
}

func (h *history) setOutput(line int, text string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := len(h.entries) - 1; i >= 0; i-- {
		if h.entries[i].line == line {
			h.entries[i].output = &text
			return
		}
	}
}

// historyQuery is history_request's content.
type historyQuery struct {
	Output     bool   `json:"output"`
	Raw        bool   `json:"raw"`
	AccessType string `json:"hist_access_type"`
	Session    int    `json:"session"`
	Start      int    `json:"start"`
	Stop       int    `json:"stop"`
	N          int    `json:"n"`
	Pattern    string `json:"pattern"`
	Unique     bool   `json:"unique"`
}

// query selects entries as IPython's history manager does: tail (the last
// n), range (lines start <= line < stop of a session; 0 or negative session
// means the current one, stop 0 means to the end) and search (a glob over
// the whole input, the last n matches, optionally unique inputs only).
func (h *history) query(q historyQuery) []historyEntry {
	h.mu.Lock()
	all := append([]historyEntry(nil), h.entries...)
	h.mu.Unlock()
	var sel []historyEntry
	switch q.AccessType {
	case "tail":
		if q.N > 0 {
			sel = all[max(len(all)-q.N, 0):]
		}
	case "range":
		if q.Session > 0 && q.Session != historySession {
			return nil
		}
		for _, e := range all {
			if e.line >= q.Start && (q.Stop <= 0 || e.line < q.Stop) {
				sel = append(sel, e)
			}
		}
	case "search":
		pattern := q.Pattern
		if pattern == "" {
			pattern = "*"
		}
		re := globRegexp(pattern)
		for _, e := range all {
			if re.MatchString(e.input) {
				sel = append(sel, e)
			}
		}
		if q.Unique {
			sel = lastOfEachInput(sel)
		}
		if q.N > 0 {
			sel = sel[max(len(sel)-q.N, 0):]
		}
	}
	return sel
}

// lastOfEachInput keeps the latest entry of every distinct input.
func lastOfEachInput(entries []historyEntry) []historyEntry {
	last := make(map[string]int, len(entries))
	for i, e := range entries {
		last[e.input] = i
	}
	var out []historyEntry
	for i, e := range entries {
		if last[e.input] == i {
			out = append(out, e)
		}
	}
	return out
}

// globRegexp translates a glob (SQLite GLOB as IPython uses it: *, ?,
// [set], [^set] or [!set]) into a regexp matching the whole input.
func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '[':
			end := strings.IndexByte(glob[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			set := glob[i+1 : i+1+end]
			if len(set) > 0 && (set[0] == '!' || set[0] == '^') {
				set = "^" + set[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(set, `\`, `\\`) + "]")
			i += end + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`\A` + regexp.QuoteMeta(glob) + `\z`)
	}
	return re
}

func (k *Kernel) historyRequest(ch *wire.Channel, req wire.Message) {
	var q historyQuery
	if err := req.DecodeContent(&q); err != nil {
		k.badContent(ch, req, err)
		return
	}
	entries := k.history.query(q)
	items := make([]any, 0, len(entries))
	for _, e := range entries {
		if q.Output {
			var out any
			if e.output != nil {
				out = *e.output
			}
			items = append(items, []any{historySession, e.line, []any{e.input, out}})
		} else {
			items = append(items, []any{historySession, e.line, e.input})
		}
	}
	k.reply(ch, req, "history_reply", map[string]any{"status": "ok", "history": items}, nil)
}
