// Package wire speaks the Jupyter messaging protocol (version 5.4) on the
// wire: it reads connection files, frames and signs messages with
// HMAC-SHA256, rejects forged, replayed, malformed and oversized messages,
// and owns the five ZeroMQ sockets of a kernel (shell, control and stdin
// ROUTERs, the iopub PUB and the heartbeat REP).
//
// The package knows nothing about what messages mean: routing requests,
// busy/idle bookkeeping and the execute queue belong to package kernel.
// Decoding never panics; every rejection is a *DecodeError whose Reason is
// one of the Err* sentinels, so callers can log why a message was dropped.
package wire
