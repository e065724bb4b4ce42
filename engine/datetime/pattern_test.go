package datetime

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// micros builds the expected instant from a civil UTC time.
func micros(y, mo, d, h, mi, s, us int) int64 {
	return time.Date(y, time.Month(mo), d, h, mi, s, us*1000, time.UTC).UnixMicro()
}

func TestPatternParse(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	tests := []struct {
		pattern string
		input   string
		loc     *time.Location
		want    int64
	}{
		{"yyyy-MM-dd HH:mm:ss", "2024-05-01 10:00:03", nil, micros(2024, 5, 1, 10, 0, 3, 0)},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-05-01T10:00:03.120+02:00", nil, micros(2024, 5, 1, 8, 0, 3, 120000)},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-05-01T10:00:03.000Z", nil, micros(2024, 5, 1, 10, 0, 3, 0)},
		{"yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]", "2024-05-01T10:00:03", nil, micros(2024, 5, 1, 10, 0, 3, 0)},
		{"yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]", "2024-05-01T10:00:03.5-01:30", nil, micros(2024, 5, 1, 11, 30, 3, 500000)},
		{"dd/MM/yyyy hh:mm a", "01/05/2024 12:15 AM", nil, micros(2024, 5, 1, 0, 15, 0, 0)},
		{"dd/MM/yyyy hh:mm a", "01/05/2024 03:15 pm", nil, micros(2024, 5, 1, 15, 15, 0, 0)},
		{"EEE, d MMM yyyy HH:mm:ss Z", "Wed, 1 May 2024 10:00:03 +0200", nil, micros(2024, 5, 1, 8, 0, 3, 0)},
		{"MMMM d, yyyy", "february 29, 2024", nil, micros(2024, 2, 29, 0, 0, 0, 0)},
		{"yyyyMMddHHmmss", "20240501100003", nil, micros(2024, 5, 1, 10, 0, 3, 0)},
		{"yyyy-MM-dd HH:mm:ss z", "2024-05-01 10:00:03 UTC", ny, micros(2024, 5, 1, 10, 0, 3, 0)},
		{"yyyy-MM-dd HH:mm:ss VV", "2024-05-01 10:00:03 America/New_York", nil, micros(2024, 5, 1, 14, 0, 3, 0)},
		{"yyyy-MM-dd HH:mm:ss", "2024-05-01 10:00:03", ny, micros(2024, 5, 1, 14, 0, 3, 0)},
		{"yy-M-d H:m", "24-5-1 9:7", nil, micros(2024, 5, 1, 9, 7, 0, 0)},
		{"HH:mm", "10:30", nil, micros(1970, 1, 1, 10, 30, 0, 0)},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSSSS", "2024-05-01T10:00:03.000001", nil, micros(2024, 5, 1, 10, 0, 3, 1)},
		{"yyyy 'o''clock' HH", "2024 o'clock 07", nil, micros(2024, 1, 1, 7, 0, 0, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"/"+tc.input, func(t *testing.T) {
			f, err := Compile(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.ParseTimestamp(tc.input, tc.loc)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %v, want %v", time.UnixMicro(got).UTC(), time.UnixMicro(tc.want).UTC())
			}
		})
	}
}

func TestPatternParseErrors(t *testing.T) {
	tests := []struct{ pattern, input string }{
		{"yyyy-MM-dd", "2024-13-01"},
		{"yyyy-MM-dd", "2024-02-30"},
		{"yyyy-MM-dd", "2024-05-01 10:00"},
		{"yyyy-MM-dd HH:mm", "2024-05-01"},
		{"HH:mm", "25:00"},
		{"yyyy-MM-dd'T'HH:mm:ssXXX", "2024-05-01T10:00:03"},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"/"+tc.input, func(t *testing.T) {
			f, err := Compile(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if v, err := f.ParseTimestamp(tc.input, nil); !errors.Is(err, ErrParse) {
				t.Errorf("got %v, %v; want an ErrParse error", v, err)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{"yyyy-MM-dd'T", "unterminated quote"},
		{"yyyy[-MM", "unbalanced '['"},
		{"yyyy]", "unbalanced ']'"},
		{"yyyy-MMMMM", `"M" is not supported (5 letters)`},
		{"yyyy-ww", `unknown pattern letter "w"`},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			_, err := Compile(tc.pattern)
			if !errors.Is(err, ErrPattern) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrPattern containing %q", err, tc.want)
			}
		})
	}
}

