package plan

import (
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

type testSource string

func (s testSource) String() string { return string(s) }

var schema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "ts", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
}, nil)

func stream(name string) *Relation {
	return &Relation{Source: testSource(name), Out: schema, Streaming: true}
}

// aggregate stands for the aggregation nodes the output-mode check knows
// only through the Aggregation interface.
type aggregate struct {
	child     Node
	watermark bool
}

func (a *aggregate) Schema() *arrow.Schema       { return a.child.Schema() }
func (a *aggregate) Resolved() bool              { return true }
func (a *aggregate) Children() []Node            { return []Node{a.child} }
func (a *aggregate) WithChildren(c ...Node) Node { return &aggregate{c[0], a.watermark} }
func (a *aggregate) String() string              { return "Aggregate" }
func (a *aggregate) KeyedOnWatermark() bool      { return a.watermark }

func TestCheckStreaming(t *testing.T) {
	s := stream("s")
	batch := &Relation{Source: testSource("b"), Out: schema}
	tests := []struct {
		name string
		n    Node
		mode OutputMode
		want string
	}{
		{"append projection", &Project{Child: s, Exprs: []expr.Expr{&expr.ColumnRef{Parts: []string{"k"}}}, Out: schema}, Append, ""},
		{"update projection", s, Update, ""},
		{"complete projection", s, Complete, "Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets"},
		{"append aggregation without watermark", &aggregate{s, false}, Append, "Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark"},
		{"append aggregation with watermark", &aggregate{s, true}, Append, ""},
		{"complete aggregation", &aggregate{s, false}, Complete, ""},
		{"limit", &Limit{Child: s, N: 1}, Update, "Limits are not supported on streaming DataFrames/Datasets in Update output mode"},
		{"union with batch", &Union{Inputs: []Node{s, batch}, Out: schema}, Append, "Union between streaming and batch DataFrames/Datasets is not supported"},
		{"batch plan", batch, Append, "'writeStream' can be called only on streaming Dataset/DataFrame"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckStreaming(tc.n, tc.mode)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("CheckStreaming() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseOutputMode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want OutputMode
	}{{"append", Append}, {"Update", Update}, {"COMPLETE", Complete}} {
		if got, err := ParseOutputMode(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseOutputMode(%q) = %v, %v", tc.in, got, err)
		}
	}
	if _, err := ParseOutputMode("upsert"); err == nil || err.Error() != "Unknown output mode upsert. Accepted output modes are 'append', 'complete', 'update'" {
		t.Errorf("ParseOutputMode(upsert) error = %v", err)
	}
}

func TestAnalyzeAndFormat(t *testing.T) {
	s := stream("mem")
	n, err := Analyze(&Union{Inputs: []Node{
		&EventTimeWatermark{Child: s, Column: "TS", Delay: 90 * time.Second},
		&Filter{Child: &Project{Child: s, Exprs: []expr.Expr{&expr.Star{}}}, Cond: &expr.Unary{Op: expr.OpIsNotNull, Child: &expr.ColumnRef{Parts: []string{"k"}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `Union
:- EventTimeWatermark ts, 1 minutes 30 seconds
:  +- StreamingRelation mem, [k, ts]
+- Filter (k IS NOT NULL)
   +- Project [k, ts]
      +- StreamingRelation mem, [k, ts]
`
	if got := Format(n); got != want {
		t.Errorf("Format() =\n%s\nwant\n%s", got, want)
	}
	if got := len(StreamingRelations(n)); got != 1 {
		t.Errorf("StreamingRelations() = %d relations, want the shared one once", got)
	}
	w := n.Children()[0].(*EventTimeWatermark)
	if v, _ := w.Schema().Field(1).Metadata.GetValue(WatermarkDelayKey); v != "90000" {
		t.Errorf("watermark metadata = %q, want 90000", v)
	}
}
