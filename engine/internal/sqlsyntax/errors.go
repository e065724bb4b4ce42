package sqlsyntax

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error classes of ParseError, Spark's own.
const (
	ClassSyntax         = "PARSE_SYNTAX_ERROR"
	ClassTypedLiteral   = "INVALID_TYPED_LITERAL"
	ClassUnsupportedDT  = "UNSUPPORTED_DATATYPE"
	ClassNumericRange   = "INVALID_NUMERIC_LITERAL_RANGE"
	ClassUnsupportedSQL = "UNSUPPORTED_FEATURE"
)

// ParseError is a syntax or literal error at a position of the parsed text.
// Its text follows Spark's ParseException:
//
//	[PARSE_SYNTAX_ERROR] Syntax error at or near ')': missing ')'. (line 1, pos 7)
//
//	== SQL ==
//	a + (b
//	-------^^^
type ParseError struct {
	// Class is Spark's error class, one of the Class constants.
	Class string
	// Msg says what is wrong, without class or position.
	Msg string
	// Offset is the byte offset of the offending token in Input.
	Offset int
	// Line is 1-based; Col is the 0-based character position in that line
	// (Spark's "pos").
	Line, Col int
	// Input is the text that was parsed.
	Input string
	// Err is the underlying cause, such as a *types.UnsupportedTypeError.
	Err error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("[" + e.Class + "] " + e.Msg)
	if !strings.HasSuffix(e.Msg, ".") {
		b.WriteByte('.')
	}
	b.WriteString(" (line " + strconv.Itoa(e.Line) + ", pos " + strconv.Itoa(e.Col) + ")\n\n== SQL ==\n")
	lines := strings.Split(e.Input, "\n")
	for i, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
		if i == e.Line-1 {
			b.WriteString(strings.Repeat("-", e.Col) + "^^^\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Unwrap returns the underlying cause, if any.
func (e *ParseError) Unwrap() error { return e.Err }

// NewError builds a ParseError at byte offset off of input.
func NewError(input string, off int, class, msg string, cause error) *ParseError {
	if off > len(input) {
		off = len(input)
	}
	line := 1 + strings.Count(input[:off], "\n")
	start := strings.LastIndexByte(input[:off], '\n') + 1
	return &ParseError{
		Class: class, Msg: msg, Offset: off,
		Line: line, Col: utf8.RuneCountInString(input[start:off]),
		Input: input, Err: cause,
	}
}
