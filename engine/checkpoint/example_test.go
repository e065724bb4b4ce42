package checkpoint_test

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/gostream/gostream/engine/checkpoint"
)

// A micro-batch loop's use of the checkpoint: resume, write offsets before
// the batch, commit after the sink. The second run finds batch 1 planned
// but not committed and re-runs it with the same offsets.
func Example() {
	dir, _ := os.MkdirTemp("", "ck")
	defer os.RemoveAll(dir)

	run := func(batches int) {
		ck, err := checkpoint.Open(dir, "")
		if err != nil {
			fmt.Println(err)
			return
		}
		defer ck.Close()
		r, _ := ck.Resume()
		fmt.Printf("resume at batch %d, rerun=%v\n", r.Batch, r.Rerun)
		for i := 0; i < batches; i++ {
			n := r.Batch + int64(i)
			if !(r.Rerun && i == 0) { // a re-run keeps the offsets it recorded
				end := json.RawMessage(fmt.Sprintf(`{"logOffset":%d}`, n))
				ck.Offsets().Add(n, checkpoint.OffsetSeq{Offsets: []json.RawMessage{end}})
			}
			seq, _, _ := ck.Offsets().Get(n)
			fmt.Printf("batch %d reads up to %s\n", n, seq.Offsets[0])
			if n == 1 && !r.Rerun {
				return // crash before the commit
			}
			ck.Commits().Add(n, checkpoint.CommitMetadata{})
		}
	}
	run(3)
	run(2)
	// Output:
	// resume at batch 0, rerun=false
	// batch 0 reads up to {"logOffset":0}
	// batch 1 reads up to {"logOffset":1}
	// resume at batch 1, rerun=true
	// batch 1 reads up to {"logOffset":1}
	// batch 2 reads up to {"logOffset":2}
}
