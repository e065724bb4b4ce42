package engine_test

import (
	"strings"
	"testing"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/enginetest"
	F "github.com/gostream/gostream/engine/functions"
)

func TestExplainGolden(t *testing.T) {
	s := engine.NewSession()
	events := s.MemoryStream("user STRING, ts TIMESTAMP, n BIGINT").ToDF()
	batch := people(s)
	tests := []struct {
		name     string
		df       *engine.DataFrame
		extended bool
	}{
		{"stream filter project", events.Filter(F.Col("n").Gt(0)).Select("user", F.Col("n").Multiply(2).Alias("n2")), false},
		{"stream watermark extended", events.WithWatermark("ts", "10 minutes").WithColumn("u", F.Upper(F.Col("user"))), true},
		{"batch union", batch.Select("name").Union(batch.Filter("age > 30").Select("city")), false},
		{"alias and limit", batch.Alias("p").Select("p.*").Limit(5), true},
	}
	var b strings.Builder
	for _, tc := range tests {
		text, err := tc.df.ExplainString(tc.extended)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		b.WriteString("### " + tc.name + "\n" + text + "\n")
	}
	enginetest.Golden(t, "testdata/explain.golden", b.String())
}

func TestPrintSchema(t *testing.T) {
	var out strings.Builder
	s := engine.NewSession(engine.WithOutput(&out))
	if err := people(s).WithColumn("tags", F.Split(F.Col("city"), ",")).PrintSchema(); err != nil {
		t.Fatal(err)
	}
	enginetest.Golden(t, "testdata/printschema.golden", out.String())
}
