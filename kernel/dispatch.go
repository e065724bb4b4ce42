package kernel

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/gostream/gostream/kernel/wire"
)

// handler serves one request type. It runs between the busy and idle
// status messages that serve publishes.
type handler func(k *Kernel, ch *wire.Channel, req wire.Message)

// handlers maps msg_type to its handler; shell and control share it, so a
// request is answered on whichever channel it arrived.
var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"kernel_info_request": (*Kernel).kernelInfo,
		"execute_request":     (*Kernel).execute,
		"complete_request":    (*Kernel).complete,
		"inspect_request":     (*Kernel).inspect,
		"is_complete_request": (*Kernel).isComplete,
		"history_request":     (*Kernel).historyRequest,
		"comm_info_request":   (*Kernel).commInfo,
		"comm_open":           (*Kernel).commOpen,
		"comm_msg":            (*Kernel).commMsg,
		"comm_close":          (*Kernel).commClose,
		"shutdown_request":    (*Kernel).shutdown,
		"interrupt_request":   (*Kernel).interrupt,
	}
}

// serve publishes busy, handles req and publishes idle.
func (k *Kernel) serve(ch *wire.Channel, req wire.Message) {
	k.status(req.Header, "busy")
	defer k.status(req.Header, "idle")
	h, ok := handlers[req.Header.MsgType]
	if !ok {
		k.unknown(ch, req)
		return
	}
	defer func() {
		if r := recover(); r != nil {
			k.log.Error("handler panicked", "msg_type", req.Header.MsgType, "panic", r, "stack", string(debug.Stack()))
			if base, isReq := strings.CutSuffix(req.Header.MsgType, "_request"); isReq {
				k.reply(ch, req, base+"_reply", errorReply("KernelError",
					fmt.Sprintf("the kernel failed while answering %s: %v", req.Header.MsgType, r)), nil)
			}
		}
	}()
	h(k, ch, req)
}

// errorReply is the content of a reply with status error.
func errorReply(ename, evalue string) map[string]any {
	return map[string]any{"status": "error", "ename": ename, "evalue": evalue, "traceback": []string{}}
}

// badContent logs a request whose content does not decode and answers it
// with an error reply.
func (k *Kernel) badContent(ch *wire.Channel, req wire.Message, err error) {
	k.log.Warn("dropped request: bad content", "msg_type", req.Header.MsgType, "channel", ch.Name(), "err", err)
	if base, ok := strings.CutSuffix(req.Header.MsgType, "_request"); ok {
		k.reply(ch, req, base+"_reply", errorReply("BadRequest", err.Error()), nil)
	}
}

func (k *Kernel) unknown(ch *wire.Channel, req wire.Message) {
	t := req.Header.MsgType
	base, isRequest := strings.CutSuffix(t, "_request")
	k.log.Warn("dropped message: unknown msg_type", "msg_type", t, "channel", ch.Name())
	if isRequest {
		k.reply(ch, req, base+"_reply", errorReply("UnknownMessageType",
			fmt.Sprintf("gostream does not handle %q messages", t)), nil)
	}
}

func (k *Kernel) kernelInfo(ch *wire.Channel, req wire.Message) {
	links := k.opts.HelpLinks
	if links == nil {
		links = []HelpLink{}
	}
	k.reply(ch, req, "kernel_info_reply", map[string]any{
		"status":                 "ok",
		"protocol_version":       wire.ProtocolVersion,
		"implementation":         k.opts.Implementation,
		"implementation_version": k.opts.ImplementationVersion,
		"language_info":          k.opts.LanguageInfo,
		"banner":                 k.opts.Banner,
		"help_links":             links,
		"debugger":               false,
	}, nil)
}

func (k *Kernel) complete(ch *wire.Channel, req wire.Message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	if err := req.DecodeContent(&c); err != nil {
		k.badContent(ch, req, err)
		return
	}
	pos := len([]rune(c.Code))
	if c.CursorPos != nil {
		pos = *c.CursorPos
	}
	r := k.ex.Complete(c.Code, pos)
	if r.Matches == nil {
		r.Matches = []string{}
	}
	if r.Metadata == nil {
		r.Metadata = map[string]any{}
	}
	k.reply(ch, req, "complete_reply", map[string]any{
		"status": "ok", "matches": r.Matches, "cursor_start": r.CursorStart, "cursor_end": r.CursorEnd, "metadata": r.Metadata,
	}, nil)
}

func (k *Kernel) inspect(ch *wire.Channel, req wire.Message) {
	var c struct {
		Code        string `json:"code"`
		CursorPos   int    `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if err := req.DecodeContent(&c); err != nil {
		k.badContent(ch, req, err)
		return
	}
	r := k.ex.Inspect(c.Code, c.CursorPos, c.DetailLevel)
	k.reply(ch, req, "inspect_reply", map[string]any{
		"status": "ok", "found": r.Found, "data": orEmpty(r.Data), "metadata": orEmpty(r.Metadata),
	}, nil)
}

func (k *Kernel) isComplete(ch *wire.Channel, req wire.Message) {
	var c struct {
		Code string `json:"code"`
	}
	if err := req.DecodeContent(&c); err != nil {
		k.badContent(ch, req, err)
		return
	}
	r := k.ex.IsComplete(c.Code)
	if r.Status == "" {
		r.Status = "unknown"
	}
	k.reply(ch, req, "is_complete_reply", r, nil)
}

func (k *Kernel) shutdown(ch *wire.Channel, req wire.Message) {
	var c struct {
		Restart bool `json:"restart"`
	}
	if err := req.DecodeContent(&c); err != nil {
		k.badContent(ch, req, err)
		return
	}
	k.log.Info("shutdown requested", "restart", c.Restart, "channel", ch.Name())
	k.reply(ch, req, "shutdown_reply", map[string]any{"status": "ok", "restart": c.Restart}, nil)
	k.requestStop(c.Restart)
}

func (k *Kernel) interrupt(ch *wire.Channel, req wire.Message) {
	k.Interrupt()
	k.reply(ch, req, "interrupt_reply", map[string]any{"status": "ok"}, nil)
}

// orEmpty returns b, or an empty bundle for nil so JSON gets {} not null.
func orEmpty(b MIMEBundle) MIMEBundle {
	if b == nil {
		return MIMEBundle{}
	}
	return b
}
