package expr

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/apache/arrow/go/v15/arrow"
)

// Spark's data types as Arrow types. TimestampType is microseconds in UTC;
// DateType is days since the epoch.
var (
	TypeNull      arrow.DataType = arrow.Null
	TypeBoolean   arrow.DataType = arrow.FixedWidthTypes.Boolean
	TypeByte      arrow.DataType = arrow.PrimitiveTypes.Int8
	TypeShort     arrow.DataType = arrow.PrimitiveTypes.Int16
	TypeInt       arrow.DataType = arrow.PrimitiveTypes.Int32
	TypeLong      arrow.DataType = arrow.PrimitiveTypes.Int64
	TypeFloat     arrow.DataType = arrow.PrimitiveTypes.Float32
	TypeDouble    arrow.DataType = arrow.PrimitiveTypes.Float64
	TypeString    arrow.DataType = arrow.BinaryTypes.String
	TypeBinary    arrow.DataType = arrow.BinaryTypes.Binary
	TypeDate      arrow.DataType = arrow.FixedWidthTypes.Date32
	TypeTimestamp arrow.DataType = arrow.FixedWidthTypes.Timestamp_us
)

// SQLTypeName renders dt as Spark does in SQL text and error messages:
// "INT", "BIGINT", "DECIMAL(10,2)", "ARRAY<STRING>", "STRUCT<a: INT>".
func SQLTypeName(dt arrow.DataType) string {
	switch t := dt.(type) {
	case *arrow.ListType:
		return "ARRAY<" + SQLTypeName(t.Elem()) + ">"
	case *arrow.LargeListType:
		return "ARRAY<" + SQLTypeName(t.Elem()) + ">"
	case *arrow.FixedSizeListType:
		return "ARRAY<" + SQLTypeName(t.Elem()) + ">"
	case *arrow.MapType:
		return "MAP<" + SQLTypeName(t.KeyType()) + ", " + SQLTypeName(t.ItemType()) + ">"
	case *arrow.StructType:
		parts := make([]string, t.NumFields())
		for i, f := range t.Fields() {
			parts[i] = f.Name + ": " + SQLTypeName(f.Type)
		}
		return "STRUCT<" + strings.Join(parts, ", ") + ">"
	case *arrow.Decimal128Type:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale)
	}
	return strings.ToUpper(SimpleTypeName(dt))
}

// SimpleTypeName renders dt as Spark's DataType.simpleString: "int",
// "bigint", "array<string>", "struct<a:int,b:string>".
func SimpleTypeName(dt arrow.DataType) string {
	switch t := dt.(type) {
	case nil:
		return "void"
	case *arrow.NullType:
		return "void"
	case *arrow.BooleanType:
		return "boolean"
	case *arrow.Int8Type:
		return "tinyint"
	case *arrow.Int16Type:
		return "smallint"
	case *arrow.Int32Type:
		return "int"
	case *arrow.Int64Type:
		return "bigint"
	case *arrow.Uint8Type, *arrow.Uint16Type, *arrow.Uint32Type, *arrow.Uint64Type:
		return strings.ToLower(t.Name())
	case *arrow.Float16Type, *arrow.Float32Type:
		return "float"
	case *arrow.Float64Type:
		return "double"
	case *arrow.StringType, *arrow.LargeStringType:
		return "string"
	case *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.FixedSizeBinaryType:
		return "binary"
	case *arrow.Date32Type, *arrow.Date64Type:
		return "date"
	case *arrow.TimestampType:
		return "timestamp"
	case *arrow.Decimal128Type:
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	case *arrow.ListType:
		return "array<" + SimpleTypeName(t.Elem()) + ">"
	case *arrow.LargeListType:
		return "array<" + SimpleTypeName(t.Elem()) + ">"
	case *arrow.FixedSizeListType:
		return "array<" + SimpleTypeName(t.Elem()) + ">"
	case *arrow.MapType:
		return "map<" + SimpleTypeName(t.KeyType()) + "," + SimpleTypeName(t.ItemType()) + ">"
	case *arrow.StructType:
		parts := make([]string, t.NumFields())
		for i, f := range t.Fields() {
			parts[i] = f.Name + ":" + SimpleTypeName(f.Type)
		}
		return "struct<" + strings.Join(parts, ",") + ">"
	}
	return strings.ToLower(dt.Name())
}

// ArrayOf is Spark's ArrayType(elem, containsNull=true).
func ArrayOf(elem arrow.DataType) arrow.DataType { return arrow.ListOf(elem) }

// MapOf is Spark's MapType(key, value, valueContainsNull=true).
func MapOf(key, value arrow.DataType) arrow.DataType { return arrow.MapOf(key, value) }

// ParseType parses a Spark type name or DDL type: "int", "BIGINT",
// "decimal(10,2)", "array<string>", "map<string,int>",
// "struct<a:int,b:string>". Names are case-insensitive.
func ParseType(s string) (arrow.DataType, error) {
	p := &typeParser{s: s}
	dt, err := p.parseType()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.s) {
		return nil, p.errorf("unexpected %q", p.s[p.pos:])
	}
	return dt, nil
}

// ParseSchema parses a DDL schema, "a INT, b STRING" (also "a: INT") or
// "struct<a:int,b:string>", into a struct type. from_json takes this form.
func ParseSchema(s string) (*arrow.StructType, error) {
	trimmed := strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToLower(trimmed), "struct<") {
		dt, err := ParseType(trimmed)
		if err != nil {
			return nil, err
		}
		return dt.(*arrow.StructType), nil
	}
	p := &typeParser{s: s}
	fields, err := p.parseFields(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.s) {
		return nil, p.errorf("unexpected %q", p.s[p.pos:])
	}
	return arrow.StructOf(fields...), nil
}

