package expr

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var (
	listLong   = ArrayOf(TypeLong)
	mapStrLong = MapOf(TypeString, TypeLong)
	structXY   = arrow.StructOf(
		arrow.Field{Name: "x", Type: TypeLong, Nullable: true},
		arrow.Field{Name: "y", Type: TypeString, Nullable: true},
	)
)

func ts(s string) arrow.Timestamp {
	t, err := time.Parse("2006-01-02 15:04:05.999999", s)
	if err != nil {
		panic(err)
	}
	return arrow.Timestamp(microsOfTime(t))
}

func date(s string) arrow.Date32 {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return arrow.Date32(t.Unix() / 86400)
}

// fixture is the record most evaluation tests run on: four rows, the third
// all null.
func fixture(t testing.TB, mem memory.Allocator) arrow.Record {
	return makeRecord(t, mem,
		col("i", TypeInt, int32(1), int32(-2), nil, int32(7)),
		col("l", TypeLong, int64(10), int64(20), nil, int64(-5)),
		col("d", TypeDouble, 1.5, -2.5, nil, 0.0),
		col("s", TypeString, "Hello", " pad ", nil, "a,b,,c"),
		col("n", TypeString, "12", " 1.9 ", nil, "x"),
		col("ts", TypeTimestamp, ts("2024-01-02 03:04:05.123456"), ts("1969-12-31 23:59:59.5"), nil, ts("2024-02-29 00:00:00")),
		col("b", TypeBoolean, true, false, nil, true),
		col("arr", listLong, []any{int64(1), int64(2), int64(3)}, []any{}, nil, []any{int64(4), nil}),
		col("m", mapStrLong, [][2]any{{"k", int64(1)}}, [][2]any{}, nil, [][2]any{{"a", int64(2)}, {"k", nil}}),
		col("st", structXY, map[string]any{"x": int64(1), "y": "one"}, map[string]any{"x": nil, "y": "two"}, nil, map[string]any{"x": int64(3), "y": nil}),
		col("js", TypeString, `{"a": {"b": [10, 20]}, "c": "x"}`, `{"a": 1, "c": null}`, nil, `not json`),
		col("Dup", TypeString, "u", "u", nil, "u"),
	)
}

type evalCase struct {
	name string
	e    Expr
	want []any
}

// nanAsText lets expected values spell NaN as "NaN" (NaN != NaN).
func nanAsText(vs []any) []any {
	out := append([]any(nil), vs...)
	for i, v := range out {
		if f, ok := v.(float64); ok && math.IsNaN(f) {
			out[i] = "NaN"
		}
	}
	return out
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := checked(t)
			rec := fixture(t, mem)
			defer rec.Release()
			got, _, err := evalValues(t, mem, tc.e, rec)
			if err != nil {
				t.Fatalf("%s: %v", tc.e, err)
			}
			if d := diff(nanAsText(got), tc.want); d != "" {
				t.Errorf("%s:\n%s", tc.e, d)
			}
			// the same on a slice of the record (non-zero array offsets)
			sliced := rec.NewSlice(1, 4)
			defer sliced.Release()
			got, _, err = evalValues(t, mem, tc.e, sliced)
			if err != nil {
				t.Fatalf("%s on a slice: %v", tc.e, err)
			}
			if d := diff(nanAsText(got), tc.want[1:]); d != "" {
				t.Errorf("%s on a slice:\n%s", tc.e, d)
			}
		})
	}
}

