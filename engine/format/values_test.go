package format

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
)

func TestAppendJavaFloat(t *testing.T) {
	tests := []struct {
		v    float64
		bits int
		want string
	}{
		{1, 64, "1.0"},
		{0.1, 64, "0.1"},
		{-1.5, 64, "-1.5"},
		{100, 64, "100.0"},
		{40.5, 64, "40.5"},
		{0.001, 64, "0.001"},
		{0.0001, 64, "1.0E-4"},
		{9999999, 64, "9999999.0"},
		{1e7, 64, "1.0E7"},
		{1e10, 64, "1.0E10"},
		{123456789, 64, "1.23456789E8"},
		{1.5e-7, 64, "1.5E-7"},
		{math.MaxFloat64, 64, "1.7976931348623157E308"},
		{5e-324, 64, "4.9E-324"},
		{0, 64, "0.0"},
		{math.Copysign(0, -1), 64, "-0.0"},
		{math.NaN(), 64, "NaN"},
		{math.Inf(1), 64, "Infinity"},
		{math.Inf(-1), 64, "-Infinity"},
		{float64(float32(1.1)), 32, "1.1"},
		{float64(float32(0.3)), 32, "0.3"},
		{float64(float32(math.MaxFloat32)), 32, "3.4028235E38"},
		{float64(float32(1e10)), 32, "1.0E10"},
	}
	for _, tc := range tests {
		if got := string(AppendJavaFloat(nil, tc.v, tc.bits)); got != tc.want {
			t.Errorf("AppendJavaFloat(%v, %d) = %q, want %q", tc.v, tc.bits, got, tc.want)
		}
	}
}

