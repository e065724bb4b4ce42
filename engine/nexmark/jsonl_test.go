package nexmark

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/format"
	"github.com/gostream/gostream/engine/sqlparse"
)

// TestWriteJSON writes events as JSON lines, reads them back with the
// engine's JSON reader and the EventDDL schema, and compares with the
// generated events.
func TestWriteJSON(t *testing.T) {
	g := newGen(t, func(c *Config) { c.BaseTime = time.Date(2024, 2, 28, 23, 59, 59, 0, time.UTC) })
	const from, to = 3, DefaultChunkEvents + 21 // several chunks and a day boundary
	var buf bytes.Buffer
	n, err := g.WriteJSON(context.Background(), &buf, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("WriteJSON reported %d bytes, wrote %d", n, buf.Len())
	}
	schema, err := sqlparse.ParseDDL(EventDDL)
	if err != nil {
		t.Fatal(err)
	}
	if !schema.Equal(EventSchema) {
		t.Fatalf("EventDDL parses to\n%s\nwant EventSchema\n%s", schema, EventSchema)
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rec, stats, err := format.DecodeJSON(buf.Bytes(), schema, format.JSONOptions{Mode: format.FailFast}, mem, "events.json")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != to-from {
		t.Fatalf("%d rows read back (%+v), want %d", rec.NumRows(), stats, to-from)
	}
	events := g.Events(from, to)
	kinds := rec.Column(0).(*array.Int32)
	for i, e := range events {
		if EventKind(kinds.Value(i)) != e.Kind {
			t.Fatalf("row %d: event_type %d, want %d", i, kinds.Value(i), e.Kind)
		}
		back := Event{Number: e.Number, Kind: e.Kind}
		row := structRow(rec, 1+int(e.Kind), i)
		switch e.Kind {
		case PersonEvent:
			back.Person = &Persons(row)[0]
		case AuctionEvent:
			back.Auction = &Auctions(row)[0]
		default:
			back.Bid = &Bids(row)[0]
		}
		row.Release()
		got := line(back)
		if want := line(e); got != want {
			t.Fatalf("row %d:\ngot  %s\nwant %s", i, got, want)
		}
	}
	first := buf.String()[:strings.IndexByte(buf.String(), '\n')]
	if want := `{"event_type":1,"auction":{"id":1002,`; !strings.HasPrefix(first, want) || !strings.Contains(first, `"dateTime":"2024-02-28 23:59:59.000"`) {
		t.Errorf("first line %s, want it to start with %s and carry the base time", first, want)
	}
}

// structRow returns row i of the struct column c of rec as a record.
func structRow(rec arrow.Record, c, i int) arrow.Record {
	s := array.NewSlice(rec.Column(c), int64(i), int64(i+1)).(*array.Struct)
	defer s.Release()
	st := s.DataType().(*arrow.StructType)
	cols := make([]arrow.Array, st.NumFields())
	for j := range cols {
		cols[j] = s.Field(j)
	}
	return array.NewRecord(arrow.NewSchema(st.Fields(), nil), cols, 1)
}

func TestTimestampFormatter(t *testing.T) {
	tests := []struct {
		name string
		ms   int64
		want string
	}{
		{"epoch", 0, "1970-01-01 00:00:00.000"},
		{"millis", 1436918400123, "2015-07-15 00:00:00.123"},
		{"end of day", 1436918400000 - 1, "2015-07-14 23:59:59.999"},
		{"before the epoch", -1, "1969-12-31 23:59:59.999"},
		{"leap day", 1709251199999, "2024-02-29 23:59:59.999"},
	}
	var f tsFormatter
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(f.append(nil, tc.ms)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
