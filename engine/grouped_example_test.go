package engine_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

// A batch aggregation: one row per group, keys first, sorted.
func ExampleGroupedData_Agg() {
	s := engine.NewSession(engine.WithOutput(os.Stdout))
	df := s.CreateDataFrame([][]any{
		{"pen", 3, 1.5}, {"ink", 2, 4.0}, {"pen", 5, 2.5},
	}, "item STRING, qty INT, price DOUBLE")
	df.GroupBy("item").
		Agg(F.Sum("qty"), F.Avg("price").Alias("mean_price"), F.Count("*").Alias("n")).
		OrderBy(F.Col("item").Desc()).
		Show()
	// Output:
	// +----+--------+----------+---+
	// |item|sum(qty)|mean_price|  n|
	// +----+--------+----------+---+
	// | pen|       8|       2.0|  2|
	// | ink|       2|       4.0|  1|
	// +----+--------+----------+---+
}

// A windowed count over a stream with a watermark, in append mode: a
// window is written once the watermark (latest event time minus 10
// seconds) passes its end.
func ExampleDataFrame_GroupBy_window() {
	s := engine.NewSession()
	defer s.Close()
	events := s.MemoryStream("ts TIMESTAMP, user STRING")
	q, err := events.ToDF().
		WithWatermark("ts", "10 seconds").
		GroupBy(F.Window(F.Col("ts"), "5 seconds")).
		Count().
		WriteStream().Format("memory").QueryName("counts").OutputMode("append").Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(sec int) time.Time { return time.Unix(int64(sec), 0).UTC() }
	events.AddRows([]any{at(10), "ann"}, []any{at(11), "bob"}, []any{at(14), "ann"})
	q.ProcessAllAvailable(context.Background())
	events.AddRows([]any{at(25), "bob"}) // the watermark moves to 15 s
	q.ProcessAllAvailable(context.Background())
	rows, _ := s.Table("counts").Collect()
	for _, r := range rows {
		w := r.Get("window").(map[string]any)
		fmt.Println(w["start"].(time.Time).Unix(), w["end"].(time.Time).Unix(), r.Get("count"))
	}
	q.Stop()
	// Output:
	// 10 15 3
}
