package main

// Tests for how moonpin ends: stop signals, os.exit and board.reset() loops.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/internal/proctest"
	"github.com/moonpin/moonpin/interp"
	"golang.org/x/sys/unix"
	"periph.io/x/conn/v3/gpio"
)

// stuckLua drives GPIO17 high and calls stuck(), which only the stuck build
// of moonpin has (stuck.go): it prints "stuck" and blocks where no interrupt
// reaches, as a builtin with a hole would. (A FIFO's open(2) served here
// until io.open learned not to wait in it.)
const stuckLua = `local p = gpio.pin("GPIO17", gpio.OUT) p:write(1) stuck()`

// startStuckScript runs code, which calls stuck() (it prints "stuck"), in
// script mode with the stuck build and root as the script root, and returns
// once it said "stuck", with a function that returns its stderr.
func startStuckScript(t *testing.T, root, code string, args ...string) (*exec.Cmd, func() string) {
	t.Helper()
	cmd := exec.Command(moonpinStuckBin, append(append([]string{"--board", "sim", "--root", root}, args...), "-e", code)...)
	var buf strings.Builder
	cmd.Stderr = &buf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killIfRunning(cmd) })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		if s != "stuck\n" {
			t.Fatalf("stdout %q", s)
		}
	case <-time.After(waitLimit):
		t.Fatal("the script did not start")
	}
	return cmd, buf.String
}

// quickExit keeps the race detector from sleeping a second at exit (its
// atexit_sleep_ms): the tests time how fast moonpin exits.
func quickExit(t *testing.T) { t.Setenv("GORACE", "atexit_sleep_ms=0") }

// exitStatus waits for cmd and returns its exit status and how long after
// since it ended; -1 if a signal killed it.
func exitStatus(t *testing.T, cmd *exec.Cmd, since time.Time) (int, time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		took := time.Since(since)
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0, took
		case errors.As(err, &ee):
			return ee.ExitCode(), took
		}
		t.Fatalf("wait: %v", err)
	case <-time.After(waitLimit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("moonpin still running %v later", waitLimit)
	}
	return 0, 0
}

// TestStopNeverWaitsForLua: whatever Lua is doing, a stop signal ends
// moonpin within a second with the outputs safe, in script mode and on the
// REPL. SIGINT ends a script as an interrupt does (status 1).
func TestStopNeverWaitsForLua(t *testing.T) {
	quickExit(t)
	for _, mode := range []string{"script", "pty"} {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
			t.Run(mode+"/"+unix.SignalName(sig), func(t *testing.T) {
				var cmd *exec.Cmd
				var stderr func() string
				switch mode {
				case "script":
					cmd, stderr = startStuckScript(t, t.TempDir(), stuckLua)
				case "pty":
					root := t.TempDir()
					b := launchBinary(t, moonpinStuckBin, root, nil, "--pty", "--root", root)
					b.once.Do(func() {}) // this test stops it
					cmd = b.cmd
					tm := b.open()
					tm.sync()
					tm.Send(stuckLua + "\r")
					tm.Expect("stuck\r\n")
					stderr = b.stderr
				}
				start := time.Now()
				cmd.Process.Signal(sig)
				code, took := exitStatus(t, cmd, start)
				t.Logf("%s to exit with Lua stuck in a builtin: %v", unix.SignalName(sig), took)
				want := 0
				if sig == syscall.SIGINT && mode == "script" {
					want = 1
				}
				if code != want {
					t.Errorf("exit status %d, want %d", code, want)
				}
				if took > time.Second {
					t.Errorf("took %v to exit, want within 1s", took)
				}
				errText := stderr()
				for _, want := range []string{"Lua did not stop within 500ms of " + unix.SignalName(sig), "moonpin: stopping: GPIO17 set low"} {
					if !strings.Contains(errText, want) {
						t.Errorf("stderr %q lacks %q", errText, want)
					}
				}
			})
		}
	}
}

// TestEarlySIGTERM: a SIGTERM while moonpin is still opening the board
// (here a board file that is a FIFO nobody writes yet) is an orderly stop,
// not death by the signal.
func TestEarlySIGTERM(t *testing.T) {
	quickExit(t)
	for _, args := range [][]string{{"-e", "print('ran')"}, {"--pty"}} {
		t.Run(args[0], func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "board.json")
			if err := unix.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			cmd := exec.Command(moonpinBin, append([]string{"--board", fifo}, args...)...)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { killIfRunning(cmd) })
			// Opening the FIFO for writing returns once moonpin has it
			// open for reading: it is reading the board file.
			opened := make(chan *os.File, 1)
			go func() {
				f, _ := os.OpenFile(fifo, os.O_WRONLY, 0)
				opened <- f
			}()
			var w *os.File
			select {
			case w = <-opened:
			case <-time.After(waitLimit):
				cmd.Process.Kill()
				t.Fatal("moonpin never opened the board file")
			}
			defer w.Close()
			start := time.Now()
			cmd.Process.Signal(syscall.SIGTERM)
			if code, took := exitStatus(t, cmd, start); code != 0 || took > time.Second {
				t.Fatalf("exit status %d after %v, want 0 within 1s; output %q", code, took, out.String())
			}
			if strings.Contains(out.String(), "ran") {
				t.Fatalf("the script ran after SIGTERM: %q", out.String())
			}
		})
	}
}

