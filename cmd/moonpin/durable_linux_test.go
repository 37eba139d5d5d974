package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenamesReachTheDisk runs the real binary under strace: fs.write's
// rename of its synced temporary file over the file, and fs.rename, are
// each followed by an fsync of the directory the name is in (for a move,
// of both), so that a power cut right after them cannot bring back the
// old file or name. Before, neither synced a directory.
func TestRenamesReachTheDisk(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed (.ci/run installs it)")
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "strace.log")
	cmd := exec.Command(strace, "-f", "-y", "-e", "trace=rename,renameat,renameat2,fsync", "-o", log,
		moonpinBin, "--root", root, "-e", `fs.write("a.txt", "x") fs.rename("a.txt", "sub/b.txt")`)
	if out, err := cmd.CombinedOutput(); err != nil {
		if strings.Contains(string(out), "PTRACE") || strings.Contains(string(out), "Operation not permitted") {
			t.Skipf("strace cannot trace here: %s", out)
		}
		t.Fatalf("moonpin under strace: %v\n%s", err, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string // "rename <to>" and "fsync <path>", in order
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.Contains(line, "rename"):
			// renameat(AT_FDCWD</r>, "/r/old", AT_FDCWD</r>, "/r/new") = 0
			f := strings.Split(line, `"`)
			if len(f) >= 4 {
				calls = append(calls, "rename "+f[3])
			}
		case strings.Contains(line, "fsync("):
			// fsync(5</r/sub>) = 0
			if i, j := strings.Index(line, "<"), strings.Index(line, ">)"); i >= 0 && j > i {
				calls = append(calls, "fsync "+line[i+1:j])
			}
		}
	}
	expect := func(to string, dirs ...string) {
		t.Helper()
		i := 0
		for i < len(calls) && calls[i] != "rename "+to {
			i++
		}
		if i == len(calls) {
			t.Fatalf("no rename to %s among %q", to, calls)
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
	r, _ := filepath.EvalSymlinks(root)
	expect(filepath.Join(r, "a.txt"), r)
	expect(filepath.Join(r, "sub", "b.txt"), filepath.Join(r, "sub"), r)
}
