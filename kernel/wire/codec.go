package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"sync"
)

// Delimiter separates routing identities from the message frames.
const Delimiter = "<IDS|MSG>"

// DefaultMaxMessageSize bounds the total size of an incoming message.
const DefaultMaxMessageSize = 256 << 20

// Reasons a message is rejected; a *DecodeError wraps one of them.
var (
	ErrTooLarge          = errors.New("message too large")
	ErrNoDelimiter       = errors.New("missing <IDS|MSG> delimiter")
	ErrTooFewFrames      = errors.New("too few frames after the delimiter")
	ErrBadSignature      = errors.New("bad signature")
	ErrReplayedSignature = errors.New("signature already seen (replayed message)")
	ErrBadJSON           = errors.New("malformed JSON")
	ErrBadHeader         = errors.New("header lacks msg_id or msg_type")
)

// DecodeError says why an incoming message was rejected. Reason is one of
// the Err* sentinels above, so errors.Is works on it.
type DecodeError struct {
	Reason error
	Detail string
}

func (e *DecodeError) Error() string {
	if e.Detail == "" {
		return "wire: " + e.Reason.Error()
	}
	return "wire: " + e.Reason.Error() + ": " + e.Detail
}

func (e *DecodeError) Unwrap() error { return e.Reason }

func decodeErr(reason error, format string, args ...any) error {
	return &DecodeError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// Codec turns messages into signed frames and back. One Codec serves all
// channels of a kernel, so a signature seen on any channel is never
// accepted again. Codec is safe for concurrent use.
type Codec struct {
	key     []byte
	maxSize int
	macs    sync.Pool
	history *digestHistory
}

// NewCodec returns a codec signing with key (HMAC-SHA256). An empty key
// turns signing and verification off, as jupyter_client does. maxSize
// bounds the total size of incoming messages; 0 means DefaultMaxMessageSize.
func NewCodec(key []byte, maxSize int) *Codec {
	if maxSize <= 0 {
		maxSize = DefaultMaxMessageSize
	}
	c := &Codec{key: bytes.Clone(key), maxSize: maxSize, history: newDigestHistory(DigestHistorySize)}
	c.macs.New = func() any { return hmac.New(sha256.New, c.key) }
	return c
}

// Sign returns the hex HMAC-SHA256 of the four JSON frames (header, parent
// header, metadata, content), or "" when the codec has no key.
func (c *Codec) Sign(frames ...[]byte) string {
	if len(c.key) == 0 {
		return ""
	}
	mac := c.macs.Get().(hash.Hash)
	defer c.macs.Put(mac)
	mac.Reset()
	for _, f := range frames {
		mac.Write(f)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// Encode frames m: identities, delimiter, signature, header, parent header,
// metadata, content, buffers.
func (c *Codec) Encode(m Message) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("wire: encode header: %w", err)
	}
	parent := []byte("{}")
	if !m.ParentHeader.IsZero() {
		if parent, err = json.Marshal(m.ParentHeader); err != nil {
			return nil, fmt.Errorf("wire: encode parent header: %w", err)
		}
	}
	metadata := []byte("{}")
	if m.Metadata != nil {
		if metadata, err = json.Marshal(m.Metadata); err != nil {
			return nil, fmt.Errorf("wire: encode metadata of %s: %w", m.Header.MsgType, err)
		}
	}
	content := []byte(m.Content)
	if len(content) == 0 {
		content = []byte("{}")
	}
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, []byte(Delimiter), []byte(c.Sign(header, parent, metadata, content)),
		header, parent, metadata, content)
	frames = append(frames, m.Buffers...)
	return frames, nil
}

// Decode parses and verifies frames received on a ROUTER or SUB socket. It
// never panics; a rejected message yields a *DecodeError.
func (c *Codec) Decode(frames [][]byte) (Message, error) {
	total := 0
	for _, f := range frames {
		total += len(f)
	}
	if total > c.maxSize {
		return Message{}, decodeErr(ErrTooLarge, "%d bytes, the limit is %d", total, c.maxSize)
	}
	delim := -1
	for i, f := range frames {
		if string(f) == Delimiter {
			delim = i
			break
		}
	}
	if delim < 0 {
		return Message{}, decodeErr(ErrNoDelimiter, "%d frames", len(frames))
	}
	rest := frames[delim+1:]
	if len(rest) < 5 {
		return Message{}, decodeErr(ErrTooFewFrames, "got %d, want signature, header, parent header, metadata and content", len(rest))
	}
	sig, header, parent, metadata, content := rest[0], rest[1], rest[2], rest[3], rest[4]
	if len(c.key) > 0 {
		want := c.Sign(header, parent, metadata, content)
		if !hmac.Equal([]byte(want), sig) {
			return Message{}, decodeErr(ErrBadSignature, "signature %.16q does not match the connection key", sig)
		}
		if !c.history.add(string(sig)) {
			return Message{}, decodeErr(ErrReplayedSignature, "signature %.16s...", sig)
		}
	}
	var m Message
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return Message{}, decodeErr(ErrBadJSON, "header: %v", err)
	}
	if m.Header.MsgID == "" || m.Header.MsgType == "" {
		return Message{}, decodeErr(ErrBadHeader, "header %.200s", header)
	}
	if err := json.Unmarshal(parent, &m.ParentHeader); err != nil {
		return Message{}, decodeErr(ErrBadJSON, "parent header of %s: %v", m.Header.MsgType, err)
	}
	if err := json.Unmarshal(metadata, &m.Metadata); err != nil {
		return Message{}, decodeErr(ErrBadJSON, "metadata of %s: %v", m.Header.MsgType, err)
	}
	if !isJSONObject(content) {
		return Message{}, decodeErr(ErrBadJSON, "content of %s is not a JSON object", m.Header.MsgType)
	}
	if m.Metadata == nil {
		m.Metadata = map[string]any{}
	}
	if delim > 0 {
		m.Identities = frames[:delim]
	}
	m.Content = json.RawMessage(content)
	if len(rest) > 5 {
		m.Buffers = rest[5:]
	}
	return m, nil
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}
