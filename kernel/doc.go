// Package kernel is the Jupyter request dispatcher of gostream: it routes
// requests from the shell, control and stdin channels, publishes status,
// inputs and outputs on iopub, runs execute requests one at a time in
// arrival order, keeps the execution counter and the session history, and
// hosts comms.
//
// Running code is not its job: an Executor (api.go) runs cells and answers
// completion and inspection questions, and publishes what the cell prints or
// displays through Outputs. Framing, signing and sockets live in package
// kernel/wire.
package kernel
