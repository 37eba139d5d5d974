// Package stracetest runs a real binary under strace and tells a test
// which renames it made and what it synced around them: whether what it
// reported written would survive a power cut.
package stracetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Calls are the renames and fsyncs a process made, in order: "rename FROM
// TO" and "fsync PATH" (the path strace -y gives the descriptor).
type Calls []string

// Run runs the command argv under strace (following its children) and
// returns its renames and fsyncs; it skips t where strace is not
// installed or may not trace.
func Run(t testing.TB, argv ...string) Calls {
	t.Helper()
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed (.ci/run installs it)")
	}
	log := filepath.Join(t.TempDir(), "strace.log")
	cmd := exec.Command(strace, append([]string{"-f", "-y", "-e", "trace=rename,renameat,renameat2,fsync", "-o", log}, argv...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		if strings.Contains(string(out), "PTRACE") || strings.Contains(string(out), "Operation not permitted") {
			t.Skipf("strace cannot trace here: %s", out)
		}
		t.Fatalf("%s under strace: %v\n%s", filepath.Base(argv[0]), err, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	var calls Calls
	for _, line := range strings.Split(string(data), "\n") {
		// A call another thread interrupts is split: its arguments are
		// on the line ending "<unfinished ...>".
		switch {
		case strings.Contains(line, "resumed>"):
		case strings.Contains(line, "rename"):
			// renameat(AT_FDCWD</r>, "/r/old", AT_FDCWD</r>, "/r/new") = 0
			// renameat(5</r>, "old", 5</r>, "new") = 0 (os.Root)
			f := strings.Split(line, `"`)
			if len(f) >= 4 {
				calls = append(calls, "rename "+resolve(f[0], f[1])+" "+resolve(f[2], f[3]))
			}
		case strings.Contains(line, "fsync("):
			// fsync(5</r/sub>) = 0
			if i := strings.Index(line, "fsync("); i >= 0 {
				arg := line[i:]
				if i, j := strings.Index(arg, "<"), strings.Index(arg, ">"); i >= 0 && j > i {
					calls = append(calls, "fsync "+arg[i+1:j])
				}
			}
		}
	}
	return calls
}

// resolve returns name, a rename's argument, as a path: relative to the
// directory of the descriptor before it (the text before the name ends
// "fd</dir>, "), as a renameat through an os.Root names it.
func resolve(before, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	i, j := strings.LastIndex(before, "<"), strings.LastIndex(before, ">")
	if i < 0 || j < i {
		return name
	}
	return filepath.Join(before[i+1:j], name)
}

// Durable fails t unless the process renamed a file to to, having synced
// the file renamed first when file is true, and then synced each of dirs
// before its next rename: a power cut right after cannot bring back the
// old file or name.
func (calls Calls) Durable(t testing.TB, to string, file bool, dirs ...string) {
	t.Helper()
	i, from := 0, ""
	for ; i < len(calls); i++ {
		if f := strings.Fields(calls[i]); len(f) == 3 && f[0] == "rename" && f[2] == to {
			from = f[1]
			break
		}
	}
	if i == len(calls) {
		t.Errorf("no rename to %s among %q", to, calls)
		return
	}
	if file {
		synced := false
		for _, c := range calls[:i] {
			synced = synced || c == "fsync "+from
		}
		if !synced {
			t.Errorf("%s was renamed to %s without an fsync of it first: %q", from, to, calls)
		}
	}
	synced := map[string]bool{}
	for _, c := range calls[i+1:] {
		if strings.HasPrefix(c, "rename ") {
			break
		}
		synced[strings.TrimPrefix(c, "fsync ")] = true
	}
	for _, d := range dirs {
		if !synced[d] {
			t.Errorf("the rename to %s was not followed by an fsync of %s: %q", to, d, calls)
		}
	}
}
