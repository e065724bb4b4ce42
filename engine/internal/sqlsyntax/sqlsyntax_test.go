package sqlsyntax

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func TestLex(t *testing.T) {
	tests := []struct {
		in   string
		want string // kind:text per token
	}{
		{"a.b + 1.5e3", "1:a 6:. 1:b 6:+ 3:1.5e3 0:"},
		{"`x y` 'it''s' \"q\\n\"", "2:x y 4:it 4:s 4:q\n 0:"},
		{"X'0AFF' <=> -- comment\n10L", "5:0AFF 6:<=> 3:10L 0:"},
		{"'open", "8:'open"},
		{"a # b", "1:a 7:# 1:b 0:"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var parts []string
			for _, tok := range Lex(tc.in) {
				parts = append(parts, string(rune('0'+tok.Kind))+":"+tok.Text)
			}
			if got := strings.Join(parts, " "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseDataTypeAndDDL(t *testing.T) {
	dt, err := ParseDataType("map<string, array<struct<a: int, `b c`: decimal(5,2) NOT NULL>>>")
	if err != nil {
		t.Fatal(err)
	}
	want := arrow.MapOf(arrow.BinaryTypes.String, arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "b c", Type: &arrow.Decimal128Type{Precision: 5, Scale: 2}},
	)))
	if !arrow.TypeEqual(dt, want) {
		t.Errorf("got %s, want %s", dt, want)
	}
	schema, err := ParseDDL("a INT COMMENT 'x' 'y', b STRING NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := schema.String(), "schema:\n  fields: 2\n    - a: type=int32, nullable\n    - b: type=utf8"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"a INT", "array<int", "int extra", "struct<a int,>"} {
		_, err := ParseDataType(bad)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Class == "" {
			t.Errorf("ParseDataType(%q) = %v, want a *ParseError", bad, err)
		}
	}
}

func TestParserDepth(t *testing.T) {
	deep := strings.Repeat("array<", MaxDepth+1) + "int" + strings.Repeat(">", MaxDepth+1)
	if _, err := ParseDataType(deep); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("got %v, want a nesting error", err)
	}
}
