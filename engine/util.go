package engine

import (
	"fmt"
	"sort"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/sqlparse"
)

func sortStrings(s []string) { sort.Strings(s) }

// arrowSchemaer is a schema that converts to Arrow, such as types.Schema.
type arrowSchemaer interface {
	Arrow() *arrow.Schema
}

// toSchema reads a schema given as a DDL string ("a STRING, b INT"), a
// types.Schema or an *arrow.Schema.
func toSchema(v any) (*arrow.Schema, error) {
	switch s := v.(type) {
	case *arrow.Schema:
		if s == nil {
			return nil, fmt.Errorf("the schema is nil")
		}
		return s, nil
	case string:
		return sqlparse.ParseDDL(s)
	case arrowSchemaer:
		return s.Arrow(), nil
	case nil:
		return nil, fmt.Errorf("the schema is nil")
	}
	return nil, fmt.Errorf("a schema must be a DDL string (\"a STRING, b INT\"), a types.Schema or an *arrow.Schema, not %T", v)
}