// TestHangupIsNotACrash: closing the terminal or the ssh session (SIGHUP)
// stops moonpin cleanly, however often: the next start still runs main.lua.
func TestHangupIsNotACrash(t *testing.T) {
	root := writeRoot(t, map[string]string{"main.lua": outputsScript + "main_ran = true\ntimer.every(10, function() end)\n"})
	env := []string{"RUNTIME_DIRECTORY=" + t.TempDir()}
	args := []string{"--pty", "--root", root}
	for range crashLimit + 1 {
		b := launchBoard(t, root, env, args...)
		tm := b.open()
		tm.sync()
		tm.Close()
		b.once.Do(func() {})
		start := time.Now()
		b.cmd.Process.Signal(syscall.SIGHUP)
		if code, _ := exitStatus(t, b.cmd, start); code != 0 {
			t.Fatalf("exit status %d after SIGHUP; stderr %q", code, b.stderr())
		}
		if !strings.Contains(b.stderr(), "moonpin: stopping: GPIO17 set low") {
			t.Fatalf("no safe state after SIGHUP: %q", b.stderr())
		}
	}
	b := launchBoard(t, root, env, args...)
	tm := b.open()
	tm.sync()
	tm.Send("main_ran\r")
	tm.Exact("main_ran\r\ntrue\r\n> ")
}

// runScript runs `moonpin ARGS` with a deadline and returns its status and
// output.
func runScript(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, moonpinBin, append([]string{"--board", "sim"}, args...)...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("moonpin %v still running after %v; stdout %q", args, waitLimit, out.String())
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// TestOSExitEndsTheScript: os.exit ends `moonpin script.lua` with its status
// from anywhere, after the safe state, and no callback runs after it.
func TestOSExitEndsTheScript(t *testing.T) {
	const drive = `local p = gpio.pin("GPIO17", gpio.OUT) p:write(1) `
	const ticking = `timer.every(2, function() ticks = (ticks or 0) + 1 end) `
	for _, tc := range []struct {
		name, code string
		status     int
	}{
		{"main chunk", drive + `os.exit(3)`, 3},
		{"timer", drive + ticking + `timer.after(20, function() os.exit(3) end)`, 3},
		{"timer, other timers due", drive + `for i = 1, 5 do timer.every(1, function() end) end timer.after(5, function() os.exit(4) end)`, 4},
		{"pin watch", drive + ticking + `local b = gpio.pin("GPIO5", gpio.IN) b:watch(gpio.RISING, function() os.exit(5) end) timer.after(5, function() sim.set("GPIO5", 1) end)`, 5},
		{"coroutine", drive + `coroutine.wrap(function() os.exit(6) end)()`, 6},
		{"coroutine in a timer", drive + ticking + `timer.after(5, function() coroutine.wrap(function() os.exit(7) end)() end)`, 7},
		{"inside pcall in a timer", drive + ticking + `timer.after(5, function() pcall(os.exit, 8) end)`, 8},
		{"os.exit(false) in a timer", drive + ticking + `timer.after(5, function() os.exit(false) end)`, 1},
		{"os.exit() in a timer", drive + ticking + `timer.after(5, function() os.exit() end)`, 0},
		{"timer inside time.sleep", drive + `timer.after(5, function() os.exit(9) end) time.sleep(1) print("not reached")`, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out, errOut := runScript(t, "-e", tc.code)
			if status != tc.status {
				t.Errorf("exit status %d, want %d; stderr %q", status, tc.status, errOut)
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
			if !strings.Contains(errOut, "moonpin: stopping: GPIO17 set low") {
				t.Errorf("stderr %q: outputs not made safe", errOut)
			}
		})
	}
}

// TestResetLoopEnds: board.reset() at the top of a script, or in a timer,
// restarts it a few times, then moonpin stops the loop, says why and exits 1.
func TestResetLoopEnds(t *testing.T) {
	for name, code := range map[string]string{
		"main chunk": `board.reset()`,
		"timer":      `timer.after(0, function() board.reset() end)`,
	} {
		t.Run(name, func(t *testing.T) {
			status, _, errOut := runScript(t, "-e", code)
			if status != 1 || !strings.Contains(errOut, "board.reset() 5 times within 2s: a reset loop, stopped") {
				t.Fatalf("exit status %d, stderr %q", status, errOut)
			}
		})
	}
	// Resets further apart are not a loop.
	dir := t.TempDir()
	script := filepath.Join(dir, "s.lua")
	os.WriteFile(script, []byte(`local ok, n = pcall(fs.read, "n") n = (ok and tonumber(n) or 0) + 1 fs.write("n", tostring(n)) `+
		`if n <= 5 then timer.after(550, function() board.reset() end) end`), 0o644)
	if status, _, errOut := runScript(t, "--root", dir, script); status != 0 {
		t.Fatalf("resets 550ms apart: exit status %d, stderr %q", status, errOut)
	}
	if n, _ := os.ReadFile(filepath.Join(dir, "n")); string(n) != "6" {
		t.Fatalf("the script ran %s times, want 6", n)
	}
}

// TestResetLoopOnREPL: main.lua that resets itself runs a few times, then
// the REPL comes up and its banner says why main.lua stopped, as for a crash
// loop; Ctrl-D tries main.lua again, and SIGTERM stops moonpin at any time.
func TestResetLoopOnREPL(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "runs = (runs or 0) + 1\nboard.reset()\n"})
	tm := b.open()
	tm.Send("\x02")
	tm.Expect("safe mode (" + interp.ResetLoopNote + "): boot.lua and main.lua were skipped")
	tm.Expect("\r\n> ")
	tm.sync()
	tm.Send("\x04")
	tm.Expect("main.lua:2: board.reset() 5 times within 2s")
	tm.sync()
}

