//go:build !linux

package fs

import (
	"os"
	"syscall"
)

// sameMount reports whether paths a and b are on one file system, so that
// a file renames from one to the other.
func sameMount(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false
	}
	sa, oka := fa.Sys().(*syscall.Stat_t)
	sb, okb := fb.Sys().(*syscall.Stat_t)
	return oka && okb && sa.Dev == sb.Dev
}