func TestEvalOperators(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"column", c("l"), []any{int64(10), int64(20), nil, int64(-5)}},
		{"case-insensitive column", c("L"), []any{int64(10), int64(20), nil, int64(-5)}},
		{"struct field", c("st", "x"), []any{int64(1), nil, nil, int64(3)}},
		{"struct field of null struct", c("st", "y"), []any{"one", "two", nil, nil}},
		{"int + long widens", bin(OpAdd, c("i"), c("l")), []any{int64(11), int64(18), nil, int64(2)}},
		{"int * literal", bin(OpMul, c("i"), lit(3)), []any{int32(3), int32(-6), nil, int32(21)}},
		{"literal - column", bin(OpSub, lit(100), c("i")), []any{int32(99), int32(102), nil, int32(93)}},
		{"int overflow wraps", bin(OpAdd, c("i"), lit(math.MaxInt32)), []any{int32(math.MinInt32), int32(math.MaxInt32 - 2), nil, int32(math.MinInt32 + 6)}},
		{"int / int is double", bin(OpDiv, c("i"), lit(2)), []any{0.5, -1.0, nil, 3.5}},
		{"divide by zero column is null", bin(OpDiv, c("l"), c("d")), []any{10 / 1.5, -8.0, nil, nil}},
		{"modulo follows dividend sign", bin(OpMod, c("i"), lit(-3)), []any{int32(1), int32(-2), nil, int32(1)}},
		{"modulo by zero is null", bin(OpMod, c("l"), lit(0)), []any{nil, nil, nil, nil}},
		{"double modulo", bin(OpMod, c("d"), lit(1.0)), []any{0.5, -0.5, nil, 0.0}},
		{"string in arithmetic is double", bin(OpAdd, c("n"), lit(1)), []any{13.0, 2.9, nil, nil}},
		{"null literal typed by context", bin(OpAdd, c("i"), &Literal{}), []any{nil, nil, nil, nil}},
		{"negate", &Unary{Op: OpNeg, Child: c("i")}, []any{int32(-1), int32(2), nil, int32(-7)}},
		{"greater than literal", bin(OpGt, c("l"), lit(10)), []any{false, true, nil, false}},
		{"literal on the left flips", bin(OpLt, lit(10), c("l")), []any{false, true, nil, false}},
		{"not equal", bin(OpNeq, c("i"), lit(1)), []any{false, true, nil, true}},
		{"string vs int compares as int", bin(OpEq, c("n"), lit(12)), []any{true, false, nil, nil}},
		{"string vs string", bin(OpLt, c("s"), lit("Z")), []any{true, true, nil, false}},
		{"column vs column", bin(OpGe, c("i"), c("d")), []any{false, true, nil, true}},
		{"null-safe equal", bin(OpEqNullSafe, c("i"), &Literal{}), []any{false, false, true, false}},
		{"null-safe equal columns", bin(OpEqNullSafe, c("i"), c("i")), []any{true, true, true, true}},
		{"NaN equals NaN", bin(OpEq, c("d"), lit(math.NaN())), []any{false, false, nil, false}},
		{"NaN is largest", bin(OpGt, &Cast{Child: lit("NaN"), To: TypeDouble}, c("d")), []any{true, true, nil, true}},
		{"NaN = NaN folded", bin(OpEq, &Cast{Child: lit("nan"), To: TypeDouble}, lit(math.NaN())), []any{true, true, true, true}},
		{"timestamp vs string", bin(OpGt, c("ts"), lit("2024-01-01")), []any{true, false, nil, true}},
		{"and three-valued", bin(OpAnd, c("b"), &Literal{Value: nil, Type: TypeBoolean}), []any{nil, false, nil, nil}},
		{"or three-valued", bin(OpOr, c("b"), &Literal{Value: nil, Type: TypeBoolean}), []any{true, nil, nil, true}},
		{"and of comparisons", bin(OpAnd, bin(OpGt, c("i"), lit(0)), bin(OpLt, c("d"), lit(1.0))), []any{false, false, nil, true}},
		{"not", &Unary{Op: OpNot, Child: c("b")}, []any{false, true, nil, false}},
		{"is null", &Unary{Op: OpIsNull, Child: c("s")}, []any{false, false, true, false}},
		{"is not null", &Unary{Op: OpIsNotNull, Child: c("s")}, []any{true, true, false, true}},
		{"in literals", &In{Child: c("i"), List: []Expr{lit(1), lit(7)}}, []any{true, false, nil, true}},
		{"in with null", &In{Child: c("i"), List: []Expr{lit(1), &Literal{}}}, []any{true, nil, nil, nil}},
		{"in columns", &In{Child: c("i"), List: []Expr{c("l"), lit(-2)}}, []any{false, true, nil, false}},
		{"in strings", &In{Child: c("s"), List: []Expr{lit("Hello"), lit("x")}}, []any{true, false, nil, false}},
		{"like prefix", &Like{Child: c("s"), Pattern: "He%"}, []any{true, false, nil, false}},
		{"like underscore", &Like{Child: c("s"), Pattern: "_ello"}, []any{true, false, nil, false}},
		{"like infix", &Like{Child: c("s"), Pattern: "%,,%"}, []any{false, false, nil, true}},
		{"rlike finds anywhere", &Like{Child: c("s"), Pattern: "l+o", RLike: true}, []any{true, false, nil, false}},
		{"case when", &CaseWhen{Branches: []When{{bin(OpGt, c("i"), lit(5)), lit("big")}, {bin(OpGt, c("i"), lit(0)), lit("small")}}, Else: lit("neg")},
			[]any{"small", "neg", "neg", "big"}},
		{"case when without else", &CaseWhen{Branches: []When{{c("b"), c("l")}}}, []any{int64(10), nil, nil, int64(-5)}},
		{"case when widens", &CaseWhen{Branches: []When{{c("b"), c("i")}}, Else: lit(0.5)}, []any{1.0, 0.5, 0.5, 7.0}},
		{"get item array", &GetItem{Child: c("arr"), Key: lit(1)}, []any{int64(2), nil, nil, nil}},
		{"get item map", &GetItem{Child: c("m"), Key: lit("k")}, []any{int64(1), nil, nil, nil}},
		{"get field", &GetField{Child: c("st"), Name: "y"}, []any{"one", "two", nil, nil}},
		{"alias keeps values", &Alias{Child: c("i"), Name: "z"}, []any{int32(1), int32(-2), nil, int32(7)}},
	})
}

