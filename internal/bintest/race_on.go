//go:build race

package bintest

// race builds the commands under test with the race detector too.
const race = true

// Race reports whether the tests, and so the commands under test, run with
// the race detector: long soaks run fewer rounds then.
const Race = race
