package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// A serving moonpin lets go of the pages of its code that only start-up
// ran releaseAfter after its start, and of those only an earlier command
// ran every releaseEvery (see releaseCodePages). The code that runs again
// maps its pages back at once: for a loop in main.lua, a few hundred minor
// faults, under a millisecond.
const (
	releaseAfter = 2 * time.Second
	releaseEvery = time.Minute
)

// releaseCodePages unmaps the pages of moonpin's own binary that are
// mapped read-only (its code and read-only data), as the kernel does under
// memory pressure: they stay in the page cache, and code that runs again
// maps its pages back at a minor fault each. A Go program maps nearly all
// of its text by the time it is idle (the runtime and 130 package inits
// touch most of it, and the kernel maps 64 KB around each page fault):
// about 11 MB of moonpin's 13 MB of RSS at an idle REPL, of which the
// idle REPL uses a few hundred KB. It returns how many bytes of mappings it
// released.
//
// A mapping with pages copied on write (a debugger's breakpoint, a
// relocated PIE's data) is left alone: its pages are no longer the file's.
// So is one that shows no resident pages, as under qemu-user, whose
// /proc/self/smaps is made up and whose guest mappings may be copies.
func releaseCodePages() (released int64) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0
	}
	for _, m := range readOnlyMappings(smaps, exe) {
		_, _, e := unix.Syscall(unix.SYS_MADVISE, uintptr(m.start), uintptr(m.end-m.start), unix.MADV_DONTNEED)
		if e == 0 {
			released += int64(m.end - m.start)
		}
	}
	return released
}

// releaseCodePagesEvery calls releaseCodePages after first and then every
// every, until the returned function is called.
func releaseCodePagesEvery(first, every time.Duration) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTimer(first)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				releaseCodePages()
				t.Reset(every)
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}

// mapping is [start, end) of a mapping in /proc/self/smaps.
type mapping struct{ start, end uint64 }

// readOnlyMappings returns the private, read-only mappings of file in
// smaps that have resident pages and none copied on write.
func readOnlyMappings(smaps []byte, file string) []mapping {
	var out []mapping
	var cur mapping
	candidate, resident, copied := false, false, false
	done := func() {
		if candidate && resident && !copied {
			out = append(out, cur)
		}
		candidate = false
	}
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if !strings.HasSuffix(f[0], ":") {
			// A mapping's line: "start-end perms offset dev inode path".
			done()
			lo, hi, ok := strings.Cut(f[0], "-")
			if !ok || len(f) != 6 || f[5] != file || f[1] != "r-xp" && f[1] != "r--p" {
				continue
			}
			start, err1 := strconv.ParseUint(lo, 16, 64)
			end, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 != nil || err2 != nil || end <= start {
				continue
			}
			cur, candidate, resident, copied = mapping{start, end}, true, false, false
			continue
		}
		if !candidate || len(f) < 2 {
			continue
		}
		switch f[0] {
		case "Rss:":
			resident = f[1] != "0"
		case "Anonymous:":
			copied = f[1] != "0"
		}
	}
	done()
	return out
}
