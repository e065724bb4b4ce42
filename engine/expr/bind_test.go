package expr

import (
	"errors"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func fixtureSchema(t *testing.T) *arrow.Schema {
	rec := fixture(t, memory.DefaultAllocator)
	defer rec.Release()
	return rec.Schema()
}

func TestBindErrors(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: TypeInt, Nullable: true},
		{Name: "b", Type: TypeLong, Nullable: true},
		{Name: "A", Type: TypeString, Nullable: true},
		{Name: "amount", Type: TypeDouble, Nullable: true},
		{Name: "st", Type: structXY, Nullable: true},
		{Name: "arr", Type: listLong, Nullable: true},
		{Name: "ts", Type: TypeTimestamp, Nullable: true},
	}, nil)
	for _, tc := range []struct {
		name string
		e    Expr
		want string
	}{
		{"unresolved with suggestions", c("amont"),
			"[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `amont` cannot be resolved. Did you mean one of the following? [`amount`, `a`, `A`, `st`, `arr`]."},
		{"suggestions by similarity", c("A2"),
			"[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `A2` cannot be resolved. Did you mean one of the following? [`a`, `A`, `b`, `st`, `arr`]."},
		{"nested unresolved field", c("st", "z"), "[FIELD_NOT_FOUND] No such struct field `z` in `x`, `y`."},
		{"extract from int", c("b", "c"), `[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from "b". Need a complex type [STRUCT, ARRAY, MAP] but got "BIGINT".`},
		{"unknown function", call("foo", c("a")), "[UNRESOLVED_ROUTINE] Cannot resolve function `foo` on search path [`system`.`builtin`, `system`.`session`]."},
		{"wrong arity", call("upper", c("a"), c("b")),
			"[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `upper` requires 1 parameters but the actual number is 2. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix."},
		{"arithmetic on boolean", bin(OpAdd, bin(OpGt, c("a"), lit(1)), lit(true)),
			`[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve "((a > 1) + true)" due to data type mismatch: the binary operator requires the input type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL"), not "BOOLEAN".`},
		{"arithmetic with timestamp", bin(OpAdd, c("a"), c("ts")),
			`[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve "(a + ts)" due to data type mismatch: the left and right operands of the binary operator have incompatible types ("INT" and "TIMESTAMP").`},
		{"compare struct with int", bin(OpEq, c("st"), lit(1)),
			`[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve "(st = 1)" due to data type mismatch: the left and right operands of the binary operator have incompatible types ("STRUCT<x: BIGINT, y: STRING>" and "INT").`},
		{"and with int", bin(OpAnd, c("a"), lit(true)),
			`[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve "(a AND true)" due to data type mismatch: the binary operator requires the input type "BOOLEAN", not "INT".`},
		{"bad cast", &Cast{Child: c("a"), To: TypeDate},
			`[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve "CAST(a AS DATE)" due to data type mismatch: cannot cast "INT" to "DATE".`},
		{"function argument type", call("upper", c("arr")),
			`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "upper(arr)" due to data type mismatch: The first parameter requires the "STRING" type, however "arr" has the type "ARRAY<BIGINT>".`},
		{"aggregate in scalar", bin(OpGt, call("sum", c("a")), lit(1)),
			`[UNSUPPORTED_EXPR_FOR_OPERATOR] aggregate function "sum(a)" cannot be evaluated row by row here: use it in groupBy(...).agg(...) or in a select over the whole DataFrame.`},
		{"generator in scalar", call("explode", c("arr")),
			`[UNSUPPORTED_EXPR_FOR_OPERATOR] generator "explode(arr)" cannot be evaluated row by row here: use it alone as a select() column, e.g. select(explode(col("a"))).`},
		{"sliding window", call("window", c("ts"), lit("10 seconds"), lit("5 seconds")),
			`[UNSUPPORTED_EXPR_FOR_OPERATOR] sliding window "window" cannot be evaluated row by row here: use it as a groupBy key.`},
		{"window slide larger", call("window", c("ts"), lit("10 seconds"), lit("20 seconds")),
			"[DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION] Cannot resolve \"window\" due to data type mismatch: The `slideDuration`(20000000L) must be <= the `windowDuration`(10000000L)."},
		{"window start too large", call("window", c("ts"), lit("10 seconds"), lit("5 seconds"), lit("-5 seconds")),
			"[DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION] Cannot resolve \"window\" due to data type mismatch: The `abs(startTime)`(5000000L) must be < the `slideDuration`(5000000L)."},
		{"window on int", call("window", c("a"), lit("10 seconds")),
			`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "window" due to data type mismatch: The first parameter requires the ("TIMESTAMP" or "TIMESTAMP_NTZ") type, however "a" has the type "INT".`},
		{"star inside expression", call("upper", &Star{}), `[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in expression "*": '*' may only stand for whole columns in select().`},
		{"invalid node", &Invalid{Err: errors.New("[UNSUPPORTED_DATATYPE] Unsupported data type \"FOO\"")}, `[UNSUPPORTED_DATATYPE] Unsupported data type "FOO"`},
		{"bad regex", call("regexp_extract", c("A"), lit("(?<=a)b"), lit(0)),
			"[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) `regexp` in `regexp_extract` is invalid: \"(?<=a)b\" is not a supported regular expression: error parsing regexp: invalid named capture: `(?<=a)b`."},
		{"greatest of string and int", call("greatest", c("A"), c("a")),
			`[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve "greatest(A, a)" due to data type mismatch: Input to ` + "`greatest`" + ` should all be the same type, but it's ["STRING", "INT"].`},
		{"element_at zero", call("element_at", c("arr"), lit(0)),
			"[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Bind(tc.e, schema)
			if err == nil {
				t.Fatalf("Bind(%s) succeeded, want error %q", tc.e, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("Bind(%s) error\n got: %s\nwant: %s", tc.e, err, tc.want)
			}
		})
	}
}

