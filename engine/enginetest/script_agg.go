package enginetest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/sqlparse"
)

// aggCommand runs the commands for aggregations, sorting and progress
// checks (see the package doc); ok is false for a command it does not
// know.
func (r *runner) aggCommand(cmd, arg string) (ok bool, err error) {
	switch cmd {
	case "groupby":
		var keys []any
		if arg != "" {
			for _, k := range splitList(arg) {
				e, err := sqlparse.ParseSelectItem(k)
				if err != nil {
					return true, err
				}
				keys = append(keys, e)
			}
		}
		r.grouped = r.df.GroupBy(keys...)
	case "agg":
		var aggs []any
		for _, a := range splitList(arg) {
			e, err := sqlparse.ParseSelectItem(a)
			if err != nil {
				return true, err
			}
			aggs = append(aggs, e)
		}
		if r.grouped == nil {
			r.grouped = r.df.GroupBy()
		}
		r.df, r.grouped = r.grouped.Agg(aggs...), nil
		return true, r.df.Err()
	case "orderby":
		var cols []any
		for _, c := range splitList(arg) {
			cols = append(cols, c)
		}
		r.df = r.df.OrderBy(cols...)
		return true, r.df.Err()
	case "sink":
		if arg != "foreach" && arg != "memory" {
			return true, fmt.Errorf("sink is foreach or memory, not %q", arg)
		}
		r.foreach = arg == "foreach"
	case "save":
		if r.saved == nil {
			r.saved = map[string]*engine.DataFrame{}
		}
		r.saved[arg] = r.df
	case "union-saved":
		df, ok := r.saved[arg]
		if !ok {
			return true, fmt.Errorf("no saved DataFrame %s", arg)
		}
		r.df = r.df.Union(df)
		return true, r.df.Err()
	case "conf":
		k, v, _ := strings.Cut(arg, " ")
		r.s.Conf().Set(k, strings.TrimSpace(v))
	case "check-new":
		return true, r.checkNew(arg)
	case "check-last-batch":
		return true, r.checkLastBatch(arg)
	case "check-ordered":
		return true, r.checkOrdered(arg)
	case "progress":
		return true, r.checkProgress(arg)
	default:
		return false, nil
	}
	return true, nil
}

// sinkRows returns the sink's rows in order, canonically encoded.
func (r *runner) sinkRows() ([]string, error) {
	if r.foreach {
		r.mu.Lock()
		defer r.mu.Unlock()
		var all []string
		for _, b := range r.updates {
			all = append(all, b...)
		}
		return all, nil
	}
	rows, err := r.s.Table("out").Collect()
	if err != nil {
		return nil, err
	}
	got := make([]string, len(rows))
	for i, row := range rows {
		got[i] = canonical(row.Values())
	}
	return got, nil
}

func wantRows(arg string) ([]string, error) {
	want, err := parseRows(arg)
	if err != nil {
		return nil, err
	}
	exp := make([]string, len(want))
	for i, row := range want {
		exp[i] = canonical(row)
	}
	return exp, nil
}

func sameRows(what string, got, want []string, ordered bool) error {
	g, w := append([]string(nil), got...), append([]string(nil), want...)
	if !ordered {
		sort.Strings(g)
		sort.Strings(w)
	}
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		return fmt.Errorf("%s differ\n--- want\n%s\n--- got\n%s", what, strings.Join(w, "\n"), strings.Join(g, "\n"))
	}
	return nil
}

// checkNew compares the rows the sink received since the previous
// check-new (Spark's CheckNewAnswer); a restarted query's sink starts
// empty.
func (r *runner) checkNew(arg string) error {
	if err := r.processIfRunning(); err != nil {
		return err
	}
	got, err := r.sinkRows()
	if err != nil {
		return err
	}
	if r.seenQuery != r.q {
		r.seenQuery, r.seenRows = r.q, 0
	}
	if r.seenRows > len(got) {
		r.seenRows = 0
	}
	fresh := got[r.seenRows:]
	r.seenRows = len(got)
	want, err := wantRows(arg)
	if err != nil {
		return err
	}
	return sameRows("new sink rows", fresh, want, false)
}

