// Package cells runs notebook cells written in Go with the yaegi
// interpreter, keeping state across cells, and answers the questions front
// ends ask about code (completion, inspection, is-complete). It implements
// kernel.Executor; it knows nothing of the Jupyter wire, which the kernel
// package owns, nor of the streaming engine, which it reaches only through
// the symbol tables, prelude and hooks given in Options.
//
// # Cells
//
// A cell may mix imports, declarations and statements in any order. Each
// cell is cut into its top-level items with go/scanner; imports run first,
// then declarations (func, method, type, var, const) and statements in
// source order, consecutive declarations compiled together as a file and
// consecutive statements as a block, each with //line directives so that
// every position reads cellN:line:col in the cell's own coordinates.
// Top-level `x := v` defines a session variable: when x exists and v can be
// assigned to it, it is assigned (functions compiled earlier see the new
// value), otherwise x is declared anew, so re-running `x := 2` or changing
// x's type both work. Functions and variables can be redefined; yaegi
// keeps the first definition of a type's fields and methods, so changing a
// type needs a new name or a kernel restart.
//
// Two rewrites of top-level statements (toplevel.go) work around yaegi's
// global code: a compound statement (for, if, switch, select, block) that
// declares several names from one value inside it (a, b := f(),
// if v, ok := m[k]; ...) or holds a type switch with an assignment runs as
// `func() { stmt }()`, which yaegi types correctly and which means the same
// in Go; and a top-level defer records its call (function and arguments
// evaluated at the defer) to run, last first, when the cell ends, after its
// result is computed, also when it panicked.
//
// The value of a trailing expression is the cell's result: text/plain
// always (%v, strings quoted, nil for nil) plus text/html, text/markdown,
// image/svg+xml, image/png, application/json and merged bundles when the
// value has HTML, Markdown, SVG, PNG, JSON, MIMEBundle or Display methods;
// String replaces the text/plain rendering. Methods of interpreted types are
// found by compiling a call in the interpreter, those of compiled types
// through reflect. A trailing call returning nothing shows nothing; a call
// returning (T, error) shows T, or the error as the cell's error. A trailing
// conversion ([]byte(s), T(v)) shows the converted value. A trailing name of
// a package or a type is a compile error, as in Go; so is a name nothing
// defines, reported as "cellN:L:C: undefined: name" (yaegi's own messages
// for undefined names are replaced by that one wherever a compile fails).
//
// # Output and input
//
// fmt.Print*, print, println and the log package write to the cell whose
// goroutine wrote, also from goroutines the cell started, after it has
// finished: go statements are rewritten into a call that registers the new
// goroutine with its cell (arguments are still evaluated at the go
// statement). As in Go, print and println write to stderr, formatted as the
// runtime formats them (calls are rewritten into the cell runtime's Print
// and Println unless the session declares its own print or println).
// Compiled code that calls back into cell code on a goroutine of its own (a
// streaming query calling its foreachBatch function) can route that
// goroutine's output to a chosen cell with Executor.Attach, which the
// session uses to keep a query's prints in the cell that started it.
// Routing a write costs a stack walk only while goroutines started by cells
// are alive or a goroutine is attached (see router). Writes through os.Stdout and os.Stderr themselves go through
// a pipe (the variables keep their *os.File type) and reach the running
// cell, or the last one when none runs. Output of compiled code that writes
// to the process's own stdout is not captured.
//
// Input(prompt) asks the front end for a line (input_request), like
// Python's input(). fmt.Scan, fmt.Scanln, fmt.Scanf and reads of os.Stdin
// (bufio.NewReader(os.Stdin), bufio.NewScanner(os.Stdin), io.ReadAll)
// ask for a line whenever they need more input; os.Stdin in cells is a
// *bufio.Reader for that reason, so code that needs an *os.File from it
// does not compile. When the front end does not allow stdin, Input ends the
// cell with the error and reads return it.
//
// # Panics and exits
//
// A panic in a cell becomes its error output: ename is what the panic value,
// or an error it wraps, returns from an ExceptionName() string method (the
// notebook API's exceptions name themselves AnalysisException,
// StreamingQueryException ...), else the type of the panic value ("panic"
// for strings, runtime.Error for runtime errors),
// evalue its message, and the traceback lists the interpreted frames,
// innermost first, each as "cellN:line:col in main.f" at the call the frame
// was making (the innermost call in cell code for the first), with the
// source line and carets under the call. yaegi does not say which node
// was running, so the call is found in the source by what was called (see
// position.go); when several calls of a body match, the first in
// evaluation order is marked and the traceback says so. A panic in a goroutine
// the cell started is recovered and published on that cell's outputs as a
// stderr stream starting with "<ename> in a goroutine started by cellN";
// the kernel lives on. os.Exit and log.Fatal* (also through log.Default()
// and loggers made with log.New) end the cell with an Exit error instead of
// ending the process; Panic* panics as in Go. Loggers get a writer that
// turns Fatal's exit into that error, so a logger whose own SetOutput
// method replaced its writer exits the process from Fatal again (the
// package-level log.SetOutput keeps the guard).
//
// # Interrupts
//
// Execute's context is cancelled when the user interrupts. Then:
//
//  1. The context handed to OnCellStart for that cell is cancelled. Engine
//     calls honour it, and a cell blocked in one returns by itself. If the
//     cell ends within the grace period (200 ms by default), Execute returns
//     a KeyboardInterrupt error and nothing else changes: goroutines of
//     earlier cells and callbacks keep running.
//  2. Otherwise the cell is stopped the hard way with yaegi's context-aware
//     execution, and OnHardInterrupt is called. Execute returns within one
//     second with a KeyboardInterrupt error whose traceback says what was
//     lost. yaegi's hard stop is interpreter-wide: every goroutine running
//     interpreted code, from any cell, stops at its next interpreted step
//     (a goroutine blocked inside a compiled call, such as time.Sleep or a
//     network read, stops when that call returns), and every function value
//     created by interpreted code before the stop (closures, method values,
//     callbacks handed to compiled code such as a foreachBatch function)
//     silently returns zero values from then on. Top-level functions,
//     methods, types and the values of session variables keep working. Variables that
//     hold a function literal assigned at a cell's top level (f := func...)
//     are rebuilt by re-running that assignment; other variables holding
//     functions are listed in the error as lost, to be redefined by
//     re-running their cells. OnHardInterrupt lets the session stop queries
//     whose interpreted callbacks are now dead instead of leaving them
//     running.
//
// yaegi grows its global frame without synchronising with goroutines that
// run interpreted code, so a cell that declares new names while goroutines
// of earlier cells run (or right after a hard interrupt) races inside yaegi;
// the race detector reports it, and in practice the goroutines keep working.
//
// Infinite loops are for the user to interrupt; output volume is capped by
// the dispatcher; huge allocations are the user's problem.
//
// # Completion and inspection
//
// Complete offers session names (the interpreter's globals and the
// declarations cells made), keywords, builtins and package names; after
// "pkg." the package's exported members (standard library and extra
// Exports); after "x." the fields and methods of session variable x (through
// reflect for compiled types, from the recorded declarations for
// interpreted ones). Inspect shows the declaration of session names with
// their current type and value, and the declaration and documentation of
// standard-library names, read with go/doc from GOROOT's sources when they
// are installed (cached per package).
package cells
