package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/moonpin/moonpin/internal/bintest"
)

// runMoonpin runs the command in-process (run is main without os.Exit) with
// the working directory set to dir.
func runMoonpin(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestScriptMode(t *testing.T) {
	dir := t.TempDir()
	write := func(name, code string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ok.lua", `print("hello") timer.after(20, function() print("timer after main") end)`)
	write("fails.lua", "local x = 1\nerror('boom')")
	write("exit.lua", `os.exit(7)`)
	write("cbfail.lua", `timer.after(10, function() error("boom") end) print("main")`)
	write("cbexit.lua", `timer.after(10, function() error("boom") end) timer.after(30, function() os.exit(0) end)`)
	write("hashbang.lua", "#!/usr/bin/env moonpin\nprint('ran')\nerror('on line 3')")
	write("args.lua", `print(arg[0], arg[1], arg[2], #arg, ...) print(arg[-3], arg[-2], arg[-1], arg[-4])`)
	write("boot.lua", `print("boot")`)
	write("main.lua", `print("main " .. board.name)`)
	for _, tc := range []struct {
		args       []string
		code       int
		out, inErr string
	}{
		{[]string{"ok.lua"}, 0, "hello\ntimer after main\n", ""},
		{[]string{"fails.lua"}, 1, "", "fails.lua:2: boom\nstack traceback:"},
		{[]string{"exit.lua"}, 7, "", ""},
		// A callback's error goes to stderr and the script, which went
		// on, ends with status 1 (it printed on stdout and ended 0),
		// unless it chose its status with os.exit.
		{[]string{"cbfail.lua"}, 1, "main\n", "error in callback: cbfail.lua:1: boom\nstack traceback:"},
		{[]string{"cbexit.lua"}, 0, "", "error in callback: cbexit.lua:1: boom"},
		{[]string{"hashbang.lua"}, 1, "ran\n", "hashbang.lua:3: on line 3"},
		{[]string{"-e", "print(1 + 1)"}, 0, "2\n", ""},
		{[]string{"-e", "x = = 1"}, 1, "", "(command line):1: unexpected symbol near '='"},
		{[]string{"-e", "print(debug.getinfo(1, 'S').source)"}, 0, "=(command line)\n", ""},
		// An empty chunk is a chunk, as with lua5.1 -e "": it runs instead
		// of boot.lua and main.lua.
		{[]string{"-e", ""}, 0, "", ""},
		{[]string{"--board", "sim"}, 0, "boot\nmain sim\n", ""},
		{[]string{"--safe"}, 0, "", ""},
		{[]string{"missing.lua"}, 1, "", "moonpin: cannot run missing.lua: no such file or directory"},
		{[]string{"--board", "bogus"}, 1, "", "--board bogus: want auto, sim or a board file"},
		{[]string{"--mem-limit", "-1"}, 2, "", "--mem-limit -1"},
		// As lua5.1: the words after the script are its arguments, in arg
		// and "...".
		{[]string{"--board", "sim", "args.lua", "a", "b c"}, 0, "args.lua\ta\tb c\t2\ta\tb c\nmoonpin\t--board\tsim\tnil\n", ""},
		{[]string{"args.lua"}, 0, "args.lua\tnil\tnil\t0\nnil\tnil\tmoonpin\tnil\n", ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errOut, code := runMoonpin(t, dir, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tc.code, errOut)
			}
			if out != tc.out {
				t.Errorf("stdout %q, want %q", out, tc.out)
			}
			if !strings.Contains(errOut, tc.inErr) {
				t.Errorf("stderr %q lacks %q", errOut, tc.inErr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	out, _, code := runMoonpin(t, t.TempDir(), "--version")
	if code != 0 || !strings.HasPrefix(out, "moonpin ") {
		t.Fatalf("--version: %d %q", code, out)
	}
}

// TestBinaryExitStatus checks the real process: status and traceback on stderr.
func TestBinaryExitStatus(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "moonpin")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-e", "local t = nil\nt.x = 1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	exitErr, ok := err.(*exec.ExitError)
	if !ok || exitErr.ExitCode() != 1 {
		t.Fatalf("got %v, want exit status 1", err)
	}
	if !strings.Contains(stderr.String(), "(command line):2: attempt to index local 't' (a nil value)") {
		t.Fatalf("stderr %q", stderr.String())
	}
}

// TestScriptBiggerThanTheLimit: a script named on the command line that is
// bigger than the memory limit is refused before it is read (it was read
// whole, 40 MB here, and only then refused by the parser's checks), and one
// from a pipe is read only up to the limit.
func TestScriptBiggerThanTheLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.lua")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(40 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	cmd := exec.Command(moonpinBin, "--mem-limit", "16", big)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("exit %d (%v), want 1; output %q", code, err, out)
	}
	want := "moonpin: cannot run " + big + ": it is 40 MB, more than the memory limit of 16 MB; raise --mem-limit\n"
	if string(out) != want {
		t.Fatalf("output %q, want %q", out, want)
	}
	// The race detector's shadow memory makes RSS meaningless. A child's
	// peak RSS starts from this process's own (exec replaces a memory
	// that go test's fork shared), so it is weighed against a child that
	// reads nothing.
	if !bintest.Race {
		base := exec.Command(moonpinBin, "--version")
		if err := base.Run(); err != nil {
			t.Fatal(err)
		}
		peakMB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10
		baseMB := base.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10
		if peakMB > baseMB+20 {
			t.Errorf("peak RSS %d MB refusing a 40 MB script, %d MB for --version", peakMB, baseMB)
		}
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		line := bytes.Repeat([]byte("-- a comment line\n"), 1<<10)
		for i := 0; i < 2<<10; i++ { // 36 MB, or until moonpin stops reading
			if _, err := w.Write(line); err != nil {
				break
			}
		}
		w.Close()
	}()
	cmd = exec.Command(moonpinBin, "--mem-limit", "16", "/dev/fd/3")
	cmd.ExtraFiles = []*os.File{r}
	out, err = cmd.CombinedOutput()
	r.Close()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("pipe: exit %d (%v), want 1; output %q", code, err, out)
	}
	if want := "moonpin: cannot run /dev/fd/3: it is more than the memory limit of 16 MB; raise --mem-limit\n"; string(out) != want {
		t.Fatalf("pipe: output %q, want %q", out, want)
	}
}
