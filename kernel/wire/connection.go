package wire

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
)

// SignatureScheme is the only signature scheme the kernel accepts.
const SignatureScheme = "hmac-sha256"

// ConnectionInfo is the content of a Jupyter connection file, as written by
// jupyter_client when it starts a kernel.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	ControlPort     int    `json:"control_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile reads and validates the connection file at path.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("wire: read connection file: %w", err)
	}
	info, err := ParseConnectionInfo(data)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("wire: connection file %s: %w", path, err)
	}
	return info, nil
}

// ParseConnectionInfo decodes a connection file's JSON, fills the defaults
// jupyter_client assumes (transport tcp, ip 127.0.0.1, signature scheme
// hmac-sha256) and validates the result.
func ParseConnectionInfo(data []byte) (ConnectionInfo, error) {
	var info ConnectionInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return ConnectionInfo{}, fmt.Errorf("decode JSON: %w", err)
	}
	if info.Transport == "" {
		info.Transport = "tcp"
	}
	if info.IP == "" {
		info.IP = "127.0.0.1"
	}
	if info.SignatureScheme == "" {
		info.SignatureScheme = SignatureScheme
	}
	if err := info.Validate(); err != nil {
		return ConnectionInfo{}, err
	}
	return info, nil
}

// Validate reports the first problem that would stop a kernel from binding
// the sockets the connection file describes.
func (c ConnectionInfo) Validate() error {
	if c.Transport != "tcp" && c.Transport != "ipc" {
		return fmt.Errorf("transport %q is not supported: use \"tcp\" or \"ipc\"", c.Transport)
	}
	if c.IP == "" {
		return fmt.Errorf("ip is empty: set it to an address (tcp) or a path prefix (ipc)")
	}
	if c.SignatureScheme != SignatureScheme {
		return fmt.Errorf("signature_scheme %q is not supported: use %q", c.SignatureScheme, SignatureScheme)
	}
	ports := []struct {
		name string
		port int
	}{
		{"shell_port", c.ShellPort}, {"iopub_port", c.IOPubPort}, {"stdin_port", c.StdinPort},
		{"control_port", c.ControlPort}, {"hb_port", c.HBPort},
	}
	seen := make(map[int]string, len(ports))
	for _, p := range ports {
		if p.port <= 0 || p.port > 65535 {
			return fmt.Errorf("%s %d is out of range: it must be 1..65535", p.name, p.port)
		}
		if other, dup := seen[p.port]; dup {
			return fmt.Errorf("%s and %s are both %d: every channel needs its own port", other, p.name, p.port)
		}
		seen[p.port] = p.name
	}
	return nil
}

// Endpoint is the ZeroMQ address for port: tcp://IP:PORT, or ipc://IP-PORT
// for the ipc transport, as jupyter_client builds it.
func (c ConnectionInfo) Endpoint(port int) string {
	if c.Transport == "ipc" {
		return "ipc://" + c.IP + "-" + strconv.Itoa(port)
	}
	ip := c.IP
	if ip == "*" {
		ip = "0.0.0.0"
	}
	return "tcp://" + net.JoinHostPort(ip, strconv.Itoa(port))
}
