package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/nexmark"
)

func TestNexmarkFormat(t *testing.T) {
	tests := []struct {
		name    string
		build   func(r *engine.DataStreamReader) *engine.DataStreamReader
		want    string // table whose schema the stream has, or ""
		wantErr string
	}{
		{"bids by default", func(r *engine.DataStreamReader) *engine.DataStreamReader { return r }, "bid", ""},
		{"persons", func(r *engine.DataStreamReader) *engine.DataStreamReader { return r.Option("table", "person") }, "person", ""},
		{"case-insensitive format and options", func(r *engine.DataStreamReader) *engine.DataStreamReader {
			return r.Format("Nexmark").Option("TABLE", "Auction").Option("EventsPerSecond", 5)
		}, "auction", ""},
		{"a schema is refused", func(r *engine.DataStreamReader) *engine.DataStreamReader { return r.Schema("a INT") }, "",
			"readStream.load: The nexmark source does not support a user-specified schema."},
		{"bad option", func(r *engine.DataStreamReader) *engine.DataStreamReader { return r.Option("maxEvents", "lots") }, "",
			"Invalid value 'lots' for option 'maxEvents', must be an integer"},
		{"unknown table", func(r *engine.DataStreamReader) *engine.DataStreamReader { return r.Option("table", "bidder") }, "",
			`unknown table "bidder": use person, auction or bid`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := engine.NewSession()
			defer s.Close()
			df := tc.build(s.ReadStream().Format("nexmark")).Load()
			if tc.wantErr != "" {
				if df.Err() == nil || !strings.Contains(df.Err().Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", df.Err(), tc.wantErr)
				}
				return
			}
			if df.Err() != nil {
				t.Fatal(df.Err())
			}
			k, _ := nexmark.ParseKind(tc.want)
			if !df.ArrowSchema().Equal(nexmark.SchemaOf(k)) || !df.IsStreaming() {
				t.Fatalf("schema %s (streaming %v), want %s's", df.ArrowSchema(), df.IsStreaming(), tc.want)
			}
		})
	}
}

// TestNexmarkQuery runs a query over a bounded, unpaced nexmark stream to
// the end with Trigger.AvailableNow.
func TestNexmarkQuery(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	bids := s.ReadStream().Format("nexmark").
		Option("unbounded", true).Option("maxEvents", 10_000).Option("maxEventsPerTrigger", 3_000).Load()
	q, err := bids.WriteStream().Format("memory").QueryName("bids").Trigger(engine.AvailableNow()).Start()
	if err != nil {
		t.Fatal(err)
	}
	if err := q.AwaitTermination(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, err := s.Table("bids").Count()
	if err != nil {
		t.Fatal(err)
	}
	if want := nexmark.CountKind(nexmark.BidEvent, 0, 10_000); n != want {
		t.Errorf("%d bids, want %d", n, want)
	}
	if got := len(q.RecentProgress()); got != 4 {
		t.Errorf("%d batches, want 4 of at most 3,000 events", got)
	}
}
