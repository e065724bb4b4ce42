package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

func sales(s *engine.Session) *engine.DataFrame {
	at := func(sec int) time.Time { return time.Date(2024, 1, 1, 0, 0, sec, 0, time.UTC) }
	return s.CreateDataFrame([][]any{
		{"pen", "a", 3, 1.5, at(1)},
		{"pen", "b", 5, 2.5, at(7)},
		{"ink", "a", 2, nil, at(12)},
		{"ink", "a", nil, 4.0, nil},
		{"pad", "c", 7, 0.5, at(14)},
		{"pen", "a", 3, 1.0, at(21)},
	}, "item STRING, shop STRING, qty INT, price DOUBLE, ts TIMESTAMP")
}

func TestGroupByBatch(t *testing.T) {
	s := engine.NewSession()
	tests := []struct {
		name     string
		df       func(df *engine.DataFrame) *engine.DataFrame
		wantCols string
		want     string
	}{
		{"count shortcut", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("item").Count().OrderBy("item")
		}, "item,count", `["ink",2]` + "\n" + `["pad",1]` + "\n" + `["pen",3]` + "\n"},
		{"sum avg min max names", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("item").Agg(F.Sum("qty"), F.Avg("qty"), F.Min("price"), F.Max("price"), F.Count("qty"), F.Count("*")).OrderBy("item")
		}, "item,sum(qty),avg(qty),min(price),max(price),count(qty),count(1)",
			`["ink",2,2,4,4,1,2]` + "\n" + `["pad",7,7,0.5,0.5,1,1]` + "\n" + `["pen",11,3.6666666666666665,1,2.5,3,3]` + "\n"},
		{"shortcuts over every numeric column", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("shop").Sum().OrderBy("shop")
		}, "shop,sum(qty),sum(price)", `["a",8,6.5]` + "\n" + `["b",5,2.5]` + "\n" + `["c",7,0.5]` + "\n"},
		{"mean is avg", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("shop").Mean("qty").OrderBy("shop")
		}, "shop,avg(qty)", `["a",2.6666666666666665]` + "\n" + `["b",5]` + "\n" + `["c",7]` + "\n"},
		{"global aggregate", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Agg(F.Sum("qty").Alias("q"), F.Max("item"), F.CountDistinct("shop"))
		}, "q,max(item),count(DISTINCT shop)", `[20,"pen",3]` + "\n"},
		{"global aggregate of no rows", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Filter("qty > 100").Agg(F.Count("*"), F.Sum("qty"))
		}, "count(1),sum(qty)", `[0,null]` + "\n"},
		{"count distinct several columns", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("item").Agg(F.CountDistinct("shop", "qty").Alias("n")).OrderBy("item")
		}, "item,n", `["ink",1]` + "\n" + `["pad",1]` + "\n" + `["pen",2]` + "\n"},
		{"sum distinct", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupByExpr("item").Agg(F.Expr("sum(DISTINCT qty) AS s")).OrderBy("item")
		}, "item,s", `["ink",2]` + "\n" + `["pad",7]` + "\n" + `["pen",8]` + "\n"},
		{"first last ignore nulls", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("item").Agg(F.First("price"), F.Last("price"), F.First("qty", true).Alias("fq"), F.Last("qty", true).Alias("lq")).OrderBy("item")
		}, "item,first(price),last(price),fq,lq",
			`["ink",null,4,2,2]` + "\n" + `["pad",0.5,0.5,7,7]` + "\n" + `["pen",1.5,1,3,3]` + "\n"},
		{"collect list and set", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("item").Agg(F.CollectList("qty"), F.CollectSet("shop")).OrderBy("item")
		}, "item,collect_list(qty),collect_set(shop)",
			`["ink",[2],["a"]]` + "\n" + `["pad",[7],["c"]]` + "\n" + `["pen",[3,5,3],["a","b"]]` + "\n"},
		{"approx count distinct is exact when small", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("shop").Agg(F.ApproxCountDistinct("item")).OrderBy("shop")
		}, "shop,approx_count_distinct(item)", `["a",2]` + "\n" + `["b",1]` + "\n" + `["c",1]` + "\n"},
		{"expression over aggregates and keys", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy(F.Upper(F.Col("item")).Alias("i")).Agg(F.Sum("qty").Divide(F.Count("qty")).Alias("mean")).OrderBy(F.Col("i").Desc())
		}, "i,mean", `["PEN",3.6666666666666665]` + "\n" + `["PAD",7]` + "\n" + `["INK",2]` + "\n"},
		{"map of column to function", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("shop").Agg(map[string]string{"qty": "max", "price": "sum"}).OrderBy("shop")
		}, "shop,sum(price),max(qty)", `["a",6.5,3]` + "\n" + `["b",2.5,5]` + "\n" + `["c",0.5,7]` + "\n"},
		{"tumbling window", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy(F.Window(F.Col("ts"), "10 seconds")).Agg(F.Sum("qty").Alias("q")).OrderBy("window").Select("window.start", "q")
		}, "start,q", `["2024-01-01T00:00:00Z",8]` + "\n" + `["2024-01-01T00:00:10Z",9]` + "\n" + `["2024-01-01T00:00:20Z",3]` + "\n"},
		{"sliding window and a key", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy(F.Window("ts", "10 seconds", "5 seconds"), "shop").Count().OrderBy("window.start", "shop").Select("window.start", "shop", "count")
		}, "start,shop,count",
			`["2023-12-31T23:59:55Z","a",1]` + "\n" + `["2024-01-01T00:00:00Z","a",1]` + "\n" + `["2024-01-01T00:00:00Z","b",1]` + "\n" +
				`["2024-01-01T00:00:05Z","a",1]` + "\n" + `["2024-01-01T00:00:05Z","b",1]` + "\n" + `["2024-01-01T00:00:05Z","c",1]` + "\n" +
				`["2024-01-01T00:00:10Z","a",1]` + "\n" + `["2024-01-01T00:00:10Z","c",1]` + "\n" +
				`["2024-01-01T00:00:15Z","a",1]` + "\n" + `["2024-01-01T00:00:20Z","a",1]` + "\n"},
		{"session window", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy(F.SessionWindow(F.Col("ts"), "5 seconds"), "shop").Agg(F.Sum("qty").Alias("q")).OrderBy("shop", "session_window").
				SelectExpr("shop", "session_window.start AS s", "session_window.end AS e", "q")
		}, "shop,s,e,q",
			`["a","2024-01-01T00:00:01Z","2024-01-01T00:00:06Z",3]` + "\n" + `["a","2024-01-01T00:00:12Z","2024-01-01T00:00:17Z",2]` + "\n" +
				`["a","2024-01-01T00:00:21Z","2024-01-01T00:00:26Z",3]` + "\n" + `["b","2024-01-01T00:00:07Z","2024-01-01T00:00:12Z",5]` + "\n" +
				`["c","2024-01-01T00:00:14Z","2024-01-01T00:00:19Z",7]` + "\n"},
		{"order by sql strings with nulls", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select("qty", "item").OrderBy("qty DESC NULLS FIRST", "item")
		}, "qty,item", `[null,"ink"]` + "\n" + `[7,"pad"]` + "\n" + `[5,"pen"]` + "\n" + `[3,"pen"]` + "\n" + `[3,"pen"]` + "\n" + `[2,"ink"]` + "\n"},
		{"sort ascending nulls first by default", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select("price").Sort(F.Asc("price"))
		}, "price", "[null]\n[0.5]\n[1]\n[1.5]\n[2.5]\n[4]\n"},
		{"sort descending nulls last", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select("price").Sort(F.Col("price").Desc())
		}, "price", "[4]\n[2.5]\n[1.5]\n[1]\n[0.5]\n[null]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			df := tc.df(sales(s))
			if df.Err() != nil {
				t.Fatal(df.Err())
			}
			if got := strings.Join(df.Columns(), ","); got != tc.wantCols {
				t.Errorf("columns: got %s, want %s", got, tc.wantCols)
			}
			rows, err := df.Collect()
			if err != nil {
				t.Fatal(err)
			}
			if got := rowsJSON(t, rows); got != tc.want {
				t.Errorf("rows:\ngot\n%swant\n%s", got, tc.want)
			}
		})
	}
}

