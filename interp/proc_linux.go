package interp

import (
	"bytes"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// killLeftGroup kills process group pgid, whose leader (a command's shell)
// moonpin has waited for, if it is still the group that shell made: one
// whose members are in moonpin's session. Once a group has emptied, its
// number can be a new process's, and so a new group's; one of another
// session is not moonpin's to kill.
func killLeftGroup(pgid int) {
	sid, err := unix.Getsid(0)
	if err != nil {
		return
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp session ...: comm may hold spaces
		// and parentheses, the fields after its last ')' do not.
		i := bytes.LastIndexByte(data, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(data[i+1:])
		if len(f) < 4 || string(f[2]) != strconv.Itoa(pgid) || string(f[3]) != strconv.Itoa(sid) {
			continue
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}
