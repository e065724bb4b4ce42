package notebook

import (
	"errors"
	"fmt"
	"html"
	"reflect"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/kernel"
	"github.com/gostream/gostream/kernel/notebook/host"
)

// DisplayOptions tunes Display; the zero value is the default.
type DisplayOptions struct {
	// MaxRows is how many rows a table shows (100 when zero).
	MaxRows int
	// Name names the query that shows a streaming DataFrame, and so its
	// memory table (spark.Table(Name)); display_1, display_2, ... when
	// empty.
	Name string
	// Mode is the output mode of that query: "append" (the table grows),
	// "update" (rows are upserted by Key) or "complete" (the table is
	// replaced). The default is complete for a DataFrame that aggregates,
	// append otherwise.
	Mode string
	// Key is the columns an update-mode table upserts by; by default the
	// aggregation's grouping columns when the plan names them. Without an
	// aggregation every row is new.
	Key []string
	// Throttle is the shortest interval between two updates of a live
	// display (250ms when zero).
	Throttle time.Duration
}

func displayOptions(opts []DisplayOptions) DisplayOptions {
	if len(opts) == 0 {
		return DisplayOptions{}
	}
	return opts[0]
}

// Display shows x in the output area of the running cell:
//
//   - a batch DataFrame, arrow.Record, []arrow.Record or arrow.Table as a
//     table: HTML with the column types and row count, Spark's show() text,
//     and application/vnd.dataresource+json with the values;
//   - a streaming DataFrame as a live table: it starts a query into a
//     memory table (named by opts.Name, else display_N) and the table
//     updates in place after every batch, following the output mode;
//     spark.Streams().ByName(name) returns the query, %stop name stops it;
//   - a *StreamingQuery as a live progress panel with charts of its rates
//     and batch durations (as q.Display());
//   - spark.Streams() (or Streams()) as a live listing of the session's
//     queries (as %streams);
//   - a map[string]any as a MIME bundle, a string as text, anything else
//     with its String, HTML, Markdown, SVG, JSON or MIMEBundle methods
//     (those of types compiled into the kernel), else as fmt prints it.
func Display(x any, opts ...DisplayOptions) { Spark().display(x, displayOptions(opts)) }

func (s *Session) display(x any, o DisplayOptions) {
	if v := reflect.ValueOf(x); x == nil || (v.Kind() == reflect.Pointer && v.IsNil()) {
		s.publish(display.Bundle{display.MIMEText: "nil"})
		return
	}
	switch v := x.(type) {
	case *DataFrame:
		if v.IsStreaming() {
			s.displayStream(v, o)
			return
		}
		s.publish(v.bundle(o))
	case *StreamingQuery:
		v.show(o)
	case *StreamingQueryManager:
		v.s.h.ShowListing()
	case arrow.Record:
		s.publish(display.Table{Schema: v.Schema(), Records: []arrow.Record{v}, MaxRows: o.MaxRows}.Bundle())
	case []arrow.Record:
		if len(v) == 0 {
			s.publish(display.Bundle{display.MIMEText: "no records"})
			return
		}
		s.publish(display.Table{Schema: v[0].Schema(), Records: v, MaxRows: o.MaxRows}.Bundle())
	case arrow.Table:
		recs := tableRecords(v)
		defer release(recs)
		s.publish(display.Table{Schema: v.Schema(), Records: recs, MaxRows: o.MaxRows}.Bundle())
	case map[string]any:
		s.publish(display.Bundle(v))
	case kernel.MIMEBundle:
		s.publish(display.Bundle(v))
	case string:
		s.publish(display.Bundle{display.MIMEText: v})
	default:
		s.publish(valueBundle(x))
	}
}

// Streams returns the session's query manager, as spark.Streams(). As a
// cell's value it shows a live listing of the queries, as %streams does.
func Streams() *StreamingQueryManager { return Spark().Streams() }

// publish shows b in the running cell.
func (s *Session) publish(b display.Bundle) {
	if out := s.h.Current().Out; out != nil {
		out.Display(kernel.MIMEBundle(b), nil, "")
	}
}

// MIMEBundle is how a DataFrame shows as a cell's value: a batch DataFrame
// as a table of its first rows (see Display); a streaming one starts a
// query and shows its live table.
func (d *DataFrame) MIMEBundle() (b map[string]any) {
	if !d.IsStreaming() {
		return d.bundle(DisplayOptions{})
	}
	defer func() {
		if r := recover(); r != nil {
			b = errorBundle(d.String(), r)
		}
	}()
	q := d.s.displayStream(d, DisplayOptions{})
	return map[string]any{display.MIMEText: fmt.Sprintf(
		"%s: live table above, query %q; spark.Table(%q) reads it, %%stop %s stops it",
		d.String(), q.Name(), q.Name(), q.Name())}
}

// bundle renders the first rows of a batch DataFrame.
func (d *DataFrame) bundle(o DisplayOptions) (b map[string]any) {
	defer func() {
		if r := recover(); r != nil {
			b = errorBundle(d.String(), r)
		}
	}()
	max := o.MaxRows
	if max <= 0 {
		max = display.DefaultMaxRows
	}
	// One row more than shown says whether there are more.
	recs, err := d.df.Limit(max + 1).ToArrow()
	raise(err)
	defer release(recs)
	shown, more := headRecords(recs, max)
	defer release(shown)
	return display.Table{Schema: d.df.ArrowSchema(), Records: shown, MaxRows: max, More: more}.Bundle()
}

