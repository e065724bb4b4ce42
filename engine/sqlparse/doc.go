// Package sqlparse reads the Spark SQL that DataFrame methods take as
// strings: expressions (expr, filter, selectExpr, orderBy keys), data type
// names, DDL schemas and duration strings. A hand-written lexer feeds a
// precedence-climbing parser that builds expr.Expr trees; it resolves no
// names and infers no types (expr.Bind does), and it never parses whole
// queries (SELECT ... FROM). The lexer, the token cursor, ParseError and
// the grammar of data types and DDL live in package internal/sqlsyntax,
// which expr imports too (for from_json's schema strings); the expression
// grammar here runs on that cursor.
//
// # Precedence
//
// From loosest to tightest, as Spark's grammar: OR; AND; NOT; predicates
// (IS [NOT] NULL / TRUE / FALSE / UNKNOWN / DISTINCT FROM, [NOT] IN (...),
// [NOT] LIKE / ILIKE / RLIKE / REGEXP, [NOT] BETWEEN); comparison (= == <=>
// != <> < <= > >=); |; ^; &; + - || (|| binds like + and -, as in Spark);
// * / % DIV; unary - + ~; then postfix a[i], a.b and x::type.
//
// # Trees built
//
//   - a.b.c is one *expr.ColumnRef with three parts; `a.b` (backticks) is one
//     part; "*" and "t.*" are *expr.Star.
//   - e[k] is *expr.GetItem (0-based array index or map key); f(x).y and
//     (e).y are *expr.GetField. A dotted name stays a ColumnRef.
//   - BETWEEN a AND b becomes x >= a AND x <= b; NOT IN, NOT LIKE, NOT
//     BETWEEN wrap the positive form in NOT; IS TRUE / IS FALSE become
//     x <=> TRUE / FALSE; IS UNKNOWN is IS NULL; IS DISTINCT FROM is
//     NOT (x <=> y); CASE x WHEN v ... compares x = v in each branch.
//   - ILIKE p becomes lower(x) LIKE lower(p); RLIKE and REGEXP set Like.RLike.
//     The pattern must be a string literal.
//   - CAST(x AS t), TRY_CAST(x AS t) and x::t are *expr.Cast (a failed cast
//     is null either way, as with spark.sql.ansi.enabled=false).
//   - (a, b) is struct(a, b); count(*) is count(1), as Spark's parser makes it.
//   - EXTRACT(YEAR FROM x) is year(x); likewise quarter, month, weekofyear,
//     day, dayofweek, dayofyear, hour, minute, second.
//
// Operators without an expr.BinaryOp become calls by these names (lower
// case, as every Call name):
//
//	a || b    concat(a, b)
//	a DIV b   div(a, b)
//	a & b     bitwise_and(a, b)
//	a | b     bitwise_or(a, b)
//	a ^ b     bitwise_xor(a, b)
//	~a        bitwise_not(a)
//	CURRENT_DATE, CURRENT_TIMESTAMP (no parentheses)  current_date(), current_timestamp()
//
// # Literals
//
// Integers are int32 when they fit, else int64, else decimal(digits, 0);
// suffixes L, S, Y make bigint, smallint, tinyint; BD makes a decimal with
// the written precision and scale. A minus sign before a number is part of
// the literal (-5 is a literal, as in Spark). Spark types an unsuffixed
// decimal such as 1.5 as decimal(2,1); here it is a float64 (double)
// literal, as are 1e3 and 1.5D; 1.5F is float32. Strings are 'single' or
// "double" quoted with backslash escapes; adjacent strings join ('a' 'b' is
// 'ab'); R'...' is raw. X'0AFF' is binary; TRUE, FALSE, NULL (type
// arrow.Null). DATE '2024-01-01' is an arrow.Date32 and TIMESTAMP
// '2024-01-01 10:00:00' an arrow.Timestamp in microseconds, read in UTC
// unless the string has a zone.
//
// INTERVAL literals (INTERVAL '10' SECOND, INTERVAL 10 SECONDS, INTERVAL
// 1 HOUR 30 MINUTES, INTERVAL '1 hour 30 minutes') are day-time intervals:
// a Literal whose Value is an arrow.Duration in microseconds and whose Type
// is arrow.FixedWidthTypes.Duration_us. Months and years make a year-month
// interval instead: Value arrow.MonthInterval, Type
// arrow.FixedWidthTypes.MonthInterval. One literal cannot mix the two.
//
// # Errors
//
// Every parse error is a *ParseError whose text follows Spark's
// ParseException: the error class, the message, "(line L, pos P)" and the
// input with a caret line under the offending token.
//
// Duration strings for withWatermark and window ("10 seconds", "1 hour 30
// minutes") are read by ParseInterval and ParseNonNegativeInterval.
package sqlparse
