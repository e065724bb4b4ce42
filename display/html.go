package display

import (
	"strconv"
	"strings"
)

// appendHTML appends s with HTML's special characters escaped, as
// html.EscapeString does, without making a string of s.
func appendHTML(dst []byte, s []byte) []byte {
	start := 0
	for i, c := range s {
		var esc string
		switch c {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// commas formats n with thousands separators: 12,345.
func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// plural returns "1 row" or "n rows" with thousands separators.
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return commas(n) + " " + many
}

// tableCSS styles tables, panels and listings; it is scoped by class so it
// does not leak into the rest of the page, and uses transparency rather than
// colours so it reads in light and dark themes.
const tableCSS = `<style>
.gs-display .gs-type{display:block;font-weight:normal;font-size:85%;opacity:.6}
.gs-display .gs-null{opacity:.5;font-style:italic}
.gs-display td.gs-num{text-align:right;font-variant-numeric:tabular-nums}
.gs-display td.gs-str{text-align:left}
.gs-display .gs-caption,.gs-display .gs-note{font-size:90%;opacity:.75;margin:2px 0}
.gs-display .gs-error{color:#c62828;white-space:pre-wrap}
.gs-display .gs-badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:85%;border:1px solid currentColor}
.gs-display .gs-active{color:#2e7d32}.gs-display .gs-failed{color:#c62828}.gs-display .gs-stopped{opacity:.7}
.gs-display table.gs-kv th{text-align:left;font-weight:normal;opacity:.75;padding-right:1em}
.gs-display table.gs-kv td{text-align:left}
</style>`
