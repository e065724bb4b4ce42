package expr

import (
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func TestTimestampIntervalArithmetic(t *testing.T) {
	mem := checked(t)
	hour := &Literal{Value: arrow.Duration(3600e6), Type: arrow.FixedWidthTypes.Duration_us}
	rec := makeRecord(t, mem, col("ts", TypeTimestamp, arrow.Timestamp(1000), nil, arrow.Timestamp(-5)))
	defer rec.Release()
	tests := []struct {
		name string
		e    Expr
		want []any
	}{
		{"timestamp + interval", bin(OpAdd, c("ts"), hour), []any{arrow.Timestamp(3600e6 + 1000), nil, arrow.Timestamp(3600e6 - 5)}},
		{"interval + timestamp", bin(OpAdd, hour, c("ts")), []any{arrow.Timestamp(3600e6 + 1000), nil, arrow.Timestamp(3600e6 - 5)}},
		{"timestamp - interval", bin(OpSub, c("ts"), hour), []any{arrow.Timestamp(1000 - 3600e6), nil, arrow.Timestamp(-5 - 3600e6)}},
		{"range condition", bin(OpLe, c("ts"), bin(OpAdd, c("ts"), hour)), []any{true, nil, true}},
		{"null interval", bin(OpAdd, c("ts"), &Literal{Type: arrow.FixedWidthTypes.Duration_us}), []any{nil, nil, nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := evalValues(t, mem, tc.e, rec)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(got, tc.want); d != "" {
				t.Error(d)
			}
		})
	}
	if _, err := Bind(bin(OpSub, hour, c("ts")), rec.Schema()); err == nil {
		t.Error("interval - timestamp bound, want a type error")
	}
}
