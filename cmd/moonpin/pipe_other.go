//go:build !linux

package main

import "errors"

// pipeSize is 0: the room of a pipe is not known here, and every write to
// one goes through the stopWriter's goroutine.
func pipeSize(fd int) int { return 0 }

func pipeHeld(fd int) (int, error) { return 0, errors.ErrUnsupported }
