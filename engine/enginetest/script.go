package enginetest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/sqlparse"
)

// RunScripts runs every *.test script matched by pattern as a subtest.
func RunScripts(t *testing.T, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no script matches %s", pattern)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".test"), func(t *testing.T) {
			RunScript(t, f)
		})
	}
}

// RunScript runs one script file.
func RunScript(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := &runner{t: t, s: engine.NewSession(), streams: map[string]*engine.MemoryStream{}}
	defer func() {
		if r.q != nil {
			r.q.Stop()
		}
		r.s.Close()
	}()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cmd, arg, _ := strings.Cut(text, " ")
		if err := r.run(cmd, strings.TrimSpace(arg)); err != nil {
			t.Fatalf("%s:%d: %s: %v", path, line, text, err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

type runner struct {
	t          *testing.T
	s          *engine.Session
	streams    map[string]*engine.MemoryStream
	df         *engine.DataFrame
	q          *engine.StreamingQuery
	mode       string
	opts       map[string]string
	checkpoint string
	aggState
	joinState
}

func (r *runner) run(cmd, arg string) error {
	switch cmd {
	case "stream":
		name, ddl, _ := strings.Cut(arg, " ")
		ms := r.s.MemoryStream(ddl)
		if ms.Err() != nil {
			return ms.Err()
		}
		r.streams[name] = ms
	case "from":
		ms, ok := r.streams[arg]
		if !ok {
			return fmt.Errorf("no stream %s", arg)
		}
		r.df = ms.ToDF()
	case "filter":
		r.df = r.df.Filter(arg)
	case "select":
		r.df = r.df.SelectExpr(splitList(arg)...)
	case "withColumn":
		name, e, _ := strings.Cut(arg, " ")
		x, err := sqlparse.ParseExpr(e)
		if err != nil {
			return err
		}
		r.df = r.df.WithColumn(name, x)
	case "drop":
		var cols []any
		for _, c := range splitList(arg) {
			cols = append(cols, c)
		}
		r.df = r.df.Drop(cols...)
	case "union":
		ms, ok := r.streams[arg]
		if !ok {
			return fmt.Errorf("no stream %s", arg)
		}
		r.df = r.df.Union(ms.ToDF())
	case "watermark":
		col, delay, _ := strings.Cut(arg, " ")
		r.df = r.df.WithWatermark(col, delay)
	case "start", "start-error":
		return r.start(cmd, arg)
	case "restart":
		return r.startQuery()
	case "add":
		return r.add(arg)
	case "process":
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		return r.q.ProcessAllAvailable(ctx)
	case "check":
		return r.check(arg)
	case "check-batch":
		p := r.q.LastProgress()
		if p == nil {
			return fmt.Errorf("no progress yet")
		}
		if got := strconv.FormatInt(p.BatchID, 10); got != arg {
			return fmt.Errorf("last batch: got %s, want %s", got, arg)
		}
	case "stop":
		return r.q.Stop()
	case "delete-commit":
		return os.Remove(filepath.Join(r.checkpoint, "commits", arg))
	case "fail":
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := r.q.AwaitTermination(ctx)
		if err == nil || !strings.Contains(err.Error(), arg) {
			return fmt.Errorf("query error: got %v, want one containing %q", err, arg)
		}
	default:
		if ok, err := r.aggCommand(cmd, arg); ok {
			return err
		}
		if ok, err := r.joinCommand(cmd, arg); ok {
			return err
		}
		return fmt.Errorf("unknown command %q", cmd)
	}
	return nil
}

func splitList(s string) []string {
	parts := strings.Split(s, ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func (r *runner) start(cmd, arg string) error {
	r.mode, r.opts = "append", map[string]string{}
	fields := strings.Fields(arg)
	if cmd == "start-error" {
		want := arg
		r.mode = "append"
		if len(fields) > 0 && (fields[0] == "update" || fields[0] == "complete" || fields[0] == "append") {
			r.mode = fields[0]
			want = strings.TrimSpace(strings.TrimPrefix(arg, fields[0]))
		}
		err := r.startQuery()
		if err == nil {
			r.q.Stop()
			return fmt.Errorf("start succeeded, want an error containing %q", want)
		}
		if !strings.Contains(err.Error(), want) {
			return fmt.Errorf("start error: got %q, want one containing %q", err, want)
		}
		return nil
	}
	for _, f := range fields {
		if k, v, ok := strings.Cut(f, "="); ok {
			if k == "checkpoint" {
				r.checkpoint = r.t.TempDir()
				r.opts["checkpointLocation"] = r.checkpoint
				continue
			}
			r.opts[k] = v
		} else {
			r.mode = f
		}
	}
	return r.startQuery()
}

func (r *runner) startQuery() error {
	w := r.df.WriteStream().Format("memory").QueryName("out").OutputMode(r.mode).Options(r.opts)
	w = r.updateSink(w)
	q, err := w.Start()
	if err != nil {
		return err
	}
	r.q = q
	return nil
}

func (r *runner) add(arg string) error {
	name, rows, _ := strings.Cut(arg, " ")
	ms, ok := r.streams[name]
	if !ok {
		return fmt.Errorf("no stream %s", name)
	}
	schema := ms.ToDF().ArrowSchema()
	vals, err := parseRows(rows)
	if err != nil {
		return err
	}
	for _, row := range vals {
		for i, v := range row {
			if s, ok := v.(string); ok && i < schema.NumFields() && schema.Field(i).Type.ID() == arrow.TIMESTAMP {
				ts, err := time.Parse(time.RFC3339Nano, s)
				if err != nil {
					return err
				}
				row[i] = ts
			}
		}
	}
	return ms.AddRows(vals...)
}

// parseRows reads JSON arrays separated by spaces.
func parseRows(s string) ([][]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	var rows [][]any
	for dec.More() {
		var row []any
		if err := dec.Decode(&row); err != nil {
			return nil, fmt.Errorf("rows must be JSON arrays: %w", err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (r *runner) check(arg string) error {
	want, err := parseRows(arg)
	if err != nil {
		return err
	}
	rows, err := r.s.Table("out").Collect()
	if err != nil {
		return err
	}
	got := make([]string, len(rows))
	for i, row := range rows {
		got[i] = canonical(row.Values())
	}
	exp := make([]string, len(want))
	for i, row := range want {
		exp[i] = canonical(row)
	}
	sort.Strings(got)
	sort.Strings(exp)
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		return fmt.Errorf("sink rows differ\n--- want\n%s\n--- got\n%s", strings.Join(exp, "\n"), strings.Join(got, "\n"))
	}
	return nil
}

func canonical(row []any) string {
	b, err := json.Marshal(row)
	if err != nil {
		return fmt.Sprint(row)
	}
	return string(b)
}
