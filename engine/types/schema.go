package types

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Field is one column of a Schema, or one field of a struct type: Spark's
// StructField.
type Field struct {
	Name     string
	Type     DataType
	Nullable bool
	// Metadata is Spark's field metadata; values that are not JSON strings in
	// a schema's JSON are kept as their JSON text.
	Metadata map[string]string
}

// StructField builds a Field as PySpark's StructField(name, dataType,
// nullable) does. A Schema given as t becomes a struct type.
func StructField(name string, t DataType, nullable bool) Field {
	return Field{Name: name, Type: Normalize(t), Nullable: nullable}
}

// Arrow returns the field as an arrow.Field.
func (f Field) Arrow() arrow.Field {
	af := arrow.Field{Name: f.Name, Type: Normalize(f.Type), Nullable: f.Nullable}
	if len(f.Metadata) > 0 {
		af.Metadata = arrow.MetadataFrom(f.Metadata)
	}
	return af
}

// FieldFromArrow converts an arrow.Field.
func FieldFromArrow(af arrow.Field) Field {
	f := Field{Name: af.Name, Type: af.Type, Nullable: af.Nullable}
	if af.Metadata.Len() > 0 {
		f.Metadata = af.Metadata.ToMap()
	}
	return f
}

// Schema is an ordered list of fields: Spark's StructType used as the schema
// of a DataFrame. It converts to and from *arrow.Schema (Arrow, FromArrow).
//
// A Schema is also a DataType, so that a cell can nest it as PySpark does:
// StructField("s", StructType(StructField("x", IntegerType(), true)), true).
// The builders of this package turn a nested Schema into *arrow.StructType;
// code handing a user-supplied DataType to Arrow passes it through Normalize.
type Schema struct {
	Fields []Field
}

// StructType builds a Schema from fields, as PySpark's StructType([...]).
func StructType(fields ...Field) Schema {
	return Schema{Fields: append([]Field(nil), fields...)}
}

// FromArrow converts an Arrow schema. Schema-level metadata is dropped.
func FromArrow(s *arrow.Schema) Schema {
	if s == nil {
		return Schema{}
	}
	fields := make([]Field, s.NumFields())
	for i, f := range s.Fields() {
		fields[i] = FieldFromArrow(f)
	}
	return Schema{Fields: fields}
}

// FromStruct converts the fields of an Arrow struct type.
func FromStruct(st *arrow.StructType) Schema {
	fields := make([]Field, st.NumFields())
	for i, f := range st.Fields() {
		fields[i] = FieldFromArrow(f)
	}
	return Schema{Fields: fields}
}

// Arrow returns the equivalent Arrow schema.
func (s Schema) Arrow() *arrow.Schema {
	return arrow.NewSchema(s.arrowFields(), nil)
}

// StructType returns the schema as an Arrow struct type.
func (s Schema) StructType() *arrow.StructType {
	return arrow.StructOf(s.arrowFields()...)
}

func (s Schema) arrowFields() []arrow.Field {
	fields := make([]arrow.Field, len(s.Fields))
	for i, f := range s.Fields {
		fields[i] = f.Arrow()
	}
	return fields
}

// Add returns a copy of s with one more field, as PySpark's
// StructType.add(name, dataType, nullable).
func (s Schema) Add(name string, t DataType, nullable bool) Schema {
	fields := make([]Field, len(s.Fields), len(s.Fields)+1)
	copy(fields, s.Fields)
	return Schema{Fields: append(fields, StructField(name, t, nullable))}
}

// FieldNames returns the names of the fields in order.
func (s Schema) FieldNames() []string {
	names := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		names[i] = f.Name
	}
	return names
}

// Validate reports the first field whose type is outside Spark's mapping
// (see Check), naming the field.
func (s Schema) Validate() error {
	for _, f := range s.Fields {
		if err := Check(f.Type); err != nil {
			return fmt.Errorf("field %q: %w", f.Name, err)
		}
	}
	return nil
}

// TreeString renders the schema as Spark's printSchema.
func (s Schema) TreeString() string { return TreeString(s.Arrow()) }

// SimpleString renders the schema as Spark's StructType.simpleString:
// "struct<a:int,b:string>".
func (s Schema) SimpleString() string { return SimpleString(s.StructType()) }

// DDL renders the schema as a DDL column list that sqlparse.ParseDDL reads
// back: "a STRING,b INT NOT NULL".
func (s Schema) DDL() string { return DDL(s.Arrow()) }

// The methods below make a Schema an arrow.DataType (a struct type).

// ID is arrow.STRUCT.
func (s Schema) ID() arrow.Type { return arrow.STRUCT }

// Name is "struct".
func (s Schema) Name() string { return "struct" }

// Fingerprint is the fingerprint of the equivalent struct type.
func (s Schema) Fingerprint() string { return s.StructType().Fingerprint() }

// Layout is the layout of the equivalent struct type.
func (s Schema) Layout() arrow.DataTypeLayout { return s.StructType().Layout() }

// String renders the schema as PySpark's repr of a StructType:
// StructType([StructField('a', StringType(), True), ...]).
func (s Schema) String() string {
	var b strings.Builder
	writeReprStruct(&b, s.Fields)
	return b.String()
}

func writeReprStruct(b *strings.Builder, fields []Field) {
	b.WriteString("StructType([")
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "StructField('%s', ", f.Name)
		writeRepr(b, Normalize(f.Type))
		if f.Nullable {
			b.WriteString(", True)")
		} else {
			b.WriteString(", False)")
		}
	}
	b.WriteString("])")
}

func writeRepr(b *strings.Builder, t DataType) {
	pyBool := func(v bool) string {
		if v {
			return "True"
		}
		return "False"
	}
	switch t := t.(type) {
	case *arrow.StructType:
		writeReprStruct(b, FromStruct(t).Fields)
	case *arrow.ListType:
		b.WriteString("ArrayType(")
		writeRepr(b, t.Elem())
		fmt.Fprintf(b, ", %s)", pyBool(t.ElemField().Nullable))
	case *arrow.MapType:
		b.WriteString("MapType(")
		writeRepr(b, t.KeyType())
		b.WriteString(", ")
		writeRepr(b, t.ItemType())
		fmt.Fprintf(b, ", %s)", pyBool(t.ItemField().Nullable))
	case *arrow.Decimal128Type:
		fmt.Fprintf(b, "DecimalType(%d, %d)", t.Precision, t.Scale)
	default:
		switch name := TypeName(t); name {
		case "string", "integer", "long", "short", "byte", "float", "double",
			"boolean", "timestamp", "date", "binary":
			b.WriteString(strings.ToUpper(name[:1]) + name[1:] + "Type()")
		case "void":
			b.WriteString("NullType()")
		default:
			b.WriteString(name)
		}
	}
}
