package stream

import (
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/sink"
	"github.com/gostream/gostream/engine/source"
)

func TestProgressJSON(t *testing.T) {
	tests := []struct {
		name string
		p    Progress
		want string
	}{
		{"no name is null", Progress{ID: "i", RunID: "r"}, `"name":null`},
		{"name", Progress{Name: "q"}, `"name":"q"`},
		{"no event time", Progress{}, `"durationMs":null,"stateOperators":null`},
		{"field order", Progress{}, `{"id":"","runId":"","name":null,"timestamp":"","batchId":0,"batchDuration":0,"numInputRows":0,`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.JSON(); !strings.Contains(got, tc.want) {
				t.Errorf("JSON() = %s, want it to contain %s", got, tc.want)
			}
		})
	}
}

func TestStartChecksSources(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	other := arrow.NewSchema([]arrow.Field{{Name: "w", Type: arrow.BinaryTypes.String}}, nil)
	rel := &plan.Relation{Source: source.NewMemory(schema), Out: schema, Streaming: true}
	tests := []struct {
		name    string
		sources []source.Source
		want    string
	}{
		{"missing source", nil, "the plan reads 1 streams but 0 sources were opened"},
		{"schema mismatch", []source.Source{source.NewMemory(other)}, "but the plan expects"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Start(Config{Plan: rel, Sources: tc.sources, Sink: sink.NewMemory(schema, false)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Start() error = %v, want %q", err, tc.want)
			}
		})
	}
}
