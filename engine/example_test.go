package engine_test

import (
	"context"
	"fmt"
	"os"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
)

func ExampleDataFrame_Show() {
	s := engine.NewSession(engine.WithOutput(os.Stdout))
	df := s.CreateDataFrame([][]any{
		{"alice", 34},
		{"bob", 27},
	}, "name STRING, age INT")
	df.Filter(F.Col("age").Gt(30)).Select(F.Upper(F.Col("name")).Alias("name"), F.Col("age")).Show()
	// Output:
	// +-----+---+
	// | name|age|
	// +-----+---+
	// |ALICE| 34|
	// +-----+---+
}

func ExampleDataFrame_Err() {
	s := engine.NewSession()
	df := s.CreateDataFrame([][]any{{"alice", 34}}, "name STRING, age INT").Select("nmae")
	_, err := df.Count()
	fmt.Println(err)
	// Output:
	// select: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nmae` cannot be resolved. Did you mean one of the following? [`name`, `age`].
}

func ExampleMemoryStream() {
	s := engine.NewSession(engine.WithOutput(os.Stdout))
	defer s.Close()
	words := s.MemoryStream("word STRING")
	q, err := words.ToDF().
		Where("length(word) > 3").
		WithColumn("shout", F.Upper(F.Col("word"))).
		WriteStream().Format("memory").QueryName("long_words").Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer q.Stop()
	words.AddRows([]any{"go"}, []any{"arrow"}, []any{"spark"})
	if err := q.ProcessAllAvailable(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	s.Table("long_words").Show()
	fmt.Println("batch", q.LastProgress().BatchID, "rows", q.LastProgress().NumInputRows)
	// Output:
	// +-----+-----+
	// | word|shout|
	// +-----+-----+
	// |arrow|ARROW|
	// |spark|SPARK|
	// +-----+-----+
	//
	// batch 0 rows 3
}

func ExampleDataStreamWriter_ForeachBatch() {
	s := engine.NewSession()
	defer s.Close()
	nums := s.MemoryStream("n BIGINT")
	q, _ := nums.ToDF().WriteStream().ForeachBatch(func(df *engine.DataFrame, batchID int64) error {
		n, err := df.Count()
		fmt.Printf("batch %d: %d rows\n", batchID, n)
		return err
	}).Start()
	defer q.Stop()
	ctx := context.Background()
	nums.AddRows([]any{1}, []any{2})
	q.ProcessAllAvailable(ctx)
	nums.AddRows([]any{3})
	q.ProcessAllAvailable(ctx)
	// Output:
	// batch 0: 2 rows
	// batch 1: 1 rows
}

func ExampleDataStreamWriter_Format_console() {
	s := engine.NewSession(engine.WithOutput(os.Stdout))
	defer s.Close()
	in := s.MemoryStream("id BIGINT, city STRING")
	in.AddRows([]any{1, "paris"}, []any{2, "rome"})
	q, _ := in.ToDF().WriteStream().Format("console").Trigger(engine.Once()).Start()
	q.AwaitTermination(context.Background())
	// Output:
	// -------------------------------------------
	// Batch: 0
	// -------------------------------------------
	// +---+-----+
	// | id| city|
	// +---+-----+
	// |  1|paris|
	// |  2| rome|
	// +---+-----+
}
