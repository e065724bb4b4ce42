package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/sink"
	"github.com/gostream/gostream/engine/source"
)

// The plan.Source kinds of the engine. Batch kinds implement
// stream.BatchSource (Records); streaming kinds implement streamOpener.

// streamOpener opens the source of a streaming relation when a query
// starts; dir is the source's checkpoint directory ("" without one).
type streamOpener interface {
	open(ctx context.Context, dir string) (source.Source, error)
}

// localData is the rows of CreateDataFrame.
type localData struct {
	recs []arrow.Record
}

func (l localData) String() string { return "LocalRelation" }

func (l localData) Records(context.Context) ([]arrow.Record, error) {
	for _, r := range l.recs {
		r.Retain()
	}
	return append([]arrow.Record(nil), l.recs...), nil
}

// memoryTable is the table of a memory sink, read as it is when a batch
// query runs.
type memoryTable struct {
	name string
	sink *sink.Memory
}

func (m memoryTable) String() string { return "MemoryTable " + m.name }

func (m memoryTable) Records(context.Context) ([]arrow.Record, error) {
	return m.sink.Snapshot(), nil
}

// memoryStream is a MemoryStream read as a stream; every query reading it
// shares its rows.
type memoryStream struct {
	m *source.Memory
}

func (m memoryStream) String() string { return m.m.String() }

func (m memoryStream) open(context.Context, string) (source.Source, error) { return m.m, nil }

// rateStream is format("rate").
type rateStream struct {
	opts source.Options
}

func (r rateStream) String() string { return "RateStreamV2" + optionList(r.opts) }

func (r rateStream) open(context.Context, string) (source.Source, error) {
	return source.NewRate(r.opts, nil)
}

// socketStream is format("socket").
type socketStream struct {
	opts source.Options
}

func (s socketStream) String() string { return "TextSocketV2" + optionList(s.opts) }

func (s socketStream) open(ctx context.Context, _ string) (source.Source, error) {
	return source.NewSocket(ctx, s.opts)
}

func optionList(o source.Options) string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sortStrings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%s", k, o[k])
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
