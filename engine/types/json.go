package types

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
)

// JSON renders the schema in Spark's schema JSON, the form Spark keeps in
// checkpoints and DataFrame.schema.json():
//
//	{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]}
func (s Schema) JSON() string { return TypeJSON(s.StructType()) }

// TypeJSON renders a data type in Spark's JSON: a quoted type name for
// primitives ("integer", "decimal(10,2)"), an object for struct, array and
// map.
func TypeJSON(t DataType) string {
	var buf bytes.Buffer
	writeJSON(&buf, Normalize(t))
	return buf.String()
}

func writeJSON(buf *bytes.Buffer, t DataType) {
	switch t := t.(type) {
	case *arrow.StructType:
		buf.WriteString(`{"type":"struct","fields":[`)
		for i, f := range t.Fields() {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(`{"name":`)
			writeJSONString(buf, f.Name)
			buf.WriteString(`,"type":`)
			writeJSON(buf, f.Type)
			buf.WriteString(`,"nullable":` + strconv.FormatBool(f.Nullable) + `,"metadata":{`)
			keys := f.Metadata.Keys()
			order := make([]int, len(keys))
			for i := range order {
				order[i] = i
			}
			sort.Slice(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
			for j, k := range order {
				if j > 0 {
					buf.WriteByte(',')
				}
				writeJSONString(buf, keys[k])
				buf.WriteByte(':')
				writeJSONString(buf, f.Metadata.Values()[k])
			}
			buf.WriteString("}}")
		}
		buf.WriteString("]}")
	case *arrow.ListType:
		buf.WriteString(`{"type":"array","elementType":`)
		writeJSON(buf, t.Elem())
		buf.WriteString(`,"containsNull":` + strconv.FormatBool(t.ElemField().Nullable) + "}")
	case *arrow.MapType:
		buf.WriteString(`{"type":"map","keyType":`)
		writeJSON(buf, t.KeyType())
		buf.WriteString(`,"valueType":`)
		writeJSON(buf, t.ItemType())
		buf.WriteString(`,"valueContainsNull":` + strconv.FormatBool(t.ItemField().Nullable) + "}")
	default:
		writeJSONString(buf, TypeName(t))
	}
}

// writeJSONString writes s as a JSON string without escaping <, > and &
// (as Spark's Jackson writer).
func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // encoding a string cannot fail
	buf.Truncate(buf.Len() - 1) // the newline Encode appends
}

// ErrSchemaJSON is wrapped by every error of SchemaFromJSON and TypeFromJSON.
var ErrSchemaJSON = errors.New("invalid Spark schema JSON")

// SchemaFromJSON reads a schema written by Schema.JSON or by Spark
// (StructType.json()).
func SchemaFromJSON(data []byte) (Schema, error) {
	t, err := TypeFromJSON(data)
	if err != nil {
		return Schema{}, err
	}
	st, ok := t.(*arrow.StructType)
	if !ok {
		return Schema{}, fmt.Errorf("%w: the top level is %s, not a struct", ErrSchemaJSON, SimpleString(t))
	}
	return FromStruct(st), nil
}

// TypeFromJSON reads a data type in Spark's JSON (see TypeJSON).
func TypeFromJSON(data []byte) (DataType, error) {
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSchemaJSON, err)
	}
	return typeFromRaw(raw, "$")
}

type jsonField struct {
	Name     *string                    `json:"name"`
	Type     json.RawMessage            `json:"type"`
	Nullable *bool                      `json:"nullable"`
	Metadata map[string]json.RawMessage `json:"metadata"`
}

type jsonComplex struct {
	Type              string          `json:"type"`
	Fields            []jsonField     `json:"fields"`
	ElementType       json.RawMessage `json:"elementType"`
	ContainsNull      *bool           `json:"containsNull"`
	KeyType           json.RawMessage `json:"keyType"`
	ValueType         json.RawMessage `json:"valueType"`
	ValueContainsNull *bool           `json:"valueContainsNull"`
}

var decimalName = regexp.MustCompile(`^decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$`)

func typeFromRaw(raw json.RawMessage, path string) (DataType, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, fmt.Errorf("%w: %s: missing type", ErrSchemaJSON, path)
	}
	if raw[0] == '"' {
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrSchemaJSON, path, err)
		}
		return typeFromName(name, path)
	}
	var c jsonComplex
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrSchemaJSON, path, err)
	}
	orTrue := func(b *bool) bool { return b == nil || *b }
	switch c.Type {
	case "struct":
		fields := make([]arrow.Field, len(c.Fields))
		for i, jf := range c.Fields {
			if jf.Name == nil {
				return nil, fmt.Errorf("%w: %s.fields[%d]: missing \"name\"", ErrSchemaJSON, path, i)
			}
			fpath := path + "." + *jf.Name
			ft, err := typeFromRaw(jf.Type, fpath)
			if err != nil {
				return nil, err
			}
			f := arrow.Field{Name: *jf.Name, Type: ft, Nullable: orTrue(jf.Nullable)}
			if len(jf.Metadata) > 0 {
				md := make(map[string]string, len(jf.Metadata))
				for k, v := range jf.Metadata {
					var s string
					if json.Unmarshal(v, &s) == nil {
						md[k] = s
					} else {
						md[k] = string(v)
					}
				}
				f.Metadata = arrow.MetadataFrom(md)
			}
			fields[i] = f
		}
		return arrow.StructOf(fields...), nil
	case "array":
		et, err := typeFromRaw(c.ElementType, path+".elementType")
		if err != nil {
			return nil, err
		}
		return ArrayType(et, orTrue(c.ContainsNull)), nil
	case "map":
		kt, err := typeFromRaw(c.KeyType, path+".keyType")
		if err != nil {
			return nil, err
		}
		vt, err := typeFromRaw(c.ValueType, path+".valueType")
		if err != nil {
			return nil, err
		}
		return MapType(kt, vt, orTrue(c.ValueContainsNull)), nil
	case "udt":
		return nil, fmt.Errorf("%s: %w", path, &UnsupportedTypeError{Type: "udt", Hint: "user-defined types are not supported; store the underlying sqlType"})
	default:
		return nil, fmt.Errorf("%w: %s: unknown complex type %q (want struct, array or map)", ErrSchemaJSON, path, c.Type)
	}
}

func typeFromName(name, path string) (DataType, error) {
	if t, ok := Primitive(name); ok {
		return t, nil
	}
	if name == "null" {
		return arrow.Null, nil
	}
	if name == "decimal" {
		return DecimalType(DefaultDecimalPrecision, DefaultDecimalScale), nil
	}
	if m := decimalName.FindStringSubmatch(name); m != nil {
		p, _ := strconv.Atoi(m[1])
		s, _ := strconv.Atoi(m[2])
		if err := CheckDecimal(p, s); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return DecimalType(p, s), nil
	}
	if err := UnsupportedName(name, name); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m := regexp.MustCompile(`^(var)?char\(\d+\)$`).FindStringSubmatch(name); m != nil {
		return nil, fmt.Errorf("%s: %w", path, UnsupportedName("varchar", name))
	}
	if regexp.MustCompile(`^interval`).MatchString(name) {
		return nil, fmt.Errorf("%s: %w", path, UnsupportedName("interval", name))
	}
	return nil, fmt.Errorf("%w: %s: unknown type name %q", ErrSchemaJSON, path, name)
}
