package sqlparse

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseInterval(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"10 seconds", 10 * time.Second},
		{"1 second", time.Second},
		{"1 minute", time.Minute},
		{"2 hours", 2 * time.Hour},
		{"1 day", 24 * time.Hour},
		{"2 weeks", 14 * 24 * time.Hour},
		{"1 hour 30 minutes", 90 * time.Minute},
		{"500 milliseconds", 500 * time.Millisecond},
		{"250 microseconds", 250 * time.Microsecond},
		{"10 sec", 10 * time.Second},
		{"10 secs", 10 * time.Second},
		{"5 min", 5 * time.Minute},
		{"5 mins", 5 * time.Minute},
		{"100 ms", 100 * time.Millisecond},
		{"3 h", 3 * time.Hour},
		{"3 hr", 3 * time.Hour},
		{"2 d", 48 * time.Hour},
		{"10s", 10 * time.Second},
		{"1h30m", 90 * time.Minute},
		{"1 HOUR", time.Hour},
		{"interval 10 seconds", 10 * time.Second},
		{"INTERVAL 1 day 2 hours", 26 * time.Hour},
		{"  10   seconds  ", 10 * time.Second},
		{"1.5 hours", 90 * time.Minute},
		{"0.5 seconds", 500 * time.Millisecond},
		{"0 seconds", 0},
		{"-10 seconds", -10 * time.Second},
		{"1 hour -30 minutes", 30 * time.Minute},
		{"1 day, 2 hours", 26 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseInterval(tc.in)
			if err != nil {
				t.Fatalf("ParseInterval(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParseInterval(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseIntervalErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "it has no value and unit"},
		{"interval", "it has no value and unit"},
		{"10", "missing the unit after '10'"},
		{"ten seconds", "unrecognized number 'ten'"},
		{"10 parsecs", "invalid unit 'parsecs'"},
		{"1 month", "months or years, which have no fixed length; use days instead"},
		{"1 year", "months or years"},
		{"1.5 months", "fraction of a month"},
		{"- seconds", "expect a number after '-'"},
		{"100000000 days", "is longer than"},
		{"99999999999999999999 seconds", "out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseInterval(tc.in)
			if err == nil {
				t.Fatalf("ParseInterval(%q) = %v, want an error", tc.in, got)
			}
			if !errors.Is(err, ErrInvalidInterval) {
				t.Errorf("error %v does not wrap ErrInvalidInterval", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestParseNonNegativeInterval(t *testing.T) {
	if d, err := ParseNonNegativeInterval("10 seconds"); err != nil || d != 10*time.Second {
		t.Errorf("ParseNonNegativeInterval(10 seconds) = %v, %v", d, err)
	}
	if d, err := ParseNonNegativeInterval("0 seconds"); err != nil || d != 0 {
		t.Errorf("ParseNonNegativeInterval(0 seconds) = %v, %v", d, err)
	}
	_, err := ParseNonNegativeInterval("-10 seconds")
	if err == nil || !errors.Is(err, ErrInvalidInterval) || !strings.Contains(err.Error(), "'-10 seconds' is negative") {
		t.Errorf("ParseNonNegativeInterval(-10 seconds) error = %v", err)
	}
	if _, err := ParseNonNegativeInterval("bogus"); err == nil {
		t.Error("ParseNonNegativeInterval(bogus) succeeded")
	}
}
