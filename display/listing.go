package display

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

// listingHeader names the columns of a listing.
var listingHeader = []string{"name", "id", "cell", "status", "batch", "input rows/s", "processed rows/s", "batch ms", "error"}

// Listing renders the session's queries as a table with their status and
// rates, as text/html, text/plain and application/json (one object per
// query, as QueryView's panel JSON).
func Listing(views []QueryView) Bundle {
	if len(views) == 0 {
		const none = "no streaming queries in this session"
		return Bundle{MIMEText: none, MIMEHTML: `<div class="gs-display gs-listing"><i>` + none + `</i></div>`, MIMEJSON: json.RawMessage("[]")}
	}
	table := make([][]string, 0, len(views))
	active := 0
	for _, v := range views {
		if v.Active {
			active++
		}
		cell := ""
		if v.Cell > 0 {
			cell = fmt.Sprintf("[%d]", v.Cell)
		}
		status := v.Status
		switch v.State() {
		case StateFailed:
			status = "Failed"
		case StateStopped:
			status = "Stopped"
		}
		row := []string{v.Name, v.ID, cell, status, "-", "-", "-", "-", v.Error}
		if m, ok := v.metrics(); ok {
			row[4], row[5], row[6], row[7] = fmt.Sprint(m.batch), rate(m.inputRate), rate(m.processedRate), fmt.Sprint(m.duration)
		}
		table = append(table, row)
	}
	summary := fmt.Sprintf("%s, %d active · %%stop NAME|ID|all stops queries", plural(int64(len(views)), "streaming query", "streaming queries"), active)

	widths := make([]int, len(listingHeader))
	for _, row := range append([][]string{listingHeader}, table...) {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var txt strings.Builder
	txt.WriteString(summary + "\n")
	for _, row := range append([][]string{listingHeader}, table...) {
		var line strings.Builder
		for i, c := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			line.WriteString(c + strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		txt.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}

	var h strings.Builder
	h.WriteString(`<div class="gs-display gs-listing">` + tableCSS)
	h.WriteString(`<div class="gs-caption">` + html.EscapeString(summary) + `</div><table><thead><tr>`)
	for _, c := range listingHeader {
		h.WriteString("<th>" + html.EscapeString(c) + "</th>")
	}
	h.WriteString("</tr></thead><tbody>")
	for i, row := range table {
		h.WriteString("<tr>")
		for j, c := range row {
			switch {
			case j == 3:
				fmt.Fprintf(&h, `<td class="gs-str"><span class="gs-badge gs-%s">%s</span></td>`, views[i].State(), html.EscapeString(c))
			case j == 8 && c != "":
				h.WriteString(`<td class="gs-str gs-error">` + html.EscapeString(c) + "</td>")
			case j >= 4 && j <= 7:
				h.WriteString(`<td class="gs-num">` + html.EscapeString(c) + "</td>")
			default:
				h.WriteString(`<td class="gs-str">` + html.EscapeString(c) + "</td>")
			}
		}
		h.WriteString("</tr>")
	}
	h.WriteString("</tbody></table></div>")

	states := make([]json.RawMessage, len(views))
	for i, v := range views {
		states[i] = v.jsonState()
	}
	js, _ := json.Marshal(states)
	return Bundle{MIMEText: strings.TrimRight(txt.String(), "\n"), MIMEHTML: h.String(), MIMEJSON: json.RawMessage(js)}
}
