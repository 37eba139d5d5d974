//go:build !linux

package interp

import "syscall"

// killLeftGroups kills the process groups pgids, whose leaders (commands'
// shells) moonpin may have waited for. Without /proc to tell whose groups
// they now are, they are taken to be still the shells'.
func killLeftGroups(pgids ...int) {
	for _, pgid := range pgids {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}