func TestGroupByErrors(t *testing.T) {
	s := engine.NewSession()
	tests := []struct {
		name string
		df   func(df *engine.DataFrame) *engine.DataFrame
		want string
	}{
		{"sum of a string key", func(df *engine.DataFrame) *engine.DataFrame { return df.GroupBy("item").Sum("shop") },
			`"shop" is not a numeric column`},
		{"sum of booleans", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("item").Agg(F.Sum(F.Col("qty").Gt(1)))
		}, `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "sum((qty > 1))" due to data type mismatch: The first parameter requires the ("NUMERIC" or "ANSI INTERVAL") type, however "(qty > 1)" has the type "BOOLEAN".`},
		{"column neither grouped nor aggregated", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("item").Agg(F.Col("qty"))
		}, `[MISSING_AGGREGATION] The non-aggregating expression "qty" is based on columns which are not participating in the GROUP BY clause.`},
		{"nested aggregate", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy("item").Agg(F.Sum(F.Max("qty")))
		}, "[NESTED_AGGREGATE_FUNCTION]"},
		{"aggregate in the keys", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy(F.Max("qty")).Count()
		}, "[GROUP_BY_AGGREGATE] Aggregate functions are not allowed in GROUP BY, but found max(qty)."},
		{"unknown column", func(df *engine.DataFrame) *engine.DataFrame { return df.GroupBy("nope").Count() },
			"[UNRESOLVED_COLUMN.WITH_SUGGESTION]"},
		{"two windows", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy(F.Window("ts", "1 minute"), F.Window("ts", "1 hour")).Count()
		}, "Multiple time/session window expressions"},
		{"window on a number", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy(F.Window("qty", "1 minute")).Count()
		}, "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE]"},
		{"slide longer than window", func(df *engine.DataFrame) *engine.DataFrame {
			return df.GroupBy(F.Window("ts", "1 minute", "2 minutes")).Count()
		}, "must be <= the `windowDuration`"},
		{"sort by unknown column", func(df *engine.DataFrame) *engine.DataFrame { return df.OrderBy("nope") },
			"[UNRESOLVED_COLUMN"},
		{"no aggregate", func(df *engine.DataFrame) *engine.DataFrame { return df.GroupBy("item").Agg() },
			"agg needs at least one aggregate expression"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			df := tc.df(sales(s))
			err := df.Err()
			if err == nil {
				_, err = df.Collect()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
