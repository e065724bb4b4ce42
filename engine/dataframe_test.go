package engine_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

func people(s *engine.Session) *engine.DataFrame {
	return s.CreateDataFrame([][]any{
		{"alice", 34, "paris"},
		{"bob", 27, "rome"},
		{"carol", 41, nil},
	}, "name STRING, age INT, city STRING")
}

// rowsJSON renders rows as JSON arrays, one per line, in order.
func rowsJSON(t *testing.T, rows []engine.Row) string {
	t.Helper()
	var b strings.Builder
	for _, r := range rows {
		j, err := json.Marshal(r.Values())
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestTransformations(t *testing.T) {
	s := engine.NewSession()
	other := s.CreateDataFrame([][]any{{"dan", 19, "oslo"}}, "name STRING, age INT, city STRING")
	reordered := s.CreateDataFrame([][]any{{"oslo", "dan"}}, "city STRING, name STRING")
	tests := []struct {
		name     string
		df       func(df *engine.DataFrame) *engine.DataFrame
		wantCols string
		want     string
	}{
		{"select names", func(df *engine.DataFrame) *engine.DataFrame { return df.Select("name", "age") },
			"name,age", "[\"alice\",34]\n[\"bob\",27]\n[\"carol\",41]\n"},
		{"select star", func(df *engine.DataFrame) *engine.DataFrame { return df.Select("*") },
			"name,age,city", "[\"alice\",34,\"paris\"]\n[\"bob\",27,\"rome\"]\n[\"carol\",41,null]\n"},
		{"select columns", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select(F.Upper(F.Col("name")).Alias("n"), F.Col("age").Plus(1))
		}, "n,(age + 1)", "[\"ALICE\",35]\n[\"BOB\",28]\n[\"CAROL\",42]\n"},
		{"selectExpr", func(df *engine.DataFrame) *engine.DataFrame {
			return df.SelectExpr("name", "age * 2 AS double_age")
		}, "name,double_age", "[\"alice\",68]\n[\"bob\",54]\n[\"carol\",82]\n"},
		{"filter column", func(df *engine.DataFrame) *engine.DataFrame { return df.Filter(F.Col("age").Gt(30)) },
			"name,age,city", "[\"alice\",34,\"paris\"]\n[\"carol\",41,null]\n"},
		{"where sql", func(df *engine.DataFrame) *engine.DataFrame { return df.Where("city IS NOT NULL AND age < 30") },
			"name,age,city", "[\"bob\",27,\"rome\"]\n"},
		{"withColumn new", func(df *engine.DataFrame) *engine.DataFrame {
			return df.WithColumn("senior", F.Col("age").Geq(40)).Select("name", "senior")
		}, "name,senior", "[\"alice\",false]\n[\"bob\",false]\n[\"carol\",true]\n"},
		{"withColumn replaces in place", func(df *engine.DataFrame) *engine.DataFrame {
			return df.WithColumn("age", F.Col("age").Minus(1))
		}, "name,age,city", "[\"alice\",33,\"paris\"]\n[\"bob\",26,\"rome\"]\n[\"carol\",40,null]\n"},
		{"withColumnRenamed", func(df *engine.DataFrame) *engine.DataFrame {
			return df.WithColumnRenamed("city", "town").WithColumnRenamed("nope", "x")
		}, "name,age,town", "[\"alice\",34,\"paris\"]\n[\"bob\",27,\"rome\"]\n[\"carol\",41,null]\n"},
		{"drop", func(df *engine.DataFrame) *engine.DataFrame { return df.Drop("age", "nope", F.Col("city")) },
			"name", "[\"alice\"]\n[\"bob\"]\n[\"carol\"]\n"},
		{"toDF", func(df *engine.DataFrame) *engine.DataFrame { return df.ToDF("a", "b", "c").Select("a") },
			"a", "[\"alice\"]\n[\"bob\"]\n[\"carol\"]\n"},
		{"union", func(df *engine.DataFrame) *engine.DataFrame { return df.Union(other).Filter("age < 30") },
			"name,age,city", "[\"bob\",27,\"rome\"]\n[\"dan\",19,\"oslo\"]\n"},
		{"unionByName", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select("name", "city").UnionByName(reordered)
		}, "name,city", "[\"alice\",\"paris\"]\n[\"bob\",\"rome\"]\n[\"carol\",null]\n[\"dan\",\"oslo\"]\n"},
		{"unionByName allowMissingColumns", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Limit(1).UnionByName(reordered, true)
		}, "name,age,city", "[\"alice\",34,\"paris\"]\n[\"dan\",null,\"oslo\"]\n"},
		{"limit", func(df *engine.DataFrame) *engine.DataFrame { return df.Limit(2) },
			"name,age,city", "[\"alice\",34,\"paris\"]\n[\"bob\",27,\"rome\"]\n"},
		{"explode", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select(F.Col("name"), F.Explode(F.Split(F.Col("city"), "r")).Alias("part"))
		}, "name,part", "[\"alice\",\"pa\"]\n[\"alice\",\"is\"]\n[\"bob\",\"\"]\n[\"bob\",\"ome\"]\n"},
		{"explode_outer keeps empty rows", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select(F.ExplodeOuter(F.Split(F.Col("city"), "r")), F.Col("age"))
		}, "col,age", "[\"pa\",34]\n[\"is\",34]\n[\"\",27]\n[\"ome\",27]\n[null,41]\n"},
		{"alias qualifies columns", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Alias("p").Filter("p.age > 40").Select("p.name")
		}, "name", "[\"carol\"]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			df := tc.df(people(s))
			if err := df.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			if got := strings.Join(df.Columns(), ","); got != tc.wantCols {
				t.Errorf("Columns() = %s, want %s", got, tc.wantCols)
			}
			rows, err := df.Collect()
			if err != nil {
				t.Fatal(err)
			}
			if got := rowsJSON(t, rows); got != tc.want {
				t.Errorf("rows:\n%s\nwant:\n%s", got, tc.want)
			}
			n, err := df.Count()
			if err != nil || n != int64(len(rows)) {
				t.Errorf("Count() = %d, %v; want %d", n, err, len(rows))
			}
		})
	}
}

