package checkpoint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
)

// OffsetSeq is the content of offsets/N, Spark's OffsetSeq: what batch N
// reads and the event-time context it runs with. It is written before the
// batch runs, so a restart re-runs an uncommitted batch exactly.
type OffsetSeq struct {
	// BatchWatermarkMs is the event-time watermark batch N runs with
	// (milliseconds since the epoch).
	BatchWatermarkMs int64
	// BatchTimestampMs is batch N's processing time, used by
	// current_timestamp() and processing-time timeouts.
	BatchTimestampMs int64
	// Conf holds the session settings that must not change across restarts
	// (e.g. "spark.sql.shuffle.partitions").
	Conf map[string]string
	// Offsets holds one end offset per source, in the order of the query's
	// sources. Each is the source's own JSON, opaque to this package; nil
	// means the source has no offset yet (written as "-").
	Offsets []json.RawMessage
}

// offsetSeqMetadata is line 2 of offsets/N, with Spark's field names and
// order.
type offsetSeqMetadata struct {
	BatchWatermarkMs int64             `json:"batchWatermarkMs"`
	BatchTimestampMs int64             `json:"batchTimestampMs"`
	Conf             map[string]string `json:"conf"`
}

// noOffset is Spark's SERIALIZED_VOID_OFFSET.
const noOffset = "-"

// OffsetLog is the offsets/ directory of a checkpoint.
type OffsetLog struct{ log *Log }

// OpenOffsetLog opens (creating) the offset log in dir.
func OpenOffsetLog(dir string) (*OffsetLog, error) {
	l, err := OpenLog(dir)
	if err != nil {
		return nil, err
	}
	return &OffsetLog{log: l}, nil
}

// Add writes offsets/batchID; false when it already exists.
func (o *OffsetLog) Add(batchID int64, seq OffsetSeq) (bool, error) {
	lines, err := seq.encode()
	if err != nil {
		return false, fmt.Errorf("offsets for batch %d: %w", batchID, err)
	}
	return o.log.Add(batchID, lines...)
}

// Get reads offsets/batchID; ok is false when it does not exist.
func (o *OffsetLog) Get(batchID int64) (seq OffsetSeq, ok bool, err error) {
	lines, ok, err := o.log.Get(batchID)
	if err != nil || !ok {
		return OffsetSeq{}, ok, err
	}
	seq, err = o.decode(batchID, lines)
	return seq, err == nil, err
}

// Latest returns the highest batch in the log; ok is false when empty.
func (o *OffsetLog) Latest() (batchID int64, seq OffsetSeq, ok bool, err error) {
	batchID, lines, ok, err := o.log.Latest()
	if err != nil || !ok {
		return -1, OffsetSeq{}, false, err
	}
	seq, err = o.decode(batchID, lines)
	return batchID, seq, err == nil, err
}

// List returns the batch ids present, ascending.
func (o *OffsetLog) List() ([]int64, error) { return o.log.List() }

// Purge deletes offsets of batches below minBatchToKeep.
func (o *OffsetLog) Purge(minBatchToKeep int64) error { return o.log.Purge(minBatchToKeep) }

func (s OffsetSeq) encode() ([][]byte, error) {
	conf := s.Conf
	if conf == nil {
		conf = map[string]string{}
	}
	meta, err := json.Marshal(offsetSeqMetadata{s.BatchWatermarkMs, s.BatchTimestampMs, conf})
	if err != nil {
		return nil, err
	}
	lines := [][]byte{meta}
	for i, off := range s.Offsets {
		if off == nil {
			lines = append(lines, []byte(noOffset))
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, off); err != nil {
			return nil, fmt.Errorf("offset of source %d is not valid JSON: %w", i, err)
		}
		lines = append(lines, buf.Bytes())
	}
	return lines, nil
}

func (o *OffsetLog) decode(batchID int64, lines [][]byte) (OffsetSeq, error) {
	file := filepath.Join(o.log.dir, fileName(batchID, false))
	if len(lines) == 0 {
		return OffsetSeq{}, &CorruptError{File: file, Batch: batchID, Line: 2, Reason: "the batch metadata line is missing"}
	}
	var meta offsetSeqMetadata
	if err := json.Unmarshal(lines[0], &meta); err != nil {
		return OffsetSeq{}, &CorruptError{File: file, Batch: batchID, Line: 2, Reason: fmt.Sprintf("bad batch metadata: %v", err)}
	}
	seq := OffsetSeq{BatchWatermarkMs: meta.BatchWatermarkMs, BatchTimestampMs: meta.BatchTimestampMs, Conf: meta.Conf}
	if seq.Conf == nil {
		seq.Conf = map[string]string{}
	}
	for _, line := range lines[1:] {
		if string(line) == noOffset {
			seq.Offsets = append(seq.Offsets, nil)
			continue
		}
		seq.Offsets = append(seq.Offsets, json.RawMessage(bytes.Clone(line)))
	}
	return seq, nil
}
