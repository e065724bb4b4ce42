package datetime_test

import (
	"fmt"

	"github.com/gostream/gostream/engine/datetime"
)

func ExampleCompile() {
	p, err := datetime.Compile("dd/MM/yyyy HH:mm")
	if err != nil {
		fmt.Println(err)
		return
	}
	us, err := p.ParseTimestamp("01/05/2024 10:07", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(us)
	fmt.Println(datetime.MustCompile(datetime.DefaultTimestampWritePattern).FormatTimestamp(us, nil))
	fmt.Println(datetime.FormatTimestamp(us, nil))
	// Output:
	// 1714558020000000
	// 2024-05-01T10:07:00.000Z
	// 2024-05-01 10:07:00
}

func ExampleStringToTimestamp() {
	for _, s := range []string{"2024-05-01T10:07:30.5Z", "2024-05-01 12:07 Europe/Paris", "2024-05-01 25:00"} {
		us, ok := datetime.StringToTimestamp(s, nil)
		fmt.Println(datetime.FormatTimestamp(us, nil), ok)
	}
	// Output:
	// 2024-05-01 10:07:30.5 true
	// 2024-05-01 10:07:00 true
	// 1970-01-01 00:00:00 false
}