// TestSIGTERMStopsResetLoop: moonpin resetting as fast as it can still
// stops on SIGTERM, in script mode and on the REPL; the loop guard is kept
// from ending it first by resets just far enough apart.
func TestSIGTERMStopsResetLoop(t *testing.T) {
	quickExit(t)
	const slowLoop = `local t = time.ticks_ms() while time.ticks_diff(time.ticks_ms(), t) < 450 do end board.reset()`
	for _, mode := range []string{"script", "pty"} {
		t.Run(mode, func(t *testing.T) {
			root := writeRoot(t, map[string]string{"main.lua": "print('main')\n" + slowLoop + "\n"})
			args := []string{"--root", root}
			if mode == "pty" {
				args = append(args, "--pty")
			}
			cmd := exec.Command(moonpinBin, args...)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { killIfRunning(cmd) })
			r := bufio.NewReader(stdout)
			if _, err := r.ReadString('\n'); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			cmd.Process.Signal(syscall.SIGTERM)
			if code, took := exitStatus(t, cmd, start); code != 0 || took > time.Second {
				t.Fatalf("exit status %d after %v", code, took)
			}
		})
	}
}

// TestOSExitOnTerminalREPL: os.exit typed at the terminal REPL, or called by
// a timer, ends moonpin with its status.
func TestOSExitOnTerminalREPL(t *testing.T) {
	for name, line := range map[string]string{
		"typed": "os.exit(3)",
		"timer": "timer.after(5, function() os.exit(3) end)",
	} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(moonpinBin, "--root", t.TempDir())
			master, err := pty.Start(cmd)
			if err != nil {
				t.Skipf("no pty: %v", err)
			}
			t.Cleanup(func() { killIfRunning(cmd) })
			tm := masterTerm(t, master)
			tm.Expect("\r\n> ")
			tm.Send(line + "\r")
			if code, _ := exitStatus(t, cmd, time.Now()); code != 3 {
				t.Fatalf("exit status %d, want 3", code)
			}
			tm.Close()
		})
	}
}

// TestSafeStateFencesPins: the safe state set from another goroutine while
// Lua still changes a pin wins: no change reaches the line after it.
func TestSafeStateFencesPins(t *testing.T) {
	b := sim.New()
	defer b.Close()
	st, _ := parseSafeState("low")
	var log strings.Builder
	g := newOutputGuard(b, st, &log)
	g.tracker = &trackingBoard{Board: b, open: map[*trackedPin]struct{}{}}
	g.board = g.tracker
	p, err := g.board.Pin("GPIO17")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	started := make(chan struct{})
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			if i == 10 {
				close(started)
			}
			if err := p.Out(gpio.High); err != nil {
				if !errors.Is(err, errStopping) {
					t.Errorf("Out after the safe state: %v", err)
				}
				return
			}
		}
	}()
	<-started
	g.apply()
	g.apply()
	wg.Wait()
	h := b.History("GPIO17")
	if last := h[len(h)-1].Level; last != gpio.Low {
		t.Fatalf("GPIO17 last written %v, want low", last)
	}
	if n := strings.Count(log.String(), "GPIO17 set low"); n != 1 {
		t.Fatalf("set low %d times: %q", n, log.String())
	}
}

