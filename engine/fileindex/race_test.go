package fileindex

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Two producers write files the safe way (hidden temporary name, then
// rename) while the index plans batches and a reader replays them. Every
// file must be planned exactly once, and no temporary file ever.
func TestIndexConcurrentProducers(t *testing.T) {
	src, ck := t.TempDir(), t.TempDir()
	opts := DefaultOptions()
	opts.MaxFilesPerTrigger = 7
	ix, err := Open(src, opts, ck)
	if err != nil {
		t.Fatal(err)
	}
	const producers, perProducer = 2, 60
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < perProducer; i++ {
				name := fmt.Sprintf("p%d-%03d.json", p, i)
				tmp := filepath.Join(src, "."+name+".tmp")
				if err := os.WriteFile(tmp, []byte(strings.Repeat("x", 100)), 0o644); err != nil {
					t.Error(err)
					return
				}
				if err := os.Rename(tmp, filepath.Join(src, name)); err != nil {
					t.Error(err)
					return
				}
			}
		}(p)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	ctx := context.Background()
	readerDone := make(chan struct{})
	go func() { // replays what is planned so far, concurrently with planning
		defer close(readerDone)
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := ix.Files(NoOffset, ix.Current()); err != nil {
				t.Error(err)
				return
			}
		}
	}()

	planned := map[string]int{}
	prev := NoOffset
	collect := func() bool {
		off, err := ix.Latest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		files, err := ix.Files(prev, off)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			planned[filepath.Base(f.Path)]++
		}
		moved := off != prev
		prev = off
		return moved
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			collect()
		}
	}
	<-readerDone
	for collect() {
	}
	if len(planned) != producers*perProducer {
		t.Errorf("planned %d distinct files; want %d", len(planned), producers*perProducer)
	}
	for name, n := range planned {
		if n != 1 || strings.HasPrefix(name, ".") {
			t.Errorf("file %s planned %d times", name, n)
		}
	}
}
