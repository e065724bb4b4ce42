package format_test

import (
	"fmt"
	"os"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/format"
)

func ExampleDecodeJSON() {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "Analytics", Type: arrow.StructOf(arrow.Field{Name: "Clicks", Type: arrow.PrimitiveTypes.Int64, Nullable: true}), Nullable: true},
		{Name: "Datetime", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "_corrupt_record", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	data := []byte(`{"Analytics":{"Clicks":5},"Datetime":"2024-05-01 10:00:03"}
{"Analytics":{"Clicks":"five"},"Datetime":"2024-05-01T10:00:04Z"}
`)
	rec, stats, err := format.DecodeJSON(data, schema, format.JSONOptions{}, nil, "clicks.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rec.Release()
	fmt.Print(format.ShowString(rec, 20, 20, false))
	fmt.Printf("rows=%d malformed=%d\n", stats.Rows, stats.Malformed)
	// Output:
	// +---------+-------------------+--------------------+
	// |Analytics|           Datetime|     _corrupt_record|
	// +---------+-------------------+--------------------+
	// |      {5}|2024-05-01 10:00:03|                null|
	// |     null|2024-05-01 10:00:04|{"Analytics":{"Cl...|
	// +---------+-------------------+--------------------+
	// rows=2 malformed=1
}

func ExampleEncodeJSON() {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "price", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	rec, _, err := format.DecodeCSV([]byte("1,40.5\n2,\n"), schema, format.CSVOptions{}, nil, "in.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rec.Release()
	if err := format.EncodeJSON(os.Stdout, rec, format.JSONOptions{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"n":1,"price":40.5}
	// {"n":2}
}
