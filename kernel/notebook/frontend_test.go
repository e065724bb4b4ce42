package notebook

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gostream/gostream/display"
	"github.com/gostream/gostream/kernel"
	"github.com/gostream/gostream/kernel/notebook/host"
)

// frontEnd keeps the output areas of a notebook as a front end does from
// the messages the kernel publishes for each cell: streams and displays are
// appended to the cell the message is for, and update_display_data
// replaces the data of every output with that display id, in any cell.
type frontEnd struct {
	mu      sync.Mutex
	cells   map[int][]*output
	updates map[int]int // update_display_data messages sent with each cell's parent
}

type output struct {
	kind string // "stream", "display"
	name string // stream name
	text string
	id   string
	data display.Bundle
	md   display.Bundle
}

func newFrontEnd() *frontEnd {
	return &frontEnd{cells: map[int][]*output{}, updates: map[int]int{}}
}

// cellOutputs is the kernel.Outputs of one execution.
type cellOutputs struct {
	fe   *frontEnd
	cell int
}

func (o cellOutputs) Stream(name, text string) {
	o.fe.mu.Lock()
	defer o.fe.mu.Unlock()
	outs := o.fe.cells[o.cell]
	if n := len(outs); n > 0 && outs[n-1].kind == "stream" && outs[n-1].name == name {
		outs[n-1].text += text
		return
	}
	o.fe.cells[o.cell] = append(outs, &output{kind: "stream", name: name, text: text})
}

func (o cellOutputs) Display(data, md kernel.MIMEBundle, id string) {
	o.fe.mu.Lock()
	defer o.fe.mu.Unlock()
	o.fe.cells[o.cell] = append(o.fe.cells[o.cell], &output{kind: "display", id: id, data: display.Bundle(data), md: display.Bundle(md)})
}

func (o cellOutputs) UpdateDisplay(data, md kernel.MIMEBundle, id string) {
	o.fe.mu.Lock()
	defer o.fe.mu.Unlock()
	o.fe.updates[o.cell]++
	for _, outs := range o.fe.cells {
		for _, out := range outs {
			if out.kind == "display" && out.id == id {
				out.data, out.md = display.Bundle(data), display.Bundle(md)
			}
		}
	}
}

func (o cellOutputs) ClearOutput(bool) {}

func (o cellOutputs) Input(context.Context, string, bool) (string, error) {
	return "", kernel.ErrStdinNotAllowed
}

// outputs returns a copy of a cell's outputs.
func (fe *frontEnd) outputs(cell int) []output {
	fe.mu.Lock()
	defer fe.mu.Unlock()
	var out []output
	for _, o := range fe.cells[cell] {
		out = append(out, *o)
	}
	return out
}

// displays returns a cell's display outputs.
func (fe *frontEnd) displays(cell int) []output {
	var ds []output
	for _, o := range fe.outputs(cell) {
		if o.kind == "display" {
			ds = append(ds, o)
		}
	}
	return ds
}

// stream returns what a cell printed on stream name.
func (fe *frontEnd) stream(cell int, name string) string {
	var b strings.Builder
	for _, o := range fe.outputs(cell) {
		if o.kind == "stream" && o.name == name {
			b.WriteString(o.text)
		}
	}
	return b.String()
}

// notebookSession is a notebook session on its own host, with a front end
// and a counter of executions.
type notebookSession struct {
	t     *testing.T
	spark *Session
	h     *host.Host
	fe    *frontEnd
	n     int
}

func newNotebook(t *testing.T) *notebookSession {
	h := host.New()
	nb := &notebookSession{t: t, spark: &Session{h: h}, h: h, fe: newFrontEnd()}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h.Shutdown(ctx)
	})
	return nb
}

// run runs fn as the code of a new cell whose source is code, and returns
// the cell's execution count. A raised exception is returned.
func (nb *notebookSession) run(code string, fn func()) (int, *Exception) {
	nb.n++
	id := nb.n
	nb.h.NextCode(code)
	nb.h.BeginCell(context.Background(), id, cellOutputs{fe: nb.fe, cell: id})
	defer nb.h.EndCell(id)
	return id, catch(fn)
}

// must runs a cell that must not raise.
func (nb *notebookSession) must(code string, fn func()) int {
	nb.t.Helper()
	id, ex := nb.run(code, fn)
	if ex != nil {
		nb.t.Fatalf("cell %q raised %s: %v", code, ex.Class, ex)
	}
	return id
}

// catch runs fn and returns the *Exception it raised, nil when none.
func catch(fn func()) (ex *Exception) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Exception)
			if !ok {
				panic(r)
			}
			ex = e
		}
	}()
	fn()
	return nil
}

// resourceRows decodes the rows of a display's data resource.
func resourceRows(t *testing.T, b display.Bundle) []map[string]any {
	t.Helper()
	raw, ok := b[display.MIMEDataResource]
	if !ok {
		t.Fatalf("bundle has no %s: %v", display.MIMEDataResource, keys(b))
	}
	var res struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw.(json.RawMessage), &res); err != nil {
		t.Fatal(err)
	}
	return res.Data
}

func keys(b display.Bundle) []string {
	var ks []string
	for k := range b {
		ks = append(ks, k)
	}
	return ks
}

// rowsText renders rows as sorted-stable "k=v" lines for comparisons.
func rowsText(rows []map[string]any, cols ...string) []string {
	var out []string
	for _, r := range rows {
		var parts []string
		for _, c := range cols {
			parts = append(parts, fmt.Sprintf("%s=%v", c, r[c]))
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
