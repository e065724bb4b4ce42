package engine_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gostream/gostream/engine"
	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/kafkalocal"
)

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// listOutput lists the files under dir, relative and sorted, with job uuids
// replaced by <uuid>; "" when dir does not exist.
func listOutput(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, uuidRE.ReplaceAllString(filepath.ToSlash(rel), "<uuid>"))
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func TestDataFrameWriterFormats(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	tests := []struct {
		name   string
		format string
		opts   map[string]string
		schema string
		df     *engine.DataFrame
		files  string
	}{
		{"csv", "csv", map[string]string{"header": "true"}, "name STRING, age INT, city STRING", people(s),
			"_SUCCESS\npart-00000-<uuid>-c000.csv"},
		{"json", "json", nil, "name STRING, age INT, city STRING", people(s),
			"_SUCCESS\npart-00000-<uuid>-c000.json"},
		{"parquet", "parquet", nil, "name STRING, age INT, city STRING", people(s),
			"_SUCCESS\npart-00000-<uuid>-c000.snappy.parquet"},
		{"parquet uncompressed", "parquet", map[string]string{"compression": "none"}, "name STRING, age INT, city STRING", people(s),
			"_SUCCESS\npart-00000-<uuid>-c000.parquet"},
		{"default format is parquet", "", nil, "name STRING, age INT, city STRING", people(s),
			"_SUCCESS\npart-00000-<uuid>-c000.snappy.parquet"},
		{"text", "text", nil, "value STRING", people(s).Select("name"),
			"_SUCCESS\npart-00000-<uuid>-c000.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := tc.df.Write().Format(tc.format).Options(tc.opts).Save(dir); err != nil {
				t.Fatal(err)
			}
			if got := listOutput(t, dir); got != tc.files {
				t.Errorf("files:\n got %s\nwant %s", got, tc.files)
			}
			readFormat := tc.format
			if readFormat == "" {
				readFormat = "parquet"
			}
			back := s.Read().Format(readFormat).Options(tc.opts).Schema(tc.schema).Load(dir)
			if got, want := sortedRows(t, back), sortedRows(t, tc.df); got != want {
				t.Errorf("read back:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestDataFrameWriterModes(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	first := s.CreateDataFrame([][]any{{1, "a"}}, "id INT, v STRING")
	second := s.CreateDataFrame([][]any{{2, "b"}, {3, "c"}}, "id INT, v STRING")
	tests := []struct {
		name     string
		existing bool // first is written before second
		mode     string
		wantErr  string
		rows     string
		parts    int
	}{
		{"append", true, "append", "", "1a 2b 3c", 2},
		{"overwrite", true, "overwrite", "", "2b 3c", 1},
		{"overwrite upper case", true, "OVERWRITE", "", "2b 3c", 1},
		{"ignore", true, "ignore", "", "1a", 1},
		{"error", true, "error", "[PATH_ALREADY_EXISTS] Path file:", "1a", 1},
		{"errorifexists", true, "errorifexists", "already exists. Set mode as \"overwrite\"", "1a", 1},
		{"default", true, "default", "PATH_ALREADY_EXISTS", "1a", 1},
		{"error on a new path", false, "error", "", "2b 3c", 1},
		{"ignore on a new path", false, "ignore", "", "2b 3c", 1},
		{"append on a new path", false, "append", "", "2b 3c", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if tc.existing {
				if err := first.Write().Json(dir); err != nil {
					t.Fatal(err)
				}
			}
			err := second.Write().Mode(tc.mode).Json(dir)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("err = %v, want none", err)
			}
			if tc.wantErr != "" {
				var ae *expr.AnalysisError
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.As(err, &ae) {
					t.Fatalf("err = %v, want an AnalysisError containing %q", err, tc.wantErr)
				}
			}
			back := s.Read().Schema("id INT, v STRING").Json(dir).SelectExpr("concat(cast(id as string), v)")
			if got := sortedRows(t, back); got != tc.rows {
				t.Errorf("rows: got %q, want %q", got, tc.rows)
			}
			files := listOutput(t, dir)
			if got := strings.Count(files, "part-"); got != tc.parts {
				t.Errorf("part files: got %d, want %d:\n%s", got, tc.parts, files)
			}
			if strings.Contains(files, "_temporary") {
				t.Errorf("staging files left behind:\n%s", files)
			}
		})
	}
}

func TestDataFrameWriterPartitionBy(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	df := s.CreateDataFrame([][]any{
		{"alice", "R&D/ops", 2024},
		{"bob", "sales", 2024},
		{"carol", nil, 2023},
		{"dan", "sales", 2023},
		{"erin", "", 2024},
	}, "name STRING, dept STRING, year INT")
	dir := filepath.Join(t.TempDir(), "out")
	if err := df.Write().PartitionBy("year", "DEPT").Option("header", true).Csv(dir); err != nil {
		t.Fatal(err)
	}
	wantFiles := strings.Join([]string{
		"_SUCCESS",
		"year=2023/dept=__HIVE_DEFAULT_PARTITION__/part-00000-<uuid>-c000.csv",
		"year=2023/dept=sales/part-00000-<uuid>-c000.csv",
		"year=2024/dept=R&D%2Fops/part-00000-<uuid>-c000.csv",
		"year=2024/dept=__HIVE_DEFAULT_PARTITION__/part-00000-<uuid>-c000.csv",
		"year=2024/dept=sales/part-00000-<uuid>-c000.csv",
	}, "\n")
	if got := listOutput(t, dir); got != wantFiles {
		t.Errorf("files:\n got %s\nwant %s", got, wantFiles)
	}
	tests := []struct {
		name, path, rows string
	}{
		{"escaped value", "year=2024/dept=R&D%2Fops", "alice"},
		{"two rows", "year=2023/dept=sales", "dan"},
		{"null and empty share the default partition", "year=2024/dept=__HIVE_DEFAULT_PARTITION__", "erin"},
		{"partition columns are not in the files", "year=2023", "carol dan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			back := s.Read().Schema("name STRING").Option("header", true).Csv(filepath.Join(dir, tc.path))
			if got := sortedRows(t, back); got != tc.rows {
				t.Errorf("got %q, want %q", got, tc.rows)
			}
			data, err := os.ReadFile(firstPart(t, filepath.Join(dir, tc.path)))
			if err != nil {
				t.Fatal(err)
			}
			if header := strings.SplitN(string(data), "\n", 2)[0]; header != "name" {
				t.Errorf("header: got %q, want %q", header, "name")
			}
		})
	}
}

