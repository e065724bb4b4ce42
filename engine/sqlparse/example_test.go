package sqlparse_test

import (
	"fmt"

	"github.com/gostream/gostream/engine/sqlparse"
	"github.com/gostream/gostream/engine/types"
)

func ExampleParseDDL() {
	schema, err := sqlparse.ParseDDL("word STRING, n BIGINT NOT NULL, w STRUCT<start: TIMESTAMP, end: TIMESTAMP>")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(types.TreeString(schema))
	// Output:
	// root
	//  |-- word: string (nullable = true)
	//  |-- n: long (nullable = false)
	//  |-- w: struct (nullable = true)
	//  |    |-- start: timestamp (nullable = true)
	//  |    |-- end: timestamp (nullable = true)
}

func ExampleParseExpr_error() {
	_, err := sqlparse.ParseExpr("upper(name")
	fmt.Println(err)
	// Output:
	// [PARSE_SYNTAX_ERROR] Syntax error at or near end of input: missing ')'. (line 1, pos 10)
	//
	// == SQL ==
	// upper(name
	// ----------^^^
}

func ExampleParseInterval() {
	d, err := sqlparse.ParseInterval("1 hour 30 minutes")
	fmt.Println(d, err)
	_, err = sqlparse.ParseNonNegativeInterval("-10 seconds")
	fmt.Println(err)
	// Output:
	// 1h30m0s <nil>
	// invalid interval: '-10 seconds' is negative; it must be zero or more, such as '10 seconds'
}
