package engine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

// TestJoinSameNames checks that the columns a join outputs under one name
// (an id from each side) stay apart in what is built on the join.
func TestJoinSameNames(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	a := s.CreateDataFrame([][]any{{1, "x"}, {2, "y"}}, "id INT, v STRING").Alias("a")
	b := s.CreateDataFrame([][]any{{1, "p"}}, "id INT, w STRING").Alias("b")
	j := a.Join(b, "a.id = b.id", "left")
	tests := []struct {
		name    string
		df      *engine.DataFrame
		columns string
		rows    string
		err     string
	}{
		{"join", j, "id, v, id, w", "[1 x 1 p] [2 y <nil> <nil>]", ""},
		{"select star", j.Select("*"), "id, v, id, w", "[1 x 1 p] [2 y <nil> <nil>]", ""},
		{"select qualified", j.Select("b.id", "a.id", F.Col("b.w")), "id, id, w", "[1 1 p] [<nil> 2 <nil>]", ""},
		{"qualified star", j.Select("b.*"), "id, w", "[1 p] [<nil> <nil>]", ""},
		{"expression of qualified", j.Select(F.Col("a.id").Plus(F.Col("b.id")).Alias("s")), "s", "[2] [<nil>]", ""},
		{"withColumn keeps both", j.WithColumn("z", F.Col("b.id").IsNull()), "id, v, id, w, z", "[1 x 1 p false] [2 y <nil> <nil> true]", ""},
		{"drop another column", j.Drop("v"), "id, id, w", "[1 1 p] [2 <nil> <nil>]", ""},
		{"drop the shared name", j.Drop("id"), "v, w", "[x p] [y <nil>]", ""},
		{"rename", j.WithColumnRenamed("w", "ww"), "id, v, id, ww", "[1 x 1 p] [2 y <nil> <nil>]", ""},
		{"filter on qualified", j.Filter("b.id IS NULL"), "id, v, id, w", "[2 y <nil> <nil>]", ""},
		{"filter then select", j.Filter("a.id = 1").Select("v", "w"), "v, w", "[x p]", ""},
		{"bare shared name", j.Select("id"), "", "", "[AMBIGUOUS_REFERENCE] Reference `id` is ambiguous, could be: [`a`.`id`, `b`.`id`]."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err != "" {
				if err := tc.df.Err(); err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %s", err, tc.err)
				}
				return
			}
			if err := tc.df.Err(); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(tc.df.Columns(), ", "); got != tc.columns {
				t.Errorf("columns = %s, want %s", got, tc.columns)
			}
			rows, err := tc.df.Collect()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, fmt.Sprint(r.Values()))
			}
			if g := strings.Join(got, " "); g != tc.rows {
				t.Errorf("rows = %s, want %s", g, tc.rows)
			}
		})
	}
}
