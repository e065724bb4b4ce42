package kernel

import (
	"context"
	"errors"
)

// ErrStdinNotAllowed is returned by Outputs.Input when the front end did not
// allow stdin for the request (allow_stdin false), as nbclient does.
var ErrStdinNotAllowed = errors.New("this front end does not support input requests (allow_stdin is false)")

// MIMEBundle maps a MIME type ("text/plain", "text/html", ...) to its data,
// as in display_data and execute_result content.
type MIMEBundle map[string]any

// Outputs publishes on iopub on behalf of one execute_request: every message
// carries that request as its parent header, so front ends route it to the
// cell that made the request even after the cell has finished. Outputs values
// are safe for concurrent use and stay valid after Execute returns.
type Outputs interface {
	// Stream publishes a stream message; name is "stdout" or "stderr".
	Stream(name, text string)
	// Display publishes display_data. A non-empty displayID goes in
	// transient.display_id so the output can be updated later.
	Display(data, metadata MIMEBundle, displayID string)
	// UpdateDisplay publishes update_display_data for displayID.
	UpdateDisplay(data, metadata MIMEBundle, displayID string)
	// ClearOutput publishes clear_output.
	ClearOutput(wait bool)
	// Input sends input_request on stdin to the client that made the request
	// and waits for its input_reply. It fails with ErrStdinNotAllowed when the
	// request had allow_stdin false, and with ctx.Err() when ctx ends first.
	Input(ctx context.Context, prompt string, password bool) (string, error)
}

// ExecuteRequest is the content of an execute_request that the executor needs.
type ExecuteRequest struct {
	Code            string
	Silent          bool
	StoreHistory    bool
	AllowStdin      bool
	StopOnError     bool
	UserExpressions map[string]string
	// ExecutionCount is the number this execution is shown with (In [N]).
	ExecutionCount int
	// CellID is the id of the notebook cell that runs, from the request's
	// metadata ("cellId", sent by JupyterLab and Notebook 7); "" when the
	// front end does not send one.
	CellID string
}

// ErrorContent is the content of an error output and of an error reply.
type ErrorContent struct {
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

// ExecuteResult is what running a cell produced. The dispatcher publishes
// execute_result (when Data is not nil and the request is not silent) and
// error (when Error is not nil), then sends execute_reply.
type ExecuteResult struct {
	Data, Metadata  MIMEBundle
	Error           *ErrorContent
	UserExpressions map[string]any
	Payload         []map[string]any
}

// CompleteReply is the content of complete_reply with status "ok".
type CompleteReply struct {
	Matches     []string       `json:"matches"`
	CursorStart int            `json:"cursor_start"`
	CursorEnd   int            `json:"cursor_end"`
	Metadata    map[string]any `json:"metadata"`
}

// InspectReply is the content of inspect_reply with status "ok".
type InspectReply struct {
	Found    bool       `json:"found"`
	Data     MIMEBundle `json:"data"`
	Metadata MIMEBundle `json:"metadata"`
}

// IsCompleteReply is the content of is_complete_reply. Status is "complete",
// "incomplete", "invalid" or "unknown"; Indent is set when incomplete.
type IsCompleteReply struct {
	Status string `json:"status"`
	Indent string `json:"indent,omitempty"`
}

// Executor runs cells and answers the questions front ends ask about code.
// The dispatcher calls Execute for one request at a time, in arrival order.
// Execute must honour ctx: when the user interrupts, ctx is cancelled and
// Execute returns promptly (within a second) with a KeyboardInterrupt error.
// Cursor positions are counted in Unicode code points, as the protocol says.
type Executor interface {
	Execute(ctx context.Context, req ExecuteRequest, out Outputs) ExecuteResult
	Complete(code string, cursorPos int) CompleteReply
	Inspect(code string, cursorPos, detailLevel int) InspectReply
	IsComplete(code string) IsCompleteReply
	// Shutdown stops everything the executor started (queries, goroutines it
	// can reach) before the kernel exits or restarts.
	Shutdown(ctx context.Context, restart bool)
}

// LanguageInfo describes the language for kernel_info_reply.
type LanguageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	MIMEType          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	PygmentsLexer     string `json:"pygments_lexer,omitempty"`
	CodeMirrorMode    string `json:"codemirror_mode,omitempty"`
	NBConvertExporter string `json:"nbconvert_exporter,omitempty"`
}
