package interp

import (
	"bytes"
	"os"
	"slices"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// killLeftGroups kills the process groups pgids, whose leaders (commands'
// shells) moonpin may have waited for, where they are still the groups
// those shells made: their members are in moonpin's session. Once a group
// has emptied, its number can be a new process's, and so a new group's;
// one of another session is not moonpin's to kill. One pass over /proc
// serves all the groups.
func killLeftGroups(pgids ...int) {
	sid, err := unix.Getsid(0)
	if err != nil || len(pgids) == 0 {
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
		if len(f) < 4 {
			continue
		}
		pgrp, err1 := strconv.Atoi(string(f[2]))
		session, err2 := strconv.Atoi(string(f[3]))
		if err1 == nil && err2 == nil && session == sid && slices.Contains(pgids, pgrp) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}
