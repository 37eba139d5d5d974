//go:build race

package show_test

const raceEnabled = true
