package expr

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

const benchRows = 1 << 20

func benchRecord(b *testing.B) arrow.Record {
	mem := memory.DefaultAllocator
	rng := rand.New(rand.NewSource(1))
	ab := array.NewInt64Builder(mem)
	fb := array.NewFloat64Builder(mem)
	sb := array.NewStringBuilder(mem)
	words := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
	for i := 0; i < benchRows; i++ {
		ab.Append(rng.Int63n(100))
		fb.Append(rng.Float64())
		sb.Append(words[rng.Intn(len(words))])
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: TypeLong}, {Name: "b", Type: TypeDouble}, {Name: "s", Type: TypeString},
	}, nil)
	cols := []arrow.Array{ab.NewArray(), fb.NewArray(), sb.NewArray()}
	return array.NewRecord(schema, cols, benchRows)
}

func reportRows(b *testing.B) {
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
}

// BenchmarkFilterProject runs filter(a > 10 AND b < 0.5) then
// select(a * 2, upper(s)) over one 1M-row batch.
func BenchmarkFilterProject(b *testing.B) {
	rec := benchRecord(b)
	defer rec.Release()
	pred, err := Bind(bin(OpAnd, bin(OpGt, c("a"), lit(10)), bin(OpLt, c("b"), lit(0.5))), rec.Schema())
	if err != nil {
		b.Fatal(err)
	}
	proj, err := BindAll([]Expr{bin(OpMul, c("a"), lit(2)), call("upper", c("s"))}, rec.Schema())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mask, err := pred.Eval(ctx, rec)
		if err != nil {
			b.Fatal(err)
		}
		filtered := FilterRecord(rec, mask.(*array.Boolean))
		mask.Release()
		for _, p := range proj {
			out, err := p.Eval(ctx, filtered)
			if err != nil {
				b.Fatal(err)
			}
			out.Release()
		}
		filtered.Release()
	}
	reportRows(b)
}

func BenchmarkCompare(b *testing.B) {
	rec := benchRecord(b)
	defer rec.Release()
	for _, e := range []Expr{
		bin(OpGt, c("a"), lit(10)),
		bin(OpLt, c("b"), lit(0.5)),
		bin(OpLt, c("a"), &Cast{Child: c("b"), To: TypeLong}),
		bin(OpEq, c("s"), lit("gamma")),
	} {
		bd, err := Bind(e, rec.Schema())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(e.String(), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				out, err := bd.Eval(context.Background(), rec)
				if err != nil {
					b.Fatal(err)
				}
				out.Release()
			}
			reportRows(b)
		})
	}
}

func BenchmarkCast(b *testing.B) {
	rec := benchRecord(b)
	defer rec.Release()
	asString, _ := Bind(&Cast{Child: c("a"), To: TypeString}, rec.Schema())
	strs, _ := asString.Eval(context.Background(), rec)
	defer strs.Release()
	srec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "t", Type: TypeString}}, nil), []arrow.Array{strs}, benchRows)
	defer srec.Release()
	for _, tc := range []struct {
		rec arrow.Record
		e   Expr
	}{
		{rec, &Cast{Child: c("a"), To: TypeDouble}},
		{rec, &Cast{Child: c("a"), To: TypeInt}},
		{rec, &Cast{Child: c("a"), To: TypeString}},
		{rec, &Cast{Child: c("b"), To: TypeString}},
		{srec, &Cast{Child: c("t"), To: TypeLong}},
	} {
		bd, err := Bind(tc.e, tc.rec.Schema())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(tc.e), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				out, err := bd.Eval(context.Background(), tc.rec)
				if err != nil {
					b.Fatal(err)
				}
				out.Release()
			}
			reportRows(b)
		})
	}
}