func TestEvalFunctions(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"upper", call("upper", c("s")), []any{"HELLO", " PAD ", nil, "A,B,,C"}},
		{"lower non-ascii", call("lower", lit("ÀÉ")), []any{"àé", "àé", "àé", "àé"}},
		{"length", call("length", c("s")), []any{int32(5), int32(5), nil, int32(6)}},
		{"length counts characters", call("length", lit("héé")), []any{int32(3), int32(3), int32(3), int32(3)}},
		{"trim spaces only", call("trim", c("s")), []any{"Hello", "pad", nil, "a,b,,c"}},
		{"ltrim", call("ltrim", c("s")), []any{"Hello", "pad ", nil, "a,b,,c"}},
		{"rtrim", call("rtrim", c("s")), []any{"Hello", " pad", nil, "a,b,,c"}},
		{"concat null if any null", call("concat", c("s"), lit("!"), c("Dup")), []any{"Hello!u", " pad !u", nil, "a,b,,c!u"}},
		{"concat_ws skips nulls", call("concat_ws", lit("-"), c("Dup"), c("s")), []any{"u-Hello", "u- pad ", "", "u-a,b,,c"}},
		{"substring", call("substring", c("s"), lit(2), lit(3)), []any{"ell", "pad", nil, ",b,"}},
		{"substring zero pos", call("substring", c("s"), lit(0), lit(2)), []any{"He", " p", nil, "a,"}},
		{"substring negative pos", call("substring", c("s"), lit(-3), lit(2)), []any{"ll", "ad", nil, ",,"}},
		{"substring no length", call("substring", c("s"), lit(3)), []any{"llo", "ad ", nil, "b,,c"}},
		{"substring past end", call("substring", c("s"), lit(10), lit(2)), []any{"", "", nil, ""}},
		{"split keeps trailing empties", call("split", c("s"), lit(",")),
			[]any{[]any{"Hello"}, []any{" pad "}, nil, []any{"a", "b", "", "c"}}},
		{"split with limit", call("split", c("s"), lit(","), lit(2)),
			[]any{[]any{"Hello"}, []any{" pad "}, nil, []any{"a", "b,,c"}}},
		{"regexp_extract", call("regexp_extract", c("s"), lit(`(\w)(l+)`), lit(2)), []any{"ll", "", nil, ""}},
		{"regexp_replace groups", call("regexp_replace", c("s"), lit(`(l+)`), lit("[$1]")), []any{"He[ll]o", " pad ", nil, "a,b,,c"}},
		{"regexp_replace position", call("regexp_replace", lit("aaa"), lit("a"), lit("b"), lit(2)), []any{"abb", "abb", "abb", "abb"}},
		{"contains", call("contains", c("s"), lit("ll")), []any{true, false, nil, false}},
		{"startswith", call("startswith", c("s"), lit(" ")), []any{false, true, nil, false}},
		{"endswith", call("endswith", c("s"), lit("c")), []any{false, false, nil, true}},
		{"coalesce", call("coalesce", c("i"), lit(0)), []any{int32(1), int32(-2), int32(0), int32(7)}},
		{"coalesce widens", call("coalesce", c("i"), c("l")), []any{int64(1), int64(-2), nil, int64(7)}},
		{"greatest", call("greatest", c("i"), c("d")), []any{1.5, -2.0, nil, 7.0}},
		{"least skips null", call("least", c("i"), lit(3)), []any{int32(1), int32(-2), int32(3), int32(3)}},
		{"abs", call("abs", c("i")), []any{int32(1), int32(2), nil, int32(7)}},
		{"round half up", call("round", c("d")), []any{2.0, -3.0, nil, 0.0}},
		{"round scale", call("round", lit(2.345), lit(2)), []any{2.35, 2.35, 2.35, 2.35}},
		{"round negative scale", call("round", c("l"), lit(-1)), []any{int64(10), int64(20), nil, int64(-10)}},
		{"floor is bigint", call("floor", c("d")), []any{int64(1), int64(-3), nil, int64(0)}},
		{"ceil", call("ceil", c("d")), []any{int64(2), int64(-2), nil, int64(0)}},
		{"sqrt", call("sqrt", c("l")), []any{math.Sqrt(10), math.Sqrt(20), nil, "NaN"}},
		{"pow", call("pow", c("i"), lit(2)), []any{1.0, 4.0, nil, 49.0}},
		{"year", call("year", c("ts")), []any{int32(2024), int32(1969), nil, int32(2024)}},
		{"month", call("month", c("ts")), []any{int32(1), int32(12), nil, int32(2)}},
		{"dayofmonth", call("dayofmonth", c("ts")), []any{int32(2), int32(31), nil, int32(29)}},
		{"hour", call("hour", c("ts")), []any{int32(3), int32(23), nil, int32(0)}},
		{"minute", call("minute", c("ts")), []any{int32(4), int32(59), nil, int32(0)}},
		{"second", call("second", c("ts")), []any{int32(5), int32(59), nil, int32(0)}},
		{"year of string", call("year", lit("2020-05-06")), []any{int32(2020), int32(2020), int32(2020), int32(2020)}},
		{"date_format", call("date_format", c("ts"), lit("yyyy/MM/dd HH:mm:ss.SSS EEE")),
			[]any{"2024/01/02 03:04:05.123 Tue", "1969/12/31 23:59:59.500 Wed", nil, "2024/02/29 00:00:00.000 Thu"}},
		{"to_timestamp lenient", call("to_timestamp", lit("2024-01-02T03:04:05Z")), []any{ts("2024-01-02 03:04:05"), ts("2024-01-02 03:04:05"), ts("2024-01-02 03:04:05"), ts("2024-01-02 03:04:05")}},
		{"to_timestamp pattern", call("to_timestamp", c("n"), lit("yy")), []any{ts("2012-01-01 00:00:00"), nil, nil, nil}},
		{"to_date", call("to_date", c("ts")), []any{date("2024-01-02"), date("1969-12-31"), nil, date("2024-02-29")}},
		{"to_date pattern", call("to_date", lit("02/03/2024"), lit("dd/MM/yyyy")), []any{date("2024-03-02"), date("2024-03-02"), date("2024-03-02"), date("2024-03-02")}},
		{"unix_timestamp of timestamp", call("unix_timestamp", c("ts")), []any{int64(1704164645), int64(-1), nil, int64(1709164800)}},
		{"unix_timestamp of string", call("unix_timestamp", lit("1970-01-01 00:01:00")), []any{int64(60), int64(60), int64(60), int64(60)}},
		{"unix_timestamp bad string", call("unix_timestamp", c("n")), []any{nil, nil, nil, nil}},
		{"from_unixtime", call("from_unixtime", c("l")), []any{"1970-01-01 00:00:10", "1970-01-01 00:00:20", nil, "1969-12-31 23:59:55"}},
		{"from_unixtime pattern", call("from_unixtime", lit(86400), lit("yyyy-MM-dd")), []any{"1970-01-02", "1970-01-02", "1970-01-02", "1970-01-02"}},
		{"get_json_object nested", call("get_json_object", c("js"), lit("$.a.b[1]")), []any{"20", nil, nil, nil}},
		{"get_json_object object", call("get_json_object", c("js"), lit("$.a")), []any{`{"b":[10,20]}`, "1", nil, nil}},
		{"get_json_object string", call("get_json_object", c("js"), lit("$.c")), []any{"x", nil, nil, nil}},
		{"to_json struct drops nulls", call("to_json", c("st")), []any{`{"x":1,"y":"one"}`, `{"y":"two"}`, nil, `{"x":3}`}},
		{"to_json array", call("to_json", c("arr")), []any{"[1,2,3]", "[]", nil, "[4,null]"}},
		{"struct names fields", call("to_json", call("struct", c("i"), bin(OpAdd, c("i"), lit(1)))),
			[]any{`{"i":1,"col2":2}`, `{"i":-2,"col2":-1}`, `{}`, `{"i":7,"col2":8}`}},
		{"element_at array", call("element_at", c("arr"), lit(-1)), []any{int64(3), nil, nil, nil}},
		{"element_at map", call("element_at", c("m"), lit("a")), []any{nil, nil, nil, int64(2)}},
		{"size", call("size", c("arr")), []any{int32(3), int32(0), int32(-1), int32(2)}},
		{"array_contains", call("array_contains", c("arr"), lit(4)), []any{false, false, nil, true}},
		{"array_contains null element", call("array_contains", c("arr"), lit(5)), []any{false, false, nil, nil}},
		{"tumbling window", call("to_json", call("window", c("ts"), lit("1 day"))),
			[]any{`{"start":"2024-01-02T00:00:00.000Z","end":"2024-01-03T00:00:00.000Z"}`, `{"start":"1969-12-31T00:00:00.000Z","end":"1970-01-01T00:00:00.000Z"}`, nil, `{"start":"2024-02-29T00:00:00.000Z","end":"2024-03-01T00:00:00.000Z"}`}},
	})
}

