package display

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"

	"github.com/gostream/gostream/engine/stream"
)

// QueryView is the state of a streaming query as displays show it.
type QueryView struct {
	Name  string
	ID    string
	RunID string
	// Cell is the execution count of the cell that started the query, 0
	// when unknown.
	Cell   int
	Active bool
	// Status is the query's status message ("Waiting for data to arrive").
	Status string
	// Error is the exception that ended the query, "" when none.
	Error string
	// Recent is the progress of the latest batches, oldest first.
	Recent []*stream.Progress
}

// Query states as displays name them.
const (
	StateActive  = "active"
	StateStopped = "stopped"
	StateFailed  = "failed"
)

// State is "active", "stopped" or "failed".
func (v QueryView) State() string {
	switch {
	case v.Error != "":
		return StateFailed
	case v.Active:
		return StateActive
	}
	return StateStopped
}

// Label names the query in messages: its quoted name, else its id.
func (v QueryView) Label() string {
	if v.Name != "" {
		return fmt.Sprintf("%q", v.Name)
	}
	return v.ID
}

// StopKey is what %stop takes to stop the query: its name, else its id.
func (v QueryView) StopKey() string {
	if v.Name != "" {
		return v.Name
	}
	return v.ID
}

// Last is the progress of the latest batch, nil before the first.
func (v QueryView) Last() *stream.Progress {
	if len(v.Recent) == 0 {
		return nil
	}
	return v.Recent[len(v.Recent)-1]
}

// metrics are the derived figures of the latest batch.
type metrics struct {
	batch                     int64
	inputRows                 int64
	inputRate, processedRate  float64
	duration                  int64
	watermark                 string
	stateRows, stateBytes     int64
	droppedLast, droppedTotal int64
	sink                      string
	sources                   []string
}

func (v QueryView) metrics() (metrics, bool) {
	p := v.Last()
	if p == nil {
		return metrics{}, false
	}
	m := metrics{
		batch: p.BatchID, inputRows: p.NumInputRows, inputRate: p.InputRowsPerSecond,
		processedRate: p.ProcessedRowsPerSecond, duration: p.BatchDuration,
		watermark: p.EventTime["watermark"], sink: p.Sink.Description,
	}
	for _, s := range p.StateOperators {
		m.stateRows += s.NumRowsTotal
		m.stateBytes += s.MemoryUsedBytes
		m.droppedLast += s.NumRowsDroppedByWatermark
	}
	for _, r := range v.Recent {
		for _, s := range r.StateOperators {
			m.droppedTotal += s.NumRowsDroppedByWatermark
		}
	}
	for _, s := range p.Sources {
		m.sources = append(m.sources, s.Description)
	}
	return m, true
}

// StatusLine is one line saying what the query is doing, for the output
// area of the cell that started it.
func (v QueryView) StatusLine() string {
	switch v.State() {
	case StateFailed:
		return fmt.Sprintf("query %s failed: %s", v.Label(), v.Error)
	case StateStopped:
		if p := v.Last(); p != nil {
			return fmt.Sprintf("query %s stopped after batch %d", v.Label(), p.BatchID)
		}
		return fmt.Sprintf("query %s stopped before its first batch", v.Label())
	}
	m, ok := v.metrics()
	if !ok {
		return fmt.Sprintf("query %s is active: %s · %%stop %s stops it", v.Label(), lower(v.Status), v.StopKey())
	}
	return fmt.Sprintf("query %s is active: batch %d · %s rows/s in · %s rows/s processed · %%stop %s stops it",
		v.Label(), m.batch, rate(m.inputRate), rate(m.processedRate), v.StopKey())
}

