//go:build !race

package parse

// raceEnabled reports a build with the race detector.
const raceEnabled = false
