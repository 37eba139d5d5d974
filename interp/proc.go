package interp

import (
	"context"
	"errors"
	"maps"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

// command is a shell command of io.popen or os.execute (--allow-exec): run
// by /bin/sh in the script root, in a process group of its own so that an
// interrupt or a soft reset ends everything it started, writing to Lua's
// output and error streams, and reading nothing unless it is given a pipe:
// the session's input belongs to the REPL.
func (lib *ioLib) command(cmdline string) *exec.Cmd {
	cmd := exec.Command("/bin/sh", "-c", cmdline)
	cmd.Dir = lib.h.Root
	cmd.Stdout, cmd.Stderr = lib.h.Out, lib.h.Err
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Once the shell is gone, its children may still hold its output
	// open: the wait is not held up by them.
	cmd.WaitDelay = 100 * time.Millisecond
	return cmd
}

// killGroup ends cmd's process group (the shell and what it started).
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// leftover is the process group of a command whose shell has ended while
// something it started ("gpioset ... &", a logger) still runs in it.
type leftover struct {
	host.Tracked
	pgid int
}

// Close kills what still runs in the group.
func (g *leftover) Close() error {
	g.Untrack()
	killLeftGroups(g.pgid)
	forgetGroup(g.pgid)
	return nil
}

// commandGroups holds the process groups of the commands that the
// runtimes of this process started and that may still have something
// running: the commands themselves, and what they left in the background.
var commandGroups = struct {
	sync.Mutex
	pgids map[int]struct{}
}{pgids: map[int]struct{}{}}

// started records the process group of cmd, just started.
func started(cmd *exec.Cmd) {
	commandGroups.Lock()
	defer commandGroups.Unlock()
	commandGroups.pgids[cmd.Process.Pid] = struct{}{}
}

// forgetGroup takes a process group that has emptied, or been killed, off
// the record.
func forgetGroup(pgid int) {
	commandGroups.Lock()
	defer commandGroups.Unlock()
	delete(commandGroups.pgids, pgid)
}

// KillCommands kills every command the runtimes of this process started
// that still runs, with what it started, and what commands left running
// in the background: a forced exit (Lua stuck in a builtin past the stop
// deadline, or a second stop signal) calls it, as the soft reset or Close
// that would kill them does not come. Any goroutine.
func KillCommands() {
	commandGroups.Lock()
	defer commandGroups.Unlock()
	killLeftGroups(slices.Collect(maps.Keys(commandGroups.pgids))...)
}

// keepLeftovers puts cmd's process group, once its shell has been waited
// for, on the soft-reset list if anything still runs in it: a reset, and
// moonpin's end, kill what a command left running in the background as
// they kill a command still running. It forgets the groups kept before
// that have emptied since, so a script that starts many keeps few.
func (lib *ioLib) keepLeftovers(cmd *exec.Cmd) {
	kept := lib.leftovers[:0]
	for _, g := range lib.leftovers {
		if syscall.Kill(-g.pgid, 0) == nil {
			kept = append(kept, g)
		} else {
			g.Untrack()
			forgetGroup(g.pgid)
		}
	}
	clear(lib.leftovers[len(kept):])
	lib.leftovers = kept
	if cmd.Process == nil {
		return
	}
	if syscall.Kill(-cmd.Process.Pid, 0) != nil {
		forgetGroup(cmd.Process.Pid)
		return
	}
	g := &leftover{pgid: cmd.Process.Pid}
	g.Track(lib.h, g)
	lib.leftovers = append(lib.leftovers, g)
}

// waitProcess waits for cmd to end; the end of ctx kills it first.
func waitProcess(ctx context.Context, cmd *exec.Cmd) error {
	if ctx != nil {
		stop := context.AfterFunc(ctx, func() { killGroup(cmd) })
		defer stop()
	}
	return cmd.Wait()
}

// osExecute is os.execute with --allow-exec. As Lua 5.1 (C's system()) it
// returns the wait status: the exit code times 256, or the number of the
// signal that ended the command; with no command, whether a shell is there.
// An interrupt ends the command and the script's code.
func (lib *ioLib) osExecute(L *lua.LState) int {
	if L.GetTop() == 0 || L.Get(1) == lua.LNil {
		L.Push(lua.LNumber(1))
		return 1
	}
	cmd := lib.command(L.CheckString(1))
	if err := cmd.Start(); err != nil {
		L.Push(lua.LNumber(127 << 8))
		return 1
	}
	started(cmd)
	err := waitProcess(L.Context(), cmd)
	lib.keepLeftovers(cmd)
	L.CheckInterrupt()
	status := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			status = int(ws.Signal())
		} else {
			status = ee.ExitCode() << 8
		}
	}
	L.Push(lua.LNumber(status))
	return 1
}
