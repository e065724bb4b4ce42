package display

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"strings"
)

// Chart colours, Vega's category10 so that both renderings agree.
const (
	colorInput     = "#1f77b4"
	colorProcessed = "#ff7f0e"
	colorDuration  = "#7f7f7f"
)

// Charts renders the input and processed rates and the batch durations of
// the query's recent batches as a Vega-Lite chart
// (application/vnd.vegalite.v5+json, which JupyterLab renders natively),
// with an SVG drawing of the same for front ends without Vega and a
// text/plain summary. The bundle has no text/html on purpose: JupyterLab
// prefers HTML to Vega-Lite.
func (v QueryView) Charts() Bundle {
	return Bundle{
		MIMEVegaLite: v.vegaLite(),
		MIMESVG:      v.svg(),
		MIMEText:     v.chartSummary(),
	}
}

func (v QueryView) chartSummary() string {
	n := len(v.Recent)
	if n == 0 {
		return fmt.Sprintf("query %s: no batches yet to chart", v.Label())
	}
	return fmt.Sprintf("query %s: input vs processed rows/s and batch duration over the last %s (%d to %d)",
		v.Label(), plural(int64(n), "batch", "batches"), v.Recent[0].BatchID, v.Recent[n-1].BatchID)
}

// vegaLite is the Vega-Lite v5 spec: two charts side by side, rates as
// lines and durations as bars, over batch ids.
func (v QueryView) vegaLite() json.RawMessage {
	type obj = map[string]any
	rates := make([]obj, 0, 2*len(v.Recent))
	durations := make([]obj, 0, len(v.Recent))
	for _, p := range v.Recent {
		rates = append(rates,
			obj{"batch": p.BatchID, "series": "input rows/s", "value": p.InputRowsPerSecond},
			obj{"batch": p.BatchID, "series": "processed rows/s", "value": p.ProcessedRowsPerSecond})
		durations = append(durations, obj{"batch": p.BatchID, "ms": p.BatchDuration})
	}
	x := obj{"field": "batch", "type": "quantitative", "title": "batch", "axis": obj{"tickMinStep": 1, "format": "d"}}
	spec := obj{
		"$schema":     "https://vega.github.io/schema/vega-lite/v5.json",
		"description": v.chartSummary(),
		"datasets":    obj{"rates": rates, "durations": durations},
		"config":      obj{"view": obj{"stroke": nil}},
		"hconcat": []obj{
			{
				"title": "rows per second", "width": 260, "height": 110,
				"data": obj{"name": "rates"},
				"mark": obj{"type": "line", "point": len(v.Recent) <= 30},
				"encoding": obj{
					"x": x,
					"y": obj{"field": "value", "type": "quantitative", "title": "rows/s"},
					"color": obj{"field": "series", "type": "nominal", "title": nil,
						"scale":  obj{"domain": []string{"input rows/s", "processed rows/s"}, "range": []string{colorInput, colorProcessed}},
						"legend": obj{"orient": "bottom"}},
				},
			},
			{
				"title": "batch duration", "width": 260, "height": 110,
				"data": obj{"name": "durations"},
				"mark": obj{"type": "bar", "color": colorDuration},
				"encoding": obj{
					"x": x,
					"y": obj{"field": "ms", "type": "quantitative", "title": "ms"},
				},
			},
		},
	}
	b, _ := json.Marshal(spec)
	return b
}

// SVG layout.
const (
	svgWidth  = 600
	svgHeight = 180
	plotW     = 230
	plotH     = 100
	plotTop   = 28
	leftPlotX = 50
	rightPlot = 350
)

// svg draws the same two charts as the Vega-Lite spec.
func (v QueryView) svg() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`,
		svgWidth, svgHeight, svgWidth, svgHeight)
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(v.chartSummary()))
	var lo, hi int64
	if n := len(v.Recent); n > 0 {
		lo, hi = v.Recent[0].BatchID, v.Recent[n-1].BatchID
	}
	xAt := func(left int, batch int64) float64 {
		if hi == lo {
			return float64(left) + plotW/2
		}
		return float64(left) + float64(batch-lo)*plotW/float64(hi-lo)
	}

	// Rates.
	top := 0.0
	for _, p := range v.Recent {
		top = max(top, p.InputRowsPerSecond, p.ProcessedRowsPerSecond)
	}
	top = niceCeil(top)
	axes(&b, leftPlotX, "rows per second", top, lo, hi)
	for _, series := range []struct {
		color string
		value func(i int) float64
	}{
		{colorInput, func(i int) float64 { return v.Recent[i].InputRowsPerSecond }},
		{colorProcessed, func(i int) float64 { return v.Recent[i].ProcessedRowsPerSecond }},
	} {
		var pts []string
		for i, p := range v.Recent {
			y := plotTop + plotH - series.value(i)/top*plotH
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", xAt(leftPlotX, p.BatchID), y))
		}
		if len(pts) == 1 {
			fmt.Fprintf(&b, `<circle cx="%s" r="2.5" fill="%s"/>`, strings.Replace(pts[0], ",", `" cy="`, 1), series.color)
		} else if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`, series.color, strings.Join(pts, " "))
		}
	}
	legendY := plotTop + plotH + 34
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="3" fill="%s"/><text x="%d" y="%d" fill="currentColor" opacity=".75">input rows/s</text>`,
		leftPlotX, legendY-4, colorInput, leftPlotX+14, legendY)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="3" fill="%s"/><text x="%d" y="%d" fill="currentColor" opacity=".75">processed rows/s</text>`,
		leftPlotX+100, legendY-4, colorProcessed, leftPlotX+114, legendY)

	// Durations.
	topMs := 0.0
	for _, p := range v.Recent {
		topMs = max(topMs, float64(p.BatchDuration))
	}
	topMs = niceCeil(topMs)
	axes(&b, rightPlot, "batch duration (ms)", topMs, lo, hi)
	barW := max(1.0, min(12.0, float64(plotW)/float64(max(len(v.Recent), 1))*0.7))
	for _, p := range v.Recent {
		h := float64(p.BatchDuration) / topMs * plotH
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`,
			xAt(rightPlot, p.BatchID)-barW/2, plotTop+plotH-h, barW, h, colorDuration)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// axes draws a chart's frame, title and end labels.
func axes(b *strings.Builder, left int, title string, top float64, lo, hi int64) {
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold" fill="currentColor">%s</text>`, left, plotTop-10, html.EscapeString(title))
	fmt.Fprintf(b, `<path d="M%d %dV%dH%d" fill="none" stroke="currentColor" stroke-opacity=".4"/>`, left, plotTop, plotTop+plotH, left+plotW)
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end" fill="currentColor" opacity=".75">%s</text>`, left-4, plotTop+4, axisNumber(top))
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end" fill="currentColor" opacity=".75">0</text>`, left-4, plotTop+plotH+4)
	fmt.Fprintf(b, `<text x="%d" y="%d" fill="currentColor" opacity=".75">batch %d</text>`, left, plotTop+plotH+14, lo)
	if hi != lo {
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end" fill="currentColor" opacity=".75">%d</text>`, left+plotW, plotTop+plotH+14, hi)
	}
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (1 for 0).
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

func axisNumber(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%gM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%gk", v/1e3)
	}
	return fmt.Sprintf("%g", v)
}
