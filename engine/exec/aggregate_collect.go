package exec

import (
	"cmp"
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// collectAcc gathers each group's non-null values into a list
// (collect_list) or a list of distinct values in order of first
// appearance (collect_set).
type collectAcc[T cmp.Ordered] struct {
	set   bool
	typ   arrow.DataType
	lists [][]T
	seen  []map[T]struct{}
}

func newCollectAcc(t arrow.DataType, set bool) (accumulator, error) {
	switch t.ID() {
	case arrow.INT8:
		return &collectAcc[int8]{set: set, typ: t}, nil
	case arrow.INT16:
		return &collectAcc[int16]{set: set, typ: t}, nil
	case arrow.INT32, arrow.DATE32:
		return &collectAcc[int32]{set: set, typ: t}, nil
	case arrow.INT64, arrow.TIMESTAMP:
		return &collectAcc[int64]{set: set, typ: t}, nil
	case arrow.FLOAT32:
		return &collectAcc[float32]{set: set, typ: t}, nil
	case arrow.FLOAT64:
		return &collectAcc[float64]{set: set, typ: t}, nil
	case arrow.BOOL:
		return &collectAcc[uint8]{set: set, typ: t}, nil
	case arrow.STRING, arrow.BINARY:
		return &collectAcc[string]{set: set, typ: t}, nil
	}
	return nil, fmt.Errorf("collecting values of type %s is not supported; cast the column to a supported type (e.g. STRING) first", expr.SQLTypeName(t))
}

func (c *collectAcc[T]) grow(n int) {
	c.lists = growSlice(c.lists, n)
	if c.set {
		c.seen = growSlice(c.seen, n)
	}
}

func (c *collectAcc[T]) reset() {
	clear(c.lists)
	clear(c.seen)
	c.lists, c.seen = c.lists[:0], c.seen[:0]
}

func (c *collectAcc[T]) add(g int32, x T) {
	if c.set {
		m := c.seen[g]
		if m == nil {
			m = map[T]struct{}{}
			c.seen[g] = m
		}
		if _, dup := m[x]; dup {
			return
		}
		m[x] = struct{}{}
	}
	c.lists[g] = append(c.lists[g], x)
}

func (c *collectAcc[T]) update(gids, idx []int32, args []arrow.Array) {
	a := args[0]
	nb := nullBits(a)
	switch a.DataType().ID() {
	case arrow.NULL:
		return
	case arrow.STRING, arrow.BINARY:
		sc := any(c).(*collectAcc[string])
		strs := stringsView{offs: binaryOffsets(a), data: binaryData(a)}
		for j, g := range gids {
			i := rowOf(idx, j)
			if nb.null(i) {
				continue
			}
			if sc.set {
				if _, dup := sc.seen[g][strs.view(i)]; dup {
					continue
				}
			}
			sc.add(g, strs.at(i))
		}
		return
	}
	var vals []T
	if a.DataType().ID() == arrow.BOOL {
		vals = any(unpackBools(a)).([]T)
	} else {
		vals = values[T](a)
	}
	for j, g := range gids {
		i := rowOf(idx, j)
		if !nb.null(i) {
			c.add(g, vals[i])
		}
	}
}

func (c *collectAcc[T]) appendState(b []byte, g int32) []byte {
	b = binary.AppendUvarint(b, uint64(len(c.lists[g])))
	for _, x := range c.lists[g] {
		b = appendStateValue(b, x)
	}
	return b
}

func (c *collectAcc[T]) mergeState(g int32, b []byte) ([]byte, error) {
	n, b, err := readUvarint(b)
	if err != nil {
		return nil, err
	}
	earlier := make([]T, 0, n)
	for k := uint64(0); k < n; k++ {
		var x T
		if x, b, err = readStateValue[T](b); err != nil {
			return nil, err
		}
		earlier = append(earlier, x)
	}
	later := c.lists[g]
	c.lists[g] = nil
	if c.set {
		c.seen[g] = nil
	}
	for _, x := range earlier {
		c.add(g, x)
	}
	for _, x := range later {
		c.add(g, x)
	}
	return b, nil
}

func (c *collectAcc[T]) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	lb := array.NewListBuilder(mem, c.typ)
	defer lb.Release()
	vb := lb.ValueBuilder()
	each(sel, n, func(g int32) {
		lb.Append(true)
		for _, x := range c.lists[g] {
			switch b := vb.(type) {
			case *array.Int8Builder:
				b.Append(any(x).(int8))
			case *array.Int16Builder:
				b.Append(any(x).(int16))
			case *array.Int32Builder:
				b.Append(any(x).(int32))
			case *array.Date32Builder:
				b.Append(arrow.Date32(any(x).(int32)))
			case *array.Int64Builder:
				b.Append(any(x).(int64))
			case *array.TimestampBuilder:
				b.Append(arrow.Timestamp(any(x).(int64)))
			case *array.Float32Builder:
				b.Append(any(x).(float32))
			case *array.Float64Builder:
				b.Append(any(x).(float64))
			case *array.BooleanBuilder:
				b.Append(any(x).(uint8) == 1)
			case *array.StringBuilder:
				b.Append(any(x).(string))
			case *array.BinaryBuilder:
				b.AppendString(any(x).(string))
			}
		}
	})
	return lb.NewArray()
}
