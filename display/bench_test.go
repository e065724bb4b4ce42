package display

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// benchTable is a 1,000-row table of six columns of the common types.
func benchTable(b *testing.B) Table {
	s := schemaOf(field("id", i64), field("user", str), field("clicks", i32),
		field("price", f64), field("ok", boolT), field("ts", tsUTC))
	lines := make([]string, 1000)
	for i := range lines {
		lines[i] = fmt.Sprintf(`{"id":%d,"user":"user-%d <x>","clicks":%d,"price":%d.25,"ok":%t,"ts":"2024-05-01 10:%02d:%02d"}`,
			i, i%97, i%13, i, i%2 == 0, (i/60)%60, i%60)
	}
	recs := records(b, memory.DefaultAllocator, s, lines)
	return Table{Schema: s, Records: recs, MaxRows: 1000}
}

// BenchmarkTable1000 renders a 1,000-row table as all three MIME types.
func BenchmarkTable1000(b *testing.B) {
	t := benchTable(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = t.Bundle()
	}
}

// BenchmarkTable1000Message renders the table and encodes it as the
// content of a display_data message, as the kernel does before sending.
func BenchmarkTable1000Message(b *testing.B) {
	t := benchTable(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		content := map[string]any{"data": t.Bundle(), "metadata": map[string]any{}, "transient": map[string]any{"display_id": "x"}}
		if _, err := json.Marshal(content); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTable1000HTML(b *testing.B) {
	t := benchTable(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = t.HTML()
	}
}

func BenchmarkTable1000Text(b *testing.B) {
	t := benchTable(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = t.Text()
	}
}

func BenchmarkTable1000DataResource(b *testing.B) {
	t := benchTable(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = t.DataResource()
	}
}

func BenchmarkPanelAndCharts(b *testing.B) {
	v := QueryView{Name: "counts", ID: "id", RunID: "run", Active: true, Recent: progress(0, 99)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = v.Panel()
		_ = v.Charts()
	}
}
