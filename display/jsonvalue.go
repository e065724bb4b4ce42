package display

import (
	"bytes"
	"encoding/base64"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/gostream/gostream/engine/format"
)

// tableSchemaType names an Arrow type as a Frictionless Table Schema field
// type, the vocabulary of application/vnd.dataresource+json.
func tableSchemaType(t arrow.DataType) string {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return "integer"
	case arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128:
		return "number"
	case arrow.BOOL:
		return "boolean"
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY, arrow.FIXED_SIZE_BINARY:
		return "string"
	case arrow.TIMESTAMP, arrow.DATE64:
		return "datetime"
	case arrow.DATE32:
		return "date"
	case arrow.LIST, arrow.LARGE_LIST, arrow.FIXED_SIZE_LIST:
		return "array"
	case arrow.STRUCT, arrow.MAP:
		return "object"
	}
	return "any"
}

// isNumeric reports whether values of t are numbers (right-aligned in
// HTML).
func isNumeric(t arrow.DataType) bool {
	switch tableSchemaType(t) {
	case "integer", "number":
		return true
	}
	return false
}

// appendJSONValue appends arr[i] as a JSON value: numbers as numbers (NaN
// and infinities as the Table Schema strings "NaN", "INF", "-INF"),
// timestamps as ISO 8601 strings in UTC, binary as base64, lists as arrays,
// structs and maps as objects. Booleans, integers and decimals are Spark's
// show text (engine/format), which is already a JSON literal.
func appendJSONValue(dst []byte, arr arrow.Array, i int, scratch *[]byte) []byte {
	if arr.IsNull(i) {
		return append(dst, "null"...)
	}
	switch a := arr.(type) {
	case *array.Boolean, *array.Int8, *array.Int16, *array.Int32, *array.Int64,
		*array.Uint8, *array.Uint16, *array.Uint32, *array.Uint64, *array.Decimal128:
		return format.Formatter{}.Append(dst, arr, i)
	case *array.String:
		return appendJSONString(dst, a.Value(i))
	case *array.LargeString:
		return appendJSONString(dst, a.Value(i))
	case *array.Float32:
		return appendJSONFloat(dst, float64(a.Value(i)), 32)
	case *array.Float64:
		return appendJSONFloat(dst, a.Value(i), 64)
	case *array.Timestamp:
		*scratch = format.Formatter{}.Append((*scratch)[:0], arr, i)
		iso := bytes.Replace(*scratch, []byte{' '}, []byte{'T'}, 1)
		if a.DataType().(*arrow.TimestampType).TimeZone != "" {
			iso = append(iso, 'Z')
		}
		return appendJSONString(dst, string(iso))
	case *array.Date32, *array.Date64:
		*scratch = format.Formatter{}.Append((*scratch)[:0], arr, i)
		return appendJSONString(dst, string(*scratch))
	case *array.Binary, *array.LargeBinary, *array.FixedSizeBinary:
		*scratch = format.Formatter{BinaryAsText: true}.Append((*scratch)[:0], arr, i)
		return append(base64.StdEncoding.AppendEncode(append(dst, '"'), *scratch), '"')
	case *array.Map:
		start, end := a.ValueOffsets(i)
		keys, items := a.Keys(), a.Items()
		dst = append(dst, '{')
		for j := start; j < end; j++ {
			if j > start {
				dst = append(dst, ',')
			}
			*scratch = format.Formatter{}.Append((*scratch)[:0], keys, int(j))
			dst = appendJSONString(dst, string(*scratch))
			dst = append(dst, ':')
			dst = appendJSONValue(dst, items, int(j), scratch)
		}
		return append(dst, '}')
	case array.ListLike:
		start, end := a.ValueOffsets(i)
		child := a.ListValues()
		dst = append(dst, '[')
		for j := start; j < end; j++ {
			if j > start {
				dst = append(dst, ',')
			}
			dst = appendJSONValue(dst, child, int(j), scratch)
		}
		return append(dst, ']')
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		dst = append(dst, '{')
		for k := 0; k < a.NumField(); k++ {
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, st.Field(k).Name)
			dst = append(dst, ':')
			dst = appendJSONValue(dst, a.Field(k), i, scratch)
		}
		return append(dst, '}')
	}
	return appendJSONString(dst, arr.ValueStr(i))
}

// appendJSONFloat appends v as a JSON number, or as the Table Schema
// strings for values JSON cannot hold.
func appendJSONFloat(dst []byte, v float64, bits int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(dst, `"INF"`...)
	case math.IsInf(v, -1):
		return append(dst, `"-INF"`...)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, bits)
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD; U+2028 and U+2029 are escaped so the text is also valid
// JavaScript.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
