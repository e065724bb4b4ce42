package display

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostream/gostream/engine/enginetest"
	"github.com/gostream/gostream/engine/stream"
)

// progress makes the progress of batches from..to of a query with a
// windowed aggregation: rates and durations vary with the batch id.
func progress(from, to int64) []*stream.Progress {
	var ps []*stream.Progress
	for b := from; b <= to; b++ {
		ps = append(ps, &stream.Progress{
			ID: "3f2a8c1e-0000-4000-8000-000000000001", RunID: "9b1d2e3f-0000-4000-8000-000000000002",
			Name: "counts", Timestamp: "2024-05-01T10:00:0" + jsonInt(b%10) + ".000Z", BatchID: b,
			BatchDuration: 20 + 5*b, NumInputRows: 100 * b,
			InputRowsPerSecond: float64(100 * b), ProcessedRowsPerSecond: float64(90 * b),
			DurationMs: map[string]int64{"triggerExecution": 20 + 5*b},
			EventTime:  map[string]string{"watermark": "2024-05-01T09:59:50.000Z"},
			StateOperators: []stream.StateOperatorProgress{{
				OperatorName: "stateStoreSave", NumRowsTotal: 10 * b, NumRowsDroppedByWatermark: b % 2, MemoryUsedBytes: 2048 * b,
			}},
			Sources: []stream.SourceProgress{{Description: "MemoryStream[value]"}},
			Sink:    stream.SinkProgress{Description: "MemorySink", NumOutputRows: b},
		})
	}
	return ps
}

func queryViews() map[string]QueryView {
	return map[string]QueryView{
		"active": {Name: "counts", ID: "3f2a8c1e-0000-4000-8000-000000000001", RunID: "9b1d2e3f-0000-4000-8000-000000000002",
			Cell: 3, Active: true, Status: "Waiting for data to arrive", Recent: progress(0, 4)},
		"starting": {ID: "77777777-0000-4000-8000-000000000003", RunID: "88888888-0000-4000-8000-000000000004",
			Cell: 5, Active: true, Status: "Initializing sources"},
		"stopped": {Name: "counts", ID: "3f2a8c1e-0000-4000-8000-000000000001", RunID: "9b1d2e3f-0000-4000-8000-000000000002",
			Cell: 3, Status: "Stopped", Recent: progress(7, 7)},
		"failed": {Name: "parse <json>", ID: "55555555-0000-4000-8000-000000000005", RunID: "66666666-0000-4000-8000-000000000006",
			Cell: 4, Status: "Stopped", Error: "StreamingQueryException: Malformed records are detected in record parsing. Parse Mode: FAILFAST.", Recent: progress(0, 1)},
	}
}

func TestQueryPanelsGolden(t *testing.T) {
	for name, v := range queryViews() {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", "query")
			panel := v.Panel()
			enginetest.Golden(t, filepath.Join(dir, name+".panel.txt"), panel[MIMEText].(string)+"\n")
			enginetest.Golden(t, filepath.Join(dir, name+".panel.html"), strings.ReplaceAll(panel[MIMEHTML].(string), "<tr>", "\n<tr>")+"\n")
			enginetest.Golden(t, filepath.Join(dir, name+".panel.json"), indent(t, panel[MIMEJSON].(json.RawMessage)))
			enginetest.Golden(t, filepath.Join(dir, name+".status.txt"), v.StatusLine()+"\n")

			charts := v.Charts()
			enginetest.Golden(t, filepath.Join(dir, name+".vegalite.json"), indent(t, charts[MIMEVegaLite].(json.RawMessage)))
			svg := charts[MIMESVG].(string)
			if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
				t.Errorf("SVG fallback is not well-formed XML: %v", err)
			}
			enginetest.Golden(t, filepath.Join(dir, name+".svg"), svg+"\n")
		})
	}
}

func TestPanelJSONCarriesTheLatestBatch(t *testing.T) {
	tests := []struct {
		name      string
		view      QueryView
		wantState string
		wantBatch any
	}{
		{"active", queryViews()["active"], "active", 4.0},
		{"before the first batch", queryViews()["starting"], "active", nil},
		{"stopped", queryViews()["stopped"], "stopped", 7.0},
		{"failed", queryViews()["failed"], "failed", 1.0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got map[string]any
			if err := json.Unmarshal(tc.view.Panel()[MIMEJSON].(json.RawMessage), &got); err != nil {
				t.Fatal(err)
			}
			if got["state"] != tc.wantState || got["batchId"] != tc.wantBatch {
				t.Errorf("state %v, batchId %v; want %v, %v", got["state"], got["batchId"], tc.wantState, tc.wantBatch)
			}
			if tc.wantBatch != nil {
				lp := got["lastProgress"].(map[string]any)
				if lp["batchId"] != tc.wantBatch {
					t.Errorf("lastProgress.batchId = %v, want %v", lp["batchId"], tc.wantBatch)
				}
			}
		})
	}
}

func TestListingGolden(t *testing.T) {
	views := queryViews()
	tests := []struct {
		name  string
		views []QueryView
	}{
		{"none", nil},
		{"several", []QueryView{views["active"], views["starting"], views["failed"], views["stopped"]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Listing(tc.views)
			dir := filepath.Join("testdata", "listing")
			enginetest.Golden(t, filepath.Join(dir, tc.name+".txt"), b[MIMEText].(string)+"\n")
			enginetest.Golden(t, filepath.Join(dir, tc.name+".html"), strings.ReplaceAll(b[MIMEHTML].(string), "<tr>", "\n<tr>")+"\n")
			var rows []map[string]any
			if err := json.Unmarshal(b[MIMEJSON].(json.RawMessage), &rows); err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(tc.views) {
				t.Fatalf("JSON lists %d queries, want %d", len(rows), len(tc.views))
			}
			for i, v := range tc.views {
				if rows[i]["id"] != v.ID || rows[i]["state"] != v.State() {
					t.Errorf("row %d = %v %v, want %v %v", i, rows[i]["id"], rows[i]["state"], v.ID, v.State())
				}
			}
		})
	}
}

func TestTextLogKeepsTheEnd(t *testing.T) {
	tests := []struct {
		name   string
		max    int
		writes []string
		want   string
	}{
		{"under the limit", 100, []string{"a\n", "b\n"}, "a\nb\n"},
		{"cut at a line start", 8, []string{"one\n", "two\n", "three\n"}, "[earlier output not shown: 8 B in 2 lines]\nthree\n"},
		{"one long line is cut inside", 4, []string{"abcdefgh"}, "[earlier output not shown: 4 B in 0 lines]\nefgh"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := &TextLog{Max: tc.max}
			var total int64
			for _, w := range tc.writes {
				_, _ = l.Write([]byte(w))
				total += int64(len(w))
			}
			if got := l.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if l.Len() != total {
				t.Errorf("Len() = %d, want %d", l.Len(), total)
			}
		})
	}
}

func TestNiceCeil(t *testing.T) {
	tests := []struct{ in, want float64 }{{0, 1}, {0.03, 0.05}, {1, 1}, {3, 5}, {7, 10}, {11, 20}, {450, 500}, {1000, 1000}}
	for _, tc := range tests {
		if got := niceCeil(tc.in); got != tc.want {
			t.Errorf("niceCeil(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func indent(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	return b.String() + "\n"
}
