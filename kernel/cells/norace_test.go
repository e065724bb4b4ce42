//go:build !race

package cells

const raceDetector = false
