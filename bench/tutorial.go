package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gostream/gostream/engine"
	F "github.com/gostream/gostream/engine/functions"
	"github.com/gostream/gostream/engine/nexmark"
	T "github.com/gostream/gostream/engine/types"
)

// The tutorial's click-stream input: files of nested JSON records, the
// layout of notebooks/00_generate_clickstream.ipynb, 1,000 records per
// second of event time.
const (
	tutorialFiles          = 16
	tutorialFileBytes      = 16 << 20
	tutorialRecordsPerSec  = 1000
	tutorialFilesPerBatch  = 2
	tutorialWatermarkDelay = "30 seconds"
)

// writeTutorialFiles writes the input into dir and returns its size and
// record count.
func writeTutorialFiles(dir string) (bytes, records int64, err error) {
	rng := rand.New(rand.NewPCG(42, 1))
	start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	buf := make([]byte, 0, tutorialFileBytes+256)
	for f := 0; f < tutorialFiles; f++ {
		buf = buf[:0]
		for len(buf) < tutorialFileBytes {
			t := start.Add(time.Duration(records) * time.Second / tutorialRecordsPerSec)
			quantity := rng.IntN(5)
			unit := float64(100+rng.IntN(1900)) / 100
			buf = append(buf, `{"Analytics":{"Clicks":`...)
			buf = strconv.AppendInt(buf, int64(rng.IntN(20)), 10)
			buf = append(buf, `,"Impressions":`...)
			buf = strconv.AppendInt(buf, int64(20+rng.IntN(80)), 10)
			buf = append(buf, `},"Sales":{"Quantity":`...)
			buf = strconv.AppendInt(buf, int64(quantity), 10)
			buf = append(buf, `,"Total_Price":`...)
			buf = strconv.AppendFloat(buf, math.Round(float64(quantity)*unit*100)/100, 'f', -1, 64)
			buf = append(buf, `},"Datetime":"`...)
			buf = t.AppendFormat(buf, "2006-01-02 15:04:05")
			buf = append(buf, "\"}\n"...)
			records++
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("clicks_%05d.json", f)), buf, 0o644); err != nil {
			return 0, 0, err
		}
		bytes += int64(len(buf))
	}
	return bytes, records, nil
}

// nexmarkFileEvents is how many Nexmark events one JSON file holds
// (about 16 MB).
const nexmarkFileEvents = 80_000

// writeNexmarkFiles writes tutorialFiles files of Nexmark events as JSON
// lines (nexmark.Generator.WriteJSON) into dir and returns their size and
// event count.
func writeNexmarkFiles(dir string) (bytes, events int64, err error) {
	cfg := nexmark.DefaultConfig()
	g, err := nexmark.NewGenerator(cfg)
	if err != nil {
		return 0, 0, err
	}
	for f := int64(0); f < tutorialFiles; f++ {
		file, err := os.Create(filepath.Join(dir, fmt.Sprintf("events_%05d.json", f)))
		if err != nil {
			return 0, 0, err
		}
		n, err := g.WriteJSON(context.Background(), file, f*nexmarkFileEvents, (f+1)*nexmarkFileEvents)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, 0, err
		}
		bytes += n
	}
	return bytes, tutorialFiles * nexmarkFileEvents, nil
}

// nexmarkFileQuery is the tutorial's shape over Nexmark events: the bids
// flattened out of the single-stream layout, counted per 10-second window
// with a watermark.
func nexmarkFileQuery(s *engine.Session, in string) *engine.DataFrame {
	return s.ReadStream().Schema(nexmark.EventDDL).
		Option("maxFilesPerTrigger", tutorialFilesPerBatch).
		Json(in).
		Filter(F.Col("event_type").EqualTo(int(nexmark.BidEvent))).
		Select("bid.*").
		WithWatermark("dateTime", "1 second").
		GroupBy(F.Window(F.Col("dateTime"), "10 seconds")).
		Agg(F.Count("*").Alias("bids"), F.Max("price").Alias("top"), F.Avg("price").Alias("mean")).
		Select(F.Col("window.start").Alias("window_start"), F.Col("window.end").Alias("window_end"), "bids", "top", "mean")
}

// tutorialSchema is Task 1's input schema.
func tutorialSchema() T.Schema {
	return T.StructType(
		T.StructField("Analytics", T.StructType(
			T.StructField("Clicks", T.LongType(), true),
			T.StructField("Impressions", T.LongType(), true),
		), true),
		T.StructField("Sales", T.StructType(
			T.StructField("Quantity", T.LongType(), true),
			T.StructField("Total_Price", T.DoubleType(), true),
		), true),
		T.StructField("Datetime", T.StringType(), true),
	)
}

// tutorialQuery is Task 1's flattening, then, when windowed, Task 2's
// 10-second windows with a watermark.
func tutorialQuery(s *engine.Session, in string, windowed bool) *engine.DataFrame {
	flat := s.ReadStream().Schema(tutorialSchema()).
		Option("maxFilesPerTrigger", tutorialFilesPerBatch).
		Json(in).
		Select("Analytics.*", "Sales.*", "Datetime").
		WithColumns(map[string]any{
			"Datetime":    F.ToTimestamp(F.Col("Datetime"), "yyyy-MM-dd HH:mm:ss"),
			"Clicks":      F.Col("Clicks").Cast("int"),
			"Impressions": F.Col("Impressions").Cast("int"),
			"Quantity":    F.Col("Quantity").Cast("int"),
		})
	if !windowed {
		return flat
	}
	return flat.WithWatermark("Datetime", tutorialWatermarkDelay).
		GroupBy(F.Window(F.Col("Datetime"), "10 seconds")).
		Agg(F.Sum("Clicks").Alias("Clicks"), F.Sum("Impressions").Alias("Impressions"),
			F.Sum("Quantity").Alias("Quantity"), F.Sum("Total_Price").Alias("Total_Price")).
		Select(F.Col("window.start").Alias("window_start"), F.Col("window.end").Alias("window_end"),
			"Clicks", "Impressions", "Quantity", "Total_Price")
}

