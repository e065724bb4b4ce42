package kernel

import (
	"sync"

	"github.com/gostream/gostream/kernel/wire"
)

// CommTarget opens the comms that front ends request with comm_open for
// one target name.
type CommTarget interface {
	OpenComm(c *Comm, data map[string]any)
}

// CommTargetFunc adapts a function to CommTarget.
type CommTargetFunc func(c *Comm, data map[string]any)

// OpenComm calls f.
func (f CommTargetFunc) OpenComm(c *Comm, data map[string]any) { f(c, data) }

// Comm is one open comm. Its messages are published on iopub with the last
// message the front end sent on it as parent.
type Comm struct {
	ID, Target string

	k       *Kernel
	mu      sync.Mutex
	parent  wire.Header
	onMsg   func(data map[string]any)
	onClose func(data map[string]any)
}

// OnMsg sets the function called with the data of each comm_msg.
func (c *Comm) OnMsg(f func(data map[string]any)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onMsg = f
}

// OnClose sets the function called when the front end closes the comm.
func (c *Comm) OnClose(f func(data map[string]any)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onClose = f
}

// Send publishes comm_msg with data.
func (c *Comm) Send(data map[string]any) {
	c.mu.Lock()
	parent := c.parent
	c.mu.Unlock()
	c.k.publish(parent, "comm_msg", map[string]any{"comm_id": c.ID, "data": orEmptyMap(data)})
}

// Close publishes comm_close and forgets the comm.
func (c *Comm) Close(data map[string]any) {
	if c.k.comms.remove(c.ID) == nil {
		return
	}
	c.mu.Lock()
	parent := c.parent
	c.mu.Unlock()
	c.k.publish(parent, "comm_close", map[string]any{"comm_id": c.ID, "data": orEmptyMap(data)})
}

func orEmptyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// commRegistry holds comm targets and open comms.
type commRegistry struct {
	mu      sync.Mutex
	targets map[string]CommTarget
	open    map[string]*Comm
}

func newCommRegistry() *commRegistry {
	return &commRegistry{targets: make(map[string]CommTarget), open: make(map[string]*Comm)}
}

func (r *commRegistry) remove(id string) *Comm {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.open[id]
	delete(r.open, id)
	return c
}

func (r *commRegistry) get(id string) *Comm {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.open[id]
}

// RegisterCommTarget makes comm_open requests for target reach t. A later
// registration under the same name replaces the earlier one.
func (k *Kernel) RegisterCommTarget(target string, t CommTarget) {
	k.comms.mu.Lock()
	defer k.comms.mu.Unlock()
	k.comms.targets[target] = t
}

type commContent struct {
	CommID     string         `json:"comm_id"`
	TargetName string         `json:"target_name"`
	Data       map[string]any `json:"data"`
}

func (k *Kernel) commInfo(ch *wire.Channel, req wire.Message) {
	var c struct {
		TargetName string `json:"target_name"`
	}
	if err := req.DecodeContent(&c); err != nil {
		k.badContent(ch, req, err)
		return
	}
	comms := map[string]any{}
	k.comms.mu.Lock()
	for id, cm := range k.comms.open {
		if c.TargetName == "" || c.TargetName == cm.Target {
			comms[id] = map[string]any{"target_name": cm.Target}
		}
	}
	k.comms.mu.Unlock()
	k.reply(ch, req, "comm_info_reply", map[string]any{"status": "ok", "comms": comms}, nil)
}

func (k *Kernel) commOpen(ch *wire.Channel, req wire.Message) {
	var c commContent
	if err := req.DecodeContent(&c); err != nil || c.CommID == "" {
		k.log.Warn("dropped comm_open: bad content", "err", err)
		return
	}
	k.comms.mu.Lock()
	target, ok := k.comms.targets[c.TargetName]
	var cm *Comm
	if ok {
		cm = &Comm{ID: c.CommID, Target: c.TargetName, k: k, parent: req.Header}
		k.comms.open[c.CommID] = cm
	}
	k.comms.mu.Unlock()
	if !ok {
		k.log.Warn("comm_open for an unknown target: closing it", "target_name", c.TargetName, "comm_id", c.CommID)
		k.publish(req.Header, "comm_close", map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
		return
	}
	defer func() {
		if r := recover(); r != nil {
			k.log.Error("comm target panicked on open: closing the comm", "target_name", c.TargetName, "panic", r)
			cm.Close(nil)
		}
	}()
	target.OpenComm(cm, orEmptyMap(c.Data))
}

func (k *Kernel) commMsg(ch *wire.Channel, req wire.Message) {
	var c commContent
	if err := req.DecodeContent(&c); err != nil {
		k.log.Warn("dropped comm_msg: bad content", "err", err)
		return
	}
	cm := k.comms.get(c.CommID)
	if cm == nil {
		k.log.Warn("dropped comm_msg for an unknown comm", "comm_id", c.CommID)
		return
	}
	cm.mu.Lock()
	cm.parent = req.Header
	f := cm.onMsg
	cm.mu.Unlock()
	if f != nil {
		f(orEmptyMap(c.Data))
	}
}

func (k *Kernel) commClose(ch *wire.Channel, req wire.Message) {
	var c commContent
	if err := req.DecodeContent(&c); err != nil {
		k.log.Warn("dropped comm_close: bad content", "err", err)
		return
	}
	cm := k.comms.remove(c.CommID)
	if cm == nil {
		k.log.Warn("dropped comm_close for an unknown comm", "comm_id", c.CommID)
		return
	}
	cm.mu.Lock()
	f := cm.onClose
	cm.mu.Unlock()
	if f != nil {
		f(orEmptyMap(c.Data))
	}
}
