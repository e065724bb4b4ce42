package source

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Socket reads UTF-8 lines from a TCP server (Spark's socket source, for
// testing): one string column value, plus a timestamp column with the
// arrival time when includeTimestamp is set. A background reader buffers
// lines as they arrive; offsets count lines. Like Spark's, the source is
// not fault tolerant: lines buffered but not committed are lost when the
// process ends.
type Socket struct {
	host, port string
	withTime   bool
	schema     *arrow.Schema
	conn       net.Conn
	done       chan struct{}

	mu     sync.Mutex
	lines  []string
	times  []time.Time
	base   int64 // line number of lines[0]
	err    error
	subs   map[chan struct{}]struct{}
	closed bool
}

// NewSocket connects to the options host and port and starts reading.
func NewSocket(ctx context.Context, opts Options) (*Socket, error) {
	host, ok := opts.Get("host")
	if !ok {
		return nil, fmt.Errorf("Set a host to read from with option(\"host\", \"localhost\").")
	}
	port, ok := opts.Get("port")
	if !ok {
		return nil, fmt.Errorf("Set a port to read from with option(\"port\", 9999).")
	}
	if _, err := strconv.Atoi(port); err != nil {
		return nil, fmt.Errorf("Port should be an integer: %q", port)
	}
	withTime, err := opts.Bool("includeTimestamp", false)
	if err != nil {
		return nil, err
	}
	fields := []arrow.Field{{Name: "value", Type: arrow.BinaryTypes.String, Nullable: true}}
	if withTime {
		fields = append(fields, arrow.Field{Name: "timestamp", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true})
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("socket source: cannot connect to %s:%s: %w", host, port, err)
	}
	s := &Socket{host: host, port: port, withTime: withTime, schema: arrow.NewSchema(fields, nil),
		conn: conn, done: make(chan struct{}), subs: map[chan struct{}]struct{}{}}
	go s.read()
	return s, nil
}

func (s *Socket) read() {
	defer close(s.done)
	sc := bufio.NewScanner(s.conn)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for sc.Scan() {
		s.mu.Lock()
		s.lines = append(s.lines, sc.Text())
		s.times = append(s.times, time.Now())
		for ch := range s.subs {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	if !s.closed {
		s.err = sc.Err()
	}
	s.mu.Unlock()
}

func (s *Socket) Schema() *arrow.Schema { return s.schema }

func (s *Socket) LatestOffset(_ context.Context, start Offset) (Offset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", fmt.Errorf("socket source %s:%s: %w", s.host, s.port, s.err)
	}
	n := s.base + int64(len(s.lines))
	if n == 0 {
		return start, nil
	}
	return Offset(strconv.FormatInt(n, 10)), nil
}

func (s *Socket) Batch(_ context.Context, start, end Offset) ([]arrow.Record, error) {
	from, err := parseCount(start)
	if err != nil {
		return nil, err
	}
	to, err := parseCount(end)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if from < s.base || to > s.base+int64(len(s.lines)) || from > to {
		return nil, fmt.Errorf("socket source: lines %d..%d are no longer buffered (the socket source is not fault tolerant)", from, to)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, s.schema)
	defer b.Release()
	vals := b.Field(0).(*array.StringBuilder)
	for i := from; i < to; i++ {
		vals.Append(s.lines[i-s.base])
	}
	if s.withTime {
		ts := b.Field(1).(*array.TimestampBuilder)
		for i := from; i < to; i++ {
			ts.Append(arrow.Timestamp(s.times[i-s.base].UnixMicro()))
		}
	}
	return []arrow.Record{b.NewRecord()}, nil
}

// Commit drops the buffered lines up to end.
func (s *Socket) Commit(_ context.Context, end Offset) error {
	to, err := parseCount(end)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if drop := to - s.base; drop > 0 && drop <= int64(len(s.lines)) {
		s.lines = append([]string(nil), s.lines[drop:]...)
		s.times = append([]time.Time(nil), s.times[drop:]...)
		s.base = to
	}
	return nil
}

// Subscribe implements Notifier.
func (s *Socket) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}
}

// Stop closes the connection and waits for the reader to end.
func (s *Socket) Stop() error {
	s.mu.Lock()
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	if already {
		return nil
	}
	err := s.conn.Close()
	<-s.done
	return err
}

func (s *Socket) String() string {
	return fmt.Sprintf("TextSocketV2[host: %s, port: %s]", s.host, s.port)
}
