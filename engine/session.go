package engine

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sink"
)

// Session is the entry point of the engine (SparkSession): it reads data,
// holds the in-memory tables of memory sinks and temporary views, the
// configuration and the streaming query manager.
type Session struct {
	mem     memory.Allocator
	conf    *RuntimeConfig
	streams *StreamingQueryManager

	mu     sync.Mutex
	out    io.Writer
	tables map[string]plan.Node // lower-cased name -> plan
	sinks  map[string]*sink.Memory
}

// Option configures a Session.
type Option func(*Session)

// WithOutput sends what the session prints (Show, PrintSchema, console
// sinks) to w instead of os.Stdout.
func WithOutput(w io.Writer) Option { return func(s *Session) { s.out = w } }

// WithConf sets a configuration value, as Conf().Set does.
func WithConf(key, value string) Option { return func(s *Session) { s.conf.Set(key, value) } }

// NewSession returns a session.
func NewSession(opts ...Option) *Session {
	s := &Session{
		mem:    memory.DefaultAllocator,
		conf:   &RuntimeConfig{values: map[string]string{}},
		out:    os.Stdout,
		tables: map[string]plan.Node{},
		sinks:  map[string]*sink.Memory{},
	}
	s.streams = newStreamingQueryManager(s)
	for _, o := range opts {
		o(s)
	}
	return s
}

// SetOutput directs what the session prints from now on to w. A console
// sink keeps the writer that was current when its query started.
func (s *Session) SetOutput(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out = w
}

// Output returns the writer the session prints to.
func (s *Session) Output() io.Writer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out
}

// Conf returns the session's configuration (spark.conf).
func (s *Session) Conf() *RuntimeConfig { return s.conf }

// Streams returns the manager of the session's streaming queries.
func (s *Session) Streams() *StreamingQueryManager { return s.streams }

// Read returns a reader of batch DataFrames.
func (s *Session) Read() *DataFrameReader {
	return &DataFrameReader{readerConfig{s: s, opts: map[string]string{}}}
}

// ReadStream returns a reader of streaming DataFrames.
func (s *Session) ReadStream() *DataStreamReader {
	return &DataStreamReader{readerConfig{s: s, opts: map[string]string{}}}
}

// Close stops every active query of the session and its listener bus.
func (s *Session) Close() error {
	return s.streams.close()
}

// Table returns the batch DataFrame of a memory sink's table (named by
// its query name) or of a temporary view.
func (s *Session) Table(name string) *DataFrame {
	s.mu.Lock()
	n, ok := s.tables[strings.ToLower(name)]
	s.mu.Unlock()
	if !ok {
		return s.failed("table", fmt.Errorf("[TABLE_OR_VIEW_NOT_FOUND] The table or view `%s` cannot be found. Verify the spelling and correctness of the schema and catalog. A memory sink's table is named by the query's QueryName; a view by CreateOrReplaceTempView.", name))
	}
	return &DataFrame{s: s, plan: n}
}

// registerTable makes n readable as Table(name), replacing any table of
// that name.
func (s *Session) registerTable(name string, n plan.Node) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables[strings.ToLower(name)] = n
}

// memorySinkTable registers a memory sink's table under name.
func (s *Session) memorySinkTable(name string, schema *arrow.Schema, complete bool) *sink.Memory {
	m := sink.NewMemory(schema, complete)
	s.mu.Lock()
	if old, ok := s.sinks[strings.ToLower(name)]; ok {
		old.Release()
	}
	s.sinks[strings.ToLower(name)] = m
	s.tables[strings.ToLower(name)] = &plan.Relation{Source: memoryTable{name: name, sink: m}, Out: schema}
	s.mu.Unlock()
	return m
}

// failed returns a DataFrame holding err from operation op.
func (s *Session) failed(op string, err error) *DataFrame {
	return &DataFrame{s: s, err: fmt.Errorf("%s: %w", op, err)}
}

// RuntimeConfig is the session's configuration (spark.conf). Keys are
// Spark's; the engine reads spark.sql.streaming.checkpointLocation.
type RuntimeConfig struct {
	mu     sync.Mutex
	values map[string]string
}

// Set sets key to value (formatted with fmt.Sprint).
func (c *RuntimeConfig) Set(key string, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values[key] = fmt.Sprint(value)
}

// Get returns the value of key, or the first of def when unset, or "".
func (c *RuntimeConfig) Get(key string, def ...string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.values[key]; ok {
		return v
	}
	if len(def) > 0 {
		return def[0]
	}
	return ""
}

// Unset removes key.
func (c *RuntimeConfig) Unset(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.values, key)
}

// CheckpointLocationConf is the key of the default checkpoint root.
const CheckpointLocationConf = "spark.sql.streaming.checkpointLocation"
