package kafkapart

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

func TestExplicit(t *testing.T) {
	p := Explicit().ForTopic("t")
	tests := []struct {
		name string
		rec  *kgo.Record
	}{
		{"partition set", &kgo.Record{Partition: 3, Key: []byte("k")}},
		{"partition zero", &kgo.Record{Partition: 0, Key: []byte("k")}},
		{"keyed", &kgo.Record{Partition: -1, Key: []byte("k")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Partition(tc.rec, 8)
			switch {
			case tc.rec.Partition >= 0 && got != int(tc.rec.Partition):
				t.Errorf("partition %d, want the record's %d", got, tc.rec.Partition)
			case got < 0 || got >= 8:
				t.Errorf("partition %d outside [0, 8)", got)
			}
			if tc.rec.Partition >= 0 && !p.RequiresConsistency(tc.rec) {
				t.Error("a record with a partition must be placed consistently")
			}
		})
	}
	keyed := &kgo.Record{Partition: -1, Key: []byte("same key")}
	if a, b := p.Partition(keyed, 8), p.Partition(keyed, 8); a != b {
		t.Errorf("the same key went to partitions %d and %d", a, b)
	}
}
