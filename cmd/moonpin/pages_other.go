//go:build !linux

package main

import "time"

const releaseAfter = time.Hour

// releaseCodePages does nothing where /proc/self/smaps is not there to
// tell which pages are the binary's own.
func releaseCodePages() int64 { return 0 }
