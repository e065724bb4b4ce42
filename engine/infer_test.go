package engine_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/expr"
)

// dtypes renders df.dtypes as "name:type,...".
func dtypes(df *engine.DataFrame) string {
	var parts []string
	for _, d := range df.DTypes() {
		parts = append(parts, d[0]+":"+d[1])
	}
	return strings.Join(parts, ",")
}

// rowsOf renders the rows of df sorted, values comma-separated and rows
// separated by " | ".
func rowsOf(t *testing.T, df *engine.DataFrame) string {
	t.Helper()
	rows, err := df.Collect()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		vals := make([]string, r.Len())
		for j, v := range r.Values() {
			vals[j] = fmt.Sprint(v)
		}
		out[i] = strings.Join(vals, ",")
	}
	sort.Strings(out)
	return strings.Join(out, " | ")
}

// typedFrame has a column of every kind a Parquet file keeps, nested ones
// included.
func typedFrame(s *engine.Session) *engine.DataFrame {
	return s.CreateDataFrame([][]any{
		{int64(1), "ann", 2.5, 7, true},
		{int64(2), nil, -1.25, nil, false},
		{int64(3), "cy", nil, 9, nil},
	}, "id BIGINT, name STRING, price DOUBLE, qty INT, ok BOOLEAN").SelectExpr(
		"id", "name", "price", "qty", "ok",
		"CAST(qty AS SMALLINT) AS small",
		"CAST(price AS DECIMAL(10,2)) AS amount",
		"CAST(concat('2024-05-0', CAST(id AS STRING)) AS DATE) AS day",
		"CAST('2024-05-01 10:00:00' AS TIMESTAMP) AS at",
		"CAST(name AS BINARY) AS raw",
		"named_struct('x', id, 'tags', array(name, 'z')) AS st",
		"array(price, price * 2) AS prices",
	)
}

func TestReadParquetWithoutSchema(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	src := typedFrame(s)
	dir := filepath.Join(t.TempDir(), "out")
	if err := src.Write().Parquet(dir); err != nil {
		t.Fatal(err)
	}
	for _, read := range []struct {
		name string
		df   *engine.DataFrame
	}{
		{"Parquet", s.Read().Parquet(dir)},
		{"default format", s.Read().Load(dir)},
		{"path option", s.Read().Format("parquet").Option("path", dir).Load()},
		{"glob", s.Read().Parquet(filepath.Join(dir, "part-*"))},
	} {
		t.Run(read.name, func(t *testing.T) {
			if err := read.df.Err(); err != nil {
				t.Fatal(err)
			}
			if got, want := dtypes(read.df), dtypes(src); got != want {
				t.Errorf("dtypes\n got %s\nwant %s", got, want)
			}
			for _, f := range read.df.ArrowSchema().Fields() {
				if !f.Nullable {
					t.Errorf("column %s is not nullable", f.Name)
				}
			}
			if got, want := rowsOf(t, read.df), rowsOf(t, src); got != want {
				t.Errorf("rows\n got %s\nwant %s", got, want)
			}
		})
	}
}

// writeParquetDir writes the rows of a DDL-typed frame as a Parquet
// directory under root.
func writeParquetDir(t *testing.T, s *engine.Session, root, name, ddl string, exprs []string, rows ...[]any) {
	t.Helper()
	df := s.CreateDataFrame(rows, ddl)
	if len(exprs) > 0 {
		df = df.SelectExpr(exprs...)
	}
	if err := df.Write().Parquet(filepath.Join(root, name)); err != nil {
		t.Fatal(err)
	}
}

