package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sampleMessage(t *testing.T) Message {
	t.Helper()
	parent := NewHeader("execute_request", "client-session", "alice")
	m, err := NewMessage("execute_result", "kernel-session", "kernel", parent,
		map[string]any{"execution_count": 3, "data": map[string]any{"text/plain": "héllo <b>"}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	base := sampleMessage(t)
	tests := []struct {
		name string
		key  string
		edit func(*Message)
	}{
		{"signed", "secret", func(*Message) {}},
		{"unsigned", "", func(*Message) {}},
		{"identities", "secret", func(m *Message) { m.Identities = [][]byte{[]byte("peer-1"), []byte("peer-2")} }},
		{"no parent", "secret", func(m *Message) { m.ParentHeader = Header{} }},
		{"metadata", "secret", func(m *Message) { m.Metadata = map[string]any{"started": "now", "n": 1.5} }},
		{"buffers", "secret", func(m *Message) { m.Buffers = [][]byte{{0, 1, 2}, {}} }},
		{"empty content", "secret", func(m *Message) { m.Content = nil }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := base
			tc.edit(&want)
			c := NewCodec([]byte(tc.key), 0)
			frames, err := c.Encode(want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Decode(frames)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(want.Content) == 0 {
				want.Content = json.RawMessage("{}")
			}
			if want.Metadata == nil {
				want.Metadata = map[string]any{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\ngot  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSignatureFrame(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		wantLen int
	}{
		{"hmac-sha256 hex", "secret", 64},
		{"no key no signature", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			frames, err := NewCodec([]byte(tc.key), 0).Encode(sampleMessage(t))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(frames[1]); got != tc.wantLen {
				t.Errorf("signature length = %d, want %d (%q)", got, tc.wantLen, frames[1])
			}
		})
	}
}

// TestDecodeJupyterClientFrames checks signature verification against frames
// jupyter_client's Session.serialize wrote (testdata).
func TestDecodeJupyterClientFrames(t *testing.T) {
	var golden struct {
		Key    string
		Frames []string
	}
	data, err := os.ReadFile(filepath.Join("testdata", "jupyter_client_execute_request.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	frames := make([][]byte, len(golden.Frames))
	for i, f := range golden.Frames {
		frames[i] = []byte(f)
	}
	m, err := NewCodec([]byte(golden.Key), 0).Decode(frames)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	var content struct {
		Code string `json:"code"`
	}
	if err := m.DecodeContent(&content); err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"identity", string(m.Identities[0]), "client-identity"},
		{"msg_type", m.Header.MsgType, "execute_request"},
		{"username", m.Header.Username, "alice"},
		{"code", content.Code, `fmt.Println("héllo <b>")`},
		{"metadata", m.Metadata["cellId"].(string), "abc"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if _, err := NewCodec([]byte("another key"), 0).Decode(frames); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Decode with the wrong key: err = %v, want ErrBadSignature", err)
	}
}

// TestEncodeReadByJupyterClient has jupyter_client verify and parse frames
// this package encoded. It needs Debian's python3-jupyter-client.
func TestEncodeReadByJupyterClient(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import jupyter_client.session").Run(); err != nil {
		t.Skipf("jupyter_client not available for %s: %v", python, err)
	}
	m := sampleMessage(t)
	m.Identities = [][]byte{[]byte("kernel.x.execute_result")}
	frames, err := NewCodec([]byte("secret-key"), 0).Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(frames)
	if err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys, base64
from jupyter_client.session import Session
frames = [base64.b64decode(f) for f in json.load(sys.stdin)]
s = Session(key=b"secret-key")
idents, rest = s.feed_identities(frames)
msg = s.deserialize(rest)
print(json.dumps({"type": msg["msg_type"], "parent": msg["parent_header"]["msg_type"], "text": msg["content"]["data"]["text/plain"]}))
`
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("jupyter_client rejected the frames: %v\n%s", err, out)
	}
	want := `{"type": "execute_result", "parent": "execute_request", "text": "h\u00e9llo <b>"}`
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("jupyter_client read\n got %s\nwant %s", got, want)
	}
}

func TestDecodeRejects(t *testing.T) {
	c := NewCodec([]byte("secret"), 1024)
	good, err := c.Encode(sampleMessage(t))
	if err != nil {
		t.Fatal(err)
	}
	// signed re-signs the JSON frames so only the intended defect remains.
	signed := func(header, parent, metadata, content string) [][]byte {
		sig := c.Sign([]byte(header), []byte(parent), []byte(metadata), []byte(content))
		return [][]byte{[]byte(Delimiter), []byte(sig), []byte(header), []byte(parent), []byte(metadata), []byte(content)}
	}
	header := `{"msg_id":"1","msg_type":"kernel_info_request","session":"s","username":"u","date":"","version":"5.4"}`
	tests := []struct {
		name   string
		frames [][]byte
		want   error
	}{
		{"no frames", nil, ErrNoDelimiter},
		{"no delimiter", good[1:], ErrNoDelimiter},
		{"too few frames", good[:4], ErrTooFewFrames},
		{"tampered content", append(append([][]byte{}, good[:5]...), []byte(`{"a":1}`)), ErrBadSignature},
		{"empty signature", append([][]byte{good[0], {}}, good[2:]...), ErrBadSignature},
		{"oversize", append(append([][]byte{}, good...), make([]byte, 1024)), ErrTooLarge},
		{"header not JSON", signed(`{"msg_id":`, `{}`, `{}`, `{}`), ErrBadJSON},
		{"header without msg_type", signed(`{"msg_id":"1"}`, `{}`, `{}`, `{}`), ErrBadHeader},
		{"header null", signed(`null`, `{}`, `{}`, `{}`), ErrBadHeader},
		{"parent not object", signed(header, `[1]`, `{}`, `{}`), ErrBadJSON},
		{"metadata not object", signed(header, `{}`, `"x"`, `{}`), ErrBadJSON},
		{"content not object", signed(header, `{}`, `{}`, `[]`), ErrBadJSON},
		{"content truncated", signed(header, `{}`, `{}`, `{"code":`), ErrBadJSON},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Decode(tc.frames)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v (%T), want *DecodeError", err, err)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want reason %v", err, tc.want)
			}
		})
	}
}

func TestReplayRejected(t *testing.T) {
	tests := []struct {
		name       string
		key        string
		wantSecond error
	}{
		{"signed messages are not accepted twice", "secret", ErrReplayedSignature},
		{"unsigned messages have nothing to check", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCodec([]byte(tc.key), 0)
			frames, err := c.Encode(sampleMessage(t))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Decode(frames); err != nil {
				t.Fatalf("first Decode: %v", err)
			}
			if _, err := c.Decode(frames); !errors.Is(err, tc.wantSecond) {
				t.Errorf("second Decode: err = %v, want %v", err, tc.wantSecond)
			}
		})
	}
}

func TestDigestHistoryBounded(t *testing.T) {
	const limit = 100
	h := newDigestHistory(limit)
	for i := range 1000 {
		if !h.add(string(rune(i + 0x100))) {
			t.Fatalf("add(%d) reported a duplicate", i)
		}
		if n := h.len(); n > limit {
			t.Fatalf("after %d adds the history holds %d entries, limit %d", i+1, n, limit)
		}
	}
	if n := h.len(); n < limit*8/10 {
		t.Errorf("history holds %d entries, want at least %d (culling should drop about a tenth)", n, limit*8/10)
	}
	if h.add(string(rune(999 + 0x100))) {
		t.Errorf("the most recent signature was accepted again")
	}
}

func FuzzDecode(f *testing.F) {
	c := NewCodec(nil, 1<<20)
	m, err := NewMessage("execute_request", "s", "u", Header{}, map[string]any{"code": "1+1"})
	if err != nil {
		f.Fatal(err)
	}
	frames, err := c.Encode(m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Join(frames, []byte{0}))
	f.Add([]byte("<IDS|MSG>\x00\x00{}\x00{}\x00{}\x00{}"))
	f.Add([]byte("id\x00<IDS|MSG>\x00\x00{\"msg_id\":\"1\",\"msg_type\":\"x\"}\x00null\x00null\x00{}\x00buf"))
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{0})
		m, err := c.Decode(frames)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode error %v is %T, want *DecodeError", err, err)
			}
			return
		}
		again, err := c.Encode(m)
		if err != nil {
			t.Fatalf("Encode of a decoded message: %v", err)
		}
		if _, err := c.Decode(again); err != nil {
			t.Fatalf("Decode(Encode(m)): %v", err)
		}
	})
}
