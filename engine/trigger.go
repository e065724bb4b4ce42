package engine

import (
	"fmt"

	"github.com/gostream/gostream/engine/sqlparse"
	"github.com/gostream/gostream/engine/stream"
)

// Trigger says when a streaming query runs its micro-batches. The zero
// Trigger is the default: the next batch as soon as the previous one ends
// and new data is there.
type Trigger struct {
	t   stream.Trigger
	err error
}

// ProcessingTime starts batches every interval ("2 seconds", "1 minute",
// "500 milliseconds"); a batch that overruns is followed at once by the
// next.
func ProcessingTime(interval string) Trigger {
	d, err := sqlparse.ParseInterval(interval)
	if err != nil {
		return Trigger{err: fmt.Errorf("trigger: processingTime %q: %w", interval, err)}
	}
	if d < 0 {
		return Trigger{err: fmt.Errorf("trigger: processingTime %q: the interval must not be negative", interval)}
	}
	if d == 0 {
		return Trigger{}
	}
	return Trigger{t: stream.Trigger{Kind: stream.TriggerProcessingTime, Interval: d}}
}

// Once runs one batch with everything available, then stops the query.
func Once() Trigger { return Trigger{t: stream.Trigger{Kind: stream.TriggerOnce}} }

// AvailableNow processes everything available when the query starts, in
// as many batches as the sources' per-trigger limits (maxFilesPerTrigger,
// ...) require, then stops the query.
func AvailableNow() Trigger { return Trigger{t: stream.Trigger{Kind: stream.TriggerAvailableNow}} }

func (t Trigger) String() string { return t.t.String() }
