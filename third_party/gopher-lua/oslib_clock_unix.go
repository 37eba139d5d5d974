//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package lua

import "syscall"

// moonpin: os.clock is the CPU time the process has used, user and system,
// as Lua 5.1's clock()/CLOCKS_PER_SEC (glibc's clock() is
// CLOCK_PROCESS_CPUTIME_ID). Upstream gave the wall time since start
// (upstream issue #59).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return wallSeconds()
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
