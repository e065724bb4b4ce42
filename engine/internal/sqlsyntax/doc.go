// Package sqlsyntax is the token level of the engine's SQL: the lexer, a
// token cursor with Spark's syntax errors (ParseError), and the grammar of
// data types and DDL schemas ("a INT, b ARRAY<STRING>"). Package sqlparse
// builds its expression grammar on the cursor; package expr reads the
// schema strings of from_json with ParseDataType and ParseDDL. It builds no
// expressions, so both can import it.
package sqlsyntax