func TestReadParquetMergeSchema(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	root := t.TempDir()
	// The directories are listed in path order: p1 is the first file.
	writeParquetDir(t, s, filepath.Join(root, "plain"), "p1", "id BIGINT, a STRING", nil, []any{int64(1), "x"})
	writeParquetDir(t, s, filepath.Join(root, "plain"), "p2", "ID BIGINT, b DOUBLE", nil, []any{int64(2), 2.5})
	writeParquetDir(t, s, filepath.Join(root, "nested"), "p1", "id BIGINT", []string{"id", "named_struct('x', id) AS st", "array(named_struct('u', id)) AS l"}, []any{int64(1)})
	writeParquetDir(t, s, filepath.Join(root, "nested"), "p2", "id BIGINT", []string{"id", "named_struct('y', 'v', 'x', id) AS st", "array(named_struct('w', 1.5)) AS l"}, []any{int64(2)})
	writeParquetDir(t, s, filepath.Join(root, "clash"), "p1", "id BIGINT", nil, []any{int64(1)})
	writeParquetDir(t, s, filepath.Join(root, "clash"), "p2", "id STRING", nil, []any{"two"})
	writeParquetDir(t, s, filepath.Join(root, "scale"), "p1", "d DECIMAL(10,2)", nil, []any{1.25})
	writeParquetDir(t, s, filepath.Join(root, "scale"), "p2", "d DECIMAL(10,3)", nil, []any{1.125})
	writeParquetDir(t, s, filepath.Join(root, "precision"), "p1", "d DECIMAL(5,2)", nil, []any{1.25})
	writeParquetDir(t, s, filepath.Join(root, "precision"), "p2", "d DECIMAL(12,2)", nil, []any{1234567.5})

	tests := []struct {
		name   string
		dir    string
		opts   map[string]string
		conf   string // spark.sql.parquet.mergeSchema
		dtypes string
		rows   string
		err    []string
	}{
		{name: "first file only", dir: "plain", dtypes: "id:bigint,a:string", rows: "1,x | 2,<nil>"},
		{name: "mergeSchema", dir: "plain", opts: map[string]string{"mergeSchema": "true"},
			dtypes: "id:bigint,a:string,b:double", rows: "1,x,<nil> | 2,<nil>,2.5"},
		{name: "mergeSchema from the session", dir: "plain", conf: "true", dtypes: "id:bigint,a:string,b:double"},
		{name: "option over the session", dir: "plain", conf: "true", opts: map[string]string{"mergeSchema": "false"}, dtypes: "id:bigint,a:string"},
		{name: "nested structs merge", dir: "nested", opts: map[string]string{"mergeSchema": "true"},
			dtypes: "id:bigint,st:struct<x:bigint,y:string>,l:array<struct<u:bigint,w:double>>"},
		{name: "decimal precisions merge", dir: "precision", opts: map[string]string{"mergeSchema": "true"},
			dtypes: "d:decimal(12,2)", rows: "1.2345675e+06 | 1.25"},
		{name: "incompatible types", dir: "clash", opts: map[string]string{"mergeSchema": "true"}, err: []string{
			"[CANNOT_MERGE_SCHEMAS] Failed merging schemas:\nInitial schema:\n\"STRUCT<id: BIGINT>\"\nSchema that cannot be merged with the initial schema:\n\"STRUCT<id: STRING>\".",
			"Failed to merge fields 'id' and 'id'. [CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE] Failed to merge incompatible data types \"BIGINT\" and \"STRING\".",
			filepath.Join("clash", "p2", "part-")}},
		{name: "incompatible decimal scales", dir: "scale", opts: map[string]string{"mergeSchema": "true"}, err: []string{
			"Failed to merge fields 'd' and 'd'. Failed to merge decimal types with incompatible scale 2 and 3."}},
		{name: "bad mergeSchema value", dir: "plain", opts: map[string]string{"mergeSchema": "yes"}, err: []string{
			"Invalid value 'yes' for option 'mergeSchema', must be true or false"}},
		{name: "bad session value", dir: "plain", conf: "often", err: []string{
			"spark.sql.parquet.mergeSchema should be boolean, but was often"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.conf != "" {
				s.Conf().Set(engine.ParquetMergeSchemaConf, tc.conf)
				defer s.Conf().Unset(engine.ParquetMergeSchemaConf)
			}
			df := s.Read().Options(tc.opts).Parquet(filepath.Join(root, tc.dir))
			if len(tc.err) > 0 {
				err := df.Err()
				if err == nil {
					t.Fatalf("no error; dtypes %s", dtypes(df))
				}
				for _, w := range tc.err {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q\ndoes not contain %q", err, w)
					}
				}
				return
			}
			if err := df.Err(); err != nil {
				t.Fatal(err)
			}
			if got := dtypes(df); got != tc.dtypes {
				t.Errorf("dtypes\n got %s\nwant %s", got, tc.dtypes)
			}
			if tc.rows != "" {
				if got := rowsOf(t, df); got != tc.rows {
					t.Errorf("rows %q, want %q", got, tc.rows)
				}
			}
		})
	}
}