func TestEvalFromJSON(t *testing.T) {
	runEvalCases(t, []evalCase{
		{"from_json struct", call("to_json", call("from_json", c("js"), lit("a STRING, c STRING"))),
			[]any{`{"a":"{\"b\":[10,20]}","c":"x"}`, `{"a":"1"}`, nil, `{}`}},
		{"from_json field", &GetField{Child: call("from_json", c("js"), lit("a INT")), Name: "a"}, []any{nil, int32(1), nil, nil}},
		{"from_json nested array", &GetItem{Child: c2(call("from_json", c("js"), lit("a struct<b: array<bigint>>")), "a", "b"), Key: lit(0)},
			[]any{int64(10), nil, nil, nil}},
		{"from_json malformed gives struct of nulls", &Unary{Op: OpIsNull, Child: call("from_json", c("js"), lit("a INT"))}, []any{false, false, true, false}},
		{"from_json map", call("element_at", call("from_json", lit(`{"x": 1.5}`), lit("map<string,double>")), lit("x")), []any{1.5, 1.5, 1.5, 1.5}},
	})
}

func c2(e Expr, fields ...string) Expr {
	for _, f := range fields {
		e = &GetField{Child: e, Name: f}
	}
	return e
}

func TestCurrentTimestampUsesBatchTime(t *testing.T) {
	mem := checked(t)
	rec := fixture(t, mem)
	defer rec.Release()
	want := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, tc := range []struct {
		e    Expr
		want any
	}{
		{call("current_timestamp"), arrow.Timestamp(microsOfTime(want))},
		{call("current_date"), date("2024-05-06")},
		{call("unix_timestamp"), want.Unix()},
	} {
		b, err := Bind(tc.e, rec.Schema())
		if err != nil {
			t.Fatal(err)
		}
		ctx := WithAllocator(WithBatchTime(t.Context(), want), mem)
		arr, err := b.Eval(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		got := arrayValues(arr)
		arr.Release()
		if d := diff(got, []any{tc.want, tc.want, tc.want, tc.want}); d != "" {
			t.Errorf("%s:\n%s", tc.e, d)
		}
	}
}