func TestBindAmbiguous(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "Ab", Type: TypeInt}, {Name: "aB", Type: TypeInt}}, nil)
	_, err := Bind(c("ab"), schema)
	want := "[AMBIGUOUS_REFERENCE] Reference `ab` is ambiguous, could be: [`Ab`, `aB`]."
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	if _, err := Bind(c("Ab"), schema); err != nil {
		t.Errorf("exact match must win over case-insensitive ones: %v", err)
	}
	var ae *AnalysisError
	if !errors.As(err, &ae) || ae.Class != "AMBIGUOUS_REFERENCE" {
		t.Errorf("error class: got %#v", ae)
	}
}

func TestNotScalarIsDetectable(t *testing.T) {
	_, err := Bind(call("count", c("i")), fixtureSchema(t))
	if !errors.Is(err, ErrNotScalar) {
		t.Fatalf("got %v, want an error wrapping ErrNotScalar", err)
	}
}

// TestCoercion checks result types of Spark's implicit conversions.
func TestCoercion(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "b8", Type: TypeByte}, {Name: "i", Type: TypeInt}, {Name: "l", Type: TypeLong},
		{Name: "f", Type: TypeFloat}, {Name: "d", Type: TypeDouble}, {Name: "s", Type: TypeString},
		{Name: "dec", Type: mustType("decimal(10,2)")}, {Name: "dec2", Type: mustType("decimal(5,4)")},
		{Name: "dt", Type: TypeDate}, {Name: "ts", Type: TypeTimestamp}, {Name: "bool", Type: TypeBoolean},
	}, nil)
	for _, tc := range []struct {
		e    Expr
		want string
	}{
		{bin(OpAdd, c("i"), c("l")), "BIGINT"},
		{bin(OpAdd, c("b8"), c("b8")), "TINYINT"},
		{bin(OpAdd, c("i"), c("f")), "FLOAT"},
		{bin(OpAdd, c("l"), c("f")), "FLOAT"},
		{bin(OpAdd, c("f"), c("d")), "DOUBLE"},
		{bin(OpDiv, c("i"), c("i")), "DOUBLE"},
		{bin(OpDiv, c("l"), c("l")), "DOUBLE"},
		{bin(OpMod, c("i"), c("l")), "BIGINT"},
		{bin(OpAdd, c("s"), c("i")), "DOUBLE"},
		{bin(OpAdd, c("i"), &Literal{}), "INT"},
		{bin(OpAdd, c("dec"), c("dec")), "DECIMAL(11,2)"},
		{bin(OpAdd, c("dec"), c("dec2")), "DECIMAL(13,4)"},
		{bin(OpMul, c("dec"), c("dec2")), "DECIMAL(16,6)"},
		{bin(OpDiv, c("dec"), c("dec2")), "DECIMAL(20,8)"},
		{bin(OpAdd, c("dec"), c("i")), "DECIMAL(13,2)"},
		{bin(OpAdd, c("dec"), c("d")), "DOUBLE"},
		{bin(OpEq, c("s"), c("i")), "BOOLEAN"},
		{call("coalesce", c("i"), c("l")), "BIGINT"},
		{call("coalesce", c("s"), c("i")), "STRING"},
		{call("coalesce", c("dt"), c("ts")), "TIMESTAMP"},
		{&CaseWhen{Branches: []When{{c("bool"), c("i")}}, Else: c("d")}, "DOUBLE"},
		{call("greatest", c("i"), c("l"), c("b8")), "BIGINT"},
		{call("floor", c("d")), "BIGINT"},
		{call("floor", c("dec")), "DECIMAL(9,0)"},
		{call("round", c("dec"), lit(1)), "DECIMAL(10,1)"},
		{call("length", c("s")), "INT"},
		{call("split", c("s"), lit(",")), "ARRAY<STRING>"},
		{call("abs", c("s")), "DOUBLE"},
		{call("struct", c("i"), c("s")), "STRUCT<i: INT, s: STRING>"},
		{call("to_date", c("ts")), "DATE"},
		{call("window", c("ts"), lit("1 minute")), "STRUCT<start: TIMESTAMP, end: TIMESTAMP>"},
		{call("from_json", c("s"), lit("a INT, b ARRAY<STRING>")), "STRUCT<a: INT, b: ARRAY<STRING>>"},
		{&Unary{Op: OpNeg, Child: c("s")}, "DOUBLE"},
	} {
		t.Run(tc.e.String(), func(t *testing.T) {
			b, err := Bind(tc.e, schema)
			if err != nil {
				t.Fatal(err)
			}
			if got := SQLTypeName(b.Type()); got != tc.want {
				t.Errorf("type of %s: got %s, want %s", tc.e, got, tc.want)
			}
		})
	}
}

