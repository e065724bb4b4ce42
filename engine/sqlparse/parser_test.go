package sqlparse

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/types"
)

func TestParseExpr(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// names
		{"column", "a", "a"},
		{"case kept", "userId", "userId"},
		{"dotted path", "a.b.c", "a.b.c"},
		{"backticks", "`a.b`", "`a.b`"},
		{"backtick escape", "`a``b`", "`a`b`"},
		{"backtick in path", "s.`x y`.z", "s.`x y`.z"},
		{"keyword-like names", "date + timestamp + interval", "((date + timestamp) + interval)"},
		{"column named interval", "interval - 1 > interval * 2", "((interval - 1) > (interval * 2))"},
		{"column named interval before AND", "interval - 1 AND b", "((interval - 1) AND b)"},
		{"keyword field names", "window.end - window.start", "(window.end - window.start)"},
		{"unicode name", "prix_€uro", "<error>"},
		{"unicode letters", "größe", "größe"},
		{"digit-led identifier", "1a", "1a"},
		{"star", "*", "*"},
		{"qualified star", "Analytics.*", "Analytics.*"},
		{"nested qualified star", "a.b.*", "a.b.*"},
		// literals
		{"int", "42", "42"},
		{"int max", "2147483647", "2147483647"},
		{"int min folded", "-2147483648", "-2147483648"},
		{"long by size", "2147483648", "2147483648L"},
		{"long suffix", "100L", "100L"},
		{"smallint", "7S", "7S"},
		{"tinyint", "-7Y", "-7Y"},
		{"huge int is decimal", "12345678901234567890", "12345678901234567890BD(20,0)"},
		{"decimal is double", "1.5", "1.5D"},
		{"leading dot", ".5", "0.5D"},
		{"trailing dot", "1.", "1D"},
		{"double suffix", "1.5D", "1.5D"},
		{"exponent", "1e3", "1000D"},
		{"exponent signed", "2.5E-2", "0.025D"},
		{"float", "1.5F", "1.5F"},
		{"bigdecimal", "12.340BD", "12.340BD(5,3)"},
		{"bigdecimal small", "0.01BD", "0.01BD(2,2)"},
		{"negative bigdecimal", "-1.5BD", "-1.5BD(2,1)"},
		{"single quoted", "'it'", "'it'"},
		{"double quoted", `"it"`, "'it'"},
		{"escapes", `'a\'b\n\t\\c'`, `'a'b\n\t\\c'`},
		{"like escapes kept", `'50\%'`, `'50\\%'`},
		{"unicode escape", `'\u00e9'`, "'é'"},
		{"octal escape", `'\101'`, "'A'"},
		{"adjacent strings", "'a' 'b' \"c\"", "'abc'"},
		{"raw string", `r'a\nb'`, `'a\\nb'`},
		{"true", "TRUE", "true"},
		{"false", "false", "false"},
		{"null", "NULL", "NULL"},
		{"date", "DATE '2024-01-31'", "DATE 2024-01-31"},
		{"timestamp", "TIMESTAMP '2024-01-01 10:00:00'", "TIMESTAMP 2024-01-01 10:00:00"},
		{"timestamp zone", "timestamp '2024-01-01T10:00:00.5+01:00'", "TIMESTAMP 2024-01-01 09:00:00.5"},
		{"binary", "X'0AFF'", "X'0AFF'"},
		{"binary odd", "x'123'", "X'0123'"},
		{"interval string unit", "INTERVAL '10' SECOND", "DURATION 10000000us"},
		{"interval number plural", "INTERVAL 10 SECONDS", "DURATION 10000000us"},
		{"interval multi", "INTERVAL 1 HOUR 30 MINUTES", "DURATION 5400000000us"},
		{"interval whole string", "interval '1 hour 30 minutes'", "DURATION 5400000000us"},
		{"interval negative", "INTERVAL -2 DAYS", "DURATION -172800000000us"},
		{"interval fraction", "INTERVAL 1.5 SECONDS", "DURATION 1500000us"},
		{"interval months", "INTERVAL 1 YEAR 2 MONTHS", "MONTHS 14"},
		{"interval in arithmetic", "ts + INTERVAL 10 MINUTES - 1", "((ts + DURATION 600000000us) - 1)"},
		// arithmetic and precedence
		{"add mul", "a + b * c", "(a + (b * c))"},
		{"left assoc", "a - b - c", "((a - b) - c)"},
		{"parens", "(a + b) * c", "((a + b) * c)"},
		{"div mod", "a / b % c", "((a / b) % c)"},
		{"integer div", "a DIV 2", "div(a, 2)"},
		{"concat binds like plus", "a || b + c", "(concat(a, b) + c)"},
		{"concat left assoc with minus", "a - b || c", "concat((a - b), c)"},
		{"bitwise", "a | b ^ c & d", "bitwise_or(a, bitwise_xor(b, bitwise_and(c, d)))"},
		{"bitwise below plus", "a & b + 1", "bitwise_and(a, (b + 1))"},
		{"bitwise not", "~a", "bitwise_not(a)"},
		{"unary minus column", "-a * b", "((- a) * b)"},
		{"unary minus binds tight", "- a.b[0]", "(- a.b[0])"},
		{"unary plus dropped", "+a", "a"},
		{"minus literal in binary", "a -1", "(a - 1)"},
		{"double negation", "- -1", "(- -1)"},
		// comparisons and logic
		{"eq", "a = 1", "(a = 1)"},
		{"eqeq", "a == 1", "(a = 1)"},
		{"neq", "a != 1", "(a != 1)"},
		{"ltgt", "a <> 1", "(a != 1)"},
		{"null safe", "a <=> b", "(a <=> b)"},
		{"lt le gt ge", "a < 1 AND b <= 2 OR c > 3 AND d >= 4", "(((a < 1) AND (b <= 2)) OR ((c > 3) AND (d >= 4)))"},
		{"and before or", "a OR b AND c", "(a OR (b AND c))"},
		{"not binds above and", "NOT a AND b", "((NOT a) AND b)"},
		{"not over comparison", "NOT a = b", "(NOT (a = b))"},
		{"bang", "!a", "(NOT a)"},
		{"comparison above arithmetic", "a + 1 > b * 2", "((a + 1) > (b * 2))"},
		{"is null", "a IS NULL", "(a IS NULL)"},
		{"is not null", "a.b IS NOT NULL", "(a.b IS NOT NULL)"},
		{"is null over comparison", "a = b IS NULL", "((a = b) IS NULL)"},
		{"is true", "a IS TRUE", "(a <=> true)"},
		{"is not false", "a IS NOT FALSE", "(NOT (a <=> false))"},
		{"is distinct from", "a IS DISTINCT FROM b", "(NOT (a <=> b))"},
		{"is not distinct from", "a IS NOT DISTINCT FROM b", "(a <=> b)"},
		{"in", "a IN (1, 2, 3)", "(a IN (1, 2, 3))"},
		{"not in", "a NOT IN ('x')", "(NOT (a IN ('x')))"},
		{"in with exprs", "a + 1 IN (b, c * 2)", "((a + 1) IN (b, (c * 2)))"},
		{"like", "name LIKE 'A%'", "(name LIKE \"A%\")"},
		{"not like", "name NOT LIKE '%x'", "(NOT (name LIKE \"%x\"))"},
		{"ilike", "name ILIKE 'AbC%'", "(lower(name) LIKE \"abc%\")"},
		{"rlike", "name RLIKE '^a.*'", "(name RLIKE \"^a.*\")"},
		{"regexp", "name REGEXP '[0-9]+'", "(name RLIKE \"[0-9]+\")"},
		{"not rlike", "name NOT RLIKE 'x'", "(NOT (name RLIKE \"x\"))"},
		{"between", "a BETWEEN 1 AND 10", "((a >= 1) AND (a <= 10))"},
		{"between with and after", "a BETWEEN 1 AND 10 AND b", "(((a >= 1) AND (a <= 10)) AND b)"},
		{"not between", "a NOT BETWEEN b + 1 AND c", "(NOT ((a >= (b + 1)) AND (a <= c)))"},
		// calls
		{"call", "upper(name)", "upper(name)"},
		{"call lower cased", "UPPER(name)", "upper(name)"},
		{"call no args", "now()", "now()"},
		{"call many args", "regexp_extract(s, '(\\\\d+)', 1)", "regexp_extract(s, '(\\\\d+)', 1)"},
		{"count star", "count(*)", "count(1)"},
		{"count distinct", "count(DISTINCT a, b)", "count(DISTINCT a, b)"},
		{"all keyword", "sum(ALL x)", "sum(x)"},
		{"other star arg", "struct(*)", "struct(*)"},
		{"nested calls", "coalesce(a, lower(trim(b)))", "coalesce(a, lower(trim(b)))"},
		{"backticked function", "`upper`(x)", "upper(x)"},
		{"window", "window(ts, '10 minutes', '5 minutes')", "window(ts, '10 minutes', '5 minutes')"},
		{"if function", "if(a > 1, 'big', 'small')", "if((a > 1), 'big', 'small')"},
		{"current_date bare", "current_date", "current_date()"},
		{"current_timestamp call", "current_timestamp()", "current_timestamp()"},
		{"extract", "EXTRACT(YEAR FROM ts)", "year(ts)"},
		{"extract abbreviation", "extract(dow from ts)", "dayofweek(ts)"},
		{"row constructor", "(a, b + 1)", "struct(a, (b + 1))"},
		// cast
		{"cast", "CAST(value AS STRING)", "cast(value, string)"},
		{"cast lower", "cast(x as int)", "cast(x, int)"},
		{"try_cast", "try_cast(x AS bigint)", "cast(x, bigint)"},
		{"cast decimal", "CAST(p AS DECIMAL(10, 2))", "cast(p, decimal(10,2))"},
		{"cast nested type", "cast(j as array<struct<a:int,b:string>>)", "cast(j, array<struct<a:int,b:string>>)"},
		{"double colon", "x::int + 1", "(cast(x, int) + 1)"},
		{"double colon after call", "upper(x)::string", "cast(upper(x), string)"},
		{"cast is a name too", "cast + 1", "(cast + 1)"},
		// case
		{"searched case", "CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END", "CASE WHEN (a > 1) THEN 'x' WHEN (a > 0) THEN 'y' ELSE 'z' END"},
		{"simple case", "case a when 1 then 'one' when 2 then 'two' end", "CASE WHEN (a = 1) THEN 'one' WHEN (a = 2) THEN 'two' END"},
		{"case in arithmetic", "1 + CASE WHEN b THEN 1 ELSE 0 END * 2", "(1 + (CASE WHEN b THEN 1 ELSE 0 END * 2))"},
		// subscripts and fields
		{"array index", "a[0]", "a[0]"},
		{"map key", "m['k']", "m['k']"},
		{"path then index then field", "a.b[0].c", "a.b[0]->c"},
		{"double index", "a[0][1]", "a[0][1]"},
		{"field of call", "from_json(v, 's').field", "from_json(v, 's')->field"},
		{"field path of call", "f(x).a.b", "f(x)->a->b"},
		{"field of parens", "(a).b", "a->b"},
		{"index expression", "a[i + 1]", "a[(i + 1)]"},
		// comments and whitespace
		{"comments", "a /* block */ + -- line\n b", "(a + b)"},
		{"newlines", "a\n+\n1", "(a + 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseExpr(tc.in)
			if tc.want == "<error>" {
				if err == nil {
					t.Fatalf("ParseExpr(%q) = %s, want an error", tc.in, show(e))
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseExpr(%q): %v", tc.in, err)
			}
			if got := show(e); got != tc.want {
				t.Errorf("ParseExpr(%q)\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

// TestParseExprStructure checks exact node values, literal types included.
func TestParseExprStructure(t *testing.T) {
	tests := []struct {
		in   string
		want expr.Expr
	}{
		{"a.b + 1", &expr.Binary{Op: expr.OpAdd,
			Left:  &expr.ColumnRef{Parts: []string{"a", "b"}},
			Right: &expr.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}}},
		{"count(DISTINCT x)", &expr.Call{Name: "count", Distinct: true, Args: []expr.Expr{&expr.ColumnRef{Parts: []string{"x"}}}}},
		{"NULL", &expr.Literal{Value: nil, Type: arrow.Null}},
		{"1e3", &expr.Literal{Value: 1000.0, Type: arrow.PrimitiveTypes.Float64}},
		{"'s'", &expr.Literal{Value: "s", Type: arrow.BinaryTypes.String}},
		{"X'01'", &expr.Literal{Value: []byte{1}, Type: arrow.BinaryTypes.Binary}},
		{"DATE '1970-01-02'", &expr.Literal{Value: arrow.Date32(1), Type: arrow.FixedWidthTypes.Date32}},
		{"TIMESTAMP '1970-01-01 00:00:01'", &expr.Literal{Value: arrow.Timestamp(1_000_000), Type: arrow.FixedWidthTypes.Timestamp_us}},
		{"INTERVAL 2 SECONDS", &expr.Literal{Value: arrow.Duration(2_000_000), Type: arrow.FixedWidthTypes.Duration_us}},
		{"INTERVAL 3 MONTHS", &expr.Literal{Value: arrow.MonthInterval(3), Type: arrow.FixedWidthTypes.MonthInterval}},
		{"CASE WHEN a THEN 1 END", &expr.CaseWhen{Branches: []expr.When{{
			Cond: &expr.ColumnRef{Parts: []string{"a"}}, Value: &expr.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}}}}},
		{"m['k']", &expr.GetItem{Child: &expr.ColumnRef{Parts: []string{"m"}}, Key: &expr.Literal{Value: "k", Type: arrow.BinaryTypes.String}}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseExpr(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseExpr(%q)\n got %#v\nwant %#v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseSelectItem(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"cast alias", "cast(value as string) as value", "(cast(value, string) AS value)"},
		{"AS upper", "a + 1 AS b", "((a + 1) AS b)"},
		{"implicit alias", "x y", "(x AS y)"},
		{"implicit alias after call", "count(*) n", "(count(1) AS n)"},
		{"backticked alias", "a AS `my col`", "(a AS my col)"},
		{"keyword alias", "a AS date", "(a AS date)"},
		{"no alias", "upper(name)", "upper(name)"},
		{"star", "*", "*"},
		{"qualified star", "Analytics.*", "Analytics.*"},
		{"window struct", "window.start AS start", "(window.start AS start)"},
		{"star alias", "* AS x", "<error>"},
		{"two aliases", "a AS b c", "<error>"},
		{"reserved alias", "a FROM", "<error>"},
		{"multi alias", "explode(m) AS (k, v)", "<error>"},
		{"missing alias", "a AS", "<error>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseSelectItem(tc.in)
			if tc.want == "<error>" {
				if err == nil {
					t.Fatalf("ParseSelectItem(%q) = %s, want an error", tc.in, show(e))
				}
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Errorf("error %T is not a *ParseError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSelectItem(%q): %v", tc.in, err)
			}
			if got := show(e); got != tc.want {
				t.Errorf("ParseSelectItem(%q)\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseSortOrder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a", "sort(a, desc=false, nullsFirst=true)"},
		{"a ASC", "sort(a, desc=false, nullsFirst=true)"},
		{"a + 1 DESC", "sort((a + 1), desc=true, nullsFirst=false)"},
		{"a desc nulls first", "sort(a, desc=true, nullsFirst=true)"},
		{"a NULLS LAST", "sort(a, desc=false, nullsFirst=false)"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			so, err := ParseSortOrder(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := show(so); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	if _, err := ParseSortOrder("a NULLS MIDDLE"); err == nil {
		t.Error("NULLS MIDDLE parsed, want an error")
	}
}

func TestParseColumnPath(t *testing.T) {
	tests := []struct {
		in   string
		want []string // nil: error
	}{
		{"a", []string{"a"}},
		{"a.b.c", []string{"a", "b", "c"}},
		{"a.`b.c`", []string{"a", "b.c"}},
		{"`a``b`", []string{"a`b"}},
		{"my col", []string{"my col"}},
		{"``", []string{""}},
		{"a.", nil},
		{".a", nil},
		{"a..b", nil},
		{"`a", nil},
		{"`a`b", nil},
		{"a`b`", nil},
		{"", nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseColumnPath(tc.in)
			if tc.want == nil {
				if err == nil {
					t.Errorf("ParseColumnPath(%q) = %q, want an error", tc.in, got)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseColumnPath(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		class    string
		msg      string // contained in ParseError.Msg
		pos      int    // Spark's 0-based position
		line     int
	}{
		{"dangling operator", "a + ", ClassSyntax, "Syntax error at or near end of input", 4, 1},
		{"double operator", "a + * b", ClassSyntax, "", 0, 0},
		{"missing paren", "upper(a", ClassSyntax, "Syntax error at or near end of input: missing ')'", 7, 1},
		{"missing bracket", "a[0", ClassSyntax, "missing ']'", 3, 1},
		{"extra paren", "a)", ClassSyntax, "Syntax error at or near ')': extra input ')'", 1, 1},
		{"extra token", "a b", ClassSyntax, "extra input 'b'", 2, 1},
		{"reserved as column", "a + FROM", ClassSyntax, "Syntax error at or near 'FROM'", 4, 1},
		{"unterminated string", "'abc", ClassSyntax, "unclosed string literal", 0, 1},
		{"unterminated backtick", "`abc", ClassSyntax, "missing '`'", 0, 1},
		{"unterminated comment", "a /* x", ClassSyntax, "missing '*/'", 2, 1},
		{"illegal char", "a # b", ClassSyntax, "Syntax error at or near '#'", 2, 1},
		{"second line", "a +\n  ) ", ClassSyntax, "Syntax error at or near ')'", 2, 2},
		{"unicode position", "'é' + )", ClassSyntax, "Syntax error at or near ')'", 6, 1},
		{"empty", "", ClassSyntax, "Syntax error at or near end of input", 0, 1},
		{"case without end", "CASE WHEN a THEN 1", ClassSyntax, "missing 'END'", 18, 1},
		{"case without when", "CASE a END", ClassSyntax, "missing 'WHEN'", 7, 1},
		{"cast without as", "CAST(a STRING)", ClassSyntax, "missing 'AS'", 7, 1},
		{"cast without type", "CAST(a AS)", ClassSyntax, "expected a type name such as STRING, INT, TIMESTAMP", 9, 1},
		{"cast unknown type", "CAST(a AS strin)", ClassUnsupportedDT, `Unsupported data type "STRIN"`, 10, 1},
		{"cast varchar", "CAST(a AS VARCHAR(10))", ClassUnsupportedDT, `Unsupported data type "VARCHAR(10)": use STRING`, 10, 1},
		{"between without and", "a BETWEEN 1 OR 2", ClassSyntax, "missing 'AND'", 12, 1},
		{"in without parens", "a IN 1", ClassSyntax, "missing '('", 5, 1},
		{"empty in", "a IN ()", ClassSyntax, "IN needs at least one value", 6, 1},
		{"in subquery", "a IN (SELECT b FROM t)", ClassUnsupportedSQL, "IN (subquery) is not supported", 6, 1},
		{"like non literal", "a LIKE b", ClassUnsupportedSQL, "must be a string literal", 7, 1},
		{"like escape", "a LIKE 'x' ESCAPE '!'", ClassUnsupportedSQL, "ESCAPE is not supported", 11, 1},
		{"over", "rank() OVER (ORDER BY a)", ClassUnsupportedSQL, "Non-time-based windows are not supported on streaming DataFrames/Datasets", 7, 1},
		{"lambda", "transform(xs, x -> x + 1)", ClassUnsupportedSQL, "lambda functions", 14, 1},
		{"lambda two args", "aggregate(xs, 0, (acc, x) -> acc + x)", ClassUnsupportedSQL, "lambda functions", 17, 1},
		{"named arg", "f(a => 1)", ClassUnsupportedSQL, "named arguments", 2, 1},
		{"bad date", "DATE '2024-13-01'", ClassTypedLiteral, `The value of the typed literal "DATE" is invalid: '2024-13-01'`, 5, 1},
		{"bad timestamp", "TIMESTAMP 'noon'", ClassTypedLiteral, `The value of the typed literal "TIMESTAMP" is invalid: 'noon'`, 10, 1},
		{"timestamp_ntz", "TIMESTAMP_NTZ '2024-01-01'", ClassUnsupportedDT, "use TIMESTAMP", 0, 1},
		{"bad hex", "X'0G'", ClassTypedLiteral, `typed literal "X" is invalid`, 0, 1},
		{"tinyint range", "300Y", ClassNumericRange, "Numeric literal 300 is outside the valid range for tinyint with minimum value of -128 and maximum value of 127", 0, 1},
		{"bigint range", "9223372036854775808L", ClassNumericRange, "outside the valid range for bigint", 0, 1},
		{"double range", "1e400", ClassNumericRange, "outside the valid range for double", 0, 1},
		{"too many digits", "123456789012345678901234567890123456789", ClassNumericRange, "does not fit a decimal", 0, 1},
		{"interval bad unit", "INTERVAL 10 PARSECS", ClassSyntax, "expected an interval unit", 12, 1},
		{"interval mixed", "INTERVAL 1 MONTH 2 DAYS", ClassUnsupportedSQL, "cannot mix months", 0, 1},
		{"interval to", "INTERVAL '1 10' DAY TO HOUR", ClassUnsupportedSQL, "INTERVAL ... TO ... is not supported", 20, 1},
		{"interval bad string", "INTERVAL 'soon'", ClassSyntax, "Error parsing 'soon' to interval", 9, 1},
		{"dot star after call", "f(x).*", ClassSyntax, "'.*' must follow a column", 5, 1},
		{"is garbage", "a IS 5", ClassSyntax, "expected NULL, NOT NULL", 5, 1},
		{"extract bad field", "EXTRACT(CENTURY FROM ts)", ClassSyntax, "expected a field such as YEAR", 8, 1},
		{"scalar subquery", "(SELECT 1)", ClassUnsupportedSQL, "scalar subqueries are not supported", 1, 1},
		{"filter clause", "count(x) FILTER (WHERE y)", ClassUnsupportedSQL, "FILTER (WHERE ...) is not supported", 9, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseExpr(tc.in)
			if err == nil {
				t.Fatalf("ParseExpr(%q) = %s, want an error", tc.in, show(e))
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T (%v) is not a *ParseError", err, err)
			}
			if pe.Class != tc.class {
				t.Errorf("Class = %q, want %q (%v)", pe.Class, tc.class, err)
			}
			if tc.msg != "" && !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("Msg = %q, want it to contain %q", pe.Msg, tc.msg)
			}
			if tc.line != 0 && (pe.Col != tc.pos || pe.Line != tc.line) {
				t.Errorf("position = line %d pos %d, want line %d pos %d\n%v", pe.Line, pe.Col, tc.line, tc.pos, err)
			}
		})
	}
}

func TestParseErrorText(t *testing.T) {
	_, err := ParseExpr("a + (b\n * )")
	want := "[PARSE_SYNTAX_ERROR] Syntax error at or near ')'. (line 2, pos 3)\n\n" +
		"== SQL ==\n" +
		"a + (b\n" +
		" * )\n" +
		"---^^^"
	if err == nil || err.Error() != want {
		t.Errorf("error text\n got %q\nwant %q", err, want)
	}
	var pe *ParseError
	if errors.As(err, &pe) && pe.Offset != 10 {
		t.Errorf("Offset = %d, want 10", pe.Offset)
	}

	_, err = ParseExpr("upper(a")
	want = "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input: missing ')'. (line 1, pos 7)\n\n" +
		"== SQL ==\nupper(a\n-------^^^"
	if err == nil || err.Error() != want {
		t.Errorf("error text\n got %q\nwant %q", err, want)
	}

	_, err = ParseExpr("CAST(a AS VARCHAR(5))")
	var ute *types.UnsupportedTypeError
	if !errors.As(err, &ute) || ute.Type != "VARCHAR(5)" {
		t.Errorf("errors.As(*types.UnsupportedTypeError) failed or Type wrong: %v", err)
	}
}

func TestDeepNesting(t *testing.T) {
	in := strings.Repeat("(", 10000) + "a" + strings.Repeat(")", 10000)
	if _, err := ParseExpr(in); err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Errorf("deep nesting: err = %v, want a nesting error", err)
	}
	in = strings.Repeat("array<", 10000) + "int" + strings.Repeat(">", 10000)
	if _, err := ParseDataType(in); err == nil {
		t.Error("deeply nested type parsed, want an error")
	}
	ok := strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100)
	if _, err := ParseExpr(ok); err != nil {
		t.Errorf("100 levels: %v", err)
	}
}

func TestHostileNumbers(t *testing.T) {
	for _, in := range []string{"1e999999999BD", "INTERVAL 1e999999999 SECONDS", "1e-999999999BD", strings.Repeat("9", 100000)} {
		t.Run(in[:10], func(t *testing.T) {
			if _, err := ParseExpr(in); err == nil {
				t.Errorf("ParseExpr(%.20q) succeeded, want a range error", in)
			}
		})
	}
}