func TestTransformationErrors(t *testing.T) {
	s := engine.NewSession()
	stream := s.MemoryStream("v BIGINT, ts TIMESTAMP").ToDF()
	tests := []struct {
		name string
		df   func(df *engine.DataFrame) *engine.DataFrame
		want string
	}{
		{"unresolved column", func(df *engine.DataFrame) *engine.DataFrame { return df.Select("nme") },
			"select: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nme` cannot be resolved. Did you mean one of the following? [`name`, `age`, `city`]."},
		{"first error wins", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Filter("nope > 1").Select("other").Limit(-1)
		}, "filter: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope` cannot be resolved."},
		{"filter not boolean", func(df *engine.DataFrame) *engine.DataFrame { return df.Where("age + 1") },
			`where: [DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve "(age + 1)" due to data type mismatch: Filter expression "(age + 1)" of type "INT" is not a boolean.`},
		{"union column count", func(df *engine.DataFrame) *engine.DataFrame { return df.Union(df.Select("name")) },
			"union: [NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has 3 columns and the second input has 1 columns."},
		{"union column types", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select("name", "age").Union(df.Select("age", "name"))
		}, `union: [INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on inputs with compatible column types. The first column of the second table is "INT" type which is not compatible with "STRING" at the same column of the first table.`},
		{"negative limit", func(df *engine.DataFrame) *engine.DataFrame { return df.Limit(-1) },
			"limit: [INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE]"},
		{"watermark on a string", func(df *engine.DataFrame) *engine.DataFrame { return df.WithWatermark("name", "10 seconds") },
			"withWatermark: Event time must be defined on a window or a timestamp, but name is of type string"},
		{"two generators", func(df *engine.DataFrame) *engine.DataFrame {
			return df.Select(F.Explode(F.Split(F.Col("city"), "r")), F.Explode(F.Split(F.Col("name"), "l")))
		}, "select: [UNSUPPORTED_GENERATOR.MULTI_GENERATOR]"},
		{"explode a string", func(df *engine.DataFrame) *engine.DataFrame { return df.Select(F.Explode(F.Col("name"))) },
			`select: [DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "explode(name)" due to data type mismatch: The first parameter requires the ("ARRAY" or "MAP") type, however "name" has the type "STRING".`},
		{"not a column", func(df *engine.DataFrame) *engine.DataFrame { return df.Select(42) },
			"select: [NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got int."},
		{"stream union type mismatch", func(df *engine.DataFrame) *engine.DataFrame {
			return stream.Select("ts").Union(df.Select("age"))
		}, `union: [INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on inputs with compatible column types. The first column of the second table is "INT" type which is not compatible with "TIMESTAMP" at the same column of the first table.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			df := tc.df(people(s))
			err := df.Err()
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("Err() = %v\nwant prefix %s", err, tc.want)
			}
			if _, cerr := df.Collect(); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("Collect() error = %v, want the DataFrame's error", cerr)
			}
		})
	}
}

func TestBatchActionOnStream(t *testing.T) {
	s := engine.NewSession()
	df := s.MemoryStream("v BIGINT").ToDF().Filter("v > 1")
	if !df.IsStreaming() {
		t.Fatal("IsStreaming() = false for a memory stream")
	}
	_, err := df.Collect()
	want := "collect: Queries with streaming sources must be executed with writeStream.start()"
	if err == nil || err.Error() != want {
		t.Errorf("Collect() error = %v, want %s", err, want)
	}
	if _, err := df.Count(); err == nil || !strings.Contains(err.Error(), "writeStream.start()") {
		t.Errorf("Count() error = %v", err)
	}
}

func TestTableNotFound(t *testing.T) {
	s := engine.NewSession()
	err := s.Table("missing").Err()
	if err == nil || !strings.HasPrefix(err.Error(), "table: [TABLE_OR_VIEW_NOT_FOUND] The table or view `missing` cannot be found.") {
		t.Errorf("Table(missing).Err() = %v", err)
	}
	if err := people(s).Filter("age > 30").CreateOrReplaceTempView("older"); err != nil {
		t.Fatal(err)
	}
	n, err := s.Table("OLDER").Count()
	if err != nil || n != 2 {
		t.Errorf("Table(OLDER).Count() = %d, %v; want 2", n, err)
	}
}

func TestCreateDataFrameInfersTypes(t *testing.T) {
	s := engine.NewSession()
	df := s.CreateDataFrame([][]any{{nil, 1.5, true}, {int64(3), 2.0, false}}, []string{"n", "x", "b"})
	got := df.DTypes()
	want := [][2]string{{"n", "bigint"}, {"x", "double"}, {"b", "boolean"}}
	if len(got) != len(want) {
		t.Fatalf("DTypes() = %v, want %v (err %v)", got, want, df.Err())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("DTypes()[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	bad := s.CreateDataFrame([][]any{{"x"}}, "a INT")
	var err error = bad.Err()
	if err == nil || !strings.Contains(err.Error(), "createDataFrame: row 0, column a") {
		t.Errorf("bad row error = %v", err)
	}
	if errors.Unwrap(err) == nil {
		t.Errorf("error %v does not wrap its cause", err)
	}
}
