package format

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

func TestTimeFormatParse(t *testing.T) {
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
			f, err := ParseTimestampPattern(tc.pattern)
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

func TestTimeFormatParseErrors(t *testing.T) {
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
			f, err := ParseTimestampPattern(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if v, err := f.ParseTimestamp(tc.input, nil); !errors.Is(err, ErrTimeParse) {
				t.Errorf("got %v, %v; want an ErrTimeParse error", v, err)
			}
		})
	}
}

func TestParseTimestampPatternErrors(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{"yyyy-MM-dd'T", "unterminated quote"},
		{"yyyy[-MM", "unbalanced '['"},
		{"yyyy]", "unbalanced ']'"},
		{"yyyy-MMMMM", `"M" is not supported (5 letters)`},
		{"yyyy-ww", `unknown pattern letter "w"`},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			_, err := ParseTimestampPattern(tc.pattern)
			if !errors.Is(err, ErrTimePattern) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrTimePattern containing %q", err, tc.want)
			}
		})
	}
}

func TestTimeFormatFormat(t *testing.T) {
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
			f, err := ParseTimestampPattern(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.FormatTimestamp(tc.at, tc.loc); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseTimestampLenient(t *testing.T) {
	tests := []struct {
		input string
		want  int64
		ok    bool
	}{
		{"2024-05-01 10:00:03", micros(2024, 5, 1, 10, 0, 3, 0), true},
		{"2024-05-01T10:00:03", micros(2024, 5, 1, 10, 0, 3, 0), true},
		{"2024-05-01T10:00:03.123456789", micros(2024, 5, 1, 10, 0, 3, 123456), true},
		{"2024-05-01T10:00:03Z", micros(2024, 5, 1, 10, 0, 3, 0), true},
		{"2024-05-01T10:00:03+05:30", micros(2024, 5, 1, 4, 30, 3, 0), true},
		{"2024-05-01T10:00:03-0100", micros(2024, 5, 1, 11, 0, 3, 0), true},
		{"2024-05-01 10:00:03 UTC+1", micros(2024, 5, 1, 9, 0, 3, 0), true},
		{"2024-05-01 10:00:03 Europe/Paris", micros(2024, 5, 1, 8, 0, 3, 0), true},
		{" 2024-05-01 ", micros(2024, 5, 1, 0, 0, 0, 0), true},
		{"2024-05", micros(2024, 5, 1, 0, 0, 0, 0), true},
		{"2024", micros(2024, 1, 1, 0, 0, 0, 0), true},
		{"2024-05-01T", micros(2024, 5, 1, 0, 0, 0, 0), true},
		{"2024-05-01 7:5", micros(2024, 5, 1, 7, 5, 0, 0), true},
		{"24-05-01", 0, false},
		{"2024-05-32", 0, false},
		{"2024-05-01 24:00:00", 0, false},
		{"2024-05-01 10:00:03 Nowhere/Land", 0, false},
		{"yesterday", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.input, func(t *testing.T) {
			got, err := ParseTimestamp(tc.input, nil)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if got != tc.want {
				t.Errorf("got %v, want %v", time.UnixMicro(got).UTC(), time.UnixMicro(tc.want).UTC())
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
				var f *TimeFormat
				if f, err = ParseTimestampPattern(tc.pattern); err == nil {
					days, err = f.ParseDate(tc.input)
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := MustTimeFormat(DefaultDatePattern).FormatDate(days); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCivilRoundTrip(t *testing.T) {
	for days := int64(-800000); days < 800000; days += 97 {
		y, m, d := civilFromDays(days)
		if back := daysFromCivil(y, m, d); back != days {
			t.Fatalf("days %d -> %d-%d-%d -> %d", days, y, m, d, back)
		}
		want := time.Unix(days*86400, 0).UTC()
		if int(y) != want.Year() || m != int(want.Month()) || d != want.Day() {
			t.Fatalf("days %d: got %d-%d-%d, want %s", days, y, m, d, want.Format("2006-01-02"))
		}
	}
}
