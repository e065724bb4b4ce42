package format

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// JSONValuesDecoder decodes a column of JSON texts, one value of a fixed
// type each, as Spark's from_json does (PERMISSIVE mode): fields are read
// as the JSON reader reads them, a null or blank text gives null, and a
// text that is not JSON, or not of the type's shape, gives a struct whose
// fields are all null (for a struct type) or null (for other types). A
// struct keeps the fields that did decode when one of its fields has a
// value of the wrong type; an array or map with a bad element is null.
//
// A JSONValuesDecoder keeps buffers between calls and is not safe for
// concurrent use.
type JSONValuesDecoder struct {
	d    *JSONDecoder
	node *jnode
}

// NewJSONValuesDecoder prepares a decoder of values of type t. Options other
// than TimestampFormat, DateFormat and TimeZone are ignored. It fails on a
// type outside the engine's mapping, a map whose keys are not strings, or
// an invalid datetime pattern or time zone.
func NewJSONValuesDecoder(t arrow.DataType, opts JSONOptions) (*JSONValuesDecoder, error) {
	d := &JSONDecoder{opts: opts}
	var err error
	if d.times, err = newTimeSettings(opts.TimestampFormat, opts.DateFormat, opts.TimeZone); err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	col, err := newColumn(t, "value")
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	n, err := newJNode(t, col, "value")
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	return &JSONValuesDecoder{d: d, node: n}, nil
}

// Decode decodes every text of texts and returns an array of the
// decoder's type with one entry per text, allocated from mem (the Go heap
// when nil). The caller releases it.
func (v *JSONValuesDecoder) Decode(texts *array.String, mem memory.Allocator) arrow.Array {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	offs, data := texts.ValueOffsets(), texts.ValueBytes()
	for i := 0; i < texts.Len(); i++ {
		if texts.IsNull(i) {
			v.node.col.AppendNull()
			continue
		}
		v.decodeOne(data[offs[i]-offs[0] : offs[i+1]-offs[0]])
	}
	out := v.node.col.finish(mem)
	defer out.Release()
	return array.MakeFromData(out)
}

func (v *JSONValuesDecoder) decodeOne(text []byte) {
	n := v.node
	row := n.col.Len()
	s := jscanner{b: text}
	s.ws()
	if s.p == len(text) {
		n.col.AppendNull()
		return
	}
	err := v.d.value(&s, n)
	if err == nil {
		return
	}
	if n.kind == jStruct && !err.syntax && n.col.Len() == row+1 {
		return // a partial result: the fields that did not fit are null
	}
	n.col.Truncate(row)
	if n.kind != jStruct {
		n.col.AppendNull()
		return
	}
	sc := n.col.(*structColumn)
	for _, ch := range sc.children {
		ch.AppendNull()
	}
	sc.appendValid()
}
