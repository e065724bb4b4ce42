package kernel

import (
	"github.com/gostream/gostream/kernel/wire"
)

// reply sends msgType with content to the peer that sent req, on the
// channel req came in on.
func (k *Kernel) reply(ch *wire.Channel, req wire.Message, msgType string, content any, metadata map[string]any) {
	m, err := wire.NewMessage(msgType, k.session, k.username, req.Header, content)
	if err != nil {
		k.log.Error("cannot encode reply", "msg_type", msgType, "err", err)
		return
	}
	m.Identities = req.Identities
	m.Metadata = metadata
	if err := ch.Send(m); err != nil && !k.closed.Load() {
		k.log.Warn("reply not sent", "msg_type", msgType, "channel", ch.Name(), "err", err)
	}
}

// publish sends msgType on iopub with parent as parent header.
func (k *Kernel) publish(parent wire.Header, msgType string, content any) {
	if k.closed.Load() {
		return
	}
	m, err := wire.NewMessage(msgType, k.session, k.username, parent, content)
	if err != nil {
		k.log.Error("cannot encode iopub message", "msg_type", msgType, "err", err)
		return
	}
	m.Identities = [][]byte{[]byte("kernel." + k.session + "." + msgType)}
	if err := k.socks.IOPub.Send(m); err != nil && !k.closed.Load() {
		k.log.Warn("iopub message not sent", "msg_type", msgType, "err", err)
	}
}

func (k *Kernel) status(parent wire.Header, state string) {
	k.publish(parent, "status", map[string]any{"execution_state": state})
}
