package wire

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

func freeTCPPorts(t *testing.T, n int) []int {
	t.Helper()
	ports := make([]int, n)
	var ls []net.Listener
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func TestSocketsServeEveryChannel(t *testing.T) {
	tests := []struct {
		name string
		info func(t *testing.T) ConnectionInfo
	}{
		{"tcp", func(t *testing.T) ConnectionInfo {
			p := freeTCPPorts(t, 5)
			return ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: p[0], IOPubPort: p[1], StdinPort: p[2],
				ControlPort: p[3], HBPort: p[4], Key: "secret", SignatureScheme: SignatureScheme}
		}},
		{"ipc", func(t *testing.T) ConnectionInfo {
			dir, err := os.MkdirTemp("", "wire")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			ip := filepath.Join(dir, "k")
			// A stale socket file from an earlier process must not stop Listen.
			if err := os.WriteFile(ip+"-1", nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return ConnectionInfo{Transport: "ipc", IP: ip, ShellPort: 1, IOPubPort: 2, StdinPort: 3,
				ControlPort: 4, HBPort: 5, Key: "secret", SignatureScheme: SignatureScheme}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info := tc.info(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s, err := Listen(ctx, info, SocketOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			codec := NewCodec([]byte(info.Key), 0)

			// Requests on every ROUTER reach the kernel and replies reach the peer.
			for _, ch := range []struct {
				ch   *Channel
				port int
			}{{s.Shell, info.ShellPort}, {s.Control, info.ControlPort}, {s.Stdin, info.StdinPort}} {
				dealer := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("peer-"+ch.ch.Name())))
				defer dealer.Close()
				if err := dealer.Dial(info.Endpoint(ch.port)); err != nil {
					t.Fatal(err)
				}
				req, _ := NewMessage("kernel_info_request", "client", "u", Header{}, map[string]any{})
				frames, _ := codec.Encode(req)
				if err := dealer.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
					t.Fatal(err)
				}
				got, err := ch.ch.Recv()
				if err != nil {
					t.Fatalf("%s Recv: %v", ch.ch.Name(), err)
				}
				if id := string(got.Identities[0]); id != "peer-"+ch.ch.Name() || got.Header.MsgID != req.Header.MsgID {
					t.Fatalf("%s got identity %q msg %s, want peer-%s %s", ch.ch.Name(), id, got.Header.MsgID, ch.ch.Name(), req.Header.MsgID)
				}
				rep, _ := NewMessage("kernel_info_reply", "kernel", "k", got.Header, map[string]any{"status": "ok"})
				rep.Identities = got.Identities
				if err := ch.ch.Send(rep); err != nil {
					t.Fatal(err)
				}
				zm, err := dealer.Recv()
				if err != nil {
					t.Fatal(err)
				}
				back, err := codec.Decode(zm.Frames)
				if err != nil {
					t.Fatalf("%s reply: %v", ch.ch.Name(), err)
				}
				if back.ParentHeader.MsgID != req.Header.MsgID {
					t.Errorf("%s reply parent = %s, want %s", ch.ch.Name(), back.ParentHeader.MsgID, req.Header.MsgID)
				}
			}

			// Heartbeat echoes.
			req := zmq4.NewReq(ctx)
			defer req.Close()
			if err := req.Dial(info.Endpoint(info.HBPort)); err != nil {
				t.Fatal(err)
			}
			if err := req.Send(zmq4.NewMsgString("ping")); err != nil {
				t.Fatal(err)
			}
			pong, err := req.Recv()
			if err != nil || string(pong.Bytes()) != "ping" {
				t.Fatalf("heartbeat = %q, %v; want ping", pong.Bytes(), err)
			}

			// iopub publishes to subscribers; retry until the subscription lands.
			sub := zmq4.NewSub(ctx)
			defer sub.Close()
			if err := sub.Dial(info.Endpoint(info.IOPubPort)); err != nil {
				t.Fatal(err)
			}
			sub.SetOption(zmq4.OptionSubscribe, "")
			got := make(chan Message, 1)
			go func() {
				zm, err := sub.Recv()
				if err != nil {
					return
				}
				m, err := codec.Decode(zm.Frames)
				if err == nil {
					got <- m
				}
			}()
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for i := 0; ; i++ {
				status, _ := NewMessage("status", "kernel", "k", Header{}, map[string]any{"execution_state": "idle"})
				status.Identities = [][]byte{[]byte("kernel.x.status")}
				if err := s.IOPub.Send(status); err != nil {
					t.Fatal(err)
				}
				select {
				case m := <-got:
					if m.Header.MsgType != "status" {
						t.Errorf("iopub got %s, want status", m.Header.MsgType)
					}
					return
				case <-tick.C:
				case <-ctx.Done():
					t.Fatal(fmt.Errorf("no iopub message after %d sends: %w", i, ctx.Err()))
				}
			}
		})
	}
}

func TestSocketsCloseRemovesIPCFiles(t *testing.T) {
	dir := t.TempDir()
	info := ConnectionInfo{Transport: "ipc", IP: filepath.Join(dir, "k"), ShellPort: 1, IOPubPort: 2, StdinPort: 3,
		ControlPort: 4, HBPort: 5, SignatureScheme: SignatureScheme}
	s, err := Listen(context.Background(), info, SocketOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "k-*"))
	if len(left) != 0 {
		t.Errorf("socket files left after Close: %v", left)
	}
}
