package sqlsyntax

import (
	"errors"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/types"
)

const typeHint = "expected a type name such as STRING, INT, TIMESTAMP"

// DataType parses a Spark type: a primitive name, DECIMAL[(p[,s])],
// ARRAY<T>, MAP<K, V> or STRUCT<name[:] T [NOT NULL] [COMMENT '...'], ...>.
// Types outside the mapping of package types are refused with a
// *ParseError that wraps a *types.UnsupportedTypeError saying what to use
// instead.
func (p *Parser) DataType() (arrow.DataType, error) {
	p.Depth++
	defer func() { p.Depth-- }()
	t := p.Next()
	if p.Depth > MaxDepth {
		return nil, p.SyntaxErr(t, "type nested too deeply")
	}
	if t.Kind != Ident {
		return nil, p.SyntaxErr(t, typeHint)
	}
	name := strings.ToUpper(t.Text)
	switch name {
	case "ARRAY":
		if err := p.ExpectOp("<"); err != nil {
			return nil, err
		}
		elem, err := p.DataType()
		if err != nil {
			return nil, err
		}
		if err := p.ExpectOp(">"); err != nil {
			return nil, err
		}
		return types.ArrayType(elem, true), nil
	case "MAP":
		if err := p.ExpectOp("<"); err != nil {
			return nil, err
		}
		k, err := p.DataType()
		if err != nil {
			return nil, err
		}
		if err := p.ExpectOp(","); err != nil {
			return nil, err
		}
		v, err := p.DataType()
		if err != nil {
			return nil, err
		}
		if err := p.ExpectOp(">"); err != nil {
			return nil, err
		}
		return types.MapType(k, v, true), nil
	case "STRUCT":
		if p.AcceptOp("<>") {
			return arrow.StructOf(), nil
		}
		if err := p.ExpectOp("<"); err != nil {
			return nil, err
		}
		var fields []arrow.Field
		if !p.AcceptOp(">") {
			for {
				f, err := p.columnDef(true)
				if err != nil {
					return nil, err
				}
				fields = append(fields, f)
				if p.AcceptOp(",") {
					continue
				}
				if err := p.ExpectOp(">"); err != nil {
					return nil, err
				}
				break
			}
		}
		return arrow.StructOf(fields...), nil
	case "DECIMAL", "DEC", "NUMERIC":
		prec, scale := types.DefaultDecimalPrecision, types.DefaultDecimalScale
		if p.AcceptOp("(") {
			var err error
			if prec, err = p.intArg(); err != nil {
				return nil, err
			}
			scale = 0
			if p.AcceptOp(",") {
				if scale, err = p.intArg(); err != nil {
					return nil, err
				}
			}
			if err := p.ExpectOp(")"); err != nil {
				return nil, err
			}
		}
		if err := types.CheckDecimal(prec, scale); err != nil {
			return nil, p.typeErr(t, err)
		}
		return types.DecimalType(prec, scale), nil
	case "CHAR", "CHARACTER", "VARCHAR":
		if p.AcceptOp("(") {
			if _, err := p.intArg(); err != nil {
				return nil, err
			}
			if err := p.ExpectOp(")"); err != nil {
				return nil, err
			}
		}
		return nil, p.typeErr(t, types.UnsupportedName(name, p.Src[t.Pos:p.toks[p.i-1].End]))
	case "INTERVAL":
		for IsUnitToken(p.Peek()) || p.Peek().Is("TO") {
			p.Next()
		}
		return nil, p.typeErr(t, types.UnsupportedName(name, p.Src[t.Pos:p.toks[p.i-1].End]))
	}
	if dt, ok := types.Primitive(name); ok {
		return dt, nil
	}
	if err := types.UnsupportedName(name, name); err != nil {
		return nil, p.typeErr(t, err)
	}
	return nil, p.typeErr(t, &types.UnsupportedTypeError{Type: name,
		Hint: "use one of STRING, BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), TIMESTAMP, DATE, BINARY, ARRAY<T>, MAP<K, V>, STRUCT<...>"})
}