// firstPart returns the first part file under dir.
func firstPart(t *testing.T, dir string) string {
	t.Helper()
	var found string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && found == "" && strings.HasPrefix(d.Name(), "part-") {
			found = p
		}
		return err
	})
	if found == "" {
		t.Fatalf("no part file under %s", dir)
	}
	return found
}

func TestDataFrameWriterFileLayout(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	five := s.CreateDataFrame([][]any{{1}, {2}, {3}, {4}, {5}}, "n INT")
	tests := []struct {
		name    string
		df      *engine.DataFrame
		format  string
		opts    map[string]string
		files   string
		content string // of the first part file, when not ""
	}{
		{"maxRecordsPerFile", five, "json", map[string]string{"maxRecordsPerFile": "2"},
			"_SUCCESS\npart-00000-<uuid>-c000.json\npart-00000-<uuid>-c001.json\npart-00000-<uuid>-c002.json",
			"{\"n\":1}\n{\"n\":2}\n"},
		{"maxRecordsPerFile larger than the data", five, "json", map[string]string{"maxRecordsPerFile": "10"},
			"_SUCCESS\npart-00000-<uuid>-c000.json", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n"},
		{"empty csv keeps its header", five.Filter("n > 9"), "csv", map[string]string{"header": "true"},
			"_SUCCESS\npart-00000-<uuid>-c000.csv", "n\n"},
		{"empty json is an empty file", five.Filter("n > 9"), "json", nil,
			"_SUCCESS\npart-00000-<uuid>-c000.json", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := tc.df.Write().Format(tc.format).Options(tc.opts).Save(dir); err != nil {
				t.Fatal(err)
			}
			if got := listOutput(t, dir); got != tc.files {
				t.Errorf("files:\n got %s\nwant %s", got, tc.files)
			}
			data, err := os.ReadFile(firstPart(t, dir))
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != tc.content {
				t.Errorf("first part file: got %q, want %q", data, tc.content)
			}
			back := s.Read().Format(tc.format).Options(tc.opts).Schema("n INT").Load(dir)
			if got, want := sortedRows(t, back), sortedRows(t, tc.df); got != want {
				t.Errorf("read back: got %q, want %q", got, want)
			}
		})
	}
}

func TestDataFrameWriterEmptyParquetKeepsSchema(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	dir := filepath.Join(t.TempDir(), "out")
	if err := people(s).Filter("age > 100").Write().Parquet(dir); err != nil {
		t.Fatal(err)
	}
	back := s.Read().Schema("name STRING, age INT, city STRING").Parquet(dir)
	n, err := back.Count()
	if err != nil || n != 0 {
		t.Fatalf("Count() = %d, %v; want 0, nil", n, err)
	}
}

