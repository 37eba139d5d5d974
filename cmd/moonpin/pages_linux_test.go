package main

import (
	"bytes"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReadOnlyMappings: only the binary's own private mappings that can
// be neither written nor copied on write are released, and only those with
// resident pages; a mapping of another file, a writable one, one with a
// page copied on write (a breakpoint, PIE relocations) or one qemu-user
// made up (no resident pages) is left alone.
func TestReadOnlyMappings(t *testing.T) {
	const exe = "/usr/bin/moonpin"
	entry := func(addr, perms, file string, rss, anon int) string {
		return addr + " " + perms + " 00000000 fe:00 247026                     " + file + "\n" +
			"Size:                  8 kB\nRss:                   " + strconv.Itoa(rss) + " kB\n" +
			"Anonymous:             " + strconv.Itoa(anon) + " kB\nVmFlags: rd mr mw me \n"
	}
	smaps := entry("400000-1000000", "r-xp", exe, 900, 0) +
		entry("1000000-1800000", "r--p", exe, 400, 0) +
		entry("1800000-1900000", "rw-p", exe, 40, 0) +
		entry("1900000-1a00000", "r--p", exe, 40, 4) +
		entry("1a00000-1b00000", "r-xp", exe, 0, 0) +
		entry("1b00000-1c00000", "r-xp", "/usr/lib/other.so", 40, 0) +
		entry("1c00000-1d00000", "r-xs", exe, 40, 0) +
		"1d00000-1e00000 r-xp 00000000 fe:00 247026      /usr/bin/moonpin (deleted)\nRss: 4 kB\nAnonymous: 0 kB\n" +
		entry("7f0000000000-7f0000001000", "r-xp", exe, 4, 0)
	got := readOnlyMappings([]byte(smaps), exe)
	want := []mapping{{0x400000, 0x1000000}, {0x1000000, 0x1800000}, {0x7f0000000000, 0x7f0000001000}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %x, want %x", got, want)
	}
}

// TestServingBoardLetsGoOfStartupCode: a moonpin serving its REPL stops
// holding the pages of code only its start ran (about 11 MB of 13 MB of
// RSS at an idle REPL were the binary's pages), and still answers.
func TestServingBoardLetsGoOfStartupCode(t *testing.T) {
	// The RSS at start must be measured before the release, which comes
	// releaseAfter after moonpin's start (later than its launch here): a
	// board that took longer than that to start and answer (a race-built
	// moonpin on a busy machine) was measured after the release, and the
	// test waited in vain for half of what was left. Such a start is not
	// a try.
	const tries = 3
	var b *board
	var tm *ptyTerm
	var atStart int
	for n := 1; ; n++ {
		launched := time.Now()
		b = startBoard(t, map[string]string{"main.lua": "print('main ran')"})
		tm = b.open()
		tm.sync()
		atStart = rssFile(t, b.cmd.Process.Pid)
		took := time.Since(launched)
		if took < releaseAfter {
			break
		}
		t.Logf("the board answered %v after its launch, past the release at %v; not a try", took, releaseAfter)
		tm.Close()
		b.stop()
		if n == tries {
			t.Fatalf("the board answered only after the release at %v in each of %d tries", releaseAfter, tries)
		}
	}
	deadline := time.Now().Add(releaseAfter + waitLimit)
	var now int
	for now = atStart; now > atStart/2 && time.Now().Before(deadline); now = rssFile(t, b.cmd.Process.Pid) {
		time.Sleep(50 * time.Millisecond) // polling the kernel's count, not waiting for output
	}
	t.Logf("file-backed RSS: %d kB after start, %d kB idle", atStart, now)
	if now > atStart/2 {
		t.Fatalf("file-backed RSS %d kB %v after start, want at most half of the %d kB it was", now, releaseAfter+waitLimit, atStart)
	}
	tm.Send("print(string.format('%d', 6 * 7))\r")
	tm.Expect("42\r\n> ")
}

// rssFile returns the process's file-backed resident memory in kB.
func rssFile(t *testing.T, pid int) int {
	t.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte("RssFile:")); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(string(rest)), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no RssFile in /proc/PID/status")
	return 0
}