func lower(s string) string {
	if s == "" {
		return "starting"
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func rate(r float64) string { return fmt.Sprintf("%.1f", r) }

// bytesText renders a byte count as 12.3 KiB.
func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// panelRows are the label/value lines of the progress panel.
func (v QueryView) panelRows() [][2]string {
	rows := [][2]string{{"id", v.ID}, {"run id", v.RunID}}
	if v.Cell > 0 {
		rows = append(rows, [2]string{"started in", fmt.Sprintf("In [%d]", v.Cell)})
	}
	status := v.Status
	if !v.Active {
		status = "Stopped"
	}
	rows = append(rows, [2]string{"status", status})
	m, ok := v.metrics()
	if !ok {
		rows = append(rows, [2]string{"batch", "none yet"})
	} else {
		wm := m.watermark
		if wm == "" {
			wm = "none"
		}
		rows = append(rows,
			[2]string{"batch", fmt.Sprint(m.batch)},
			[2]string{"input rows", commas(m.inputRows)},
			[2]string{"input rate", rate(m.inputRate) + " rows/s"},
			[2]string{"processed rate", rate(m.processedRate) + " rows/s"},
			[2]string{"batch duration", fmt.Sprintf("%d ms", m.duration)},
			[2]string{"watermark", wm},
			[2]string{"state rows", commas(m.stateRows)},
			[2]string{"state memory", bytesText(m.stateBytes)},
			[2]string{"rows dropped as late", fmt.Sprintf("%s (last batch), %s (last %s)",
				commas(m.droppedLast), commas(m.droppedTotal), plural(int64(len(v.Recent)), "batch", "batches"))},
		)
		if len(m.sources) > 0 {
			rows = append(rows, [2]string{"sources", strings.Join(m.sources, "; ")})
		}
		rows = append(rows, [2]string{"sink", m.sink})
	}
	if v.Error != "" {
		rows = append(rows, [2]string{"error", v.Error})
	}
	return rows
}

// Panel renders the query's progress panel: name, ids, status, the latest
// batch's figures and the error, as text/html, text/plain and
// application/json (the figures plus the latest progress in Spark's JSON).
func (v QueryView) Panel() Bundle {
	rows := v.panelRows()
	title := "query " + v.Label()

	var txt strings.Builder
	txt.WriteString(title + " [" + v.State() + "]\n")
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(&txt, "  %-*s  %s\n", width, r[0], r[1])
	}

	var h strings.Builder
	h.WriteString(`<div class="gs-display gs-panel">` + tableCSS)
	fmt.Fprintf(&h, `<div><b>%s</b> <span class="gs-badge gs-%s">%s</span></div>`,
		html.EscapeString(title), v.State(), v.State())
	h.WriteString(`<table class="gs-kv"><tbody>`)
	for _, r := range rows {
		cls := ""
		if r[0] == "error" {
			cls = ` class="gs-error"`
		}
		fmt.Fprintf(&h, "<tr><th>%s</th><td%s>%s</td></tr>", html.EscapeString(r[0]), cls, html.EscapeString(r[1]))
	}
	h.WriteString("</tbody></table></div>")

	return Bundle{MIMEHTML: h.String(), MIMEText: strings.TrimRight(txt.String(), "\n"), MIMEJSON: v.jsonState()}
}

// jsonState is the machine-readable state of the query.
func (v QueryView) jsonState() json.RawMessage {
	var name *string
	if v.Name != "" {
		name = &v.Name
	}
	var batch *int64
	if p := v.Last(); p != nil {
		batch = &p.BatchID
	}
	var errText *string
	if v.Error != "" {
		errText = &v.Error
	}
	b, _ := json.Marshal(struct {
		Name         *string          `json:"name"`
		ID           string           `json:"id"`
		RunID        string           `json:"runId"`
		Cell         int              `json:"cell,omitempty"`
		State        string           `json:"state"`
		Status       string           `json:"status"`
		BatchID      *int64           `json:"batchId"`
		NumBatches   int              `json:"numBatches"`
		Error        *string          `json:"error"`
		LastProgress *stream.Progress `json:"lastProgress"`
	}{name, v.ID, v.RunID, v.Cell, v.State(), v.Status, batch, len(v.Recent), errText, v.Last()})
	return b
}
