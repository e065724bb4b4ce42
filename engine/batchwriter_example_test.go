package engine_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gostream/gostream/engine"
)

func ExampleDataFrameWriter() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "people")

	s := engine.NewSession(engine.WithOutput(os.Stdout))
	people := s.CreateDataFrame([][]any{{"alice", 34}, {"bob", 27}}, "name STRING, age INT")
	if err := people.Write().Option("header", true).Csv(out); err != nil {
		fmt.Println(err)
	}
	// A second write to the same path needs a mode.
	fmt.Println(people.Write().Csv(out) != nil)
	if err := people.Write().Mode("append").Option("header", true).Csv(out); err != nil {
		fmt.Println(err)
	}
	back := s.Read().Schema("name STRING, age INT").Option("header", true).Csv(out)
	n, _ := back.Count()
	fmt.Println(n, "rows")
	// Output:
	// true
	// 4 rows
}
