package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/enginetest"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestStartErrors(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	in := s.MemoryStream("v BIGINT")
	df := in.ToDF()
	batch := s.CreateDataFrame([][]any{{int64(1)}}, "v BIGINT")
	running, err := df.WriteStream().Format("memory").QueryName("taken").Start()
	if err != nil {
		t.Fatal(err)
	}
	defer running.Stop()
	tests := []struct {
		name string
		w    *engine.DataStreamWriter
		want string
	}{
		{"complete without aggregation", df.WriteStream().Format("console").OutputMode("complete"),
			"writeStream.start: Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets"},
		{"unknown output mode", df.WriteStream().Format("console").OutputMode("all"),
			"writeStream.start: Unknown output mode all. Accepted output modes are 'append', 'complete', 'update'"},
		{"file sink in update mode", df.WriteStream().Format("json").OutputMode("update").Option("path", t.TempDir()),
			"writeStream.start: Data source json does not support Update output mode"},
		{"file sink without checkpoint", df.WriteStream().Format("csv").Option("path", t.TempDir()),
			`writeStream.start: checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)`},
		{"memory sink without name", df.WriteStream().Format("memory"),
			"writeStream.start: queryName must be specified for memory sink"},
		{"name already active", df.WriteStream().Format("console").QueryName("taken"),
			"writeStream.start: Cannot start query with name taken as a query with that name is already active"},
		{"limit on a stream", df.Limit(3).WriteStream().Format("console"),
			"writeStream.start: Limits are not supported on streaming DataFrames/Datasets in Append output mode"},
		{"union of stream and batch", df.Union(batch).WriteStream().Format("console"),
			"writeStream.start: Union between streaming and batch DataFrames/Datasets is not supported"},
		{"batch DataFrame", batch.WriteStream().Format("console"),
			"writeStream.start: 'writeStream' can be called only on streaming Dataset/DataFrame"},
		{"unknown sink", df.WriteStream().Format("kafkaa"),
			"writeStream.start: [DATA_SOURCE_NOT_FOUND] Failed to find the data source: kafkaa."},
		{"bad trigger", df.WriteStream().Format("console").Trigger(engine.ProcessingTime("soon")),
			"writeStream.start: trigger: processingTime \"soon\""},
		{"failed DataFrame", df.Select("nope").WriteStream().Format("console"),
			"writeStream.start: select: [UNRESOLVED_COLUMN.WITH_SUGGESTION]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := tc.w.Start()
			if err == nil {
				q.Stop()
				t.Fatalf("Start() succeeded, want error %q", tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Start() error:\n got %s\nwant %s", err, tc.want)
			}
		})
	}
	if n := len(s.Streams().Active()); n != 1 {
		t.Errorf("Active() has %d queries after failed starts, want 1", n)
	}
}

func TestTriggerOnce(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	in := s.MemoryStream("v BIGINT")
	in.AddRows([]any{1}, []any{2})
	q, err := in.ToDF().WriteStream().Format("memory").QueryName("once").Trigger(engine.Once()).Start()
	if err != nil {
		t.Fatal(err)
	}
	if err := q.AwaitTermination(testCtx(t)); err != nil {
		t.Fatalf("AwaitTermination() = %v", err)
	}
	if q.IsActive() {
		t.Error("IsActive() after a Once trigger finished")
	}
	if n, _ := s.Table("once").Count(); n != 2 {
		t.Errorf("rows written = %d, want 2", n)
	}
	if got := len(q.RecentProgress()); got != 1 {
		t.Errorf("batches run = %d, want 1", got)
	}
	if st := q.Status(); st.Message != "Stopped" || st.IsTriggerActive {
		t.Errorf("Status() = %+v, want Stopped", st)
	}
}

