//go:build !linux

package main

import "time"

const (
	releaseAfter = time.Hour
	releaseEvery = time.Hour
)

// releaseCodePagesEvery does nothing where /proc/self/smaps is not there
// to tell which pages are the binary's own (see pages_linux.go).
func releaseCodePagesEvery(first, every time.Duration) (stop func()) { return func() {} }
