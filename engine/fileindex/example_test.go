package fileindex_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gostream/gostream/engine/fileindex"
)

// The file sink writes two batches; the second is replayed and skipped. A
// file source reading the sink's output sees each committed file once.
func Example() {
	base, _ := os.MkdirTemp("", "fileindex")
	defer os.RemoveAll(base)
	out := filepath.Join(base, "out")

	sink, _ := fileindex.OpenSink(out)
	for _, batchID := range []int64{0, 1, 1} {
		b, err := sink.Begin(batchID)
		if err != nil {
			fmt.Println(err != nil, "- replay skipped")
			continue
		}
		f, _ := b.Create(0, "", ".json")
		fmt.Fprintf(f, "{\"batch\":%d}\n", batchID)
		f.Close()
		b.Commit()
	}

	ix, _ := fileindex.Open(out, fileindex.DefaultOptions(), filepath.Join(base, "checkpoint", "sources", "0"))
	end, _ := ix.Latest(context.Background())
	files, _ := ix.Files(fileindex.NoOffset, end)
	fmt.Printf("source offset %d: %d files\n", end, len(files))
	// Output:
	// true - replay skipped
	// source offset 0: 2 files
}
