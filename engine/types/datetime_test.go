package types_test

import (
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	. "github.com/gostream/gostream/engine/types"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when invalid
	}{
		{"2024-01-31", "2024-01-31"},
		{" 2024-1-5 ", "2024-01-05"},
		{"2024", "2024-01-01"},
		{"2024-03", "2024-03-01"},
		{"2024-02-29", "2024-02-29"},
		{"2024-02-29T10:00:00", "2024-02-29"},
		{"2024-02-29 garbage", "2024-02-29"},
		{"1969-12-31", "1969-12-31"},
		{"0001-01-01", "0001-01-01"},
		{"2023-02-29", ""},
		{"2024-13-01", ""},
		{"2024-00-01", ""},
		{"24-01-01", ""},
		{"2024/01/01", ""},
		{"2024-01-01x", ""},
		{"", ""},
		{"2024-01-011", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, ok := ParseDate(tc.in)
			if tc.want == "" {
				if ok {
					t.Errorf("ParseDate(%q) = %v, want invalid", tc.in, FormatDate(d))
				}
				return
			}
			if !ok {
				t.Fatalf("ParseDate(%q) invalid, want %s", tc.in, tc.want)
			}
			if got := FormatDate(d); got != tc.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tc.in, got, tc.want)
			}
			ref, _ := time.Parse("2006-01-02", tc.want)
			if int64(d) != ref.Unix()/86400 && ref.Unix() >= 0 {
				t.Errorf("ParseDate(%q) = day %d, want %d", tc.in, d, ref.Unix()/86400)
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	tests := []struct {
		in   string
		loc  *time.Location
		want string // RFC 3339 in UTC with microseconds; "" when invalid
	}{
		{"2024-01-01 10:00:00", nil, "2024-01-01T10:00:00.000000Z"},
		{"2024-01-01T10:00:00", nil, "2024-01-01T10:00:00.000000Z"},
		{"2024-01-01", nil, "2024-01-01T00:00:00.000000Z"},
		{"2024-01-01 10:00", nil, "2024-01-01T10:00:00.000000Z"},
		{"2024-01-01 1:2:3", nil, "2024-01-01T01:02:03.000000Z"},
		{"2024-01-01 10:00:00.5", nil, "2024-01-01T10:00:00.500000Z"},
		{"2024-01-01 10:00:00.123456789", nil, "2024-01-01T10:00:00.123456Z"},
		{"2024-01-01 10:00:00Z", nil, "2024-01-01T10:00:00.000000Z"},
		{"2024-01-01 10:00:00+02:00", nil, "2024-01-01T08:00:00.000000Z"},
		{"2024-01-01 10:00:00 -0130", nil, "2024-01-01T11:30:00.000000Z"},
		{"2024-01-01 10:00:00 UTC+01", nil, "2024-01-01T09:00:00.000000Z"},
		{"2024-01-01 10:00:00 Europe/Paris", nil, "2024-01-01T09:00:00.000000Z"},
		{"2024-07-01 10:00:00", paris, "2024-07-01T08:00:00.000000Z"},
		{"2024-07-01 10:00:00 UTC", paris, "2024-07-01T10:00:00.000000Z"},
		{"1969-12-31 23:59:59.999999", nil, "1969-12-31T23:59:59.999999Z"},
		{"2024-01-01 24:00:00", nil, ""},
		{"2024-01-01 10:60", nil, ""},
		{"2024-01-01 10", nil, ""},
		{"2024-01-01 10:00:00 Mars/Base", nil, ""},
		{"2024-01-01 10:00:00+25:00", nil, ""},
		{"yesterday", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			ts, ok := ParseTimestamp(tc.in, tc.loc)
			if tc.want == "" {
				if ok {
					t.Errorf("ParseTimestamp(%q) = %v, want invalid", tc.in, ts)
				}
				return
			}
			if !ok {
				t.Fatalf("ParseTimestamp(%q) invalid, want %s", tc.in, tc.want)
			}
			if got := time.UnixMicro(int64(ts)).UTC().Format("2006-01-02T15:04:05.000000Z07:00"); got != tc.want {
				t.Errorf("ParseTimestamp(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestFormatTimestamp(t *testing.T) {
	tests := []struct {
		micros int64
		want   string
	}{
		{0, "1970-01-01 00:00:00"},
		{1_704_103_200_000_000, "2024-01-01 10:00:00"},
		{1_704_103_200_250_000, "2024-01-01 10:00:00.25"},
		{1_704_103_200_000_001, "2024-01-01 10:00:00.000001"},
		{-1, "1969-12-31 23:59:59.999999"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := FormatTimestamp(arrow.Timestamp(tc.micros), nil); got != tc.want {
				t.Errorf("FormatTimestamp(%d) = %q, want %q", tc.micros, got, tc.want)
			}
			back, ok := ParseTimestamp(tc.want, nil)
			if !ok || int64(back) != tc.micros {
				t.Errorf("ParseTimestamp(FormatTimestamp) = %d, %v; want %d", back, ok, tc.micros)
			}
		})
	}
}

func BenchmarkParseTimestamp(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, ok := ParseTimestamp("2024-01-01 10:00:00.123456", nil); !ok {
			b.Fatal("invalid")
		}
	}
}
