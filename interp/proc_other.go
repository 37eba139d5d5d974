//go:build !linux

package interp

import "syscall"

// killLeftGroup kills process group pgid, whose leader (a command's shell)
// moonpin has waited for. Without /proc to tell whose group it now is, it
// is taken to be still the shell's.
func killLeftGroup(pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}
