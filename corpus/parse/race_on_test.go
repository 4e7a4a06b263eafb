//go:build race

package parse

// raceEnabled: under the race detector sync.Pool drops what it is given
// back, so every regexp match allocates afresh and allocation figures
// mean nothing (TestParseLinear does not check them).
const raceEnabled = true
