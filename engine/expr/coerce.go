package expr

import (
	"github.com/apache/arrow/go/v15/arrow"
)

// numericRank orders Spark's numeric types for widening.
func numericRank(dt arrow.DataType) int {
	switch dt.ID() {
	case arrow.INT8:
		return 1
	case arrow.INT16:
		return 2
	case arrow.INT32:
		return 3
	case arrow.INT64:
		return 4
	case arrow.FLOAT32:
		return 6
	case arrow.FLOAT64:
		return 7
	}
	return 0
}

// integralAsDecimal is the decimal type that holds every value of an
// integral type (Spark's DecimalType.forType).
func integralAsDecimal(dt arrow.DataType) *arrow.Decimal128Type {
	switch dt.ID() {
	case arrow.INT8:
		return &arrow.Decimal128Type{Precision: 3}
	case arrow.INT16:
		return &arrow.Decimal128Type{Precision: 5}
	case arrow.INT32:
		return &arrow.Decimal128Type{Precision: 10}
	}
	return &arrow.Decimal128Type{Precision: 20}
}

func widerDecimal(a, b *arrow.Decimal128Type) *arrow.Decimal128Type {
	scale := max(a.Scale, b.Scale)
	rng := max(a.Precision-a.Scale, b.Precision-b.Scale)
	return boundedDecimal(rng+scale, scale)
}

func boundedDecimal(prec, scale int32) *arrow.Decimal128Type {
	if prec > 38 {
		return &arrow.Decimal128Type{Precision: 38, Scale: min(scale, 38)}
	}
	return &arrow.Decimal128Type{Precision: prec, Scale: scale}
}

// adjustedDecimal is Spark's DecimalType.adjustPrecisionScale: when the
// exact result needs more than 38 digits, keep the integral digits and cut
// the scale, but not below 6.
func adjustedDecimal(prec, scale int32) *arrow.Decimal128Type {
	if prec <= 38 {
		return &arrow.Decimal128Type{Precision: prec, Scale: scale}
	}
	intDigits := prec - scale
	minScale := min(scale, 6)
	return &arrow.Decimal128Type{Precision: 38, Scale: max(38-intDigits, minScale)}
}

// tightestCommonType is Spark's findTightestCommonType plus decimal
// widening: the narrowest type both a and b convert to without losing
// information (strings excluded).
func tightestCommonType(a, b arrow.DataType) (arrow.DataType, bool) {
	switch {
	case arrow.TypeEqual(a, b):
		return a, true
	case isNull(a):
		return b, true
	case isNull(b):
		return a, true
	}
	ra, rb := numericRank(a), numericRank(b)
	if ra > 0 && rb > 0 {
		if ra >= rb {
			return a, true
		}
		return b, true
	}
	da, aDec := a.(*arrow.Decimal128Type)
	db, bDec := b.(*arrow.Decimal128Type)
	switch {
	case aDec && bDec:
		return widerDecimal(da, db), true
	case aDec && isIntegral(b):
		return widerDecimal(da, integralAsDecimal(b)), true
	case bDec && isIntegral(a):
		return widerDecimal(integralAsDecimal(a), db), true
	case (aDec && isFloating(b)) || (bDec && isFloating(a)):
		return TypeDouble, true
	}
	if (a.ID() == arrow.DATE32 && b.ID() == arrow.TIMESTAMP) || (a.ID() == arrow.TIMESTAMP && b.ID() == arrow.DATE32) {
		return TypeTimestamp, true
	}
	if la, ok := a.(*arrow.ListType); ok {
		if lb, ok := b.(*arrow.ListType); ok {
			if e, ok := tightestCommonType(la.Elem(), lb.Elem()); ok {
				return ArrayOf(e), true
			}
		}
	}
	return nil, false
}

