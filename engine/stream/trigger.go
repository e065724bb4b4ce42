package stream

import (
	"fmt"
	"time"
)

// TriggerKind says when micro-batches run.
type TriggerKind int

const (
	// TriggerDefault runs the next batch as soon as the previous one ended
	// and new data is there.
	TriggerDefault TriggerKind = iota
	// TriggerProcessingTime starts batches on interval boundaries, and the
	// next one at once when a batch overruns.
	TriggerProcessingTime
	// TriggerOnce runs one batch with everything available, then stops.
	TriggerOnce
	// TriggerAvailableNow processes everything available at start, in as
	// many batches as the sources' per-trigger limits require, then stops.
	TriggerAvailableNow
)

// Trigger is a TriggerKind with its interval (processing time only).
type Trigger struct {
	Kind     TriggerKind
	Interval time.Duration
}

func (t Trigger) String() string {
	switch t.Kind {
	case TriggerProcessingTime:
		return fmt.Sprintf("ProcessingTimeTrigger(%d)", t.Interval.Milliseconds())
	case TriggerOnce:
		return "OneTimeTrigger"
	case TriggerAvailableNow:
		return "AvailableNowTrigger"
	}
	return "ProcessingTimeTrigger(0)"
}
