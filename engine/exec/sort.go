package exec

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// SortKey is one key of a sort: an expression, its direction and where
// nulls go.
type SortKey struct {
	Expr       expr.Bound
	Descending bool
	NullsFirst bool
}

// Sort orders the rows of each epoch (orderBy): it keeps the epoch's
// records, and at Finish sorts them (stable, by the keys in turn) and
// sends them on as one record.
type Sort struct {
	forwardWatermark
	keys []SortKey
	mem  memory.Allocator
	recs []arrow.Record
}

// forwardWatermark passes Watermark on.
type forwardWatermark struct{ next Operator }

func (f forwardWatermark) Watermark(ctx context.Context, wm time.Time) error {
	return f.next.Watermark(ctx, wm)
}

// NewSort returns a sort by keys feeding next.
func NewSort(keys []SortKey, mem memory.Allocator, next Operator) *Sort {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &Sort{forwardWatermark: forwardWatermark{next}, keys: keys, mem: mem}
}

func (s *Sort) Process(_ context.Context, rec arrow.Record) error {
	if rec.NumRows() > 0 {
		rec.Retain()
		s.recs = append(s.recs, rec)
	}
	return nil
}

func (s *Sort) Finish(ctx context.Context, err error) error {
	recs := s.recs
	s.recs = nil
	defer Release(recs)
	if err != nil || len(recs) == 0 {
		return s.next.Finish(ctx, err)
	}
	if err := s.sortAndSend(ctx, recs); err != nil {
		return s.next.Finish(ctx, err)
	}
	return s.next.Finish(ctx, nil)
}

func (s *Sort) sortAndSend(ctx context.Context, recs []arrow.Record) error {
	all, err := concatRecords(s.mem, recs)
	if err != nil {
		return err
	}
	defer all.Release()
	n := int(all.NumRows())
	cmps := make([]func(i, j int) int, len(s.keys))
	for k, key := range s.keys {
		col, err := key.Expr.Eval(ctx, all)
		if err != nil {
			return fmt.Errorf("evaluating sort key %s: %w", key.Expr.Name(), err)
		}
		defer col.Release()
		c, err := comparator(col, key.NullsFirst, key.Descending)
		if err != nil {
			return err
		}
		cmps[k] = c
	}
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	sort.SliceStable(perm, func(a, b int) bool {
		i, j := int(perm[a]), int(perm[b])
		for _, c := range cmps {
			if r := c(i, j); r != 0 {
				return r < 0
			}
		}
		return false
	})
	out := expr.TakeRecord(s.mem, all, perm)
	defer out.Release()
	return s.next.Process(ctx, out)
}

// nullOrder compares rows of which at least one is null.
func nullOrder(ni, nj, nullsFirst bool) int {
	switch {
	case ni && nj:
		return 0
	case ni == nullsFirst:
		return -1
	}
	return 1
}

// comparator returns a comparison of rows of a: values ascending (or
// descending), nulls first or last either way.
func comparator(a arrow.Array, nullsFirst, desc bool) (func(i, j int) int, error) {
	nb := nullBits(a)
	wrap := func(c func(i, j int) int) func(i, j int) int {
		if desc {
			asc := c
			c = func(i, j int) int { return -asc(i, j) }
		}
		if nb.bits == nil {
			return c
		}
		return func(i, j int) int {
			ni, nj := nb.null(i), nb.null(j)
			if ni || nj {
				return nullOrder(ni, nj, nullsFirst)
			}
			return c(i, j)
		}
	}
	switch a.DataType().ID() {
	case arrow.NULL:
		return func(i, j int) int { return 0 }, nil
	case arrow.BOOL:
		b := a.(*array.Boolean)
		return wrap(func(i, j int) int {
			x, y := b.Value(i), b.Value(j)
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}), nil
	case arrow.INT8:
		return wrap(ordered(values[int8](a))), nil
	case arrow.INT16:
		return wrap(ordered(values[int16](a))), nil
	case arrow.INT32, arrow.DATE32:
		return wrap(ordered(values[int32](a))), nil
	case arrow.INT64, arrow.TIMESTAMP:
		return wrap(ordered(values[int64](a))), nil
	case arrow.FLOAT32:
		v := values[float32](a)
		return wrap(func(i, j int) int { return cmp.Compare(orderedFloat32(v[i]), orderedFloat32(v[j])) }), nil
	case arrow.FLOAT64:
		v := values[float64](a)
		return wrap(func(i, j int) int { return cmp.Compare(orderedFloat64(v[i]), orderedFloat64(v[j])) }), nil
	case arrow.DECIMAL128:
		d := a.(*array.Decimal128)
		return wrap(func(i, j int) int { return d.Value(i).Cmp(d.Value(j)) }), nil
	case arrow.STRING, arrow.BINARY:
		offs, data := binaryOffsets(a), binaryData(a)
		return wrap(func(i, j int) int {
			return bytes.Compare(data[offs[i]:offs[i+1]], data[offs[j]:offs[j+1]])
		}), nil
	case arrow.STRUCT:
		st := a.(*array.Struct)
		fields := make([]func(i, j int) int, st.NumField())
		for f := range fields {
			c, err := comparator(st.Field(f), nullsFirst, desc)
			if err != nil {
				return nil, err
			}
			fields[f] = c
		}
		// the fields are already in the sort's direction
		nested := func(i, j int) int {
			for _, c := range fields {
				if r := c(i, j); r != 0 {
					return r
				}
			}
			return 0
		}
		if nb.bits == nil {
			return nested, nil
		}
		return func(i, j int) int {
			ni, nj := nb.null(i), nb.null(j)
			if ni || nj {
				return nullOrder(ni, nj, nullsFirst)
			}
			return nested(i, j)
		}, nil
	}
	return nil, fmt.Errorf("sorting by a column of type %s is not supported", expr.SQLTypeName(a.DataType()))
}

func ordered[T cmp.Ordered](v []T) func(i, j int) int {
	return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
}

// concatRecords joins records of one schema into one.
func concatRecords(mem memory.Allocator, recs []arrow.Record) (arrow.Record, error) {
	if len(recs) == 1 {
		recs[0].Retain()
		return recs[0], nil
	}
	schema := recs[0].Schema()
	cols := make([]arrow.Array, schema.NumFields())
	var rows int64
	for _, r := range recs {
		rows += r.NumRows()
	}
	for c := range cols {
		parts := make([]arrow.Array, len(recs))
		for i, r := range recs {
			parts[i] = r.Column(c)
		}
		col, err := array.Concatenate(parts, mem)
		if err != nil {
			for _, done := range cols[:c] {
				done.Release()
			}
			return nil, fmt.Errorf("concatenating column %s: %w", schema.Field(c).Name, err)
		}
		cols[c] = col
	}
	out := array.NewRecord(schema, cols, rows)
	for _, c := range cols {
		c.Release()
	}
	return out, nil
}
