package kernel

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gostream/gostream/kernel/wire"
)

// lateNoteDelay is how long after the first dropped write of a finished
// execution its truncation note waits, so the note can count a burst.
const lateNoteDelay = time.Second

// outputs is the Outputs of one execute_request. Stream writes are
// coalesced: consecutive writes to the same stream become one message, and
// pending text is published at most every flush interval, before any other
// output, and before execute_reply. Stream text beyond the limit is dropped
// and reported once on stderr.
type outputs struct {
	k          *Kernel
	parent     wire.Header
	identities [][]byte
	allowStdin bool
	limit      int
	interval   time.Duration

	// pub is held while publishing, so messages leave in the order the
	// executor produced them.
	pub sync.Mutex

	mu           sync.Mutex
	segments     []streamSegment
	armed        bool
	accepted     int
	dropped      int
	droppedLines int
	finished     bool
	noted        bool
}

type streamSegment struct {
	name string
	text strings.Builder
}

func newOutputs(k *Kernel, req wire.Message, allowStdin bool) *outputs {
	return &outputs{
		k:          k,
		parent:     req.Header,
		identities: req.Identities,
		allowStdin: allowStdin,
		limit:      k.opts.StreamLimit,
		interval:   k.opts.StreamFlushInterval,
	}
}

func (o *outputs) Stream(name, text string) {
	if text == "" {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if room := o.limit - o.accepted; len(text) > room {
		keep := cutUTF8(text, max(room, 0))
		cut := text[len(keep):]
		o.dropped += len(cut)
		o.droppedLines += strings.Count(cut, "\n")
		text = keep
		if o.finished && !o.noted {
			o.noted = true
			time.AfterFunc(lateNoteDelay, o.publishNote)
		}
	}
	if text == "" {
		return
	}
	o.accepted += len(text)
	if n := len(o.segments); n > 0 && o.segments[n-1].name == name {
		o.segments[n-1].text.WriteString(text)
	} else {
		o.segments = append(o.segments, streamSegment{name: name})
		o.segments[len(o.segments)-1].text.WriteString(text)
	}
	if !o.armed {
		o.armed = true
		time.AfterFunc(o.interval, o.flush)
	}
}

// cutUTF8 returns the longest prefix of s no longer than n bytes that does
// not split a UTF-8 sequence.
func cutUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// flush publishes pending stream text.
func (o *outputs) flush() {
	o.pub.Lock()
	defer o.pub.Unlock()
	o.flushLocked()
}

// flushLocked publishes pending stream text; o.pub must be held.
func (o *outputs) flushLocked() {
	o.mu.Lock()
	segments := o.segments
	o.segments = nil
	o.armed = false
	o.mu.Unlock()
	for i := range segments {
		o.k.publish(o.parent, "stream", map[string]any{"name": segments[i].name, "text": segments[i].text.String()})
	}
}

// finish flushes what the execution printed and, when text was dropped,
// publishes the truncation note. Output after finish still goes out with the
// same parent.
func (o *outputs) finish() {
	o.pub.Lock()
	defer o.pub.Unlock()
	o.flushLocked()
	o.mu.Lock()
	o.finished = true
	note := ""
	if o.dropped > 0 && !o.noted {
		o.noted = true
		note = o.noteLocked()
	}
	o.mu.Unlock()
	if note != "" {
		o.k.publish(o.parent, "stream", map[string]any{"name": "stderr", "text": note})
	}
}

// publishNote publishes the truncation note for text dropped after finish.
func (o *outputs) publishNote() {
	o.pub.Lock()
	defer o.pub.Unlock()
	o.flushLocked()
	o.mu.Lock()
	note := o.noteLocked()
	o.mu.Unlock()
	o.k.publish(o.parent, "stream", map[string]any{"name": "stderr", "text": note})
}

func (o *outputs) noteLocked() string {
	return fmt.Sprintf("\n[output truncated: a cell may print %s; %s in %d lines were dropped]\n",
		formatBytes(o.limit), formatBytes(o.dropped), o.droppedLines)
}

func formatBytes(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func (o *outputs) Display(data, metadata MIMEBundle, displayID string) {
	content := map[string]any{"data": orEmpty(data), "metadata": orEmpty(metadata), "transient": map[string]any{}}
	if displayID != "" {
		content["transient"] = map[string]any{"display_id": displayID}
	}
	o.publishAfterStreams("display_data", content)
}

func (o *outputs) UpdateDisplay(data, metadata MIMEBundle, displayID string) {
	if displayID == "" {
		o.k.log.Warn("update_display_data without a display id was not sent")
		return
	}
	o.publishAfterStreams("update_display_data", map[string]any{
		"data": orEmpty(data), "metadata": orEmpty(metadata), "transient": map[string]any{"display_id": displayID},
	})
}

func (o *outputs) ClearOutput(wait bool) {
	o.publishAfterStreams("clear_output", map[string]any{"wait": wait})
}

// publishAfterStreams flushes pending stream text, then publishes msgType.
func (o *outputs) publishAfterStreams(msgType string, content map[string]any) {
	o.pub.Lock()
	defer o.pub.Unlock()
	o.flushLocked()
	o.k.publish(o.parent, msgType, content)
}

func (o *outputs) Input(ctx context.Context, prompt string, password bool) (string, error) {
	if !o.allowStdin {
		return "", ErrStdinNotAllowed
	}
	o.flush()
	return o.k.stdin.ask(ctx, o.identities, o.parent, prompt, password)
}
