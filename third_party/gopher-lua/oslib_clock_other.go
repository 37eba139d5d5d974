//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package lua

// cpuSeconds is the wall time since start where getrusage is not there
// (upstream's os.clock).
func cpuSeconds() float64 { return wallSeconds() }