func TestPatternFormat(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	ts := micros(2024, 5, 1, 10, 0, 3, 45000)
	tests := []struct {
		pattern string
		at      int64
		loc     *time.Location
		want    string
	}{
		{DefaultTimestampWritePattern, ts, nil, "2024-05-01T10:00:03.045Z"},
		{DefaultTimestampWritePattern, micros(2024, 5, 1, 10, 0, 3, 0), nil, "2024-05-01T10:00:03.000Z"},
		{DefaultTimestampWritePattern, ts, paris, "2024-05-01T12:00:03.045+02:00"},
		{"yyyy-MM-dd HH:mm:ss", ts, nil, "2024-05-01 10:00:03"},
		{"EEEE, MMMM d, yyyy h:mm a", ts, nil, "Wednesday, May 1, 2024 10:00 AM"},
		{"EEE MMM dd HH:mm:ss z yyyy", ts, paris, "Wed May 01 12:00:03 CEST 2024"},
		{"yy/M/d k K", micros(2024, 1, 2, 0, 0, 0, 0), nil, "24/1/2 24 0"},
		{"HH:mm:ss.SSSSSS Z X x ZZZZZ ZZZZ", ts, nil, "10:00:03.045000 +0000 Z +00 Z GMT"},
		{"XX XXX xxx", ts, paris, "+0200 +02:00 +02:00"},
		{"D", micros(2024, 12, 31, 0, 0, 0, 0), nil, "366"},
		{"yyyy-MM-dd HH:mm:ss", micros(1969, 12, 31, 23, 59, 59, 999999), nil, "1969-12-31 23:59:59"},
		{"'at' HH 'o''clock'", ts, nil, "at 10 o'clock"},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			f, err := Compile(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.FormatTimestamp(tc.at, tc.loc); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDatePatterns(t *testing.T) {
	tests := []struct {
		pattern, input string
		want           string
	}{
		{"", "2024-05-01", "2024-05-01"},
		{"", "2024-5-1T10:00", "2024-05-01"},
		{"dd.MM.yyyy", "07.03.2024", "2024-03-07"},
		{"yyyy-DDD", "2024-060", "2024-02-29"},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"/"+tc.input, func(t *testing.T) {
			var days int32
			var err error
			if tc.pattern == "" {
				days, err = ParseDate(tc.input)
			} else {
				var f *Pattern
				if f, err = Compile(tc.pattern); err == nil {
					days, err = f.ParseDate(tc.input)
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := MustCompile(DefaultDatePattern).FormatDate(days); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestPatternRoundTrip(t *testing.T) {
	us := micros(2024, 3, 5, 14, 7, 9, 12345)
	tests := []struct {
		pattern, formatted string
		parse              string
		parsed             int64
		ok                 bool
	}{
		{"yyyy-MM-dd HH:mm:ss", "2024-03-05 14:07:09", "2024-03-05 14:07:09", micros(2024, 3, 5, 14, 7, 9, 0), true},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSSSS", "2024-03-05T14:07:09.012345", "2024-03-05T14:07:09.012345", us, true},
		{"dd/MMM/yyyy:HH:mm:ss Z", "05/Mar/2024:14:07:09 +0000", "05/Mar/2024:14:07:09 +0100", micros(2024, 3, 5, 13, 7, 9, 0), true},
		{"h:mm a", "2:07 PM", "2:07 PM", micros(1970, 1, 1, 14, 7, 0, 0), true},
		{"yyyyMMdd", "20240305", "20240305", micros(2024, 3, 5, 0, 0, 0, 0), true},
		{"EEEE, MMMM d, yy", "Tuesday, March 5, 24", "Tuesday, March 5, 24", micros(2024, 3, 5, 0, 0, 0, 0), true},
		{"yyyy-MM-dd", "2024-03-05", "2024-3-5", 0, false},
		{"yyyy-MM-dd", "2024-03-05", "2024-02-30", 0, false},
		{"yyyy-MM-dd", "2024-03-05", "2024-03-05 extra", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"/"+tc.parse, func(t *testing.T) {
			p, err := Compile(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(p.AppendTimestamp(nil, us, nil)); got != tc.formatted {
				t.Errorf("format: got %q, want %q", got, tc.formatted)
			}
			got, ok := p.StringToTimestamp(tc.parse, nil)
			if ok != tc.ok || (ok && got != tc.parsed) {
				t.Errorf("parse: got %d %v, want %d %v", got, ok, tc.parsed, tc.ok)
			}
		})
	}
	if _, err := Compile("YYYY-ww"); err == nil {
		t.Error("week-based pattern letters must be refused")
	}
}

func TestPatternParseErrorText(t *testing.T) {
	tests := []struct{ pattern, input, want string }{
		{"yyyy-MM-dd", "2024-5-01", `cannot parse datetime "2024-5-01" with pattern "yyyy-MM-dd": expected 2 digits at position 5`},
		{"yyyy-MM-dd", "2024-02-30", "day 30 out of range for month 2"},
		{"yyyy-MM-dd", "2024-02-03x", `unparsed text "x" at position 10`},
		{"HH:mm", "24:00", "value 24 out of range [0, 23] at position 0"},
		{"yyyy MMM", "2024 Foo", "expected a name at position 5"},
		{"HH:mm VV", "10:00 Nowhere/Land", `unknown time zone "Nowhere/Land"`},
		{"HH:mm XXX", "10:00 +", "expected a zone offset at position 6"},
		{"'at' HH", "on 10", `expected "at " at position 0`},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"/"+tc.input, func(t *testing.T) {
			p := MustCompile(tc.pattern)
			_, err := p.ParseTimestamp(tc.input, nil)
			if !errors.Is(err, ErrParse) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrParse containing %q", err, tc.want)
			}
			if _, ok := p.StringToTimestamp(tc.input, nil); ok {
				t.Errorf("StringToTimestamp(%q) ok, want a failure", tc.input)
			}
		})
	}
}

func TestParseAllocations(t *testing.T) {
	p := MustCompile("yyyy-MM-dd HH:mm:ss.SSS")
	tests := []struct {
		name string
		f    func()
	}{
		{"lenient", func() { StringToTimestamp("2024-05-01 10:00:03.123456", nil) }},
		{"lenient bad", func() { StringToTimestamp("2024-05-01 25:00", nil) }},
		{"lenient date", func() { StringToDate("2024-05-01") }},
		{"pattern", func() { p.StringToTimestamp("2024-05-01 10:00:03.123", nil) }},
		{"pattern bad", func() { p.StringToTimestamp("2024-05-01 10:00", nil) }},
		{"format", func() { p.AppendTimestamp(make([]byte, 0, 64), 1714557603123456, nil) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(100, tc.f); got > 1 {
				t.Errorf("%v allocations per call, want at most 1", got)
			}
		})
	}
}
