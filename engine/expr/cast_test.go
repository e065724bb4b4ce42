package expr

import (
	"math"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
)

func TestCast(t *testing.T) {
	dec := mustType("decimal(5,2)")
	for _, tc := range []struct {
		name string
		in   testColumn
		to   arrow.DataType
		want []any
	}{
		{"string to int", col("x", TypeString, "12", " -7 ", "1.9", "1e3", "abc", "2147483648", nil), TypeInt,
			[]any{int32(12), int32(-7), int32(1), nil, nil, nil, nil}},
		{"string to bigint", col("x", TypeString, "9223372036854775807", "9223372036854775808", "+5"), TypeLong,
			[]any{int64(math.MaxInt64), nil, int64(5)}},
		{"string to tinyint range", col("x", TypeString, "127", "128"), TypeByte, []any{int8(127), nil}},
		{"string to double", col("x", TypeString, "1.5", "1e3", " -2 ", "Infinity", "-inf", "1.5d", "x"), TypeDouble,
			[]any{1.5, 1000.0, -2.0, math.Inf(1), math.Inf(-1), 1.5, nil}},
		{"string to boolean", col("x", TypeString, "true", "Y", "0", "no", "maybe"), TypeBoolean, []any{true, true, false, false, nil}},
		{"string to date", col("x", TypeString, "2024-02-29", "2024-2-3", "2024", "2024-02-30", "2024-01-05T10:00", "20-01-01"), TypeDate,
			[]any{date("2024-02-29"), date("2024-02-03"), date("2024-01-01"), nil, date("2024-01-05"), nil}},
		{"string to timestamp", col("x", TypeString, "2024-01-02 03:04:05", "2024-01-02T03:04:05.5Z", "2024-01-02 03:04:05+01:00", "2024-01-02", "2024-01-02 25:00:00", "nope"), TypeTimestamp,
			[]any{ts("2024-01-02 03:04:05"), ts("2024-01-02 03:04:05.5"), ts("2024-01-02 02:04:05"), ts("2024-01-02 00:00:00"), nil, nil}},
		{"string to decimal", col("x", TypeString, "1.005", "-2", "1000", "x"), dec,
			[]any{decimal128.FromI64(101), decimal128.FromI64(-200), nil, nil}},
		{"double to int saturates", col("x", TypeDouble, 1.9, -1.9, 1e20, math.NaN()), TypeInt,
			[]any{int32(1), int32(-1), int32(math.MaxInt32), int32(0)}},
		{"double to bigint", col("x", TypeDouble, -1e30), TypeLong, []any{int64(math.MinInt64)}},
		{"bigint to int wraps", col("x", TypeLong, int64(math.MaxInt32)+1), TypeInt, []any{int32(math.MinInt32)}},
		{"int to boolean", col("x", TypeInt, int32(0), int32(5), nil), TypeBoolean, []any{false, true, nil}},
		{"boolean to int", col("x", TypeBoolean, true, false), TypeInt, []any{int32(1), int32(0)}},
		{"double to string", col("x", TypeDouble, 1.0, 0.1, 1e7, 1.0e-4, 123456.789, math.NaN(), math.Inf(-1), math.Copysign(0, -1)), TypeString,
			[]any{"1.0", "0.1", "1.0E7", "1.0E-4", "123456.789", "NaN", "-Infinity", "-0.0"}},
		{"float to string", col("x", TypeFloat, float32(0.1), float32(3e10)), TypeString, []any{"0.1", "3.0E10"}},
		{"int to string", col("x", TypeInt, int32(-42), nil), TypeString, []any{"-42", nil}},
		{"timestamp to string", col("x", TypeTimestamp, ts("2024-01-02 03:04:05"), ts("2024-01-02 03:04:05.12"), ts("1969-12-31 23:59:59.999999")), TypeString,
			[]any{"2024-01-02 03:04:05", "2024-01-02 03:04:05.12", "1969-12-31 23:59:59.999999"}},
		{"date to string", col("x", TypeDate, date("0999-01-02")), TypeString, []any{"0999-01-02"}},
		{"timestamp to date", col("x", TypeTimestamp, ts("1969-12-31 23:00:00")), TypeDate, []any{date("1969-12-31")}},
		{"date to timestamp", col("x", TypeDate, date("2024-01-02")), TypeTimestamp, []any{ts("2024-01-02 00:00:00")}},
		{"timestamp to bigint is seconds", col("x", TypeTimestamp, ts("1969-12-31 23:59:59.5")), TypeLong, []any{int64(-1)}},
		{"timestamp to double", col("x", TypeTimestamp, ts("1970-01-01 00:00:01.5")), TypeDouble, []any{1.5}},
		{"bigint to timestamp is seconds", col("x", TypeLong, int64(86400)), TypeTimestamp, []any{ts("1970-01-02 00:00:00")}},
		{"date to int is null", col("x", TypeDate, date("2024-01-02")), TypeInt, []any{nil}},
		{"decimal to string", col("x", dec, decimal128.FromI64(-5), decimal128.FromI64(12345)), TypeString, []any{"-0.05", "123.45"}},
		{"decimal to int truncates", col("x", dec, decimal128.FromI64(-199)), TypeInt, []any{int32(-1)}},
		{"double to decimal rounds", col("x", TypeDouble, 1.005, 12345.0), dec, []any{decimal128.FromI64(101), nil}},
		{"array to string", col("x", listLong, []any{int64(1), nil}, []any{}), TypeString, []any{"[1, null]", "[]"}},
		{"struct to string", col("x", structXY, map[string]any{"x": int64(1), "y": "a"}), TypeString, []any{"{1, a}"}},
		{"map to string", col("x", mapStrLong, [][2]any{{"a", int64(1)}, {"b", int64(2)}}), TypeString, []any{"{a -> 1, b -> 2}"}},
		{"array of int to array of string", col("x", listLong, []any{int64(1), nil}), ArrayOf(TypeString), []any{[]any{"1", nil}}},
		{"string to binary", col("x", TypeString, "hi"), TypeBinary, []any{[]byte("hi")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := checked(t)
			rec := makeRecord(t, mem, tc.in)
			defer rec.Release()
			got, _, err := evalValues(t, mem, &Cast{Child: c("x"), To: tc.to}, rec)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(nanAsText(got), nanAsText(tc.want)); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestCastFoldsConstants(t *testing.T) {
	b, err := Bind(&Cast{Child: lit("42"), To: TypeInt}, fixtureSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	n := b.(*node)
	if !n.isConst || n.value != int32(42) {
		t.Errorf("CAST('42' AS INT) not folded: const=%v value=%#v", n.isConst, n.value)
	}
	if b.Name() != "CAST(42 AS INT)" {
		t.Errorf("name: got %q", b.Name())
	}
}

func TestDecimalArithmetic(t *testing.T) {
	dec := mustType("decimal(5,2)")
	mem := checked(t)
	rec := makeRecord(t, mem, col("x", dec, decimal128.FromI64(150), decimal128.FromI64(-1), nil), col("y", dec, decimal128.FromI64(300), decimal128.FromI64(0), decimal128.FromI64(1)))
	defer rec.Release()
	for _, tc := range []struct {
		e    Expr
		want []string
	}{
		{bin(OpAdd, c("x"), c("y")), []string{"4.50", "-0.01", "null"}},
		{bin(OpMul, c("x"), c("y")), []string{"4.5000", "0.0000", "null"}},
		{bin(OpDiv, c("x"), c("y")), []string{"0.50000000", "null", "null"}},
		{bin(OpAdd, c("x"), lit(1)), []string{"2.50", "0.99", "null"}},
	} {
		got, _, err := evalValues(t, mem, &Cast{Child: tc.e, To: TypeString}, rec)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range tc.want {
			g := "null"
			if got[i] != nil {
				g = got[i].(string)
			}
			if g != w {
				t.Errorf("%s row %d: got %s, want %s", tc.e, i, g, w)
			}
		}
	}
}
