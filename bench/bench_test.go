package main

import (
	"runtime"
	"strings"
	"testing"
)

func TestParseCores(t *testing.T) {
	tests := []struct {
		in      string
		want    []int
		wantErr bool
	}{
		{"1", []int{1}, false},
		{"1,all", []int{1, runtime.NumCPU()}, false},
		{" 2 , 4", []int{2, 4}, false},
		{"0", nil, true},
		{"many", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseCores(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"millions", human(12_345_678, "events/s"), "12.35 M events/s"},
		{"thousands", human(155_000, "/core"), "155.0 K /core"},
		{"small", human(42, "rows"), "42 rows"},
		{"milliseconds", human(2.5, "ms"), "2.50 ms"},
		{"microseconds", human(0.004, "ms"), "0.004 ms"},
		{"megabytes", human(227.4, "MB/s"), "227 MB/s"},
		{"large ratio", ratio(12e6, 155e3), "77.4x"},
		{"ratio", ratio(3, 2), "1.50x"},
		{"tiny ratio", ratio(0.004, 100), "1/25000"},
		{"no base", ratio(1, 0), ""},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestSameGroups(t *testing.T) {
	a := []aggGroup{{2, 1, 5}, {1, 3, 4}}
	if err := sameGroups(a, []aggGroup{{1, 3, 4}, {2, 1, 5}}); err != nil {
		t.Errorf("same groups in another order: %v", err)
	}
	if err := sameGroups(a, []aggGroup{{1, 3, 4}, {2, 1, 6}}); err == nil || !strings.Contains(err.Error(), "group 1") {
		t.Errorf("different sums: %v, want an error naming group 1", err)
	}
	if err := sameGroups(a, a[:1]); err == nil {
		t.Error("different group counts: no error")
	}
}

// TestNexmarkQueriesRun runs every query of the bench on a small input.
func TestNexmarkQueriesRun(t *testing.T) {
	for _, q := range nexmarkQueries {
		t.Run(q.name, func(t *testing.T) {
			run, err := runNexmarkQuery(q, 300_000)
			if err != nil {
				t.Fatal(err)
			}
			if run.events != 300_000 || run.outRows == 0 || run.elapsed <= 0 {
				t.Fatalf("run %+v: want 300,000 events, some output rows and a duration", run)
			}
		})
	}
}
