package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestIOOnTerminalREPL: io.read reads a line typed at the terminal REPL
// (echoed; Ctrl-D gives nil; Ctrl-C interrupts it), and io.write's lines end
// in "\r\n" like print's, in order with the echo.
func TestIOOnTerminalREPL(t *testing.T) {
	cmd := exec.Command(moonpinBin, "--root", t.TempDir())
	master, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { killIfRunning(cmd) })
	tm := masterTerm(t, master)
	tm.Expect("\r\n> ")

	tm.Send("print('got ' .. io.read())\r")
	tm.Exact("print('got ' .. io.read())\r\n")
	tm.Send("hellp\x7fo\r")
	tm.Exact("hellp\b \bo\r\ngot hello\r\n> ")

	tm.Send("print(io.read())\r")
	tm.Exact("print(io.read())\r\n")
	tm.Send("\x04")
	tm.Exact("\r\nnil\r\n> ")

	// The "?" shows io.read is about to read: bytes typed while the line
	// still runs, before the read, are type-ahead that a Ctrl-C does not
	// take back, and would reach the next prompt.
	tm.Send("io.write('?') io.read()\r")
	tm.Exact("io.write('?') io.read()\r\n?")
	tm.Send("abc\x03")
	if got := tm.Expect("\r\n> "); !strings.Contains(got, "interrupted") {
		t.Fatalf("Ctrl-C in io.read: %q", got)
	}

	tm.Send(`do io.write("a\nb\n") io.stderr:write("c\n") end` + "\r")
	tm.Exact(`do io.write("a\nb\n") io.stderr:write("c\n") end` + "\r\na\r\nb\r\nc\r\n> ")

	tm.Send("\x04")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(waitLimit):
		cmd.Process.Kill()
		<-done
		t.Fatal("Ctrl-D did not end the terminal REPL")
	}
	tm.Close()
}

// TestIOOverPty: on --pty, io.write and io.stderr reach the client (not
// moonpin's stdout or stderr), and io.read reads what the client types, also
// from main.lua before the client came.
func TestIOOverPty(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "local name = io.read()\nprint('hi ' .. tostring(name))\n"})
	tm := b.open()
	tm.Send("bob\r")
	tm.Expect("bob\r\nhi bob\r\n")
	tm.sync()
	tm.Send(`do io.write("w1\nw2\n") io.stderr:write("e1\n") end` + "\r")
	tm.Exact(`do io.write("w1\nw2\n") io.stderr:write("e1\n") end` + "\r\nw1\r\nw2\r\ne1\r\n> ")
	tm.Send("x = io.read('*n')\r")
	tm.Exact("x = io.read('*n')\r\n")
	tm.Send("41\r")
	tm.Exact("41\r\n> ")
	tm.Send("=x + 1\r")
	tm.Exact("=x + 1\r\n42\r\n> ")
	// An error raised by a Go function that pcall called directly has no
	// position, as in Lua 5.1.
	tm.Send("timer.after(1, function() print(pcall(io.read)) end)\r")
	tm.Expect("false\tio.read: no input for callbacks while the REPL waits at its prompt")
	// A callback due at once runs as the command's Lua ends, while the
	// REPL still prints its result and prompt: it is between commands too
	// (it used to read the line typed at the next prompt).
	for range 20 {
		tm.Send("timer.after(0, function() print(pcall(io.read)) end)\r")
		tm.Expect("false\tio.read: no input for callbacks while the REPL waits at its prompt")
	}
	b.stop()
	if strings.Contains(b.stderr(), "e1") {
		t.Errorf("io.stderr went to moonpin's stderr: %q", b.stderr())
	}
}

// TestIOInScriptMode: without a terminal, io.read reads stdin and
// io.stderr writes to stderr, as in Lua.
func TestIOInScriptMode(t *testing.T) {
	cmd := exec.Command(moonpinBin, "--root", t.TempDir(), "-e",
		`print(io.read()) print(io.read("*n") + 1) io.stderr:write("to stderr\n") print(io.read("*a"))`)
	cmd.Stdin = strings.NewReader("first\n41\nthe rest")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v; stderr %q", err, stderr.String())
	}
	if got := stdout.String(); got != "first\n42\n\nthe rest\n" {
		t.Errorf("stdout %q", got)
	}
	if got := stderr.String(); got != "to stderr\n" {
		t.Errorf("stderr %q", got)
	}
}

// TestAllowReadAndWriteFlags: the flags are in --help and grant what they say.
func TestAllowReadAndWriteFlags(t *testing.T) {
	dir := t.TempDir()
	_, help, _ := runMoonpin(t, dir, "--help")
	for _, flag := range []string{"-allow-read", "-allow-write", "/sys/class/thermal"} {
		if !strings.Contains(help, flag) {
			t.Errorf("--help lacks %s:\n%s", flag, help)
		}
	}
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "temp"), []byte("42000"), 0o644)
	code := `print(io.open(` + quote(outside+"/temp") + `):read("*a"))`
	if out, errOut, status := runMoonpin(t, dir, "-e", code); status == 0 || out != "" {
		t.Errorf("read outside the root without a grant: %d %q %q", status, out, errOut)
	}
	if out, errOut, status := runMoonpin(t, dir, "--allow-read", outside, "-e", code); status != 0 || out != "42000\n" {
		t.Errorf("--allow-read: %d %q %q", status, out, errOut)
	}
	write := `assert(io.open(` + quote(outside+"/new") + `, "w")):write("x")`
	if _, errOut, status := runMoonpin(t, dir, "--allow-read", outside, "-e", write); status == 0 || !strings.Contains(errOut, "--allow-write") {
		t.Errorf("write with a read grant: %d %q", status, errOut)
	}
	if _, errOut, status := runMoonpin(t, dir, "--allow-write", outside, "-e", write); status != 0 {
		t.Errorf("--allow-write: %d %q", status, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "new")); string(b) != "x" {
		t.Errorf("the granted write left %q", b)
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
