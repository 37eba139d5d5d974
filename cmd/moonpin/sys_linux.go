package main

import (
	"os"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// bootID names the running OS boot.
func bootID() string {
	id, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(id))
}

// sinceBoot is CLOCK_BOOTTIME: it counts from the OS boot, includes suspend
// and never jumps with the wall clock.
func sinceBoot() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ts.Nano())
}

// syncFS writes what is cached for the file system holding dir to disk:
// files the script wrote reach the SD card before the power goes.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// flushOutput drops what was written to the terminal fd and not yet read
// by the other side (tcflush TCOFLUSH).
func flushOutput(fd int) error { return unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCOFLUSH) }

// flushInput drops what the other side wrote to the terminal fd and was
// not yet read (tcflush TCIFLUSH).
func flushInput(fd int) error { return unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH) }
