package expr

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (-update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestNames checks the column names Spark gives unaliased expressions.
func TestNames(t *testing.T) {
	null := &Literal{}
	exprs := []Expr{
		c("a"),
		c("a", "b"),
		&Star{},
		&Star{Qualifier: []string{"Analytics"}},
		lit(1), lit(int64(1) << 40), lit(1.5), lit(1e10), lit(0.0001), lit(float32(0.1)), lit("x"), lit(true), null,
		&Literal{Value: ts("2024-01-02 03:04:05"), Type: TypeTimestamp},
		&Literal{Value: date("2024-01-02"), Type: TypeDate},
		bin(OpAdd, c("a"), lit(1)),
		bin(OpDiv, c("a"), c("b")),
		bin(OpEq, c("a"), c("b")),
		bin(OpNeq, c("a"), lit(1)),
		bin(OpEqNullSafe, c("a"), null),
		bin(OpAnd, bin(OpGt, c("a"), lit(10)), bin(OpLt, c("b"), lit(0.5))),
		&Unary{Op: OpNot, Child: c("f")},
		&Unary{Op: OpNeg, Child: c("a")},
		&Unary{Op: OpIsNull, Child: c("a")},
		&Unary{Op: OpIsNotNull, Child: c("a")},
		&Cast{Child: c("x"), To: TypeInt},
		&Cast{Child: bin(OpAdd, c("x"), lit(1)), To: mustType("decimal(10,2)")},
		&Cast{Child: c("x"), To: mustType("array<struct<a:int,b:string>>")},
		bin(OpAdd, &Cast{Child: c("x"), To: TypeLong}, lit(1)),
		&Alias{Child: bin(OpAdd, c("a"), lit(1)), Name: "b"},
		call("upper", c("name")),
		call("sum", c("x")),
		call("count", &Star{}),
		call("count", lit(1)),
		&Call{Name: "count", Args: []Expr{c("x")}, Distinct: true},
		call("mean", c("x")),
		call("window", c("ts"), lit("10 seconds")),
		call("session_window", c("ts"), lit("5 minutes")),
		call("explode", c("arr")),
		call("round", c("x")),
		call("round", c("x"), lit(2)),
		call("floor", c("x")),
		call("ceil", c("x")),
		call("sqrt", c("x")),
		call("pow", c("x"), lit(2)),
		call("split", c("s"), lit(",")),
		call("regexp_replace", c("s"), lit("a"), lit("b")),
		call("regexp_extract", c("s"), lit(`(\d+)`), lit(1)),
		call("unix_timestamp"),
		call("unix_timestamp", c("ts")),
		call("from_unixtime", c("t")),
		call("from_json", c("v"), lit("a INT")),
		call("current_timestamp"),
		call("concat_ws", lit(","), c("a"), c("b")),
		call("substring", c("s"), lit(1), lit(3)),
		call("coalesce", c("a"), lit(0)),
		&CaseWhen{Branches: []When{{bin(OpGt, c("a"), lit(1)), lit("x")}}, Else: lit("y")},
		&CaseWhen{Branches: []When{{bin(OpGt, c("a"), lit(1)), lit(1)}, {c("b"), lit(2)}}},
		&In{Child: c("a"), List: []Expr{lit(1), lit(2)}},
		&Like{Child: c("s"), Pattern: "%x%"},
		&Like{Child: c("s"), Pattern: "^x", RLike: true},
		&GetField{Child: c("a"), Name: "b"},
		&GetItem{Child: c("l"), Key: lit(0)},
		&GetItem{Child: c("m"), Key: lit("key")},
		&SortOrder{Child: c("a"), Descending: true},
		&SortOrder{Child: c("a"), NullsFirst: true},
	}
	var b strings.Builder
	for _, e := range exprs {
		b.WriteString(e.String() + "\t=> " + OutputName(e) + "\n")
	}
	golden(t, "names.golden", b.String())
}

func mustType(s string) arrow.DataType {
	t, err := ParseType(s)
	if err != nil {
		panic(err)
	}
	return t
}
