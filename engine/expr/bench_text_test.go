package expr

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// textBenchRows is the batch size of the datetime and JSON benchmarks,
// which do more work per row than the arithmetic ones.
const textBenchRows = 1 << 16

// textBenchRecord holds the columns the datetime and JSON benchmarks read:
// ts (timestamp), tss (the same instants as "yyyy-MM-dd HH:mm:ss.SSSSSS"
// text), ds (dates as text), js (one JSON object per row) and st (a struct).
func textBenchRecord(b *testing.B) arrow.Record {
	mem := memory.DefaultAllocator
	tb := array.NewTimestampBuilder(mem, TypeTimestamp.(*arrow.TimestampType))
	sb := array.NewStringBuilder(mem)
	db := array.NewStringBuilder(mem)
	jb := array.NewStringBuilder(mem)
	stType := arrow.StructOf(
		arrow.Field{Name: "id", Type: TypeLong, Nullable: true},
		arrow.Field{Name: "name", Type: TypeString, Nullable: true},
		arrow.Field{Name: "price", Type: TypeDouble, Nullable: true},
		arrow.Field{Name: "at", Type: TypeTimestamp, Nullable: true},
	)
	stb := array.NewStructBuilder(mem, stType)
	base := int64(ts("2024-05-01 00:00:00"))
	for i := 0; i < textBenchRows; i++ {
		us := base + int64(i)*1_000_003
		tb.Append(arrow.Timestamp(us))
		text := time.UnixMicro(us).UTC().Format("2006-01-02 15:04:05.000000")
		sb.Append(text)
		db.Append(text[:10])
		jb.Append(fmt.Sprintf(`{"id": %d, "name": "item %d", "price": %d.%02d, "at": "%s", "tags": ["a", "b"]}`, i, i%97, i%500, i%100, text))
		stb.Append(true)
		stb.FieldBuilder(0).(*array.Int64Builder).Append(int64(i))
		stb.FieldBuilder(1).(*array.StringBuilder).Append(fmt.Sprintf("item %d", i%97))
		stb.FieldBuilder(2).(*array.Float64Builder).Append(float64(i%500) + 0.25)
		stb.FieldBuilder(3).(*array.TimestampBuilder).Append(arrow.Timestamp(us))
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "ts", Type: TypeTimestamp}, {Name: "tss", Type: TypeString}, {Name: "ds", Type: TypeString},
		{Name: "js", Type: TypeString}, {Name: "st", Type: stType},
	}, nil)
	cols := []arrow.Array{tb.NewArray(), sb.NewArray(), db.NewArray(), jb.NewArray(), stb.NewArray()}
	rec := array.NewRecord(schema, cols, textBenchRows)
	for _, c := range cols {
		c.Release()
	}
	return rec
}

func runTextBench(b *testing.B, rec arrow.Record, es []Expr) {
	for _, e := range es {
		bd, err := Bind(e, rec.Schema())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(e.String(), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out, err := bd.Eval(context.Background(), rec)
				if err != nil {
					b.Fatal(err)
				}
				if out.NullN() != 0 {
					b.Fatalf("%d nulls", out.NullN())
				}
				out.Release()
			}
			b.ReportMetric(float64(textBenchRows)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
		})
	}
}

// BenchmarkDatetime measures casts between text and datetimes and the
// pattern functions.
func BenchmarkDatetime(b *testing.B) {
	rec := textBenchRecord(b)
	defer rec.Release()
	runTextBench(b, rec, []Expr{
		&Cast{Child: c("tss"), To: TypeTimestamp},
		&Cast{Child: c("ds"), To: TypeDate},
		&Cast{Child: c("ts"), To: TypeString},
		call("to_timestamp", c("tss"), lit("yyyy-MM-dd HH:mm:ss.SSSSSS")),
		call("date_format", c("ts"), lit("yyyy-MM-dd'T'HH:mm:ss.SSS")),
		call("unix_timestamp", call("substr", c("tss"), lit(1), lit(19))),
		call("from_unixtime", call("unix_timestamp", c("ts"))),
	})
}

// BenchmarkJSONFunctions measures from_json, to_json and get_json_object.
func BenchmarkJSONFunctions(b *testing.B) {
	rec := textBenchRecord(b)
	defer rec.Release()
	runTextBench(b, rec, []Expr{
		call("from_json", c("js"), lit("id BIGINT, name STRING, price DOUBLE, at TIMESTAMP, tags ARRAY<STRING>")),
		call("to_json", c("st")),
		call("get_json_object", c("js"), lit("$.tags[1]")),
	})
}
