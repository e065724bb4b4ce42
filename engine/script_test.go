package engine_test

import (
	"testing"

	"github.com/gostream/gostream/engine/enginetest"
)

// TestScripts runs the streaming scripts of testdata/scripts.
func TestScripts(t *testing.T) {
	enginetest.RunScripts(t, "testdata/scripts/*.test")
}