// TestStopWhileStdoutIsFull: a script whose stdout is a pipe nobody reads
// (moonpin x.lua | less, less stopped) blocked in write(2), which no
// interrupt reached: SIGINT waited the 500 ms for Lua and then forced the
// exit, and what a file held in its buffer was lost. Now the write gives up
// at the stop, the script ends as an interrupt ends it, and its files are
// closed (flushed) as at any end.
func TestStopWhileStdoutIsFull(t *testing.T) {
	quickExit(t)
	for _, kind := range []string{"pipe", "terminal"} {
		t.Run(kind, func(t *testing.T) { stopWhileStdoutIsFull(t, kind) })
	}
}

// stopWhileStdoutIsFull: the script's stdout is a pipe or a terminal that
// is never read.
func stopWhileStdoutIsFull(t *testing.T, kind string) {
	root := t.TempDir()
	cmd := exec.Command(moonpinBin, "--board", "sim", "--root", root, "-e", `
		local f = assert(io.open("log.txt", "w"))
		f:write("record 1\n")
		io.stderr:write("writing\n")
		while true do print(("x"):rep(1e5)) end`)
	switch kind {
	case "pipe":
		stdout, err := cmd.StdoutPipe() // never read
		if err != nil {
			t.Fatal(err)
		}
		defer stdout.Close()
	case "terminal":
		master, slave, err := pty.Open() // the master never read
		if err != nil {
			t.Skipf("no pty: %v", err)
		}
		defer master.Close()
		defer slave.Close()
		cmd.Stdout = slave
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killIfRunning(cmd) })
	errs := bufio.NewReader(stderr)
	if s, err := errs.ReadString('\n'); s != "writing\n" {
		t.Fatalf("stderr %q, %v", s, err)
	}
	// The pipe (64 KB) fills at the first print, the terminal within a
	// few; the rest waits.
	start := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(errs)
		rest <- string(b)
	}()
	code, took := exitStatus(t, cmd, start)
	errText := <-rest
	t.Logf("SIGINT to exit with stdout full: %v; stderr %q", took, errText)
	if code != 1 || strings.Contains(errText, "did not stop") || !strings.Contains(errText, "interrupted") {
		t.Fatalf("exit status %d, stderr %q; want 1 and an interrupt, not a forced exit", code, errText)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "log.txt")); string(got) != "record 1\n" {
		t.Fatalf("log.txt holds %q; want the buffered record", got)
	}
}

// TestForcedStopFlushesFiles: a stop forced while Lua is stuck in a builtin
// (the deadline passed, or a second signal) still writes out what the
// script's open files hold in their buffers: a log the script had written
// to lost its last lines before. A file in use when the stop is forced is
// left as it is (its buffer may be half changed).
func TestForcedStopFlushesFiles(t *testing.T) {
	quickExit(t)
	for _, second := range []bool{false, true} {
		t.Run(fmt.Sprintf("second signal %v", second), func(t *testing.T) {
			root := t.TempDir()
			script := `local f = io.open("log.txt", "w") f:write("first line\n", ("x"):rep(100), "\n")
				local g = io.open("sub.txt", "w") g:write("kept") g:setvbuf("line")
				stuck()`
			cmd, stderr := startStuckScript(t, root, script)
			start := time.Now()
			cmd.Process.Signal(syscall.SIGTERM)
			if second {
				// another signal: a second SIGTERM could merge with the
				// first while pending
				cmd.Process.Signal(syscall.SIGHUP)
			}
			exitStatus(t, cmd, start)
			for name, want := range map[string]string{"log.txt": "first line\n" + strings.Repeat("x", 100) + "\n", "sub.txt": "kept"} {
				got, err := os.ReadFile(filepath.Join(root, name))
				if err != nil || string(got) != want {
					t.Errorf("%s holds %q (%v), want %q; stderr %q", name, got, err, want, stderr())
				}
			}
		})
	}
}

// TestForcedStopKillsCommands: a forced stop (Lua stuck in a builtin past
// the deadline) kills the commands still running (--allow-exec) and what a
// command left running in the background, as Close does in an orderly
// stop: both outlived moonpin, a gpioset among them holding its pin.
func TestForcedStopKillsCommands(t *testing.T) {
	quickExit(t)
	root := t.TempDir()
	script := `assert(os.execute("sleep 60 & echo $! > left.txt") == 0)
		local p = io.popen("echo $$; exec sleep 60") local f = io.open("running.txt", "w") f:write(p:read()) f:close()
		stuck()`
	cmd, stderr := startStuckScript(t, root, script, "--allow-exec")
	var pids []int
	for _, name := range []string{"left.txt", "running.txt"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || syscall.Kill(pid, 0) != nil {
			t.Fatalf("%s: %q: no running command", name, data)
		}
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
		pids = append(pids, pid)
	}
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	exitStatus(t, cmd, start)
	proctest.WaitGone(t, "after the forced stop (stderr "+stderr()+")", pids, waitLimit)
}
