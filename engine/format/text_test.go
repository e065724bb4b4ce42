package format

import (
	"bytes"
	"errors"
	"testing"
)

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name  string
		opts  TextOptions
		input string
		want  []string
	}{
		{"lines", TextOptions{}, "a\nb c\r\n\nd", []string{"{a}", "{b c}", "{}", "{d}"}},
		{"final line break", TextOptions{}, "a\nb\n", []string{"{a}", "{b}"}},
		{"carriage returns", TextOptions{}, "a\rb\r\n", []string{"{a}", "{b}"}},
		{"custom separator", TextOptions{LineSep: "|"}, "a|b\n|c", []string{"{a}", "{b\n}", "{c}"}},
		{"wholetext", TextOptions{WholeText: true}, "a\nb\n", []string{"{a\nb\n}"}},
		{"empty", TextOptions{}, "", []string{}},
		{"empty wholetext", TextOptions{WholeText: true}, "", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := checkedMem(t)
			rec, stats, err := DecodeText([]byte(tc.input), tc.opts, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			if got := rowStrings(rec); !equalStrings(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if !rec.Schema().Equal(TextSchema) || stats.Rows != int64(len(tc.want)) {
				t.Errorf("schema %s, stats %+v", rec.Schema(), stats)
			}
		})
	}
}

func TestTextRoundTrip(t *testing.T) {
	mem := checkedMem(t)
	in := "first\nsecond line\n\nlast\n"
	rec, _, err := DecodeText([]byte(in), TextOptions{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	var buf bytes.Buffer
	if err := EncodeText(&buf, rec); err != nil {
		t.Fatal(err)
	}
	if buf.String() != in {
		t.Errorf("got %q, want %q", buf.String(), in)
	}
	two := jsonRecord(t, mem, schemaOf(field("a", strType), field("b", strType)), `{"a":"x"}`)
	defer two.Release()
	if err := EncodeText(&buf, two); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("two columns: err = %v, want ErrUnsupportedType", err)
	}
}
