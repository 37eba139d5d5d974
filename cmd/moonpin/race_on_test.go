//go:build race

package main

// raceEnabled builds the moonpin under test with the race detector too.
const raceEnabled = true
