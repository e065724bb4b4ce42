package enginetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/sqlparse"
)

// joinState is the runner's state for the join and deduplication
// commands: batch tables and named DataFrames.
type joinState struct {
	tables map[string]*table
	frames map[string]*engine.DataFrame
	dir    string
}

// files returns the script's folder for files it writes.
func (r *runner) files() string {
	if r.dir == "" {
		r.dir = r.t.TempDir()
	}
	return r.dir
}

// table is a batch table of a script: rows inserted so far.
type table struct {
	schema *arrow.Schema
	rows   [][]any
}

// joinCommand runs the commands for joins and deduplication (see the
// package doc); ok is false for a command it does not know.
func (r *runner) joinCommand(cmd, arg string) (ok bool, err error) {
	switch cmd {
	case "table":
		name, ddl, _ := strings.Cut(arg, " ")
		s, err := sqlparse.ParseDDL(ddl)
		if err != nil {
			return true, err
		}
		if r.tables == nil {
			r.tables = map[string]*table{}
		}
		r.tables[name] = &table{schema: s}
	case "insert":
		name, rows, _ := strings.Cut(arg, " ")
		t, ok := r.tables[name]
		if !ok {
			return true, fmt.Errorf("no table %s", name)
		}
		vals, err := parseRows(rows)
		if err != nil {
			return true, err
		}
		if err := timestamps(t.schema, vals); err != nil {
			return true, err
		}
		t.rows = append(t.rows, vals...)
	case "from-table":
		df, err := r.tableDF(arg)
		if err != nil {
			return true, err
		}
		r.df = df
	case "let":
		if r.frames == nil {
			r.frames = map[string]*engine.DataFrame{}
		}
		r.frames[arg] = r.df
	case "from-frame":
		df, ok := r.frames[arg]
		if !ok {
			return true, fmt.Errorf("no frame %s", arg)
		}
		r.df = df
	case "write-file":
		name, content, _ := strings.Cut(arg, " ")
		data := strings.ReplaceAll(content, "|", "\n") + "\n"
		return true, os.WriteFile(filepath.Join(r.files(), name), []byte(data), 0o644)
	case "read-csv":
		f := strings.SplitN(arg, " ", 3)
		if len(f) != 3 {
			return true, fmt.Errorf("read-csv NAME FILE DDL")
		}
		df := r.s.Read().Option("header", "true").Schema(f[2]).Csv(filepath.Join(r.files(), f[1]))
		if r.frames == nil {
			r.frames = map[string]*engine.DataFrame{}
		}
		r.frames[f[0]] = df
		return true, df.Err()
	case "join":
		return true, r.join(arg)
	case "dedup":
		r.df = r.df.DropDuplicates(names(arg)...)
	case "dedup-within":
		r.df = r.df.DropDuplicatesWithinWatermark(names(arg)...)
	case "distinct":
		r.df = r.df.Distinct()
	case "error":
		if err := r.df.Err(); err == nil || !strings.Contains(err.Error(), arg) {
			return true, fmt.Errorf("DataFrame error: got %v, want one containing %q", err, arg)
		}
	case "collect":
		rows, err := r.df.Collect()
		if err != nil {
			return true, err
		}
		got := make([]string, len(rows))
		for i, row := range rows {
			got[i] = canonical(row.Values())
		}
		want, err := wantRows(arg)
		if err != nil {
			return true, err
		}
		return true, sameRows("collected rows", got, want, false)
	case "collect-count":
		n, err := r.df.Count()
		if err != nil {
			return true, err
		}
		if got := fmt.Sprint(n); got != arg {
			return true, fmt.Errorf("count: got %s, want %s", got, arg)
		}
	case "collect-error":
		_, err := r.df.Collect()
		if err == nil || !strings.Contains(err.Error(), arg) {
			return true, fmt.Errorf("collect error: got %v, want one containing %q", err, arg)
		}
	case "columns":
		if got := strings.Join(r.df.Columns(), ", "); got != arg {
			return true, fmt.Errorf("columns: got %q, want %q", got, arg)
		}
	default:
		return false, nil
	}
	return true, nil
}

// names splits a "; "-separated list of column names; "" is none.
func names(arg string) []string {
	if strings.TrimSpace(arg) == "" {
		return nil
	}
	return splitList(arg)
}

// timestamps turns the RFC 3339 strings of timestamp columns into times.
func timestamps(s *arrow.Schema, rows [][]any) error {
	for _, row := range rows {
		for i, v := range row {
			if str, ok := v.(string); ok && i < s.NumFields() && s.Field(i).Type.ID() == arrow.TIMESTAMP {
				ts, err := time.Parse(time.RFC3339Nano, str)
				if err != nil {
					return err
				}
				row[i] = ts
			}
		}
	}
	return nil
}

func (r *runner) tableDF(name string) (*engine.DataFrame, error) {
	t, ok := r.tables[name]
	if !ok {
		return nil, fmt.Errorf("no table %s", name)
	}
	df := r.s.CreateDataFrame(t.rows, t.schema)
	return df, df.Err()
}

// frame finds the DataFrame NAME: a frame saved with let, a stream or a
// table.
func (r *runner) frame(name string) (*engine.DataFrame, error) {
	if df, ok := r.frames[name]; ok {
		return df, nil
	}
	if ms, ok := r.streams[name]; ok {
		return ms.ToDF(), nil
	}
	return r.tableDF(name)
}

// join runs "join NAME HOW [using COL; COL | on CONDITION]": the current
// DataFrame joined with NAME.
func (r *runner) join(arg string) error {
	f := strings.SplitN(arg, " ", 3)
	if len(f) < 2 {
		return fmt.Errorf("join NAME HOW [using COLS | on CONDITION]")
	}
	other, err := r.frame(f[0])
	if err != nil {
		return err
	}
	var on any
	if len(f) == 3 {
		kind, rest, _ := strings.Cut(f[2], " ")
		switch kind {
		case "using":
			on = names(rest)
		case "on":
			on = rest
		default:
			return fmt.Errorf("join: want using or on, got %q", kind)
		}
	}
	r.df = r.df.Join(other, on, f[1])
	return nil
}
