package wire

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ProtocolVersion is the version of the messaging protocol the kernel speaks.
const ProtocolVersion = "5.4"

// dateLayout is ISO 8601 with microseconds, the form jupyter_client writes.
const dateLayout = "2006-01-02T15:04:05.000000Z07:00"

// Header is a message header (and, for replies, the parent header).
// Date is kept as the sender wrote it so parent headers travel back intact.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// IsZero reports whether h is the empty header ({} on the wire).
func (h Header) IsZero() bool { return h == Header{} }

// NewHeader returns a header for a new message of msgType in session, with
// a fresh msg_id and the current time.
func NewHeader(msgType, session, username string) Header {
	return Header{
		MsgID:    uuid.NewString(),
		Session:  session,
		Username: username,
		Date:     FormatDate(time.Now()),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// FormatDate formats t in UTC as ISO 8601 with microseconds.
func FormatDate(t time.Time) string { return t.UTC().Format(dateLayout) }

// Message is one Jupyter message. Identities are the ZeroMQ routing frames
// before the <IDS|MSG> delimiter; a reply carries its request's identities.
// Content is kept as raw JSON; Buffers are the optional binary frames.
type Message struct {
	Identities   [][]byte
	Header       Header
	ParentHeader Header
	Metadata     map[string]any
	Content      json.RawMessage
	Buffers      [][]byte
}

// NewMessage builds a message of msgType whose content is content encoded as
// JSON. A non-zero parent becomes the parent header.
func NewMessage(msgType, session, username string, parent Header, content any) (Message, error) {
	raw, err := json.Marshal(content)
	if err != nil {
		return Message{}, fmt.Errorf("wire: encode %s content: %w", msgType, err)
	}
	return Message{
		Header:       NewHeader(msgType, session, username),
		ParentHeader: parent,
		Content:      raw,
	}, nil
}

// DecodeContent decodes the message content into v.
func (m Message) DecodeContent(v any) error {
	content := m.Content
	if len(content) == 0 {
		content = json.RawMessage("{}")
	}
	if err := json.Unmarshal(content, v); err != nil {
		return fmt.Errorf("wire: decode %s content: %w", m.Header.MsgType, err)
	}
	return nil
}
