//go:build race

package interp_test

const raceEnabled = true

// raceBoxBytes is what -race adds to an allocation bound where a case
// boxes many numbers: the race detector turns off the tiny allocator, so
// each 8-byte number box takes 16 (struct.unpack's 1.31M results under
// TestOneCallStaysUnderTheLimit: 10.3 MB more).
const raceBoxBytes = 16 << 20
