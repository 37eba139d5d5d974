//go:build !race

package interp_test

const raceEnabled = false

// raceBoxBytes: see race_test.go.
const raceBoxBytes = 0
