package display

// Bundle maps a MIME type to its data, as in display_data content.
type Bundle map[string]any

// MIME types the package renders.
const (
	MIMEText         = "text/plain"
	MIMEHTML         = "text/html"
	MIMESVG          = "image/svg+xml"
	MIMEJSON         = "application/json"
	MIMEDataResource = "application/vnd.dataresource+json"
	MIMEVegaLite     = "application/vnd.vegalite.v5+json"
)

// Target receives the messages of live displays: the first rendering as
// display_data, later ones as update_display_data for the same id.
// Implementations must not block for long: they are called from the
// display's own goroutine.
type Target interface {
	Display(data, metadata Bundle, id string)
	Update(data, metadata Bundle, id string)
}
