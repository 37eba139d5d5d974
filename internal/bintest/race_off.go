//go:build !race

package bintest

const race = false