// checkLastBatch compares the rows of the latest batch (Spark's
// CheckLastBatch).
func (r *runner) checkLastBatch(arg string) error {
	if err := r.processIfRunning(); err != nil {
		return err
	}
	got, err := r.sinkRows()
	if err != nil {
		return err
	}
	p := r.q.LastProgress()
	if p == nil {
		return fmt.Errorf("no batch has run")
	}
	n := int(p.Sink.NumOutputRows)
	if n > len(got) {
		return fmt.Errorf("the last batch wrote %d rows but the sink holds %d", n, len(got))
	}
	want, err := wantRows(arg)
	if err != nil {
		return err
	}
	return sameRows("rows of the last batch", got[len(got)-n:], want, false)
}

// checkOrdered compares the sink's table row by row, in order.
func (r *runner) checkOrdered(arg string) error {
	if err := r.processIfRunning(); err != nil {
		return err
	}
	got, err := r.sinkRows()
	if err != nil {
		return err
	}
	want, err := wantRows(arg)
	if err != nil {
		return err
	}
	return sameRows("sink rows (in order)", got, want, true)
}

func (r *runner) processIfRunning() error {
	if r.q == nil || !r.q.IsActive() {
		return nil
	}
	return r.run("process", "")
}

// checkProgress compares one field of the last progress, named by a
// dotted JSON path ("stateOperators.0.numRowsTotal",
// "eventTime.watermark"), with a JSON value.
func (r *runner) checkProgress(arg string) error {
	path, wantText, _ := strings.Cut(arg, " ")
	p := r.q.LastProgress()
	if strings.HasPrefix(path, "@") {
		id, err := strconv.ParseInt(path[1:], 10, 64)
		if err != nil {
			return fmt.Errorf("progress: bad batch id %s", path)
		}
		p = nil
		for _, rp := range r.q.RecentProgress() {
			if rp.BatchID == id {
				p = rp
			}
		}
		if p == nil {
			return fmt.Errorf("progress: no report of batch %d", id)
		}
		path, wantText, _ = strings.Cut(strings.TrimSpace(wantText), " ")
	}
	if p == nil {
		return fmt.Errorf("no progress yet")
	}
	var doc any
	if err := json.Unmarshal([]byte(p.JSON()), &doc); err != nil {
		return err
	}
	cur := doc
	for _, part := range strings.Split(path, ".") {
		switch x := cur.(type) {
		case map[string]any:
			cur = x[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return fmt.Errorf("progress %s: no element %s in %v", path, part, x)
			}
			cur = x[i]
		default:
			return fmt.Errorf("progress %s: %s is not in %v", path, part, cur)
		}
	}
	var want any
	if err := json.Unmarshal([]byte(strings.TrimSpace(wantText)), &want); err != nil {
		return fmt.Errorf("progress %s: the expected value must be JSON: %w", path, err)
	}
	if canonical([]any{cur}) != canonical([]any{want}) {
		return fmt.Errorf("progress %s: got %v, want %v\n%s", path, canonical([]any{cur}), canonical([]any{want}), p.PrettyJSON())
	}
	return nil
}

// aggState is the runner's state for these commands.
type aggState struct {
	grouped   *engine.GroupedData
	saved     map[string]*engine.DataFrame
	seenQuery *engine.StreamingQuery
	seenRows  int

	// with foreach set (for update mode, which the memory sink refuses)
	// the query writes through foreachBatch into updates, one entry per
	// batch run, replays included
	foreach bool
	mu      sync.Mutex
	updates [][]string
}

// updateSink makes an update-mode query write its batches to the runner.
func (r *runner) updateSink(w *engine.DataStreamWriter) *engine.DataStreamWriter {
	if !r.foreach {
		return w
	}
	r.mu.Lock()
	r.updates = nil
	r.mu.Unlock()
	return w.ForeachBatch(func(df *engine.DataFrame, _ int64) error {
		rows, err := df.Collect()
		if err != nil {
			return err
		}
		batch := make([]string, len(rows))
		for i, row := range rows {
			batch[i] = canonical(row.Values())
		}
		r.mu.Lock()
		r.updates = append(r.updates, batch)
		r.mu.Unlock()
		return nil
	})
}
