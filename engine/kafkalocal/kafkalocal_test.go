package kafkalocal

import (
	"context"
	"fmt"
	"testing"
)

func TestClusterLifecycle(t *testing.T) {
	ctx := context.Background()
	c, err := Start(Config{Brokers: 2, Partitions: 2, Topics: []string{"t"}, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	offsets := func() string {
		t.Helper()
		start, end, err := c.Offsets(ctx, "t")
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(start, end)
	}
	steps := []struct {
		name string
		do   func() error
		want string // start and end offsets of t's partitions
	}{
		{"created", func() error { return nil }, "map[0:0 1:0] map[0:0 1:0]"},
		{"produced", func() error {
			return c.Produce(ctx,
				Record{Topic: "t", Value: []byte("a"), Partition: 0, PartitionSet: true},
				Record{Topic: "t", Value: []byte("b"), Partition: 1, PartitionSet: true},
				Record{Topic: "t", Value: []byte("c"), Partition: 1, PartitionSet: true})
		}, "map[0:0 1:0] map[0:1 1:2]"},
		{"records deleted", func() error { return c.DeleteRecords(ctx, "t", 1, 1) }, "map[0:0 1:1] map[0:1 1:2]"},
		{"restarted from the data dir", c.Restart, "map[0:0 1:1] map[0:1 1:2]"},
		{"partition added", func() error {
			if err := c.AddPartitions(ctx, "t", 1); err != nil {
				return err
			}
			return c.Produce(ctx, Record{Topic: "t", Value: []byte("d"), Partition: 2, PartitionSet: true})
		}, "map[0:0 1:1 2:0] map[0:1 1:2 2:1]"},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := offsets(); got != s.want {
			t.Errorf("%s: offsets %s; want %s", s.name, got, s.want)
		}
	}
	if err := c.DeleteTopic(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Offsets(ctx, "t"); err == nil {
		t.Errorf("offsets of a deleted topic: no error")
	}
}

func TestRestartNeedsDataDir(t *testing.T) {
	c, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if err := c.Restart(); err == nil {
		t.Errorf("Restart without a DataDir succeeded")
	}
}
