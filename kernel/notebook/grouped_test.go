package notebook

import (
	"strings"
	"testing"

	F "github.com/gostream/gostream/engine/functions"
)

func TestGroupByRaises(t *testing.T) {
	spark := Spark()
	sales := spark.CreateDataFrame([][]any{{"pen", 3}, {"ink", 2}, {"pen", 5}}, "item STRING, qty INT")
	stream := spark.MemoryStream("item STRING, qty INT").ToDF()
	tests := []struct {
		name      string
		build     func() *DataFrame
		wantClass string
		wantText  string
		wantRows  int64
	}{
		{"agg", func() *DataFrame { return sales.GroupBy("item").Agg(F.Sum("qty"), F.Count("*")) }, "", "", 2},
		{"count", func() *DataFrame { return sales.GroupBy("item").Count() }, "", "", 2},
		{"global agg", func() *DataFrame { return sales.Agg(F.Max("qty")) }, "", "", 1},
		{"order by", func() *DataFrame { return sales.OrderBy(F.Col("qty").Desc()) }, "", "", 3},
		{"group by expression", func() *DataFrame { return sales.GroupByExpr("upper(item)").Max("qty") }, "", "", 2},
		{"unknown key", func() *DataFrame { return sales.GroupBy("itm").Count() },
			"AnalysisException", "[UNRESOLVED_COLUMN.WITH_SUGGESTION]", 0},
		{"bad key type", func() *DataFrame { return sales.GroupBy(42).Count() },
			"IllegalArgumentException", "[NOT_COLUMN_OR_STR]", 0},
		{"sum of strings shortcut", func() *DataFrame { return sales.GroupBy("qty").Sum("item") },
			"AnalysisException", `"item" is not a numeric column`, 0},
		{"non-aggregated column", func() *DataFrame { return sales.GroupBy("item").Agg(F.Col("qty")) },
			"AnalysisException", "[MISSING_AGGREGATION]", 0},
		{"sort by unknown column", func() *DataFrame { return sales.Sort("nope") },
			"AnalysisException", "[UNRESOLVED_COLUMN", 0},
		{"streaming aggregation is lazy", func() *DataFrame {
			df := stream.GroupBy("item").Count()
			df.Count()
			return df
		}, "AnalysisException", "Queries with streaming sources must be executed with writeStream.start()", 0},
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
