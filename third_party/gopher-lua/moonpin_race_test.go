//go:build race

package lua

// raceEnabled: the race detector slows every memory access several times
// over; tests that hold work to a time bound log it instead.
const raceEnabled = true