type typeParser struct {
	s   string
	pos int
}

func (p *typeParser) errorf(format string, args ...any) error {
	return fmt.Errorf("[PARSE_SYNTAX_ERROR] cannot parse data type %q at position %d: %s", p.s, p.pos, fmt.Sprintf(format, args...))
}

func (p *typeParser) skipSpace() {
	for p.pos < len(p.s) && unicode.IsSpace(rune(p.s[p.pos])) {
		p.pos++
	}
}

func (p *typeParser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *typeParser) expect(c byte) error {
	if p.peek() != c {
		return p.errorf("expected %q", string(c))
	}
	p.pos++
	return nil
}

func (p *typeParser) ident() string {
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == '`' {
		end := strings.IndexByte(p.s[p.pos+1:], '`')
		if end < 0 {
			return ""
		}
		id := p.s[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		return id
	}
	start := p.pos
	for p.pos < len(p.s) {
		c := rune(p.s[p.pos])
		if c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c) {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *typeParser) number() (int, error) {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	n, err := strconv.Atoi(p.s[start:p.pos])
	if err != nil {
		return 0, p.errorf("expected a number")
	}
	return n, nil
}

func (p *typeParser) parseFields(close byte) ([]arrow.Field, error) {
	var fields []arrow.Field
	for {
		if close != 0 && p.peek() == close {
			return fields, nil
		}
		name := p.ident()
		if name == "" {
			return nil, p.errorf("expected a field name")
		}
		if p.peek() == ':' {
			p.pos++
		}
		dt, err := p.parseType()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		rest := strings.ToUpper(p.s[p.pos:])
		if strings.HasPrefix(rest, "NOT NULL") {
			p.pos += len("NOT NULL")
			fields = append(fields, arrow.Field{Name: name, Type: dt})
		} else {
			fields = append(fields, arrow.Field{Name: name, Type: dt, Nullable: true})
		}
		if p.peek() != ',' {
			return fields, nil
		}
		p.pos++
	}
}

func (p *typeParser) parseType() (arrow.DataType, error) {
	name := strings.ToLower(p.ident())
	switch name {
	case "":
		return nil, p.errorf("expected a type name")
	case "boolean", "bool":
		return TypeBoolean, nil
	case "tinyint", "byte":
		return TypeByte, nil
	case "smallint", "short":
		return TypeShort, nil
	case "int", "integer":
		return TypeInt, nil
	case "bigint", "long":
		return TypeLong, nil
	case "float", "real":
		return TypeFloat, nil
	case "double":
		return TypeDouble, nil
	case "string", "varchar", "char", "text":
		if p.peek() == '(' { // varchar(n): length is not enforced
			p.pos++
			if _, err := p.number(); err != nil {
				return nil, err
			}
			if err := p.expect(')'); err != nil {
				return nil, err
			}
		}
		return TypeString, nil
	case "binary":
		return TypeBinary, nil
	case "date":
		return TypeDate, nil
	case "timestamp", "timestamp_ltz":
		return TypeTimestamp, nil
	case "void", "null":
		return TypeNull, nil
	case "decimal", "dec", "numeric":
		prec, scale := 10, 0
		if p.peek() == '(' {
			p.pos++
			var err error
			if prec, err = p.number(); err != nil {
				return nil, err
			}
			if p.peek() == ',' {
				p.pos++
				if scale, err = p.number(); err != nil {
					return nil, err
				}
			}
			if err := p.expect(')'); err != nil {
				return nil, err
			}
		}
		if prec < 1 || prec > 38 || scale < 0 || scale > prec {
			return nil, fmt.Errorf("[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] decimal(%d,%d) is not valid: precision must be 1..38 and scale 0..precision", prec, scale)
		}
		return &arrow.Decimal128Type{Precision: int32(prec), Scale: int32(scale)}, nil
	case "array":
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		elem, err := p.parseType()
		if err != nil {
			return nil, err
		}
		if err := p.expect('>'); err != nil {
			return nil, err
		}
		return ArrayOf(elem), nil
	case "map":
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		k, err := p.parseType()
		if err != nil {
			return nil, err
		}
		if err := p.expect(','); err != nil {
			return nil, err
		}
		v, err := p.parseType()
		if err != nil {
			return nil, err
		}
		if err := p.expect('>'); err != nil {
			return nil, err
		}
		return MapOf(k, v), nil
	case "struct":
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		fields, err := p.parseFields('>')
		if err != nil {
			return nil, err
		}
		if err := p.expect('>'); err != nil {
			return nil, err
		}
		return arrow.StructOf(fields...), nil
	}
	return nil, fmt.Errorf("[UNSUPPORTED_DATATYPE] Unsupported data type %q", strings.ToUpper(name))
}

// type classes used by coercion and checking.

func isIntegral(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

func isFloating(dt arrow.DataType) bool {
	return dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64
}

func isDecimal(dt arrow.DataType) bool { return dt.ID() == arrow.DECIMAL128 }

// IsNumeric reports whether dt is one of Spark's numeric types.
func IsNumeric(dt arrow.DataType) bool { return isIntegral(dt) || isFloating(dt) || isDecimal(dt) }

func isString(dt arrow.DataType) bool { return dt.ID() == arrow.STRING }
func isNull(dt arrow.DataType) bool   { return dt.ID() == arrow.NULL }

// isAtomic reports types that compare and sort as single values.
func isAtomic(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.BOOL, arrow.STRING, arrow.BINARY, arrow.DATE32, arrow.TIMESTAMP:
		return true
	}
	return IsNumeric(dt)
}
