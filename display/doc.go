// Package display renders what a notebook shows of tables and streaming
// queries as Jupyter MIME bundles, and keeps live displays up to date.
//
// Rendering is pure: Table turns Arrow records into an HTML table (column
// types in the header, row count, truncation note), a text/plain table in
// Spark's show() layout and an application/vnd.dataresource+json bundle that
// front ends and tests can read values from; QueryView turns a streaming
// query's state into a progress panel, a status line, Vega-Lite charts with
// an SVG fallback, and a listing of the session's queries.
//
// Live is a display that updates in place (display_data with a display id,
// then update_display_data). Producers only mark it dirty, which never
// blocks: a goroutine per display renders the latest state at most once per
// throttle interval, so a query running thousands of batches a second sends
// a few updates a second, and Close always publishes the final state.
//
// The package knows nothing of the Jupyter wire or of the kernel: it
// publishes through the small Target interface, which the notebook host
// binds to the outputs of a cell. It never runs queries and never blocks
// the engine.
package display