func TestTriggerProcessingTime(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	in := s.MemoryStream("v BIGINT")
	q, err := in.ToDF().WriteStream().Format("memory").QueryName("pt").Trigger(engine.ProcessingTime("150 milliseconds")).Start()
	if err != nil {
		t.Fatal(err)
	}
	defer q.Stop()
	ctx := testCtx(t)
	for i := 0; i < 3; i++ {
		in.AddRows([]any{i})
		if err := q.ProcessAllAvailable(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ps := q.RecentProgress()
	if len(ps) != 3 {
		t.Fatalf("batches = %d, want 3", len(ps))
	}
	for i := 1; i < len(ps); i++ {
		a, _ := time.Parse(time.RFC3339, ps[i-1].Timestamp)
		b, _ := time.Parse(time.RFC3339, ps[i].Timestamp)
		// The timer may fire a little late; the start must still be just
		// after a multiple of the interval.
		if gap := b.Sub(a); gap < 150*time.Millisecond || b.UnixMilli()%150 > 50 {
			t.Errorf("batch %d started %v after the previous one at %s; want >= 150ms, just after a 150ms boundary", i, gap, ps[i].Timestamp)
		}
	}
}

func TestQueryHandle(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	in := s.MemoryStream("v BIGINT, ts TIMESTAMP")
	var mu sync.Mutex
	var events []string
	record := func(e string) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	terminated := make(chan struct{})
	s.Streams().AddListener(&engine.ListenerFuncs{
		Started:  func(e engine.QueryStartedEvent) { record("started " + e.Name) },
		Progress: func(e engine.QueryProgressEvent) { record(fmt.Sprintf("progress %d", e.Progress.BatchID)) },
		Idle:     func(engine.QueryIdleEvent) {},
		Terminated: func(e engine.QueryTerminatedEvent) {
			record(fmt.Sprintf("terminated %v", e.Exception))
			close(terminated)
		},
	})
	q, err := in.ToDF().WithWatermark("ts", "10 seconds").WriteStream().Format("memory").QueryName("h").Start()
	if err != nil {
		t.Fatal(err)
	}
	if q.LastProgress() != nil {
		t.Error("LastProgress() before any batch is not nil")
	}
	if got := s.Streams().Get(q.ID()); got != q {
		t.Errorf("Streams().Get(id) = %v, want the query", got)
	}
	ts := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	in.AddRows([]any{1, ts}, []any{2, ts.Add(20 * time.Second)})
	ctx := testCtx(t)
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	p := q.LastProgress()
	if p.BatchID != 0 || p.NumInputRows != 2 || p.Sink.NumOutputRows != 2 || p.Name != "h" || p.ID != q.ID() || p.RunID != q.RunID() {
		t.Errorf("LastProgress() = %s", p.PrettyJSON())
	}
	if want := "2024-01-01T10:00:20.000Z"; p.EventTime["max"] != want || p.EventTime["watermark"] != "1970-01-01T00:00:00.000Z" {
		t.Errorf("eventTime = %v, want max %s and watermark at the epoch", p.EventTime, want)
	}
	in.AddRows([]any{3, ts})
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := q.LastProgress().EventTime["watermark"], "2024-01-01T10:00:10.000Z"; got != want {
		t.Errorf("watermark of batch 1 = %s, want %s", got, want)
	}
	if st := q.Status(); st.Message != "Waiting for data to arrive" || st.IsDataAvailable || st.IsTriggerActive {
		t.Errorf("Status() = %+v", st)
	}

	var shape map[string]any
	if err := json.Unmarshal([]byte(q.LastProgress().JSON()), &shape); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range shape {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := "batchDuration,batchId,durationMs,eventTime,id,inputRowsPerSecond,name,numInputRows,processedRowsPerSecond,runId,sink,sources,stateOperators,timestamp"
	if got := strings.Join(keys, ","); got != want {
		t.Errorf("progress JSON keys = %s, want %s", got, want)
	}
	for _, k := range []string{"addBatch", "getBatch", "latestOffset", "queryPlanning", "triggerExecution", "walCommit", "commitOffsets"} {
		if _, ok := shape["durationMs"].(map[string]any)[k]; !ok {
			t.Errorf("durationMs lacks %s", k)
		}
	}
	src := shape["sources"].([]any)[0].(map[string]any)
	if src["startOffset"] != "2" && src["startOffset"] != float64(2) || src["endOffset"] != float64(3) {
		t.Errorf("source offsets = %v .. %v, want 2 .. 3", src["startOffset"], src["endOffset"])
	}

	if err := q.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := q.Stop(); err != nil {
		t.Errorf("second Stop() = %v", err)
	}
	if q.IsActive() || q.Exception() != nil {
		t.Errorf("after Stop: IsActive %v, Exception %v", q.IsActive(), q.Exception())
	}
	if ok, err := s.Streams().AwaitAnyTerminationTimeout(ctx, time.Second); !ok || err != nil {
		t.Errorf("AwaitAnyTerminationTimeout() = %v, %v; want true, nil", ok, err)
	}
	s.Streams().ResetTerminated()
	if ok, _ := s.Streams().AwaitAnyTerminationTimeout(ctx, 10*time.Millisecond); ok {
		t.Error("AwaitAnyTerminationTimeout() after ResetTerminated reported a termination")
	}
	<-terminated
	mu.Lock()
	defer mu.Unlock()
	if got, want := strings.Join(events, "; "), "started h; progress 0; progress 1; terminated <nil>"; got != want {
		t.Errorf("events = %s, want %s", got, want)
	}
}

func TestForeachBatch(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	in := s.MemoryStream("v BIGINT")
	var got []string
	q, err := in.ToDF().Filter("v % 2 = 0").WriteStream().ForeachBatch(func(df *engine.DataFrame, id int64) error {
		rows, err := df.Collect()
		if err != nil {
			return err
		}
		got = append(got, fmt.Sprintf("%d:%d", id, len(rows)))
		return nil
	}).Start()
	if err != nil {
		t.Fatal(err)
	}
	defer q.Stop()
	ctx := testCtx(t)
	in.AddRows([]any{1}, []any{2}, []any{4})
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	in.AddRows([]any{3})
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	if want := "0:2 1:0"; strings.Join(got, " ") != want {
		t.Errorf("foreachBatch calls = %v, want %s", got, want)
	}
}

func TestFailingBatchTerminatesQuery(t *testing.T) {
	tests := []struct {
		name string
		fn   func(df *engine.DataFrame, id int64) error
		want string
	}{
		{"error", func(*engine.DataFrame, int64) error { return errors.New("boom") },
			"terminated with exception: batch 0: writing to ForeachBatchSink: foreachBatch function: boom"},
		{"panic", func(*engine.DataFrame, int64) error { panic("kaboom") },
			"terminated with exception: batch 0: writing to ForeachBatchSink: foreachBatch function panicked: kaboom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := engine.NewSession()
			defer s.Close()
			in := s.MemoryStream("v BIGINT")
			q, err := in.ToDF().WriteStream().QueryName("f").ForeachBatch(tc.fn).Start()
			if err != nil {
				t.Fatal(err)
			}
			in.AddRows([]any{1})
			err = q.AwaitTermination(testCtx(t))
			var qe *engine.StreamingQueryException
			if !errors.As(err, &qe) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "Query f [id = "+q.ID()) {
				t.Fatalf("AwaitTermination() = %v\nwant a StreamingQueryException containing %q", err, tc.want)
			}
			if q.Exception() == nil || q.IsActive() {
				t.Errorf("Exception() = %v, IsActive() = %v", q.Exception(), q.IsActive())
			}
			if err := q.ProcessAllAvailable(testCtx(t)); err == nil {
				t.Error("ProcessAllAvailable() on a failed query returned nil")
			}
		})
	}
}

func TestStopFromForeachBatch(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	in := s.MemoryStream("v BIGINT")
	var q *engine.StreamingQuery
	ready := make(chan struct{})
	q, err := in.ToDF().WriteStream().ForeachBatch(func(*engine.DataFrame, int64) error {
		<-ready
		return q.Stop()
	}).Start()
	if err != nil {
		t.Fatal(err)
	}
	close(ready)
	in.AddRows([]any{1})
	if err := q.AwaitTermination(testCtx(t)); err != nil {
		t.Fatalf("AwaitTermination() = %v", err)
	}
}

func TestConsoleSink(t *testing.T) {
	var out bytes.Buffer
	s := engine.NewSession(engine.WithOutput(&out))
	defer s.Close()
	in := s.MemoryStream("word STRING, n BIGINT")
	q, err := in.ToDF().WriteStream().Format("console").Option("numRows", 2).Start()
	if err != nil {
		t.Fatal(err)
	}
	defer q.Stop()
	ctx := testCtx(t)
	in.AddRows([]any{"a", 1}, []any{"a very long word indeed, longer than twenty", 2})
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	in.AddRows([]any{"b", 3}, []any{"c", nil}, []any{"d", 5})
	if err := q.ProcessAllAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	q.Stop()
	enginetest.Golden(t, "testdata/console.golden", out.String())
}

func TestCheckpointKeepsQueryID(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	df := s.MemoryStream("v BIGINT").ToDF()
	dir := t.TempDir()
	ids := map[string]bool{}
	runs := map[string]bool{}
	for i := 0; i < 2; i++ {
		q, err := df.WriteStream().Format("console").Option("checkpointLocation", dir).Start()
		if err != nil {
			t.Fatal(err)
		}
		ids[q.ID()], runs[q.RunID()] = true, true
		q.Stop()
	}
	if len(ids) != 1 || len(runs) != 2 {
		t.Errorf("two runs from one checkpoint: %d ids, %d run ids; want 1 and 2", len(ids), len(runs))
	}
}
