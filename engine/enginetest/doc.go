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
//	groupby EXPR; EXPR         DataFrame.groupBy with SQL expressions (none:
//	                           one group), e.g. groupby window(ts, '5 seconds')
//	agg EXPR; EXPR             GroupedData.agg, e.g. agg count(*) AS n; sum(v)
//	orderby KEY; KEY           DataFrame.orderBy, e.g. orderby window.start DESC
//	save NAME                  remember the DataFrame built so far as NAME
//	union-saved NAME           union with the DataFrame saved as NAME
//	conf KEY VALUE             set a session configuration value
//	sink foreach|memory        the next start writes through foreachBatch into
//	                           the runner (any mode, update included) or into
//	                           the memory sink "out" (the default)
//	check-new ROW ...          the rows the sink received since the previous
//	                           check-new (Spark's CheckNewAnswer), any order
//	check-last-batch ROW ...   the rows of the latest batch (CheckLastBatch)
//	check-ordered ROW ...      the sink's table, in this order
//	progress PATH JSON         a field of the last progress, by dotted path:
//	                           progress stateOperators.0.numRowsTotal 2;
//	                           "progress @N PATH JSON" reads batch N's report
//	table NAME DDL             a batch table; insert NAME ROW ... adds rows
//	from-table NAME            the query starts from table NAME
//	write-file FILE L1|L2      write a file of lines into the script's folder
//	read-csv NAME FILE DDL     a batch DataFrame NAME reading FILE (header)
//	let NAME / from-frame NAME save the current DataFrame as NAME / go back to it
//	join NAME HOW [using C; C | on CONDITION]
//	                           join with NAME (a frame, stream or table)
//	dedup [C; C] / dedup-within [C; C] / distinct
//	                           dropDuplicates / dropDuplicatesWithinWatermark
//	error TEXT                 the DataFrame failed with an error containing TEXT
//	collect ROW ... / collect-count N / collect-error TEXT
//	                           run the DataFrame as a batch query
//	columns A, B               the DataFrame's column names
//
// Rows are JSON arrays; timestamps are written as RFC 3339 strings.
package enginetest
