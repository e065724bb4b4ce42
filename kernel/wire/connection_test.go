package wire

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConnectionInfo(t *testing.T) {
	tests := []struct {
		name         string
		json         string
		wantErr      string
		wantShell    string
		wantHB       string
		wantKey      string
		wantTranspor string
	}{
		{
			name:      "tcp as jupyter_client writes it",
			json:      `{"shell_port": 50001, "iopub_port": 50002, "stdin_port": 50003, "control_port": 50004, "hb_port": 50005, "ip": "127.0.0.1", "key": "a-b-c", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "gostream"}`,
			wantShell: "tcp://127.0.0.1:50001", wantHB: "tcp://127.0.0.1:50005", wantKey: "a-b-c", wantTranspor: "tcp",
		},
		{
			name:      "ipc endpoints are IP-PORT",
			json:      `{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "/tmp/kernel-x-ipc", "key": "", "transport": "ipc", "signature_scheme": "hmac-sha256"}`,
			wantShell: "ipc:///tmp/kernel-x-ipc-1", wantHB: "ipc:///tmp/kernel-x-ipc-5", wantTranspor: "ipc",
		},
		{
			name:      "defaults: tcp on localhost",
			json:      `{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}`,
			wantShell: "tcp://127.0.0.1:1", wantHB: "tcp://127.0.0.1:5", wantTranspor: "tcp",
		},
		{
			name:      "any address",
			json:      `{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "*"}`,
			wantShell: "tcp://0.0.0.0:1", wantHB: "tcp://0.0.0.0:5", wantTranspor: "tcp",
		},
		{
			name:      "ipv6",
			json:      `{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "::1"}`,
			wantShell: "tcp://[::1]:1", wantHB: "tcp://[::1]:5", wantTranspor: "tcp",
		},
		{name: "bad json", json: `{"shell_port": `, wantErr: "decode JSON"},
		{name: "unknown transport", json: `{"transport": "udp", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}`, wantErr: `transport "udp"`},
		{name: "unknown scheme", json: `{"signature_scheme": "hmac-md5", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}`, wantErr: `signature_scheme "hmac-md5"`},
		{name: "missing port", json: `{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4}`, wantErr: "hb_port 0 is out of range"},
		{name: "shared port", json: `{"shell_port": 1, "iopub_port": 1, "stdin_port": 3, "control_port": 4, "hb_port": 5}`, wantErr: "shell_port and iopub_port are both 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, err := ParseConnectionInfo([]byte(tc.json))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []string{info.Endpoint(info.ShellPort), info.Endpoint(info.HBPort), info.Key, info.Transport}
			want := []string{tc.wantShell, tc.wantHB, tc.wantKey, tc.wantTranspor}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("field %d = %q, want %q", i, got[i], want[i])
				}
			}
		})
	}
}

func TestReadConnectionFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "kernel.json")
	if err := os.WriteFile(good, []byte(`{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{"existing file", good, ""},
		{"missing file", filepath.Join(dir, "absent.json"), "read connection file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, err := ReadConnectionFile(tc.path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || info.Key != "k" {
				t.Fatalf("got %+v, %v; want key k", info, err)
			}
		})
	}
}