func TestDecimalStrings(t *testing.T) {
	big := decimal128.GetMaxValue(38) // 10^38 - 1
	tests := []struct {
		unscaled    decimal128.Num
		scale       int32
		java, plain string
	}{
		{decimal128.FromI64(4050), 2, "40.50", "40.50"},
		{decimal128.FromI64(-123), 2, "-1.23", "-1.23"},
		{decimal128.FromI64(5), 3, "0.005", "0.005"},
		{decimal128.FromI64(1), 6, "0.000001", "0.000001"},
		{decimal128.FromI64(1), 7, "1E-7", "0.0000001"},
		{decimal128.FromI64(0), 18, "0E-18", "0.000000000000000000"},
		{decimal128.FromI64(123), -2, "1.23E+4", "12300"},
		{decimal128.FromI64(42), 0, "42", "42"},
		{big, 0, "99999999999999999999999999999999999999", "99999999999999999999999999999999999999"},
		{big.Negate(), 10, "-9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999"},
	}
	for _, tc := range tests {
		if got := string(AppendJavaDecimal(nil, tc.unscaled, tc.scale)); got != tc.java {
			t.Errorf("AppendJavaDecimal(%v, %d) = %q, want %q", tc.unscaled.BigInt(), tc.scale, got, tc.java)
		}
		if got := string(appendPlainDecimal(nil, tc.unscaled, tc.scale)); got != tc.plain {
			t.Errorf("appendPlainDecimal(%v, %d) = %q, want %q", tc.unscaled.BigInt(), tc.scale, got, tc.plain)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in          string
		prec, scale int32
		want        string // "" when it must fail
	}{
		{"40.5", 5, 2, "40.50"},
		{"12.345", 5, 2, "12.35"},
		{"12.344", 5, 2, "12.34"},
		{"-0.005", 5, 2, "-0.01"},
		{"1.5e2", 5, 2, "150.00"},
		{"0.0000001", 5, 2, "0.00"},
		{"999.995", 5, 2, ""},
		{"1234.5", 5, 2, ""},
		{"+7", 3, 0, "7"},
		{"00012", 3, 0, "12"},
		{"12345678901234567890.123", 38, 3, "12345678901234567890.123"},
		{"1e", 5, 2, ""},
		{"abc", 5, 2, ""},
		{"", 5, 2, ""},
		{"1.2.3", 5, 2, ""},
	}
	for _, tc := range tests {
		got, ok := parseDecimal([]byte(tc.in), tc.prec, tc.scale)
		gotStr := ""
		if ok {
			gotStr = string(appendPlainDecimal(nil, got, tc.scale))
		}
		if gotStr != tc.want {
			t.Errorf("parseDecimal(%q, %d, %d) = %q (ok %v), want %q", tc.in, tc.prec, tc.scale, gotStr, ok, tc.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	mem := checkedMem(t)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	st := arrow.StructOf(field("n", i64Type), field("s", strType))
	schema := schemaOf(
		field("ts", tsType), field("d", dateType), field("b", arrow.BinaryTypes.Binary),
		field("l", arrow.ListOf(i64Type)), field("st", st), field("m", arrow.MapOf(strType, f64Type)),
		field("ok", boolType), field("dec", &arrow.Decimal128Type{Precision: 10, Scale: 2}),
	)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	ts := bld.Field(0).(*array.TimestampBuilder)
	ts.Append(arrow.Timestamp(micros(2024, 5, 1, 10, 0, 3, 0)))
	ts.Append(arrow.Timestamp(micros(2024, 5, 1, 10, 0, 3, 120000)))
	ts.Append(arrow.Timestamp(micros(1969, 12, 31, 23, 59, 59, 1)))
	dd := bld.Field(1).(*array.Date32Builder)
	dd.Append(arrow.Date32(19844))
	dd.AppendNull()
	dd.Append(arrow.Date32(-1))
	bb := bld.Field(2).(*array.BinaryBuilder)
	bb.Append([]byte{0x0a, 0xff})
	bb.Append([]byte{})
	bb.AppendNull()
	lb := bld.Field(3).(*array.ListBuilder)
	lv := lb.ValueBuilder().(*array.Int64Builder)
	lb.Append(true)
	lv.AppendValues([]int64{1, 2, 3}, nil)
	lb.Append(true)
	lv.AppendNull()
	lb.Append(true)
	sb := bld.Field(4).(*array.StructBuilder)
	for i, v := range []string{"a", "", "c"} {
		sb.Append(true)
		if i == 1 {
			sb.FieldBuilder(0).AppendNull()
		} else {
			sb.FieldBuilder(0).(*array.Int64Builder).Append(int64(i + 1))
		}
		sb.FieldBuilder(1).(*array.StringBuilder).Append(v)
	}
	mb := bld.Field(5).(*array.MapBuilder)
	mb.Append(true)
	mb.KeyBuilder().(*array.StringBuilder).AppendValues([]string{"k", "j"}, nil)
	mb.ItemBuilder().(*array.Float64Builder).AppendValues([]float64{1, 0.5}, []bool{true, false})
	mb.Append(true)
	mb.AppendNull()
	okb := bld.Field(6).(*array.BooleanBuilder)
	okb.AppendValues([]bool{true, false}, nil)
	okb.AppendNull()
	db := bld.Field(7).(*array.Decimal128Builder)
	db.Append(decimal128.FromI64(4050))
	db.Append(decimal128.FromI64(-5))
	db.Append(decimal128.FromI64(0))
	rec := bld.NewRecord()
	defer rec.Release()

	want := []string{
		"{2024-05-01 10:00:03, 2024-05-01, [0A FF], [1, 2, 3], {1, a}, {k -> 1.0, j -> null}, true, 40.50}",
		"{2024-05-01 10:00:03.12, null, [], [null], {null, }, {}, false, -0.05}",
		"{1969-12-31 23:59:59.000001, 1969-12-31, null, [], {3, c}, null, null, 0.00}",
	}
	if got := rowStrings(rec); !equalStrings(got, want) {
		t.Errorf("rows:\n got %q\nwant %q", got, want)
	}
	f := Formatter{Location: paris, Null: "NULL"}
	if got, want := f.Format(rec.Column(0), 0), "2024-05-01 12:00:03"; got != want {
		t.Errorf("in Paris: got %q, want %q", got, want)
	}
	if got, want := f.Format(rec.Column(5), 0), "{k -> 1.0, j -> NULL}"; got != want {
		t.Errorf("with Null: got %q, want %q", got, want)
	}
}