// widerType is Spark's findWiderTypeForTwo: the tightest common type, else
// STRING when one side is a string and the other an atomic non-binary type.
func widerType(a, b arrow.DataType) (arrow.DataType, bool) {
	if t, ok := tightestCommonType(a, b); ok {
		return t, true
	}
	if (isString(a) && isAtomic(b) && b.ID() != arrow.BINARY) || (isString(b) && isAtomic(a) && a.ID() != arrow.BINARY) {
		return TypeString, true
	}
	return nil, false
}

// widerTypes folds widerType over ts (all null gives NULL).
func widerTypes(ts []arrow.DataType, withStrings bool) (arrow.DataType, bool) {
	out := TypeNull
	for _, t := range ts {
		var ok bool
		if withStrings {
			out, ok = widerType(out, t)
		} else {
			out, ok = tightestCommonType(out, t)
		}
		if !ok {
			return nil, false
		}
	}
	return out, true
}

// comparisonType is Spark's findCommonTypeForBinaryComparison (ANSI off):
// a string compared with a number, date, timestamp or boolean is cast to
// the other side's type (to DOUBLE against a decimal).
func comparisonType(a, b arrow.DataType) (arrow.DataType, bool) {
	if t, ok := tightestCommonType(a, b); ok {
		return t, true
	}
	switch {
	case isString(a) && isDecimal(b), isDecimal(a) && isString(b):
		return TypeDouble, true
	case isString(a) && isAtomic(b):
		return b, true
	case isString(b) && isAtomic(a):
		return a, true
	}
	return nil, false
}

// canCast reports whether Spark (ANSI off) allows CAST(from AS to).
func canCast(from, to arrow.DataType) bool {
	if arrow.TypeEqual(from, to) || isNull(from) {
		return true
	}
	if isString(to) {
		return true
	}
	switch to.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128:
		switch from.ID() {
		case arrow.STRING, arrow.BOOL, arrow.TIMESTAMP, arrow.DATE32:
			return true
		}
		return IsNumeric(from)
	case arrow.TIMESTAMP:
		switch from.ID() {
		case arrow.STRING, arrow.BOOL, arrow.DATE32, arrow.TIMESTAMP:
			return true
		}
		return IsNumeric(from)
	case arrow.DATE32:
		switch from.ID() {
		case arrow.STRING, arrow.TIMESTAMP:
			return true
		}
	case arrow.BINARY:
		return isString(from) || isIntegral(from)
	case arrow.LIST:
		if fl, ok := from.(*arrow.ListType); ok {
			return canCast(fl.Elem(), to.(*arrow.ListType).Elem())
		}
	case arrow.MAP:
		if fm, ok := from.(*arrow.MapType); ok {
			tm := to.(*arrow.MapType)
			return canCast(fm.KeyType(), tm.KeyType()) && canCast(fm.ItemType(), tm.ItemType())
		}
	case arrow.STRUCT:
		if fs, ok := from.(*arrow.StructType); ok {
			ts := to.(*arrow.StructType)
			if fs.NumFields() != ts.NumFields() {
				return false
			}
			for i := 0; i < fs.NumFields(); i++ {
				if !canCast(fs.Field(i).Type, ts.Field(i).Type) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// implicitCastable reports whether Spark's ImplicitTypeCasts converts a
// value of type from where to is expected (function arguments).
func implicitCastable(from, to arrow.DataType) bool {
	if arrow.TypeEqual(from, to) || isNull(from) {
		return true
	}
	switch {
	case isString(to):
		return isAtomic(from) && from.ID() != arrow.BINARY
	case IsNumeric(to):
		return IsNumeric(from) || isString(from)
	case to.ID() == arrow.TIMESTAMP:
		return isString(from) || from.ID() == arrow.DATE32
	case to.ID() == arrow.DATE32:
		return isString(from) || from.ID() == arrow.TIMESTAMP
	case to.ID() == arrow.BINARY:
		return isString(from)
	case to.ID() == arrow.BOOL:
		return isString(from)
	}
	return false
}
