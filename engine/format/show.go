package format

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow/go/v15/arrow"
)

// ShowString renders rec as Spark's Dataset.show(numRows, truncate,
// vertical) prints it, timestamps in UTC. The result ends with a newline.
func ShowString(rec arrow.Record, numRows, truncate int, vertical bool) string {
	return Formatter{}.ShowString(rec, numRows, truncate, vertical)
}

// ShowString renders rec as Spark's Dataset.show(numRows, truncate,
// vertical) does: a +---+ bordered table (or -RECORD blocks when vertical)
// of at most numRows rows, cells longer than truncate (when > 0) cut to
// truncate-3 characters plus "..." and right-aligned (left-aligned when
// truncate is 0), and "only showing top N rows" when rows were left out.
func (f Formatter) ShowString(rec arrow.Record, numRows, truncate int, vertical bool) string {
	return f.ShowRecords(rec.Schema(), []arrow.Record{rec}, numRows, truncate, vertical)
}

// ShowRecords renders the rows of recs, in order, as one show table with
// the column names of schema.
func (f Formatter) ShowRecords(schema *arrow.Schema, recs []arrow.Record, numRows, truncate int, vertical bool) string {
	numRows = max(numRows, 0)
	header := make([]string, schema.NumFields())
	for i, fl := range schema.Fields() {
		header[i] = escapeMeta(fl.Name)
	}
	rows := [][]string{header}
	total := 0
	var buf []byte
	for _, rec := range recs {
		n := int(rec.NumRows())
		total += n
		for r := 0; r < n && len(rows) <= numRows; r++ {
			row := make([]string, rec.NumCols())
			for c, col := range rec.Columns() {
				buf = f.appendShowCell(buf[:0], col, r)
				row[c] = cutCell(escapeMeta(string(buf)), truncate)
			}
			rows = append(rows, row)
		}
	}
	hasMore := total > numRows

	var sb strings.Builder
	const minWidth = 3
	if !vertical {
		widths := make([]int, len(header))
		for i := range widths {
			widths[i] = minWidth
		}
		for _, row := range rows {
			for i, cell := range row {
				widths[i] = max(widths[i], halfWidth(cell))
			}
		}
		// Spark joins cells with start "+", separator "+" and end "+\n"
		// (Scala's addString), so no columns gives "++".
		sep := func() {
			sb.WriteByte('+')
			for i, w := range widths {
				if i > 0 {
					sb.WriteByte('+')
				}
				sb.WriteString(strings.Repeat("-", w))
			}
			sb.WriteString("+\n")
		}
		line := func(row []string) {
			sb.WriteByte('|')
			for i, cell := range row {
				if i > 0 {
					sb.WriteByte('|')
				}
				pad := strings.Repeat(" ", max(widths[i]-halfWidth(cell), 0))
				if truncate > 0 {
					sb.WriteString(pad)
					sb.WriteString(cell)
				} else {
					sb.WriteString(cell)
					sb.WriteString(pad)
				}
			}
			sb.WriteString("|\n")
		}
		sep()
		line(rows[0])
		sep()
		for _, row := range rows[1:] {
			line(row)
		}
		sep()
	} else {
		nameWidth := minWidth
		for _, name := range header {
			nameWidth = max(nameWidth, halfWidth(name))
		}
		dataWidth := minWidth
		for _, row := range rows[1:] {
			for _, cell := range row {
				dataWidth = max(dataWidth, halfWidth(cell))
			}
		}
		for i, row := range rows[1:] {
			title := "-RECORD " + strconv.Itoa(i)
			sb.WriteString(title)
			sb.WriteString(strings.Repeat("-", max(nameWidth+dataWidth+5-utf16Len(title), 0)))
			sb.WriteByte('\n')
			for j, cell := range row {
				sb.WriteByte(' ')
				sb.WriteString(header[j])
				sb.WriteString(strings.Repeat(" ", max(nameWidth-halfWidth(header[j]), 0)))
				sb.WriteString(" | ")
				sb.WriteString(cell)
				sb.WriteString(strings.Repeat(" ", max(dataWidth-halfWidth(cell), 0)))
				sb.WriteString(" \n")
			}
		}
	}
	switch {
	case vertical && len(rows) == 1:
		sb.WriteString("(0 rows)\n")
	case hasMore:
		noun := "rows"
		if numRows == 1 {
			noun = "row"
		}
		sb.WriteString("only showing top " + strconv.Itoa(numRows) + " " + noun + "\n")
	}
	return sb.String()
}

// appendShowCell renders a top-level cell: as Format, but decimals in plain
// notation, as Spark's show does.
func (f Formatter) appendShowCell(dst []byte, col arrow.Array, r int) []byte {
	if col.IsNull(r) {
		return append(dst, f.nullText()...)
	}
	return f.Append(dst, col, r)
}

// escapeMeta replaces control characters that would break the table, as
// Spark's SchemaUtils.escapeMetaCharacters.
func escapeMeta(s string) string {
	if strings.IndexFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\t' || r == '\f' || r == '\b' || r == '\v' || r == '\a'
	}) < 0 {
		return s
	}
	return metaReplacer.Replace(s)
}

var metaReplacer = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`, "\f", `\f`, "\b", `\b`, "\v", `\v`, "\a", `\a`)

// cutCell shortens s to truncate UTF-16 units (Java string length), the last
// three replaced by "...", when truncate > 0 and s is longer.
func cutCell(s string, truncate int) string {
	if truncate <= 0 || utf16Len(s) <= truncate {
		return s
	}
	keep := truncate - 3
	suffix := "..."
	if truncate < 4 {
		keep, suffix = truncate, ""
	}
	units := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > keep {
			return s[:i] + suffix
		}
		units += w
	}
	return s + suffix
}

func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

// halfWidth is Spark's Utils.stringHalfWidth: the UTF-16 length plus one
// for every full-width (East Asian) character.
func halfWidth(s string) int {
	n := utf16Len(s)
	for _, r := range s {
		if r >= 0x1100 && isFullWidth(r) {
			n++
		}
	}
	return n
}

func isFullWidth(r rune) bool {
	return (r >= 0x1100 && r <= 0x115F) || (r >= 0x2E80 && r <= 0xA4CF) || (r >= 0xAC00 && r <= 0xD7A3) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFE10 && r <= 0xFE19) || (r >= 0xFE30 && r <= 0xFE6F) ||
		(r >= 0xFF00 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6)
}
