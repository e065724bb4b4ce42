package fileindex

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestParseOptions(t *testing.T) {
	def := DefaultOptions()
	with := func(f func(*Options)) Options { o := def; f(&o); return o }
	tests := []struct {
		name    string
		in      map[string]string
		want    Options
		wantErr string
	}{
		{name: "defaults", in: nil, want: def},
		{name: "unknown keys ignored", in: map[string]string{"header": "true", "path": "/x"}, want: def},
		{name: "maxFilesPerTrigger", in: map[string]string{"maxFilesPerTrigger": "5"}, want: with(func(o *Options) { o.MaxFilesPerTrigger = 5 })},
		{name: "keys are case-insensitive", in: map[string]string{"MAXFILESPERTRIGGER": "2", "latestfirst": "TRUE"},
			want: with(func(o *Options) { o.MaxFilesPerTrigger = 2; o.LatestFirst = true })},
		{name: "maxFilesPerTrigger not a number", in: map[string]string{"maxFilesPerTrigger": "abc"},
			wantErr: "Invalid value 'abc' for option 'maxFilesPerTrigger', must be a positive integer"},
		{name: "maxFilesPerTrigger zero", in: map[string]string{"maxFilesPerTrigger": "0"},
			wantErr: "Invalid value '0' for option 'maxFilesPerTrigger', must be a positive integer"},
		{name: "maxFilesPerTrigger negative", in: map[string]string{"maxFilesPerTrigger": "-3"},
			wantErr: "Invalid value '-3' for option 'maxFilesPerTrigger', must be a positive integer"},
		{name: "maxFilesPerTrigger over int range", in: map[string]string{"maxFilesPerTrigger": "3000000000"},
			wantErr: "Invalid value '3000000000' for option 'maxFilesPerTrigger', must be a positive integer"},
		{name: "maxBytesPerTrigger", in: map[string]string{"maxBytesPerTrigger": "1048576"},
			want: with(func(o *Options) { o.MaxBytesPerTrigger = 1 << 20 })},
		{name: "maxBytesPerTrigger bad", in: map[string]string{"maxBytesPerTrigger": "1mb"},
			wantErr: "Invalid value '1mb' for option 'maxBytesPerTrigger', must be a positive integer"},
		{name: "both caps", in: map[string]string{"maxBytesPerTrigger": "10", "maxFilesPerTrigger": "1"},
			wantErr: "Options 'maxFilesPerTrigger' and 'maxBytesPerTrigger' can't be both set at the same time"},
		{name: "latestFirst bad", in: map[string]string{"latestFirst": "yes"},
			wantErr: "Invalid value 'yes' for option 'latestFirst', must be 'true' or 'false'"},
		{name: "fileNameOnly", in: map[string]string{"fileNameOnly": "true"}, want: with(func(o *Options) { o.FileNameOnly = true })},
		{name: "fileNameOnly bad", in: map[string]string{"fileNameOnly": "1"},
			wantErr: "Invalid value '1' for option 'fileNameOnly', must be 'true' or 'false'"},
		{name: "maxFileAge days", in: map[string]string{"maxFileAge": "2d"}, want: with(func(o *Options) { o.MaxFileAge = 48 * time.Hour })},
		{name: "maxFileAge bare ms", in: map[string]string{"maxFileAge": "1500"}, want: with(func(o *Options) { o.MaxFileAge = 1500 * time.Millisecond })},
		{name: "maxFileAge bad", in: map[string]string{"maxFileAge": "a week"},
			wantErr: "Invalid value 'a week' for option 'maxFileAge': Time must be specified as seconds (s), milliseconds (ms), microseconds (us), minutes (m or min), hour (h), or day (d). E.g. 50s, 100ms, or 250us."},
		{name: "maxFileAge bad suffix", in: map[string]string{"maxFileAge": "3w"}, wantErr: `Invalid value '3w' for option 'maxFileAge': Invalid suffix: "w"`},
		{name: "maxFileAge negative", in: map[string]string{"maxFileAge": "-1h"}, wantErr: "Invalid value '-1h' for option 'maxFileAge': must not be negative"},
		{name: "cleanSource delete", in: map[string]string{"cleanSource": "DELETE"}, want: with(func(o *Options) { o.CleanSource = CleanDelete })},
		{name: "cleanSource archive", in: map[string]string{"cleanSource": "archive", "sourceArchiveDir": "/arch"},
			want: with(func(o *Options) { o.CleanSource = CleanArchive; o.SourceArchiveDir = "/arch" })},
		{name: "cleanSource archive without dir", in: map[string]string{"cleanSource": "archive"},
			wantErr: "Archive mode must be used with 'sourceArchiveDir' option."},
		{name: "cleanSource bad", in: map[string]string{"cleanSource": "move"},
			wantErr: "Invalid mode for clean source option move. Must be one of ARCHIVE,DELETE,OFF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseOptions(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v\nwant    %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseOptions = %+v; want %+v", got, tc.want)
			}
		})
	}
}

func TestMaxFileAgeIgnoredWithLatestFirstAndCap(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want int64
	}{
		{"default", DefaultOptions(), DefaultMaxFileAge.Milliseconds()},
		{"latestFirst alone", Options{LatestFirst: true, MaxFileAge: time.Hour}, time.Hour.Milliseconds()},
		{"latestFirst and maxFiles", Options{LatestFirst: true, MaxFilesPerTrigger: 1, MaxFileAge: time.Hour}, math.MaxInt64},
		{"latestFirst and maxBytes", Options{LatestFirst: true, MaxBytesPerTrigger: 1, MaxFileAge: time.Hour}, math.MaxInt64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.opts.maxFileAgeMs(); got != tc.want {
				t.Errorf("maxFileAgeMs = %d; want %d", got, tc.want)
			}
		})
	}
}

func TestParseTimeString(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7d", 7 * 24 * time.Hour, true}, {"50s", 50 * time.Second, true}, {"100ms", 100 * time.Millisecond, true},
		{"250us", 250 * time.Microsecond, true}, {"3m", 3 * time.Minute, true}, {"3min", 3 * time.Minute, true},
		{" 2H ", 2 * time.Hour, true}, {"10", 10 * time.Millisecond, true},
		{"", 0, false}, {"1.5h", 0, false}, {"h", 0, false}, {"99999999999999d", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTimeString(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("ParseTimeString(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}
