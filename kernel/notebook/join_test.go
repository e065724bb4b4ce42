package notebook

import (
	"strings"
	"testing"

	F "github.com/gostream/gostream/engine/functions"
)

func TestJoinRaises(t *testing.T) {
	spark := Spark()
	players := spark.CreateDataFrame([][]any{{"alice", 30}, {"bob", 25}}, "name STRING, age INT")
	events := spark.CreateDataFrame([][]any{{"alice", 1}, {"zoe", 2}}, "player STRING, score INT")
	tests := []struct {
		name      string
		build     func() *DataFrame
		wantClass string
		wantText  string
		wantRows  int64
	}{
		{"column condition left outer", func() *DataFrame {
			return events.Join(players, F.Col("player").EqualTo(F.Col("name")), "left_outer")
		}, "", "", 2},
		{"expr condition", func() *DataFrame { return events.Join(players, F.Expr("player = name")) }, "", "", 1},
		{"SQL string anti", func() *DataFrame { return events.Join(players, "player = name", "anti") }, "", "", 1},
		{"cross", func() *DataFrame { return events.CrossJoin(players) }, "", "", 4},
		{"distinct", func() *DataFrame { return events.Union(events).Distinct() }, "", "", 2},
		{"drop duplicates", func() *DataFrame { return players.DropDuplicates("age") }, "", "", 2},
		{"unknown join type", func() *DataFrame { return events.Join(players, "player = name", "sideways") },
			"IllegalArgumentException", "Unsupported join type 'sideways'", 0},
		{"unknown column", func() *DataFrame { return events.Join(players, F.Expr("playr = name")) },
			"AnalysisException", "[UNRESOLVED_COLUMN.WITH_SUGGESTION]", 0},
		{"nil other", func() *DataFrame { return events.Join(nil, "player = name") },
			"IllegalArgumentException", "the other DataFrame is nil", 0},
		{"dedup unknown column", func() *DataFrame { return players.DropDuplicates("nope") },
			"AnalysisException", `Cannot resolve column name "nope" among (name, age).`, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var df *DataFrame
			ex := raised(func() { df = tc.build() })
			if tc.wantClass == "" {
				if ex != nil {
					t.Fatalf("raised %s: %v", ex.Class, ex)
				}
				if got := df.Count(); got != tc.wantRows {
					t.Errorf("Count() = %d, want %d", got, tc.wantRows)
				}
				return
			}
			if ex == nil {
				t.Fatalf("raised nothing, want %s", tc.wantClass)
			}
			if ex.Class != tc.wantClass || !strings.Contains(ex.Error(), tc.wantText) {
				t.Errorf("raised %s: %v; want %s containing %q", ex.Class, ex, tc.wantClass, tc.wantText)
			}
		})
	}
}
