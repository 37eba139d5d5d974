//go:build race

package bintest

// race builds the commands under test with the race detector too.
const race = true