// errorBundle shows what went wrong rendering a value: a display method
// cannot raise, so the error is shown in place of the value.
func errorBundle(what string, r any) map[string]any {
	msg := fmt.Sprint(r)
	var ex *Exception
	if err, ok := r.(error); ok && errors.As(err, &ex) {
		msg = ex.Class + ": " + ex.Error()
	}
	return map[string]any{
		display.MIMEText: what + "\n" + msg,
		display.MIMEHTML: `<pre class="gs-error" style="color:#c62828;white-space:pre-wrap">` + html.EscapeString(msg) + `</pre>`,
	}
}

// MIMEBundle is how a query shows as a cell's value: a live progress panel
// and charts (see Display); the text stays the handle's description.
func (q *StreamingQuery) MIMEBundle() map[string]any {
	q.show(DisplayOptions{})
	return map[string]any{}
}

// Display shows a live progress panel of the query in the running cell:
// name, ids, status, the latest batch's rates, duration, watermark, state
// and late rows, and the error if it fails; with charts of input vs
// processed rows/s and batch durations over recent batches (Vega-Lite,
// which JupyterLab draws, with an SVG for other front ends). Both update in
// place until the query ends.
func (q *StreamingQuery) Display() { q.show(DisplayOptions{}) }

func (q *StreamingQuery) show(o DisplayOptions) {
	h := q.s.h
	tq := h.Lookup(q.q)
	view := func() display.QueryView {
		if tq != nil {
			return h.View(tq)
		}
		return host.ViewOf(q.q)
	}
	version := func() string { return host.QueryVersion(q.q) }
	h.ShowLive(q.q.RunID(), display.LiveConfig{
		Render:   func(bool) (display.Bundle, display.Bundle) { return view().Panel(), nil },
		Version:  version,
		Throttle: o.Throttle,
	})
	h.ShowLive(q.q.RunID(), display.LiveConfig{
		Render:   func(bool) (display.Bundle, display.Bundle) { return view().Charts(), nil },
		Version:  version,
		Throttle: o.Throttle,
	})
}

// MIMEBundle is how the query manager shows as a cell's value: a live
// listing of the session's queries (see Display).
func (m *StreamingQueryManager) MIMEBundle() map[string]any {
	m.s.h.ShowListing()
	n, active := 0, 0
	for _, q := range m.s.h.Queries() {
		n++
		if q.Q.IsActive() {
			active++
		}
	}
	return map[string]any{display.MIMEText: fmt.Sprintf("StreamingQueryManager: %d queries, %d active (live listing above)", n, active)}
}

// valueBundle renders a value by its display methods, as a cell's result
// is; text/plain is always there.
func valueBundle(x any) display.Bundle {
	b := display.Bundle{display.MIMEText: fmt.Sprint(x)}
	if x == nil {
		b[display.MIMEText] = "nil"
		return b
	}
	v := reflect.ValueOf(x)
	for _, m := range []struct{ method, mime string }{
		{"String", display.MIMEText}, {"HTML", display.MIMEHTML}, {"Markdown", "text/markdown"},
		{"SVG", display.MIMESVG}, {"JSON", display.MIMEJSON},
	} {
		if r, ok := callDisplayMethod(v, m.method); ok && r.Kind() == reflect.String {
			b[m.mime] = r.String()
		}
	}
	if r, ok := callDisplayMethod(v, "MIMEBundle"); ok && r.Kind() == reflect.Map && r.Type().Key().Kind() == reflect.String {
		it := r.MapRange()
		for it.Next() {
			b[it.Key().String()] = it.Value().Interface()
		}
	}
	return b
}

// callDisplayMethod calls v's method name if it takes nothing and returns
// something; a panic counts as no method.
func callDisplayMethod(v reflect.Value, name string) (r reflect.Value, ok bool) {
	m := v.MethodByName(name)
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() < 1 {
		return r, false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	r = m.Call(nil)[0]
	for r.Kind() == reflect.Interface && !r.IsNil() {
		r = r.Elem()
	}
	return r, true
}

// headRecords returns the first n rows of recs as new references, and
// whether rows were left out.
func headRecords(recs []arrow.Record, n int) ([]arrow.Record, bool) {
	var out []arrow.Record
	left := int64(n)
	more := false
	for _, r := range recs {
		switch {
		case left == 0:
			more = more || r.NumRows() > 0
		case r.NumRows() <= left:
			r.Retain()
			out = append(out, r)
			left -= r.NumRows()
		default:
			out = append(out, r.NewSlice(0, left))
			left = 0
			more = true
		}
	}
	return out, more
}

// tableRecords returns the records of t, which the caller releases.
func tableRecords(t arrow.Table) []arrow.Record {
	tr := array.NewTableReader(t, 0)
	defer tr.Release()
	var recs []arrow.Record
	for tr.Next() {
		r := tr.Record()
		r.Retain()
		recs = append(recs, r)
	}
	return recs
}

func release(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}