func TestReadJSONAndCSVWithoutSchema(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	dir := t.TempDir()
	mk := func(sub string, files map[string]string) string {
		p := filepath.Join(dir, sub)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range files {
			writeFile(t, p, name, content)
		}
		return p
	}
	clicks := mk("clicks", map[string]string{
		"a.json": `{"user":"ann","n":1,"at":{"page":"home"}}` + "\n" + `{"user":"bob","n":2.5}` + "\n",
		"b.json": `{"user":"cy","tags":["x","y"],"at":{"ms":12}}` + "\n" + `{"user":` + "\n",
	})
	people := mk("people", map[string]string{
		"1.csv": "name,age,joined\nann,30,2024-05-01\n",
		"2.csv": "name,age,joined\nbob,,2024-06-01\n",
	})
	empty := mk("empty", map[string]string{"e.json": ""})
	nothing := mk("nothing", nil)

	tests := []struct {
		name   string
		df     *engine.DataFrame
		dtypes string
		rows   string
	}{
		{"json", s.Read().Json(clicks),
			"_corrupt_record:string,at:struct<ms:bigint,page:string>,n:double,tags:array<string>,user:string",
			`<nil>,<nil>,2.5,<nil>,bob | <nil>,map[ms:12 page:<nil>],<nil>,[x y],cy | <nil>,map[ms:<nil> page:home],1,<nil>,ann | {"user":,<nil>,<nil>,<nil>,<nil>`},
		{"json DROPMALFORMED", s.Read().Option("mode", "DROPMALFORMED").Json(clicks),
			"at:struct<ms:bigint,page:string>,n:double,tags:array<string>,user:string", ""},
		{"json primitivesAsString", s.Read().Option("primitivesAsString", true).Option("mode", "DROPMALFORMED").Json(clicks),
			"at:struct<ms:string,page:string>,n:string,tags:array<string>,user:string", ""},
		{"json files without records", s.Read().Json(empty), "", ""},
		{"csv strings", s.Read().Option("header", true).Csv(people), "name:string,age:string,joined:string", "ann,30,2024-05-01 | bob,<nil>,2024-06-01"},
		{"csv inferSchema", s.Read().Option("header", true).Option("inferSchema", true).Csv(people),
			"name:string,age:int,joined:date", ""},
		{"csv without header", s.Read().Csv(people), "_c0:string,_c1:string,_c2:string", ""},
		{"text needs no schema", s.Read().Text(people), "value:string", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.df.Err(); err != nil {
				t.Fatal(err)
			}
			if got := dtypes(tc.df); got != tc.dtypes {
				t.Errorf("dtypes\n got %s\nwant %s", got, tc.dtypes)
			}
			if tc.rows != "" {
				if got := rowsOf(t, tc.df); got != tc.rows {
					t.Errorf("rows\n got %s\nwant %s", got, tc.rows)
				}
			}
		})
	}

	errs := []struct {
		name string
		df   *engine.DataFrame
		want string
	}{
		{"json without files", s.Read().Json(nothing), "read.load: [UNABLE_TO_INFER_SCHEMA] Unable to infer schema for JSON. It must be specified manually."},
		{"csv without files", s.Read().Csv(nothing), "read.load: [UNABLE_TO_INFER_SCHEMA] Unable to infer schema for CSV. It must be specified manually."},
		{"parquet without files", s.Read().Parquet(empty), "read.load: [UNABLE_TO_INFER_SCHEMA] Unable to infer schema for Parquet. It must be specified manually."},
		{"missing path", s.Read().Json(filepath.Join(dir, "missing")), "read.load: [PATH_NOT_FOUND] Path does not exist: " + filepath.Join(dir, "missing")},
		{"not parquet", s.Read().Parquet(clicks), "read.load: [CANNOT_READ_FILE_FOOTER] Could not read footer for file: " + filepath.Join(clicks, "a.json")},
		{"FAILFAST", s.Read().Option("mode", "FAILFAST").Json(clicks), "read.load: Malformed records are detected in schema inference. Parse Mode: FAILFAST."},
		{"unknown format", s.Read().Format("orc").Load(clicks), "read.load: [DATA_SOURCE_NOT_FOUND] Failed to find the data source: orc."},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.df.Err()
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v\nwant prefix %q", err, tc.want)
			}
		})
	}
	var ae *expr.AnalysisError
	if err := s.Read().Json(nothing).Err(); !errors.As(err, &ae) || ae.Class != "UNABLE_TO_INFER_SCHEMA" {
		t.Errorf("no files: error %v is not an AnalysisError of class UNABLE_TO_INFER_SCHEMA", err)
	}
}

