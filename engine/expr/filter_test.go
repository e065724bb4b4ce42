package expr

import (
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

func TestFilterRecord(t *testing.T) {
	mem := checked(t)
	rec := fixture(t, mem)
	defer rec.Release()
	for _, tc := range []struct {
		name   string
		mask   []any
		sliced bool
		want   []int // rows of rec kept
	}{
		{"some rows", []any{true, false, nil, true}, false, []int{0, 3}},
		{"all rows", []any{true, true, true, true}, false, []int{0, 1, 2, 3}},
		{"no rows", []any{false, false, nil, false}, false, nil},
		{"sliced record", []any{false, true, true}, true, []int{2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := rec
			if tc.sliced {
				in = rec.NewSlice(1, 4)
				defer in.Release()
			}
			mb := array.NewBooleanBuilder(mem)
			for _, v := range tc.mask {
				appendValue(mb, v)
			}
			mask := mb.NewBooleanArray()
			mb.Release()
			defer mask.Release()
			out := FilterRecordAlloc(mem, in, mask)
			defer out.Release()
			if int(out.NumRows()) != len(tc.want) {
				t.Fatalf("got %d rows, want %d", out.NumRows(), len(tc.want))
			}
			for ci := 0; ci < int(rec.NumCols()); ci++ {
				got := arrayValues(out.Column(ci))
				var want []any
				for _, r := range tc.want {
					want = append(want, valueAt(rec.Column(ci), r))
				}
				if len(want) == 0 {
					want = []any{}
				}
				if d := diff(got, want); d != "" {
					t.Errorf("column %s:\n%s", rec.ColumnName(ci), d)
				}
			}
		})
	}
}

func TestTakeRecordNulls(t *testing.T) {
	mem := checked(t)
	rec := fixture(t, mem)
	defer rec.Release()
	a := Take(mem, rec.Column(3), []int32{3, -1, 0, 0})
	defer a.Release()
	if d := diff(arrayValues(a), []any{"a,b,,c", nil, "Hello", "Hello"}); d != "" {
		t.Error(d)
	}
}

func TestExplode(t *testing.T) {
	mem := checked(t)
	rec := fixture(t, mem)
	defer rec.Release()
	vals, parents := Explode(rec.Column(7))
	defer vals.Release()
	if d := diff(arrayValues(vals), []any{int64(1), int64(2), int64(3), int64(4), nil}); d != "" {
		t.Error(d)
	}
	want := []int32{0, 0, 0, 3, 3}
	if len(parents) != len(want) {
		t.Fatalf("parents %v, want %v", parents, want)
	}
	for i := range want {
		if parents[i] != want[i] {
			t.Fatalf("parents %v, want %v", parents, want)
		}
	}
	entries, mp := Explode(rec.Column(8))
	defer entries.Release()
	if entries.DataType().ID() != arrow.STRUCT || len(mp) != 3 {
		t.Errorf("map explode: %s with parents %v", entries.DataType(), mp)
	}
}

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"10 seconds", 10e6, false},
		{"1 second", 1e6, false},
		{"1 minute", 60e6, false},
		{"2 hours", 7200e6, false},
		{"1 day", 86400e6, false},
		{"1 week", 7 * 86400e6, false},
		{"interval 5 minutes", 300e6, false},
		{"1 hour 30 mins", 5400e6, false},
		{"500 milliseconds", 500e3, false},
		{"10 secs", 10e6, false},
		{"10s", 10e6, false},
		{"-5 seconds", -5e6, false},
		{"1 month", 0, true},
		{"ten seconds", 0, true},
		{"10 parsecs", 0, true},
		{"", 0, true},
	} {
		got, err := ParseDuration(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestWindowAssign(t *testing.T) {
	spec, err := ValidateWindow(nil, TypeTimestamp, "10 seconds", "5 seconds", "")
	if err != nil {
		t.Fatal(err)
	}
	starts, rows := spec.Assign([]int64{12e6, -1e6, 15e6}, nil)
	wantStarts := []int64{10e6, 5e6, -5e6, -10e6, 15e6, 10e6}
	wantRows := []int32{0, 0, 1, 1, 2, 2}
	if len(starts) != len(wantStarts) {
		t.Fatalf("starts %v rows %v, want %v %v", starts, rows, wantStarts, wantRows)
	}
	for i := range starts {
		if starts[i] != wantStarts[i] || rows[i] != wantRows[i] {
			t.Fatalf("starts %v rows %v, want %v %v", starts, rows, wantStarts, wantRows)
		}
	}
	off, err := ValidateWindow(nil, TypeTimestamp, "1 hour", "", "15 minutes")
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := off.Assign([]int64{3600e6}, nil); len(s) != 1 || s[0] != 900e6 {
		t.Errorf("offset window start: got %v, want [900000000]", s)
	}
}
