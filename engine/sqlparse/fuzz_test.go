package sqlparse

import (
	"errors"
	"testing"
)

func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{
		"a + 1", "cast(value as string) as value", "CASE WHEN a THEN 'x' ELSE NULL END",
		"count(DISTINCT x)", "a.b[0].c", "f(x).y", "INTERVAL 1 HOUR 30 MINUTES", "X'0AFF'",
		"a NOT BETWEEN 1 AND 2", "x::array<struct<a:int>>", "'\\u00e9' || \"b\"", "-2147483648",
		"12.5BD", "a IS NOT DISTINCT FROM b", "`a``b`.*", "/* c */ a -- d", "DATE '2024-01-01'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(err error) {
			var pe *ParseError
			if err != nil && !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			if pe != nil {
				_ = pe.Error() // renders without panicking
				if pe.Offset < 0 || pe.Offset > len(s) || pe.Line < 1 || pe.Col < 0 {
					t.Fatalf("bad position %+v for %q", pe, s)
				}
			}
		}
		_, err := ParseExpr(s)
		check(err)
		_, err = ParseSelectItem(s)
		check(err)
		_, err = ParseDataType(s)
		check(err)
		_, err = ParseDDL(s)
		check(err)
		_, _ = ParseInterval(s)
		_, _ = ParseColumnPath(s)
	})
}

// BenchmarkParseSelectList parses a typical selectExpr list.
func BenchmarkParseSelectList(b *testing.B) {
	items := []string{
		"cast(value as string) as value",
		"window(timestamp, '10 minutes', '5 minutes') AS w",
		"upper(trim(name)) name",
		"CASE WHEN amount > 100 THEN 'big' WHEN amount > 10 THEN 'mid' ELSE 'small' END AS size",
		"count(DISTINCT userId) AS users",
		"from_json(cast(value AS string), 'a INT, b STRING').a",
		"price * quantity * (1 - discount) AS total",
		"ts BETWEEN TIMESTAMP '2024-01-01 00:00:00' AND TIMESTAMP '2024-02-01 00:00:00' AS jan",
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, s := range items {
			if _, err := ParseSelectItem(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}