func TestStreamingSchemaInference(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	in := t.TempDir()
	writeFile(t, in, "a.json", `{"id":1,"name":"ann"}`+"\n"+`{"id":2,"name":"bob"}`+"\n")
	pq := filepath.Join(t.TempDir(), "pq")
	if err := typedFrame(s).Write().Parquet(pq); err != nil {
		t.Fatal(err)
	}
	emptyDir := t.TempDir()

	if err := s.ReadStream().Json(in).Err(); err == nil || !strings.Contains(err.Error(), "Schema must be specified when creating a streaming source DataFrame.") {
		t.Fatalf("without the setting: error %v", err)
	}
	s.Conf().Set(engine.StreamingSchemaInferenceConf, true)
	defer s.Conf().Unset(engine.StreamingSchemaInferenceConf)

	tests := []struct {
		name   string
		df     *engine.DataFrame
		dtypes string
		err    string
	}{
		{"json", s.ReadStream().Json(in), "id:bigint,name:string", ""},
		{"parquet", s.ReadStream().Parquet(pq), dtypes(typedFrame(s)), ""},
		{"csv", s.ReadStream().Option("header", true).Option("inferSchema", true).Format("csv").Load(writeCSVDir(t)), "n:int,s:string", ""},
		{"no files", s.ReadStream().Json(emptyDir), "", "readStream.load: [UNABLE_TO_INFER_SCHEMA] Unable to infer schema for JSON. It must be specified manually."},
		{"missing folder", s.ReadStream().Json(filepath.Join(emptyDir, "nope")), "", "readStream.load: [PATH_NOT_FOUND] Path does not exist: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err != "" {
				if err := tc.df.Err(); err == nil || !strings.HasPrefix(err.Error(), tc.err) {
					t.Errorf("error %v\nwant prefix %q", err, tc.err)
				}
				return
			}
			if err := tc.df.Err(); err != nil {
				t.Fatal(err)
			}
			if !tc.df.IsStreaming() {
				t.Error("not streaming")
			}
			if got := dtypes(tc.df); got != tc.dtypes {
				t.Errorf("dtypes\n got %s\nwant %s", got, tc.dtypes)
			}
		})
	}

	// The inferred stream runs: files present at start and later ones.
	q, err := s.ReadStream().Json(in).WriteStream().Format("memory").QueryName("inferred").Start()
	if err != nil {
		t.Fatal(err)
	}
	defer q.Stop()
	writeFile(t, in, "b.json", `{"id":3,"name":"cy","extra":true}`+"\n")
	if err := q.ProcessAllAvailable(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if got, want := rowsOf(t, s.Table("inferred")), "1,ann | 2,bob | 3,cy"; got != want {
		t.Errorf("rows %q, want %q", got, want)
	}

	s.Conf().Set(engine.StreamingSchemaInferenceConf, "sometimes")
	if err := s.ReadStream().Json(in).Err(); err == nil || !strings.Contains(err.Error(), "spark.sql.streaming.schemaInference should be boolean, but was sometimes") {
		t.Errorf("bad setting: error %v", err)
	}
}

func writeCSVDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "1.csv", "n,s\n1,a\n2,b\n")
	return dir
}