func TestExpandStar(t *testing.T) {
	schema := fixtureSchema(t)
	for _, tc := range []struct {
		e       Expr
		want    []string
		wantErr string
	}{
		{&Star{}, []string{"i", "l", "d", "s", "n", "ts", "b", "arr", "m", "st", "js", "Dup"}, ""},
		{&Star{Qualifier: []string{"ST"}}, []string{"ST.x", "ST.y"}, ""},
		{c("i"), []string{"i"}, ""},
		{&Star{Qualifier: []string{"i"}}, nil, "[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `i`.*: `i` is INT, not a struct."},
		{&Star{Qualifier: []string{"zz"}}, nil, "[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `zz`.* given input columns [`i`, `l`, `d`, `s`, `n`, `ts`, `b`, `arr`, `m`, `st`, `js`, `Dup`]."},
	} {
		got, err := ExpandStar(tc.e, schema)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("ExpandStar(%s): got error %v, want %s", tc.e, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range got {
			names = append(names, e.String())
		}
		if d := diffStrings(names, tc.want); d != "" {
			t.Errorf("ExpandStar(%s): %s", tc.e, d)
		}
		// struct fields come out as top-level columns named by the field
		if len(tc.e.(interface{ Children() []Expr }).Children()) == 0 && len(got) == 2 {
			b, err := Bind(got[0], schema)
			if err != nil || b.Name() != "x" {
				t.Errorf("expanded field binds as %v (%v), want name x", b, err)
			}
		}
	}
}

func diffStrings(got, want []string) string {
	if len(got) != len(want) {
		return "got " + joinQuoted(got) + ", want " + joinQuoted(want)
	}
	for i := range got {
		if got[i] != want[i] {
			return "got " + joinQuoted(got) + ", want " + joinQuoted(want)
		}
	}
	return ""
}

func joinQuoted(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += "\"" + x + "\""
	}
	return out + "]"
}

func TestRegistry(t *testing.T) {
	for _, tc := range []struct {
		name            string
		agg, gen, isWin bool
	}{
		{"sum", true, false, false}, {"COUNT", true, false, false}, {"approx_count_distinct", true, false, false},
		{"collect_list", true, false, false}, {"explode", false, true, false}, {"window", false, false, true},
		{"session_window", false, false, true}, {"upper", false, false, false},
	} {
		if IsAggregate(tc.name) != tc.agg || IsGenerator(tc.name) != tc.gen || IsTimeWindow(tc.name) != tc.isWin {
			t.Errorf("%s: aggregate=%v generator=%v window=%v, want %v %v %v", tc.name,
				IsAggregate(tc.name), IsGenerator(tc.name), IsTimeWindow(tc.name), tc.agg, tc.gen, tc.isWin)
		}
	}
	if !ContainsAggregate(bin(OpAdd, call("sum", c("a")), lit(1))) || ContainsAggregate(call("upper", c("a"))) {
		t.Error("ContainsAggregate misclassifies")
	}
	if err := CheckArity(&Call{Name: "sum", Args: []Expr{c("a"), c("b")}}); err == nil {
		t.Error("sum with two arguments must fail the arity check")
	}
}
