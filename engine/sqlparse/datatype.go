package sqlparse

import (
	"errors"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/types"
)

const typeHint = "expected a type name such as STRING, INT, TIMESTAMP"

// dataType parses a Spark type: a primitive name, DECIMAL[(p[,s])],
// ARRAY<T>, MAP<K, V> or STRUCT<name[:] T [NOT NULL] [COMMENT '...'], ...>.
func (p *parser) dataType() (arrow.DataType, error) {
	p.depth++
	defer func() { p.depth-- }()
	t := p.next()
	if p.depth > maxDepth {
		return nil, p.syntaxErr(t, "type nested too deeply")
	}
	if t.kind != tIdent {
		return nil, p.syntaxErr(t, typeHint)
	}
	name := strings.ToUpper(t.text)
	switch name {
	case "ARRAY":
		if err := p.expectOp("<"); err != nil {
			return nil, err
		}
		elem, err := p.dataType()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(">"); err != nil {
			return nil, err
		}
		return types.ArrayType(elem, true), nil
	case "MAP":
		if err := p.expectOp("<"); err != nil {
			return nil, err
		}
		k, err := p.dataType()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
		v, err := p.dataType()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(">"); err != nil {
			return nil, err
		}
		return types.MapType(k, v, true), nil
	case "STRUCT":
		if p.acceptOp("<>") {
			return arrow.StructOf(), nil
		}
		if err := p.expectOp("<"); err != nil {
			return nil, err
		}
		var fields []arrow.Field
		if !p.acceptOp(">") {
			for {
				f, err := p.columnDef(true)
				if err != nil {
					return nil, err
				}
				fields = append(fields, f)
				if p.acceptOp(",") {
					continue
				}
				if err := p.expectOp(">"); err != nil {
					return nil, err
				}
				break
			}
		}
		return arrow.StructOf(fields...), nil
	case "DECIMAL", "DEC", "NUMERIC":
		prec, scale := types.DefaultDecimalPrecision, types.DefaultDecimalScale
		if p.acceptOp("(") {
			var err error
			if prec, err = p.intArg(); err != nil {
				return nil, err
			}
			scale = 0
			if p.acceptOp(",") {
				if scale, err = p.intArg(); err != nil {
					return nil, err
				}
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
		}
		if err := types.CheckDecimal(prec, scale); err != nil {
			return nil, p.typeErr(t, err)
		}
		return types.DecimalType(prec, scale), nil
	case "CHAR", "CHARACTER", "VARCHAR":
		if p.acceptOp("(") {
			if _, err := p.intArg(); err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
		}
		return nil, p.typeErr(t, types.UnsupportedName(name, p.src[t.pos:p.toks[p.i-1].end]))
	case "INTERVAL":
		for isUnitToken(p.peek()) || p.peek().is("TO") {
			p.next()
		}
		return nil, p.typeErr(t, types.UnsupportedName(name, p.src[t.pos:p.toks[p.i-1].end]))
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
func (p *parser) typeErr(t token, err error) error {
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
	return newError(p.src, t.pos, class, msg, err)
}

func (p *parser) intArg() (int, error) {
	t := p.next()
	if t.kind == tNumber {
		if n, err := strconv.Atoi(t.text); err == nil {
			return n, nil
		}
	}
	return 0, p.syntaxErr(t, "expected an integer")
}

// columnDef parses "name [:] type [NOT NULL] [COMMENT 'text']"; the comment
// is read and dropped. The colon is how struct fields are usually written;
// it is accepted in DDL column lists too.
func (p *parser) columnDef(inStruct bool) (arrow.Field, error) {
	n := p.next()
	if n.kind != tIdent && n.kind != tQuoted {
		what := "a column name"
		if inStruct {
			what = "a field name"
		}
		return arrow.Field{}, p.syntaxErr(n, "expected "+what)
	}
	p.acceptOp(":")
	dt, err := p.dataType()
	if err != nil {
		return arrow.Field{}, err
	}
	f := arrow.Field{Name: n.text, Type: dt, Nullable: true}
	for {
		switch t := p.peek(); {
		case t.is("NOT"):
			p.next()
			if err := p.expectKeyword("NULL"); err != nil {
				return arrow.Field{}, err
			}
			f.Nullable = false
		case t.is("COMMENT"):
			p.next()
			if p.peek().kind != tString {
				return arrow.Field{}, p.syntaxErr(p.peek(), "COMMENT needs a string such as 'text'")
			}
			p.stringLiteral()
		case t.is("DEFAULT") || t.is("GENERATED"):
			return arrow.Field{}, newError(p.src, t.pos, ClassUnsupportedSQL, strings.ToUpper(t.text)+" is not supported in a schema", nil)
		default:
			return f, nil
		}
	}
}

// ddl parses a column list, or a whole STRUCT<...> type.
func (p *parser) ddl() (*arrow.Schema, error) {
	if p.peek().is("STRUCT") && p.peekAt(1).isOp("<") {
		t, err := p.dataType()
		if err != nil {
			return nil, err
		}
		if err := p.expectEOF(); err != nil {
			return nil, err
		}
		return arrow.NewSchema(t.(*arrow.StructType).Fields(), nil), nil
	}
	var fields []arrow.Field
	if p.peek().kind != tEOF {
		for {
			f, err := p.columnDef(false)
			if err != nil {
				return nil, err
			}
			fields = append(fields, f)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if err := p.expectEOF(); err != nil {
		return nil, err
	}
	return arrow.NewSchema(fields, nil), nil
}
