// Package proctest tells a test whether processes that moonpin should have
// killed are gone.
package proctest

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
)

// WaitGone fails t unless each of pids has ended within limit: gone, or a
// zombie waiting for its parent (init, for an orphan) to reap it, which
// kill(pid, 0) still finds.
func WaitGone(t testing.TB, when string, pids []int, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for _, pid := range pids {
		for syscall.Kill(pid, 0) == nil && !zombie(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: process %d still runs", when, pid)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// zombie reports whether pid has ended and waits to be reaped.
func zombie(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := bytes.LastIndexByte(data, ')')
	return i < 0 || i+2 >= len(data) || data[i+2] == 'Z'
}
