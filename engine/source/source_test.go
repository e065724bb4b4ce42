package source

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func int64s(t *testing.T, recs []arrow.Record, col int) []int64 {
	t.Helper()
	var out []int64
	for _, r := range recs {
		out = append(out, r.Column(col).(*array.Int64).Int64Values()...)
		r.Release()
	}
	return out
}

func TestMemoryOffsetsAndSlices(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	m := NewMemory(schema)
	defer m.Release()
	add := func(vals ...int64) {
		b := array.NewRecordBuilder(mem, schema)
		b.Field(0).(*array.Int64Builder).AppendValues(vals, nil)
		rec := b.NewRecord()
		b.Release()
		if err := m.Add(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	ctx := context.Background()
	if got, _ := m.LatestOffset(ctx, ""); got != "" {
		t.Errorf("LatestOffset of an empty stream = %q, want empty", got)
	}
	add(1, 2, 3)
	add(4, 5)
	tests := []struct {
		name       string
		start, end Offset
		want       string
	}{
		{"all", "", "5", "[1 2 3 4 5]"},
		{"inside the first record", "1", "2", "[2]"},
		{"across records", "2", "4", "[3 4]"},
		{"empty range", "3", "3", "[]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := m.Batch(ctx, tc.start, tc.end)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(int64s(t, recs, 0)); got != tc.want && !(tc.want == "[]" && got == "[]") {
				t.Errorf("Batch(%s, %s) = %s, want %s", tc.start, tc.end, got, tc.want)
			}
		})
	}
	if _, err := m.Batch(ctx, "0", "9"); err == nil {
		t.Error("Batch beyond the rows added succeeded")
	}
	if got, _ := m.LatestOffset(ctx, "2"); got != "5" {
		t.Errorf("LatestOffset = %s, want 5", got)
	}
}

func TestRateIsDeterministic(t *testing.T) {
	start := time.UnixMilli(1_700_000_000_000)
	now := start
	clock := func() time.Time { return now }
	tests := []struct {
		name      string
		opts      Options
		seconds   int64
		wantVals  string
		wantFirst string
	}{
		{"steady", NewOptions(map[string]string{"rowsPerSecond": "4"}), 2, "[0 1 2 3 4 5 6 7]", "2023-11-14T22:13:20Z"},
		{"two partitions", NewOptions(map[string]string{"rowsPerSecond": "4", "numPartitions": "2"}), 1, "[0 2 1 3]", "2023-11-14T22:13:20Z"},
		// rampUpTime 2s, 6 rows/s: speed 2/s then 4/s, then 6/s.
		{"ramp up", NewOptions(map[string]string{"rowsPerSecond": "6", "rampUpTime": "2s"}), 3, "[0 1 2 3 4 5 6 7 8 9 10 11]", "2023-11-14T22:13:20Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now = start
			r, err := NewRate(tc.opts, clock)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if o, _ := r.LatestOffset(ctx, ""); o != "" {
				t.Errorf("offset before a second passed = %q, want none", o)
			}
			now = start.Add(time.Duration(tc.seconds)*time.Second + 300*time.Millisecond)
			end, err := r.LatestOffset(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			var vals []string
			for i := 0; i < 2; i++ { // the same offsets give the same rows
				recs, err := r.Batch(ctx, "", end)
				if err != nil {
					t.Fatal(err)
				}
				first := recs[0].Column(0).(*array.Timestamp).Value(0).ToTime(arrow.Microsecond).UTC().Format(time.RFC3339)
				if first != tc.wantFirst {
					t.Errorf("first timestamp = %s, want %s", first, tc.wantFirst)
				}
				vals = append(vals, fmt.Sprint(int64s(t, recs, 1)))
			}
			if vals[0] != tc.wantVals || vals[1] != vals[0] {
				t.Errorf("values = %v, want %s twice", vals, tc.wantVals)
			}
		})
	}
}

func TestRateOptionErrors(t *testing.T) {
	tests := []struct {
		opts map[string]string
		want string
	}{
		{map[string]string{"rowsPerSecond": "0"}, "Invalid value '0' for option 'rowsPerSecond', must be positive"},
		{map[string]string{"rowsPerSecond": "x"}, "Invalid value 'x' for option 'rowsPerSecond', must be an integer"},
		{map[string]string{"numPartitions": "-1"}, "Invalid value '-1' for option 'numPartitions', must be positive"},
		{map[string]string{"rampUpTime": "soon"}, "Invalid value 'soon' for option 'rampUpTime'"},
	}
	for _, tc := range tests {
		_, err := NewRate(NewOptions(tc.opts), nil)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("NewRate(%v) error = %v, want %q", tc.opts, err, tc.want)
		}
	}
}

func TestSocketReadsLines(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conns := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			conns <- c
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ctx := context.Background()
	s, err := NewSocket(ctx, NewOptions(map[string]string{"host": "127.0.0.1", "port": port}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	wake, cancel := s.Subscribe()
	defer cancel()
	c := <-conns
	fmt.Fprint(c, "hello world\nsecond line\n")
	end := Offset("")
	for deadline := time.Now().Add(5 * time.Second); end != "2" && time.Now().Before(deadline); {
		select {
		case <-wake:
		case <-time.After(50 * time.Millisecond):
		}
		end, _ = s.LatestOffset(ctx, "")
	}
	recs, err := s.Batch(ctx, "", end)
	if err != nil {
		t.Fatal(err)
	}
	col := recs[0].Column(0).(*array.String)
	if col.Len() != 2 || col.Value(0) != "hello world" || col.Value(1) != "second line" {
		t.Errorf("lines = %v", col)
	}
	recs[0].Release()
	if err := s.Commit(ctx, end); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Batch(ctx, "", end); err == nil || !strings.Contains(err.Error(), "not fault tolerant") {
		t.Errorf("reading committed lines again: %v, want a not-fault-tolerant error", err)
	}
	c.Close()
	if err := s.Stop(); err != nil {
		t.Errorf("Stop() = %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop() = %v", err)
	}
}

func TestSocketOptionErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		opts map[string]string
		want string
	}{
		{map[string]string{"port": "1"}, `Set a host to read from with option("host", "localhost").`},
		{map[string]string{"host": "localhost"}, `Set a port to read from with option("port", 9999).`},
		{map[string]string{"host": "localhost", "port": "x"}, `Port should be an integer`},
	}
	for _, tc := range tests {
		if _, err := NewSocket(ctx, NewOptions(tc.opts)); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("NewSocket(%v) = %v, want %q", tc.opts, err, tc.want)
		}
	}
}
