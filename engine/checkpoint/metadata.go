package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/google/uuid"
)

// MetadataFile is the name of the query metadata file in a checkpoint.
const MetadataFile = "metadata"

// Metadata is the content of the checkpoint's metadata file, Spark's
// StreamMetadata: the query id, created with the checkpoint and kept for
// its whole life.
type Metadata struct {
	ID string `json:"id"`
}

// LoadOrCreateMetadata reads dir/metadata, creating it with a new random
// query id when it does not exist yet.
func LoadOrCreateMetadata(dir string) (Metadata, error) {
	path := filepath.Join(dir, MetadataFile)
	m, err := readMetadata(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return m, err
	}
	data, err := json.Marshal(Metadata{ID: uuid.NewString()})
	if err != nil {
		return Metadata{}, err
	}
	if _, err := WriteNewFile(path, data); err != nil {
		return Metadata{}, fmt.Errorf("create checkpoint metadata: %w", err)
	}
	// Read back: when another process won the race, its id is the one.
	return readMetadata(path)
}

func readMetadata(path string) (Metadata, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Metadata{}, err
	}
	var m Metadata
	if err := json.Unmarshal(data, &m); err != nil || m.ID == "" {
		reason := "no query id in it"
		if err != nil {
			reason = err.Error()
		}
		return Metadata{}, &CorruptError{File: path, Batch: -1,
			Reason: reason + "; the file holds the query id: restore it, or start over with a new checkpointLocation"}
	}
	return m, nil
}
