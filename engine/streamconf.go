package engine

import "github.com/gostream/gostream/engine/stream"

// streamingConfKeys are the session settings a streaming query's runtime
// reads when it starts.
var streamingConfKeys = []string{
	stream.MultipleWatermarkPolicyConf,
	stream.NoDataMicroBatchesConf,
	stream.MinBatchesToRetainConf,
	stream.MinDeltasForSnapshotConf,
}

// streamingConf returns the session's values of streamingConfKeys.
func (c *RuntimeConfig) streamingConf() map[string]string {
	out := map[string]string{}
	for _, k := range streamingConfKeys {
		if v := c.Get(k); v != "" {
			out[k] = v
		}
	}
	return out
}
