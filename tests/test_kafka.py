"""Kafka in a notebook: a cell starts the in-process cluster (kfake, the real
Kafka protocol on local ports), produces stock ticks, and streaming queries
read and write them through the kafka source and sink."""

from kernelio import execute, ok, plain

TIMEOUT = 60

START = 'k := StartKafka(2, "ticks", "alerts")\nk'

PRODUCE = '''import "fmt"
syms := []string{"ACME", "GLOBEX", "INITECH"}
func tick(i int) string {
	return fmt.Sprintf(`{"sym":"%s","price":%d.5,"ts":"2026-01-02 09:30:%02d"}`, syms[i%3], 100+i, i%60)
}
for i := 0; i < 30; i++ {
	k.Produce("ticks", tick(i))
}
n := int64(0)
for _, o := range k.EndOffsets("ticks") {
	n += o
}
n'''

QUERY = '''ticks := spark.ReadStream().Format("kafka").
	Option("kafka.bootstrap.servers", k.Bootstrap()).
	Option("subscribe", "ticks").
	Option("startingOffsets", "earliest").
	Option("maxOffsetsPerTrigger", 12).Load()
parsed := ticks.
	SelectExpr("from_json(cast(value as string), 'sym STRING, price DOUBLE, ts TIMESTAMP') as t", "partition", "offset").
	SelectExpr("t.sym as sym", "t.price as price", "t.ts as ts", "partition", "offset")
q := parsed.WriteStream().Format("memory").QueryName("ticks_mem").Start()
q.ProcessAllAvailable()
spark.Table("ticks_mem").Count()'''


def test_kafka_notebook(kc):
    assert plain(ok(kc, START, timeout=TIMEOUT).result()).startswith("LocalKafka[2 broker(s) at 127.0.0.1:")
    assert plain(ok(kc, PRODUCE, timeout=TIMEOUT).result()) == "30"
    assert plain(ok(kc, QUERY, timeout=TIMEOUT).result()) == "30"

    # Parsed fields, one row per record, every price once.
    ex = ok(kc, 'spark.Table("ticks_mem").Where("sym = \'ACME\'").Count()', timeout=TIMEOUT)
    assert plain(ex.result()) == "10"
    ex = ok(kc, 'import "fmt"\nfor _, r := range spark.Table("ticks_mem").Where("price = 129.5").Collect() '
                '{ fmt.Println(r.Get("sym"), r.Get("ts")) }', timeout=TIMEOUT)
    assert ex.stream() == "INITECH 2026-01-02 09:30:29 +0000 UTC\n"
    # maxOffsetsPerTrigger split the 30 records over several batches.
    ex = ok(kc, "len(q.RecentProgress()) >= 3", timeout=TIMEOUT)
    assert plain(ex.result()) == "true"

    # New ticks arrive while the query runs.
    ok(kc, 'for i := 30; i < 40; i++ {\n\tk.Produce("ticks", tick(i))\n}\nq.ProcessAllAvailable()', timeout=TIMEOUT)
    assert plain(ok(kc, 'spark.Table("ticks_mem").Count()', timeout=TIMEOUT).result()) == "40"
    ex = ok(kc, 'q.LastProgress().Sources[0].Metrics["maxOffsetsBehindLatest"]', timeout=TIMEOUT)
    assert plain(ex.result()) == '"0"'

    # The kafka sink: alerts keyed by symbol, read back with a batch read.
    sink = '''import "os"
cp, _ := os.MkdirTemp("", "alerts-checkpoint-")
alerts := parsed.Where("price > 135").SelectExpr("sym as key", "to_json(struct(sym, price)) as value")
a := alerts.WriteStream().Format("kafka").
	Option("kafka.bootstrap.servers", k.Bootstrap()).
	Option("topic", "alerts").
	Option("checkpointLocation", cp).Start()
a.ProcessAllAvailable()
back := spark.Read().Format("kafka").Option("kafka.bootstrap.servers", k.Bootstrap()).Option("subscribe", "alerts").Load()
back.SelectExpr("cast(key as string) as k", "cast(value as string) as v").Where("k = 'INITECH'").Count()'''
    # Ticks 35..39 cost more than 135; 35 and 38 are INITECH's.
    assert plain(ok(kc, sink, timeout=TIMEOUT).result()) == "2"
    ex = ok(kc, 'back.Count()', timeout=TIMEOUT)
    assert plain(ex.result()) == "5"

    ok(kc, "a.Stop()\nq.Stop()\nk.Stop()\nos.RemoveAll(cp)", timeout=TIMEOUT)


def test_kafka_option_errors(kc):
    ex = execute(kc, 'spark.ReadStream().Format("kafka").Option("kafka.bootstrap.servers", "localhost:1").Load()',
                 timeout=TIMEOUT)
    assert ex.content["status"] == "error"
    err = ex.error()
    assert err["ename"] == "IllegalArgumentException"
    assert err["evalue"].endswith("One of the following options must be specified for Kafka source: "
                                  "subscribe, subscribepattern, assign. See the docs for more details.")

    ex = execute(kc, 'spark.ReadStream().Format("kafka").Option("kafka.bootstrap.servers", "localhost:1").'
                     'Option("subscribe", "t").Option("kafka.auto.offset.reset", "earliest").Load()', timeout=TIMEOUT)
    assert "Kafka option 'auto.offset.reset' is not supported." in ex.error()["evalue"]
