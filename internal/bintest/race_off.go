//go:build !race

package bintest

const race = false

// Race reports whether the tests, and so the commands under test, run with
// the race detector: long soaks run fewer rounds then.
const Race = race
