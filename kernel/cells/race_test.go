//go:build race

package cells

// raceDetector is true in -race builds. yaegi v0.16.1 grows its global
// frame (Interpreter.resizeFrame) without synchronising with interpreted
// goroutines that read it, so tests that keep interpreted goroutines running
// while a later cell declares new names are reported by the race detector
// inside yaegi, as is the next cell after a hard interrupt (the stopped
// evaluation unwinds while it runs); they run in normal builds only.
const raceDetector = true
