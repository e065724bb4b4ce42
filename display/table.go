package display

import (
	"encoding/json"
	"html"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/types"
)

// DefaultMaxRows is how many rows a table shows unless told otherwise.
const DefaultMaxRows = 100

// showTruncate is the cell width of the text/plain table, as Spark's show()
// default.
const showTruncate = 20

// Table is a table of Arrow records to show. The zero MaxRows shows
// DefaultMaxRows rows.
type Table struct {
	Schema  *arrow.Schema
	Records []arrow.Record
	// MaxRows caps the rows shown.
	MaxRows int
	// Tail shows the last MaxRows rows instead of the first, for tables
	// that grow at the end (a stream's append-mode output).
	Tail bool
	// More says rows exist beyond Records that were not fetched, so the
	// total is unknown: "more than N rows".
	More bool
	// Omitted is the number of rows of the table that are not in Records
	// but counted: before them for a Tail, after them otherwise. A view of a
	// long table passes only the records holding the rows it shows (at
	// least MaxRows of them).
	Omitted int64
	// Title is a caption shown above the table.
	Title string
	// Error, when set, is shown between the caption and the table: what
	// went wrong producing the rows (a query's failure).
	Error string
	// Format renders cell values; the zero Formatter is Spark's show()
	// rendering with timestamps in UTC.
	Format format.Formatter
}

// span is a run of rows of one record.
type span struct {
	rec      arrow.Record
	from, to int
}

func (t Table) maxRows() int {
	if t.MaxRows <= 0 {
		return DefaultMaxRows
	}
	return t.MaxRows
}

// Total is the number of rows of the table: those in Records plus
// Omitted.
func (t Table) Total() int64 {
	n := t.Omitted
	for _, r := range t.Records {
		n += r.NumRows()
	}
	return n
}

// layout is a table with its row count and the runs of rows it shows,
// worked out once per rendering: a stream's table may be many records.
type layout struct {
	Table
	total int64
	spans []span
}

func (t Table) layout() layout {
	l := layout{Table: t, total: t.Total()}
	l.spans = l.shown()
	return l
}

// shown returns the runs of rows the table shows.
func (l layout) shown() []span {
	t := l.Table
	limit := int64(t.maxRows())
	skip := int64(0)
	if t.Tail && l.total > limit {
		// Omitted rows come before Records.
		skip = max(l.total-limit-t.Omitted, 0)
	}
	var spans []span
	left := limit
	for _, r := range t.Records {
		n := r.NumRows()
		if skip >= n {
			skip -= n
			continue
		}
		from := skip
		skip = 0
		to := min(n, from+left)
		if to > from {
			spans = append(spans, span{r, int(from), int(to)})
			left -= to - from
		}
		if left == 0 {
			break
		}
	}
	return spans
}

// truncated reports whether rows are left out.
func (l layout) truncated() bool {
	return l.More || l.total > int64(l.maxRows())
}

// Count describes the number of rows: "3 rows", "more than 100 rows".
func (t Table) Count() string { return t.layout().count() }

func (l layout) count() string {
	if l.More {
		return "more than " + plural(l.total, "row", "rows")
	}
	return plural(l.total, "row", "rows")
}

// Note says which rows are shown when some are left out, "" otherwise.
func (t Table) Note() string { return t.layout().note() }

func (l layout) note() string {
	if !l.truncated() {
		return ""
	}
	n := int64(l.maxRows())
	switch {
	case l.More:
		return "showing the first " + plural(n, "row", "rows") + "; more rows were not fetched"
	case l.Tail:
		return "showing the last " + commas(n) + " of " + plural(l.total, "row", "rows")
	}
	return "showing the first " + commas(n) + " of " + plural(l.total, "row", "rows")
}

// Bundle renders the table as text/html, text/plain and
// application/vnd.dataresource+json.
func (t Table) Bundle() Bundle {
	l := t.layout()
	return Bundle{MIMEHTML: l.html(), MIMEText: l.text(), MIMEDataResource: l.dataResource()}
}

// Text renders the table as Spark's show() prints it, under the title when
// there is one. A table showing its last rows says so below.
func (t Table) Text() string { return t.layout().text() }

func (l layout) text() string {
	t := l.Table
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title)
		b.WriteString(" · ")
		b.WriteString(l.count())
		b.WriteByte('\n')
	}
	if t.Error != "" {
		b.WriteString(t.Error)
		b.WriteByte('\n')
	}
	recs := make([]arrow.Record, 0, len(l.spans))
	for _, s := range l.spans {
		if s.from == 0 && s.to == int(s.rec.NumRows()) {
			recs = append(recs, s.rec)
			continue
		}
		sl := s.rec.NewSlice(int64(s.from), int64(s.to))
		defer sl.Release()
		recs = append(recs, sl)
	}
	b.WriteString(t.Format.ShowRecords(t.Schema, recs, t.maxRows(), showTruncate, false))
	switch {
	case !l.truncated():
	case t.Tail && !t.More:
		b.WriteString(l.note())
		b.WriteByte('\n')
	default:
		// Spark's own words for the first rows.
		noun := " rows\n"
		if t.maxRows() == 1 {
			noun = " row\n"
		}
		b.WriteString("only showing top " + jsonInt(int64(t.maxRows())) + noun)
	}
	return b.String()
}

