package display

import (
	"bytes"
	"fmt"
	"sync"
)

// DefaultLogBytes is how much text a TextLog keeps unless told otherwise.
const DefaultLogBytes = 64 << 10

// TextLog keeps the end of a growing text, such as a console sink's
// batches: at most Max bytes, cut at line starts, counting what it dropped.
// It is safe for concurrent use.
type TextLog struct {
	// Max is the number of bytes kept; DefaultLogBytes when zero.
	Max int

	mu           sync.Mutex
	buf          []byte
	droppedBytes int64
	droppedLines int64
}

// Write appends p.
func (l *TextLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	limit := l.Max
	if limit <= 0 {
		limit = DefaultLogBytes
	}
	l.buf = append(l.buf, p...)
	if over := len(l.buf) - limit; over > 0 {
		cut := over
		if i := bytes.IndexByte(l.buf[over:], '\n'); i >= 0 && over+i+1 < len(l.buf) {
			cut = over + i + 1
		}
		l.droppedBytes += int64(cut)
		l.droppedLines += int64(bytes.Count(l.buf[:cut], []byte{'\n'}))
		l.buf = append(l.buf[:0:0], l.buf[cut:]...)
	}
	return len(p), nil
}

// Len is the number of bytes written so far, kept or dropped.
func (l *TextLog) Len() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.droppedBytes + int64(len(l.buf))
}

// String is the kept text, preceded by a note when earlier text was
// dropped.
func (l *TextLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.droppedBytes == 0 {
		return string(l.buf)
	}
	return fmt.Sprintf("[earlier output not shown: %s in %s]\n%s",
		bytesText(l.droppedBytes), plural(l.droppedLines, "line", "lines"), l.buf)
}
