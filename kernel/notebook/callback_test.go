package notebook

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/kernel"
	"github.com/gostream/gostream/kernel/notebook/host"
)

// attachLog records what AttachOutput was asked to route.
type attachLog struct {
	mu       sync.Mutex
	attached []kernel.Outputs
	detached int
}

func (l *attachLog) attach(out kernel.Outputs) func() {
	l.mu.Lock()
	l.attached = append(l.attached, out)
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		l.detached++
		l.mu.Unlock()
	}
}

// TestForeachBatchAttachesTheStartingCell: every call of a foreachBatch
// function runs with its goroutine's output attached to the query's output
// in the cell that started it: stream output while that cell runs, its live
// display after, whichever cell runs meanwhile.
func TestForeachBatchAttachesTheStartingCell(t *testing.T) {
	nb := newNotebook(t)
	l := &attachLog{}
	nb.h.SetAttach(l.attach)
	// say stands for fmt.Println in the callback: it writes to the
	// outputs attached at the time.
	say := func(text string) {
		l.mu.Lock()
		out := l.attached[len(l.attached)-1]
		open := len(l.attached) - l.detached
		l.mu.Unlock()
		out.Stream("stdout", fmt.Sprintf("%s (%d attached)\n", text, open))
	}
	var stream *MemoryStream
	var q *StreamingQuery
	first := nb.must("start", func() {
		stream = nb.spark.MemoryStream("n INT")
		q = stream.ToDF().WriteStream().ForeachBatch(func(df *DataFrame, id int64) {
			say(fmt.Sprintf("batch %d", id))
		}).Start()
		stream.AddRows([]any{1})
		q.ProcessAllAvailable()
	})
	second := nb.must("feed", func() {
		stream.AddRows([]any{2})
		q.ProcessAllAvailable()
	})
	nb.must("stop", func() { q.Stop() })

	if got := nb.fe.stream(first, "stdout"); got != "batch 0 (1 attached)\n" {
		t.Errorf("starting cell printed %q while it ran, want batch 0", got)
	}
	if got := nb.fe.stream(second, "stdout"); got != "" {
		t.Errorf("feeding cell printed %q, want nothing", got)
	}
	ds := nb.fe.displays(first)
	if len(ds) != 1 {
		t.Fatalf("starting cell has %d displays, want 1", len(ds))
	}
	if text, _ := ds[0].data[display.MIMEText].(string); !strings.HasPrefix(text, "batch 1 (1 attached)\n") {
		t.Errorf("starting cell's display shows %q, want batch 1 first", text)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.attached) != 2 || l.detached != 2 {
		t.Fatalf("attached %d times, detached %d times; want 2 and 2 (one per batch)", len(l.attached), l.detached)
	}
	for i, out := range l.attached {
		w, ok := out.(interface{ Unwrap() kernel.Outputs })
		if !ok || w.Unwrap() != kernel.Outputs(cellOutputs{nb.fe, first}) {
			t.Errorf("batch %d attached %v, want the query's output in the starting cell", i, out)
		}
	}
}

// TestWriteKafkaContexts: in a cell WriteKafka stops with the cell; inside
// foreachBatch it belongs to the query and goes on whatever cell runs.
func TestWriteKafkaContexts(t *testing.T) {
	h := host.Default
	spark := Spark()
	k := StartKafka(1, "out")
	defer k.Stop()
	opts := map[string]string{"kafka.bootstrap.servers": k.Bootstrap(), "topic": "out"}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	h.BeginCell(cancelled, 1, nil)
	ex := raised(func() {
		spark.CreateDataFrame([][]any{{"a"}}, "value STRING").WriteKafka(opts)
	})
	h.EndCell(1)
	if ex == nil || ex.Class != "KeyboardInterrupt" {
		t.Fatalf("WriteKafka in an interrupted cell raised %v, want KeyboardInterrupt", ex)
	}

	stream := spark.MemoryStream("value STRING")
	q := stream.ToDF().WriteStream().ForeachBatch(func(df *DataFrame, id int64) {
		df.WriteKafka(opts)
	}).Start()
	defer q.Stop()
	h.BeginCell(cancelled, 2, nil) // another cell, interrupted, runs meanwhile
	stream.AddRows([]any{"x"}, []any{"y"}, []any{"z"})
	ctx, done := context.WithTimeout(context.Background(), 20*time.Second)
	defer done()
	err := q.Engine().ProcessAllAvailable(ctx)
	h.EndCell(2)
	if err != nil {
		t.Fatal(err)
	}
	if e := q.Exception(); e != nil {
		t.Fatal(e)
	}
	var got int64
	for _, end := range k.EndOffsets("out") {
		got += end
	}
	if got != 3 {
		t.Errorf("foreachBatch wrote %d records, want 3", got)
	}
}