// HTML renders the table with each column's type under its name, the row
// count above and the truncation note below.
func (t Table) HTML() string { return t.layout().html() }

func (l layout) html() string {
	t := l.Table
	buf := make([]byte, 0, 4096)
	buf = append(buf, `<div class="gs-display gs-table">`...)
	buf = append(buf, tableCSS...)
	buf = append(buf, `<div class="gs-caption">`...)
	if t.Title != "" {
		buf = append(buf, html.EscapeString(t.Title)...)
		buf = append(buf, " · "...)
	}
	buf = append(buf, l.count()...)
	buf = append(buf, "</div>"...)
	if t.Error != "" {
		buf = append(buf, `<div class="gs-error">`...)
		buf = append(buf, html.EscapeString(t.Error)...)
		buf = append(buf, "</div>"...)
	}
	buf = append(buf, "<table><thead><tr>"...)
	fields := t.Schema.Fields()
	numeric := make([]bool, len(fields))
	for i, f := range fields {
		numeric[i] = isNumeric(f.Type)
		typ := types.SimpleString(f.Type)
		buf = append(buf, `<th title="`...)
		buf = appendHTML(buf, []byte(f.Name+": "+typ))
		buf = append(buf, `">`...)
		buf = appendHTML(buf, []byte(f.Name))
		buf = append(buf, `<span class="gs-type">`...)
		buf = appendHTML(buf, []byte(typ))
		buf = append(buf, "</span></th>"...)
	}
	buf = append(buf, "</tr></thead><tbody>"...)
	var cell []byte
	for _, s := range l.spans {
		cols := s.rec.Columns()
		for r := s.from; r < s.to; r++ {
			buf = append(buf, "<tr>"...)
			for c, col := range cols {
				switch {
				case col.IsNull(r):
					buf = append(buf, `<td class="gs-null">null</td>`...)
					continue
				case numeric[c]:
					buf = append(buf, `<td class="gs-num">`...)
				default:
					buf = append(buf, `<td class="gs-str">`...)
				}
				cell = t.Format.Append(cell[:0], col, r)
				buf = appendHTML(buf, cell)
				buf = append(buf, "</td>"...)
			}
			buf = append(buf, "</tr>"...)
		}
	}
	buf = append(buf, "</tbody></table>"...)
	if note := l.note(); note != "" {
		buf = append(buf, `<div class="gs-note">`...)
		buf = append(buf, html.EscapeString(note)...)
		buf = append(buf, "</div>"...)
	}
	buf = append(buf, "</div>"...)
	return string(buf)
}

// DataResource renders the shown rows as a Frictionless data resource
// (application/vnd.dataresource+json): schema.fields with Table Schema
// types and the rows as objects, plus total_rows (absent when unknown) and
// truncated. Columns with the same name get " (2)", " (3)" ... appended.
func (t Table) DataResource() json.RawMessage { return t.layout().dataResource() }

func (l layout) dataResource() json.RawMessage {
	t := l.Table
	fields := t.Schema.Fields()
	names := uniqueNames(fields)
	buf := make([]byte, 0, 4096)
	buf = append(buf, `{"schema":{"fields":[`...)
	for i, f := range fields {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"name":`...)
		buf = appendJSONString(buf, names[i])
		buf = append(buf, `,"type":`...)
		buf = appendJSONString(buf, tableSchemaType(f.Type))
		buf = append(buf, `,"sparkType":`...)
		buf = appendJSONString(buf, types.SimpleString(f.Type))
		buf = append(buf, '}')
	}
	buf = append(buf, `]},"data":[`...)
	keys := make([][]byte, len(names))
	for i, n := range names {
		keys[i] = append(appendJSONString(nil, n), ':')
	}
	var scratch []byte
	first := true
	for _, s := range l.spans {
		cols := s.rec.Columns()
		for r := s.from; r < s.to; r++ {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = append(buf, '{')
			for c, col := range cols {
				if c > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, keys[c]...)
				buf = appendJSONValue(buf, col, r, &scratch)
			}
			buf = append(buf, '}')
		}
	}
	buf = append(buf, ']')
	if !t.More {
		buf = append(buf, `,"total_rows":`...)
		buf = append(buf, []byte(jsonInt(l.total))...)
	}
	if l.truncated() {
		buf = append(buf, `,"truncated":true}`...)
	} else {
		buf = append(buf, `,"truncated":false}`...)
	}
	return json.RawMessage(buf)
}

// uniqueNames returns the field names, later duplicates suffixed " (2)",
// " (3)" ... so that they can be JSON object keys.
func uniqueNames(fields []arrow.Field) []string {
	seen := make(map[string]int, len(fields))
	names := make([]string, len(fields))
	for i, f := range fields {
		seen[f.Name]++
		names[i] = f.Name
		if k := seen[f.Name]; k > 1 {
			names[i] = f.Name + " (" + jsonInt(int64(k)) + ")"
		}
	}
	return names
}

func jsonInt(n int64) string { return strconv.FormatInt(n, 10) }