// typeErr turns a type error of package types into a ParseError at t.
func (p *Parser) typeErr(t Token, err error) error {
	class := ClassUnsupportedDT
	msg := strings.TrimPrefix(err.Error(), "[UNSUPPORTED_DATATYPE] ")
	var de *types.DecimalError
	if errors.As(err, &de) {
		class = ClassSyntax
		if de.Precision > types.MaxDecimalPrecision {
			class = "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION"
			msg = strings.TrimPrefix(msg, "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] ")
		}
	}
	return NewError(p.Src, t.Pos, class, msg, err)
}

func (p *Parser) intArg() (int, error) {
	t := p.Next()
	if t.Kind == Number {
		if n, err := strconv.Atoi(t.Text); err == nil {
			return n, nil
		}
	}
	return 0, p.SyntaxErr(t, "expected an integer")
}

// columnDef parses "name [:] type [NOT NULL] [COMMENT 'text']"; the comment
// is read and dropped. The colon is how struct fields are usually written;
// it is accepted in DDL column lists too.
func (p *Parser) columnDef(inStruct bool) (arrow.Field, error) {
	n := p.Next()
	if n.Kind != Ident && n.Kind != Quoted {
		what := "a column name"
		if inStruct {
			what = "a field name"
		}
		return arrow.Field{}, p.SyntaxErr(n, "expected "+what)
	}
	p.AcceptOp(":")
	dt, err := p.DataType()
	if err != nil {
		return arrow.Field{}, err
	}
	f := arrow.Field{Name: n.Text, Type: dt, Nullable: true}
	for {
		switch t := p.Peek(); {
		case t.Is("NOT"):
			p.Next()
			if err := p.ExpectKeyword("NULL"); err != nil {
				return arrow.Field{}, err
			}
			f.Nullable = false
		case t.Is("COMMENT"):
			p.Next()
			if p.Peek().Kind != String {
				return arrow.Field{}, p.SyntaxErr(p.Peek(), "COMMENT needs a string such as 'text'")
			}
			for p.Peek().Kind == String { // Spark joins 'a' 'b' into 'ab'
				p.Next()
			}
		case t.Is("DEFAULT") || t.Is("GENERATED"):
			return arrow.Field{}, NewError(p.Src, t.Pos, ClassUnsupportedSQL, strings.ToUpper(t.Text)+" is not supported in a schema", nil)
		default:
			return f, nil
		}
	}
}

// DDL parses a column list, or a whole STRUCT<...> type, up to the end of
// the text.
func (p *Parser) DDL() (*arrow.Schema, error) {
	if p.Peek().Is("STRUCT") && p.PeekAt(1).IsOp("<") {
		t, err := p.DataType()
		if err != nil {
			return nil, err
		}
		if err := p.ExpectEOF(); err != nil {
			return nil, err
		}
		return arrow.NewSchema(t.(*arrow.StructType).Fields(), nil), nil
	}
	var fields []arrow.Field
	if p.Peek().Kind != EOF {
		for {
			f, err := p.columnDef(false)
			if err != nil {
				return nil, err
			}
			fields = append(fields, f)
			if !p.AcceptOp(",") {
				break
			}
		}
	}
	if err := p.ExpectEOF(); err != nil {
		return nil, err
	}
	return arrow.NewSchema(fields, nil), nil
}

// ParseDataType parses a whole text as one data type; see Parser.DataType.
func ParseDataType(s string) (arrow.DataType, error) {
	p := NewParser(s)
	t, err := p.DataType()
	if err != nil {
		return nil, err
	}
	if err := p.ExpectEOF(); err != nil {
		return nil, err
	}
	return t, nil
}

// ParseDDL parses a schema written as a DDL column list ("a STRING, b INT
// NOT NULL") or as a STRUCT<...> type; see Parser.DDL.
func ParseDDL(s string) (*arrow.Schema, error) {
	return NewParser(s).DDL()
}
