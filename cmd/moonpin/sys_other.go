//go:build !linux

package main

import (
	"time"

	"golang.org/x/sys/unix"
)

// bootID is empty where the OS does not name its boots: every start then
// counts, and the wall clock tells how recent it was.
func bootID() string { return "" }

func sinceBoot() time.Duration { return time.Duration(time.Now().UnixNano()) }

// syncFS flushes every file system: one cannot be picked here.
func syncFS(string) error {
	unix.Sync()
	return nil
}
