package host

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/gostream/gostream/kernel"
)

// StreamsMagic answers %streams: a table of every query started in the
// session, active ones first, with status and rates.
func (h *Host) StreamsMagic(ctx context.Context, args string, out kernel.Outputs) (kernel.MIMEBundle, error) {
	return h.Listing(), nil
}

// StopMagic answers %stop NAME|ID|all.
func (h *Host) StopMagic(ctx context.Context, args string, out kernel.Outputs) (kernel.MIMEBundle, error) {
	stopped, err := h.Stop(args)
	for _, q := range stopped {
		out.Stream("stdout", fmt.Sprintf("stopped %s\n", label(q.Q)))
	}
	if err != nil {
		return nil, err
	}
	if len(stopped) == 0 {
		out.Stream("stdout", "no active query matched; nothing to stop\n")
	}
	return nil, nil
}

// queryRow is one line of the listing.
type queryRow struct {
	Name, ID, Status, Batch, Input, Processed, Error string
	Cell                                             int
	Active                                           bool
}

func (h *Host) rows() []queryRow {
	qs := h.Queries()
	sortQueries(qs)
	rows := make([]queryRow, 0, len(qs))
	for _, q := range qs {
		r := queryRow{Name: q.Q.Name(), ID: q.Q.ID(), Cell: q.Cell, Active: q.Q.IsActive(), Batch: "-", Input: "-", Processed: "-"}
		r.Status = q.Q.Status().Message
		if !r.Active {
			r.Status = "Stopped"
		}
		if p := q.Q.LastProgress(); p != nil {
			r.Batch = fmt.Sprint(p.BatchID)
			r.Input = fmt.Sprintf("%.1f", p.InputRowsPerSecond)
			r.Processed = fmt.Sprintf("%.1f", p.ProcessedRowsPerSecond)
		}
		if err := q.Q.Exception(); err != nil {
			r.Status = "Failed"
			r.Error = err.Error()
		}
		rows = append(rows, r)
	}
	return rows
}

// Listing renders the session's queries as text/plain and text/html.
func (h *Host) Listing() kernel.MIMEBundle {
	rows := h.rows()
	if len(rows) == 0 {
		return kernel.MIMEBundle{"text/plain": "no streaming queries in this session"}
	}
	var txt, htm strings.Builder
	header := []string{"name", "id", "cell", "status", "batch", "input rows/s", "processed rows/s", "error"}
	table := [][]string{header}
	for _, r := range rows {
		table = append(table, []string{r.Name, r.ID, fmt.Sprintf("[%d]", r.Cell), r.Status, r.Batch, r.Input, r.Processed, r.Error})
	}
	widths := make([]int, len(header))
	for _, row := range table {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, row := range table {
		for i, c := range row {
			if i > 0 {
				txt.WriteString("  ")
			}
			txt.WriteString(c + strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		txt.WriteString("\n")
	}
	htm.WriteString(`<table class="gostream-streams"><thead><tr>`)
	for _, c := range header {
		htm.WriteString("<th>" + html.EscapeString(c) + "</th>")
	}
	htm.WriteString("</tr></thead><tbody>")
	for _, row := range table[1:] {
		htm.WriteString("<tr>")
		for _, c := range row {
			htm.WriteString("<td>" + html.EscapeString(c) + "</td>")
		}
		htm.WriteString("</tr>")
	}
	htm.WriteString("</tbody></table>")
	return kernel.MIMEBundle{"text/plain": strings.TrimRight(txt.String(), " \n"), "text/html": htm.String()}
}