// runTutorialOnce runs the query built by query from in into a fresh
// Parquet folder and returns its duration, the CPU time it took and the
// rows written.
func runTutorialOnce(in, work string, query func(*engine.Session, string) *engine.DataFrame) (elapsed, cpu time.Duration, rows int64, err error) {
	out, err := os.MkdirTemp(work, "out-")
	if err != nil {
		return 0, 0, 0, err
	}
	defer os.RemoveAll(out)
	s := engine.NewSession()
	defer s.Close()
	df := query(s, in)
	start, cpu0 := time.Now(), cpuTime()
	q, err := df.WriteStream().Format("parquet").OutputMode("append").
		Option("checkpointLocation", filepath.Join(out, "_checkpoint")).
		Trigger(engine.AvailableNow()).
		Start(filepath.Join(out, "data"))
	if err != nil {
		return 0, 0, 0, err
	}
	if err := q.AwaitTermination(context.Background()); err != nil {
		return 0, 0, 0, err
	}
	elapsed, cpu = time.Since(start), cpuTime()-cpu0
	rows, err = s.Read().Schema(df.ArrowSchema()).Parquet(filepath.Join(out, "data")).Count()
	return elapsed, cpu, rows, err
}

// tutorialRun is one workload of the tutorial area.
type tutorialRun struct {
	name    string
	input   string // "clicks" or "nexmark"
	query   func(*engine.Session, string) *engine.DataFrame
	records bool // the output has one row per input record
}

func runTutorial(r *report, cores []int) error {
	work, err := os.MkdirTemp("", "gostream-bench-tutorial-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	inputs := map[string]string{"clicks": filepath.Join(work, "clicks"), "nexmark": filepath.Join(work, "nexmark")}
	sizes, counts := map[string]int64{}, map[string]int64{}
	for name, dir := range inputs {
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
		progress("tutorial: writing %d %s JSON files", tutorialFiles, name)
		write := writeTutorialFiles
		if name == "nexmark" {
			write = writeNexmarkFiles
		}
		if sizes[name], counts[name], err = write(dir); err != nil {
			return err
		}
	}
	runs := []tutorialRun{
		{"JSON → flatten → Parquet", "clicks", func(s *engine.Session, in string) *engine.DataFrame {
			return tutorialQuery(s, in, false)
		}, true},
		{"JSON → flatten → 10 s windows, watermark → Parquet", "clicks", func(s *engine.Session, in string) *engine.DataFrame {
			return tutorialQuery(s, in, true)
		}, false},
		{"Nexmark JSON → bids → 10 s windows, watermark → Parquet", "nexmark", nexmarkFileQuery, false},
	}
	for i, run := range runs {
		mb := float64(sizes[run.input]) / (1 << 20)
		records := counts[run.input]
		for _, c := range cores {
			progress("tutorial %q on %d core(s)", run.name, c)
			var elapsed, cpu time.Duration
			var rows int64
			err := profiled(fmt.Sprintf("tutorial-%d", i), c, func() (err error) {
				elapsed, cpu, rows, err = runTutorialOnce(inputs[run.input], work, run.query)
				return err
			})
			if err != nil {
				return err
			}
			if run.records && rows != records {
				return fmt.Errorf("%s wrote %d rows for %d records", run.name, rows, records)
			}
			if rows == 0 {
				return fmt.Errorf("%s wrote no rows", run.name)
			}
			secs := elapsed.Seconds()
			perCore := mb / secs / float64(c)
			r.add(result{area: "Tutorial", measure: run.name, cores: c, value: mb / secs, unit: "MB/s", perCore: true,
				target: "≥ 200 MB/s", met: boolp(perCore >= 200),
				note: fmt.Sprintf("(%s per CPU-s; %s, %s rows out)", human(mb/cpu.Seconds(), "MB"),
					human(float64(records)/secs, "rows/s"), count(rows))})
		}
	}
	r.note(fmt.Sprintf("Tutorial: %d JSON-lines files of each input, read %d files per micro-batch with "+
		"Trigger.AvailableNow, written as Parquet with a checkpoint; MB/s is JSON input per second of wall time. "+
		"Click-stream input: %.0f MB, %s records in the generator notebook's layout (%d per second of event time); "+
		"Task 1's flattening (nested fields, casts, to_timestamp), then Task 2's 10-second window sums with a %s "+
		"watermark. Nexmark input: %.0f MB, %s events written by nexmark.Generator.WriteJSON (schema "+
		"nexmark.EventDDL); the bids are filtered and flattened out of it and counted per 10-second window.",
		tutorialFiles, tutorialFilesPerBatch, float64(sizes["clicks"])/(1<<20), count(counts["clicks"]),
		tutorialRecordsPerSec, tutorialWatermarkDelay, float64(sizes["nexmark"])/(1<<20), count(counts["nexmark"])))
	return nil
}
