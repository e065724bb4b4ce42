package sqlparse

import "github.com/gostream/gostream/engine/internal/sqlsyntax"

// Error classes of ParseError, Spark's own.
const (
	ClassSyntax         = sqlsyntax.ClassSyntax
	ClassTypedLiteral   = sqlsyntax.ClassTypedLiteral
	ClassUnsupportedDT  = sqlsyntax.ClassUnsupportedDT
	ClassNumericRange   = sqlsyntax.ClassNumericRange
	ClassUnsupportedSQL = sqlsyntax.ClassUnsupportedSQL
)

// ParseError is a syntax or literal error at a position of the parsed text.
// Its text follows Spark's ParseException:
//
//	[PARSE_SYNTAX_ERROR] Syntax error at or near ')': missing ')'. (line 1, pos 7)
//
//	== SQL ==
//	a + (b
//	-------^^^
type ParseError = sqlsyntax.ParseError
