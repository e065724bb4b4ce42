// Package enginetest holds test support for the engine and its users:
// golden files (-update rewrites them) and a script runner for streaming
// behaviour in the spirit of Spark's testStream: add rows to memory
// streams, let the query process them, check the sink's table, stop,
// restart from the checkpoint, tamper with it.
//
// Script files (testdata/*.test) hold one command per line; "#" starts a
// comment. Commands:
//
//	stream NAME DDL            a memory stream, e.g. stream in a BIGINT, b STRING
//	from NAME                  the query starts from stream NAME
//	filter EXPR                DataFrame.filter with a SQL condition
//	select ITEM; ITEM          DataFrame.selectExpr
//	withColumn NAME EXPR       DataFrame.withColumn(NAME, expr(EXPR))
//	drop NAME; NAME            DataFrame.drop
//	union NAME                 union with stream NAME
//	watermark COLUMN DELAY     DataFrame.withWatermark
//	start [MODE] [k=v ...]     start into a memory sink "out" (mode default
//	                           append); k=v are writer options; checkpoint=yes
//	                           uses a fresh temporary checkpoint directory
//	start-error TEXT           start must fail with an error containing TEXT
//	add NAME ROW ROW ...       add rows (JSON arrays) to stream NAME
//	process                    ProcessAllAvailable
//	check ROW ...              the sink's table holds exactly these rows, in
//	                           any order (no ROW: empty)
//	check-batch N              the last progress is of batch N
//	stop                       stop the query
//	restart                    start the query again with the same options
//	delete-commit N            remove commits/N from the checkpoint
//	fail TEXT                  the query failed with an error containing TEXT
//
// Rows are JSON arrays; timestamps are written as RFC 3339 strings.
package enginetest