func TestDataFrameWriterErrors(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	stream := s.MemoryStream("id INT")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		save func(path string) error
		want string
	}{
		{"streaming DataFrame", func(p string) error { return stream.ToDF().Write().Json(p) },
			"'write' can not be called on streaming Dataset/DataFrame"},
		{"unknown mode", func(p string) error { return people(s).Write().Mode("upsert").Json(p) },
			"Unknown save mode: upsert. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'."},
		{"text with two columns", func(p string) error { return people(s).Select("name", "city").Write().Text(p) },
			"Text data source supports only a single column, and you have 2 columns"},
		{"text of an int", func(p string) error { return people(s).Select("age").Write().Text(p) },
			"The Text datasource doesn't support the column `age` of the type \"INT\""},
		{"missing partition column", func(p string) error { return people(s).Write().PartitionBy("country").Json(p) },
			"Partition column `country` not found in schema struct<name:string,age:int,city:string>"},
		{"every column a partition", func(p string) error { return people(s).Write().PartitionBy("name", "age", "city").Json(p) },
			"Cannot use all columns for partition columns"},
		{"unknown format", func(p string) error { return people(s).Write().Format("avro").Save(p) },
			"[DATA_SOURCE_NOT_FOUND] Failed to find the data source: avro."},
		{"compressed csv", func(p string) error { return people(s).Write().Option("compression", "gzip").Csv(p) },
			"option compression=gzip is not supported for csv output"},
		{"no path", func(string) error { return people(s).Write().Save() },
			"'path' is not specified"},
		{"broken DataFrame", func(p string) error { return people(s).Select("nope").Write().Json(p) },
			"UNRESOLVED_COLUMN"},
		{"cancelled", func(p string) error { return people(s).Write().SaveContext(cancelled, p) },
			"context canceled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			err := tc.save(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a failed save left %s behind (%v):\n%s", dir, err, listOutput(t, dir))
			}
		})
	}
}

func TestDataFrameWriterFailedOverwriteKeepsOldFiles(t *testing.T) {
	s := engine.NewSession()
	defer s.Close()
	dir := filepath.Join(t.TempDir(), "out")
	if err := people(s).Write().Json(dir); err != nil {
		t.Fatal(err)
	}
	before := listOutput(t, dir)
	missing := s.Read().Schema("name STRING, age INT, city STRING").Json(filepath.Join(t.TempDir(), "missing"))
	err := missing.Write().Mode("overwrite").Json(dir)
	if err == nil || !strings.Contains(err.Error(), "PATH_NOT_FOUND") {
		t.Fatalf("err = %v, want PATH_NOT_FOUND", err)
	}
	if after := listOutput(t, dir); after != before {
		t.Errorf("files changed:\n got %s\nwant %s", after, before)
	}
	back := s.Read().Schema("name STRING, age INT, city STRING").Json(dir)
	if got, want := sortedRows(t, back), sortedRows(t, people(s)); got != want {
		t.Errorf("rows: got %q, want %q", got, want)
	}
}

func TestDataFrameWriterKafka(t *testing.T) {
	cluster, err := kafkalocal.Start(kafkalocal.Config{Topics: []string{"out"}})
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Stop()
	s := engine.NewSession()
	defer s.Close()
	df := s.CreateDataFrame([][]any{{"k1", "v1"}, {"k2", "v2"}, {nil, "v3"}}, "key STRING, value STRING")
	write := func(mode string) error {
		return df.Write().Format("kafka").Mode(mode).
			Option("kafka.bootstrap.servers", cluster.Bootstrap()).Option("topic", "out").Save()
	}
	tests := []struct {
		mode    string
		wantErr string
	}{
		{"errorifexists", ""},
		{"append", ""},
		{"overwrite", "Save mode Overwrite not allowed for Kafka. Allowed save modes are Append and ErrorIfExists (default)."},
		{"ignore", "Save mode Ignore not allowed for Kafka"},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			err := write(tc.mode)
			if tc.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
	back := s.Read().Format("kafka").
		Option("kafka.bootstrap.servers", cluster.Bootstrap()).Option("subscribe", "out").Load().
		SelectExpr("coalesce(cast(key AS STRING), '-') AS k", "cast(value AS STRING) AS v")
	if got, want := sortedRows(t, back), "-v3 -v3 k1v1 k1v1 k2v2 k2v2"; got != want {
		t.Errorf("topic holds %q, want %q (two successful writes)", got, want)
	}
}
