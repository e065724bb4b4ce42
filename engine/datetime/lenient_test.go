package datetime

import (
	"testing"
	"time"
)

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

func TestCivilRoundTrip(t *testing.T) {
	for days := int64(-800000); days < 800000; days += 97 {
		y, m, d := CivilFromDays(days)
		if back := DaysFromCivil(y, m, d); back != days {
			t.Fatalf("days %d -> %d-%d-%d -> %d", days, y, m, d, back)
		}
		want := time.Unix(days*86400, 0).UTC()
		if int(y) != want.Year() || m != int(want.Month()) || d != want.Day() {
			t.Fatalf("days %d: got %d-%d-%d, want %s", days, y, m, d, want.Format("2006-01-02"))
		}
	}
}

func TestStringToDate(t *testing.T) {
	tests := []struct {
		input string
		want  string // "" when not a date
	}{
		{"2024-05-01", "2024-05-01"},
		{" 2024-5-1 ", "2024-05-01"},
		{"2024", "2024-01-01"},
		{"2024-02-29 anything", "2024-02-29"},
		{"-0044-03-15", "-0044-03-15"},
		{"+12024-01-01", "12024-01-01"},
		{"2023-02-29", ""},
		{"2024-01-011", ""},
		{"12345678-01-01", ""},
		{"2024x", ""},
	}
	for _, tc := range tests {
		t.Run(tc.input, func(t *testing.T) {
			days, ok := StringToDate(tc.input)
			if !ok {
				if tc.want != "" {
					t.Fatalf("not a date, want %s", tc.want)
				}
				if _, err := ParseDate(tc.input); err == nil {
					t.Error("ParseDate accepted what StringToDate refused")
				}
				return
			}
			if got := FormatDate(days); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestAppendTimestamp(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	tests := []struct {
		at   int64
		loc  *time.Location
		want string
	}{
		{0, nil, "1970-01-01 00:00:00"},
		{micros(2024, 5, 1, 10, 0, 3, 250000), nil, "2024-05-01 10:00:03.25"},
		{micros(2024, 5, 1, 10, 0, 3, 1), nil, "2024-05-01 10:00:03.000001"},
		{-1, nil, "1969-12-31 23:59:59.999999"},
		{micros(2024, 5, 1, 10, 0, 3, 0), paris, "2024-05-01 12:00:03"},
		{micros(999, 1, 2, 3, 4, 5, 0), nil, "0999-01-02 03:04:05"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := FormatTimestamp(tc.at, tc.loc); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			back, ok := StringToTimestamp(tc.want, tc.loc)
			if !ok || back != tc.at {
				t.Errorf("StringToTimestamp(%q) = %d %v, want %d", tc.want, back, ok, tc.at)
			}
		})
	}
}

func TestLoadZone(t *testing.T) {
	tests := []struct {
		name   string
		offset int // seconds east of UTC at 2024-01-01
		bad    bool
	}{
		{"UTC", 0, false}, {"z", 0, false}, {"GMT", 0, false}, {"+08:00", 8 * 3600, false},
		{"UTC+8", 8 * 3600, false}, {"GMT-05:30", -(5*3600 + 30*60), false}, {"+0130", 5400, false},
		{"Asia/Tokyo", 9 * 3600, false}, {"Mars/Base", 0, true}, {"+25:00", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := LoadZone(tc.name)
			if tc.bad {
				if err == nil {
					t.Errorf("got %v, want an error", loc)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, off := time.Date(2024, 1, 1, 0, 0, 0, 0, loc).Zone(); off != tc.offset {
				t.Errorf("offset %d, want %d", off, tc.offset)
			}
		})
	}
}
