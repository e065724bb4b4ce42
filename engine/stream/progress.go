package stream

import (
	"encoding/json"
	"time"
)

// Status is what a query is doing now (StreamingQuery.status).
type Status struct {
	Message         string `json:"message"`
	IsDataAvailable bool   `json:"isDataAvailable"`
	IsTriggerActive bool   `json:"isTriggerActive"`
}

// Status messages, Spark's words.
const (
	StatusInitializing = "Initializing sources"
	StatusWaiting      = "Waiting for data to arrive"
	StatusProcessing   = "Processing new data"
	StatusNextTrigger  = "Waiting for next trigger"
	StatusStopped      = "Stopped"
)

// Progress reports one micro-batch (StreamingQueryProgress). Its JSON has
// Spark's field names and nesting.
type Progress struct {
	ID                     string           `json:"id"`
	RunID                  string           `json:"runId"`
	Name                   string           `json:"name"`
	Timestamp              string           `json:"timestamp"`
	BatchID                int64            `json:"batchId"`
	BatchDuration          int64            `json:"batchDuration"`
	NumInputRows           int64            `json:"numInputRows"`
	InputRowsPerSecond     float64          `json:"inputRowsPerSecond"`
	ProcessedRowsPerSecond float64          `json:"processedRowsPerSecond"`
	DurationMs             map[string]int64 `json:"durationMs"`
	// EventTime holds min, max, avg and watermark as ISO-8601 strings,
	// when the query has a watermark.
	EventTime      map[string]string       `json:"eventTime,omitempty"`
	StateOperators []StateOperatorProgress `json:"stateOperators"`
	Sources        []SourceProgress        `json:"sources"`
	Sink           SinkProgress            `json:"sink"`
}

// StateOperatorProgress reports one stateful operator.
type StateOperatorProgress struct {
	OperatorName              string `json:"operatorName"`
	NumRowsTotal              int64  `json:"numRowsTotal"`
	NumRowsUpdated            int64  `json:"numRowsUpdated"`
	NumRowsRemoved            int64  `json:"numRowsRemoved"`
	NumRowsDroppedByWatermark int64  `json:"numRowsDroppedByWatermark"`
	MemoryUsedBytes           int64  `json:"memoryUsedBytes"`
}

// SourceProgress reports one source in a batch. Offsets are the source's
// JSON, null when absent.
type SourceProgress struct {
	Description            string          `json:"description"`
	StartOffset            json.RawMessage `json:"startOffset"`
	EndOffset              json.RawMessage `json:"endOffset"`
	LatestOffset           json.RawMessage `json:"latestOffset"`
	NumInputRows           int64           `json:"numInputRows"`
	InputRowsPerSecond     float64         `json:"inputRowsPerSecond"`
	ProcessedRowsPerSecond float64         `json:"processedRowsPerSecond"`
	// Metrics are the source's own metrics (source.MetricsReporter).
	Metrics map[string]string `json:"metrics,omitempty"`
}

// SinkProgress reports the sink in a batch.
type SinkProgress struct {
	Description   string `json:"description"`
	NumOutputRows int64  `json:"numOutputRows"`
}

// MarshalJSON writes name as null when the query has none, as Spark does.
func (p *Progress) MarshalJSON() ([]byte, error) {
	var name *string
	if p.Name != "" {
		name = &p.Name
	}
	return json.Marshal(struct {
		ID                     string                  `json:"id"`
		RunID                  string                  `json:"runId"`
		Name                   *string                 `json:"name"`
		Timestamp              string                  `json:"timestamp"`
		BatchID                int64                   `json:"batchId"`
		BatchDuration          int64                   `json:"batchDuration"`
		NumInputRows           int64                   `json:"numInputRows"`
		InputRowsPerSecond     float64                 `json:"inputRowsPerSecond"`
		ProcessedRowsPerSecond float64                 `json:"processedRowsPerSecond"`
		DurationMs             map[string]int64        `json:"durationMs"`
		EventTime              map[string]string       `json:"eventTime,omitempty"`
		StateOperators         []StateOperatorProgress `json:"stateOperators"`
		Sources                []SourceProgress        `json:"sources"`
		Sink                   SinkProgress            `json:"sink"`
	}{p.ID, p.RunID, name, p.Timestamp, p.BatchID, p.BatchDuration, p.NumInputRows, p.InputRowsPerSecond,
		p.ProcessedRowsPerSecond, p.DurationMs, p.EventTime, p.StateOperators, p.Sources, p.Sink})
}

// JSON is the progress as compact JSON (StreamingQueryProgress.json).
func (p *Progress) JSON() string {
	b, _ := json.Marshal(p)
	return string(b)
}

// PrettyJSON is the progress as indented JSON (prettyJson, and what
// printing lastProgress shows).
func (p *Progress) PrettyJSON() string {
	b, _ := json.MarshalIndent(p, "", "  ")
	return string(b)
}

func (p *Progress) String() string { return p.PrettyJSON() }

// QueryStartedEvent is sent when a query starts.
type QueryStartedEvent struct {
	ID, RunID, Name string
	Timestamp       string
}

// QueryProgressEvent is sent after each micro-batch.
type QueryProgressEvent struct {
	Progress *Progress
}

// QueryIdleEvent is sent when a trigger finds no new data, at most once
// per idle interval.
type QueryIdleEvent struct {
	ID, RunID string
	Timestamp string
}

// QueryTerminatedEvent is sent when a query ends; Exception is its error,
// nil when it was stopped or finished.
type QueryTerminatedEvent struct {
	ID, RunID string
	Exception error
}

// Listener receives the lifecycle events of queries. Calls come from the
// query's goroutine, one at a time per query; a listener must not block.
type Listener interface {
	OnQueryStarted(QueryStartedEvent)
	OnQueryProgress(QueryProgressEvent)
	OnQueryIdle(QueryIdleEvent)
	OnQueryTerminated(QueryTerminatedEvent)
}

// isoTime renders t as Spark's progress timestamps:
// 2024-01-02T03:04:05.678Z.
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
