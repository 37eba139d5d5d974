package main

// Tests for running on a device: safe mode, the crash-loop guard, the
// watchdog, outputs on SIGTERM, bad input and `moonpin install`.

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"golang.org/x/term"
	"periph.io/x/conn/v3/gpio"
)

// kill ends the process as a crash would: no clean-up runs.
func (b *board) kill() {
	b.once.Do(func() {
		b.cmd.Process.Kill()
		b.cmd.Wait()
	})
}

// stderr is what moonpin wrote to stderr; call it once the process is gone.
func (b *board) stderr() string { return b.out.String() }

func writeRoot(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestBootCounter(t *testing.T) {
	now := 10 * time.Minute
	c := &bootCounter{path: filepath.Join(t.TempDir(), "boots"), bootID: "boot-1", since: func() time.Duration { return now }}
	begin := func(want bool) {
		t.Helper()
		got, err := c.begin()
		if err != nil || got != want {
			t.Fatalf("at %v: begin() = %v, %v; want %v", now, got, err, want)
		}
	}
	// Three starts that died within a minute make the fourth safe, and the
	// one after that tries again.
	for range crashLimit {
		begin(false)
		now += 10 * time.Second
	}
	begin(true)
	begin(false)

	// A clean stop in between: not in a row.
	if err := c.clear(); err != nil {
		t.Fatal(err)
	}
	begin(false)
	begin(false)
	if err := c.clear(); err != nil {
		t.Fatal(err)
	}
	begin(false)
	begin(false)
	begin(false)
	begin(true)

	// Slower than one a minute is no loop.
	for range 2 * crashLimit {
		now += 25 * time.Second
		begin(false)
	}

	// Starts from an earlier OS boot do not count.
	now += 2 * crashWindow
	begin(false)
	begin(false)
	c.bootID = "boot-2"
	begin(false)

	// A record cut short by a power cut is no record.
	if err := os.WriteFile(c.path, []byte(`{"boot_id": "boot-2", "sta`), 0o644); err != nil {
		t.Fatal(err)
	}
	begin(false)
}

// TestCrashLoopSkipsMain kills moonpin, as a Go panic or the OOM killer
// would, three times while main.lua's timer runs; the fourth start is safe
// and says why on the REPL, and a clean stop clears the record.
func TestCrashLoopSkipsMain(t *testing.T) {
	root := writeRoot(t, map[string]string{"main.lua": "main_ran = true\ntimer.every(10, function() end)\n"})
	env := []string{"RUNTIME_DIRECTORY=" + t.TempDir()}
	args := []string{"--pty", "--root", root}
	for range crashLimit {
		// The start is on record before the pty path is printed.
		launchBoard(t, root, env, args...).kill()
	}
	b := launchBoard(t, root, env, args...)
	tm := b.open()
	got := tm.Expect("Ctrl-A raw REPL.\r\n> ")
	if !strings.Contains(got, "safe mode (boot.lua or main.lua crashed moonpin 3 times in a row within a minute): boot.lua and main.lua were skipped") {
		t.Fatalf("banner %q", got)
	}
	tm.Send("main_ran\r")
	tm.Exact("main_ran\r\nnil\r\n> ")
	tm.Close()
	b.stop()

	b = launchBoard(t, root, env, args...)
	tm = b.open()
	tm.sync()
	tm.Send("main_ran\r")
	tm.Exact("main_ran\r\ntrue\r\n> ")
}

func TestSafePinOnSimBoard(t *testing.T) {
	noWait := func(time.Duration) {}
	b := sim.New()
	defer b.Close()
	if held, err := safePinHeld(b, "GPIO26", noWait); err != nil || held {
		t.Fatalf("floating pin with pull-up: held=%v, %v", held, err)
	}
	if err := b.SetInput("GPIO26", gpio.Low); err != nil {
		t.Fatal(err)
	}
	if held, err := safePinHeld(b, "26", noWait); err != nil || !held {
		t.Fatalf("pin held low: held=%v, %v", held, err)
	}
	// Released after reading: a script may use the pin.
	p, err := b.Pin("GPIO26")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Out(gpio.High); err != nil {
		t.Fatalf("pin not released: %v", err)
	}
	p.Close()
	var nf *hal.NotFoundError
	if _, err := safePinHeld(b, "GPIO99", noWait); !errors.As(err, &nf) {
		t.Fatalf("unknown pin: %v", err)
	}

	root := t.TempDir()
	t.Setenv("RUNTIME_DIRECTORY", t.TempDir())
	plan := planBoot(&config{safePin: "GPIO26"}, b, root)
	if plan.safeReason != "GPIO26 held low at start" || plan.counter != nil {
		t.Fatalf("plan with the pin held: %+v", plan)
	}
	b.Release("GPIO26")
	plan = planBoot(&config{safePin: "GPIO26"}, b, root)
	if plan.safeReason != "" || plan.counter == nil {
		t.Fatalf("plan with the pin released: %+v", plan)
	}
	plan.stopCleanly()
	plan = planBoot(&config{safePin: "GPIO99"}, b, root)
	if plan.safeReason != "" || len(plan.notices) != 1 || !strings.Contains(plan.notices[0], "--safe-pin GPIO99: no pin GPIO99 on sim; pins here: GPIO0..GPIO27; booting normally") {
		t.Fatalf("plan with an unknown pin: %+v", plan)
	}
	plan.stopCleanly()
}

// TestSafePinNotHeldBootsMain: on the simulated board nothing holds the pin
// low, so main.lua runs; a pin the board lacks is reported on the REPL.
func TestSafePinNotHeldBootsMain(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": "main_ran = true\n"}, "--safe-pin", "GPIO26")
	tm := b.open()
	tm.sync()
	tm.Send("main_ran\r")
	tm.Exact("main_ran\r\ntrue\r\n> ")

	b = startBoard(t, map[string]string{"main.lua": "main_ran = true\n"}, "--safe-pin", "GPIO99")
	tm = b.open()
	if got := tm.Expect("Ctrl-A raw REPL.\r\n> "); !strings.Contains(got, "--safe-pin GPIO99: no pin GPIO99 on sim") {
		t.Fatalf("banner %q", got)
	}
	tm.Send("main_ran\r")
	tm.Exact("main_ran\r\ntrue\r\n> ")
}

func TestWatchdogOnREPL(t *testing.T) {
	b := startBoard(t, nil, "--watchdog", "0.5")
	tm := b.open()
	tm.sync()
	tm.Send("n = 0\r")
	tm.Expect("> ")
	tm.Send("while true do n = n + 1 end\r")
	got := tm.Expect("Ctrl-C interrupts it.\r\n")
	if !regexp.MustCompile(`watchdog: the event loop has been blocked for more than 500ms, at stdin:1; timers and callbacks wait`).MatchString(got) {
		t.Fatalf("report %q", got)
	}
	tm.Send("\x03")
	if got := tm.Expect("\r\n> "); !strings.Contains(got, "interrupted") {
		t.Fatalf("after Ctrl-C %q", got)
	}
	tm.sync()
}

const outputsScript = `
for _, name in ipairs({"GPIO17", "GPIO18", "GPIO22", "GPIO23", "GPIO24"}) do
  gpio.pin(name, gpio.OUT):write(1)
end
local closed = gpio.pin("GPIO25", gpio.OUT)
closed:write(1)
closed:close()
button = gpio.pin("GPIO5", gpio.IN, gpio.PULL_UP)
`

// TestSIGTERMLeavesOutputsSafe: the service stops; every output the script
// drives takes its safe state, and moonpin exits 0.
func TestSIGTERMLeavesOutputsSafe(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": outputsScript},
		"--safe-state", "low,GPIO18=high,GPIO22=input,GPIO23=keep,GPIO99=low")
	tm := b.open()
	if got := tm.Expect("Ctrl-A raw REPL.\r\n> "); !strings.Contains(got, "--safe-state GPIO99: no pin GPIO99 on sim") {
		t.Fatalf("banner %q", got)
	}
	tm.Close()
	b.stop() // fails the test unless the exit status is 0
	want := "moonpin: stopping: GPIO17 set low\n" +
		"moonpin: stopping: GPIO18 set high\n" +
		"moonpin: stopping: GPIO22 set input\n" +
		"moonpin: stopping: GPIO23 left as it is (high)\n" +
		"moonpin: stopping: GPIO24 set low\n"
	if got := b.stderr(); !strings.Contains(got, want) || strings.Contains(got, "GPIO25") || strings.Contains(got, "GPIO5 ") {
		t.Fatalf("stderr %q, want it to hold\n%s", got, want)
	}
}

// TestOutputGuardOnBoard checks the levels themselves, on the simulated
// board and through the tracking wrapper other boards get.
func TestOutputGuardOnBoard(t *testing.T) {
	forGuardedBoards(t, "low,GPIO18=high,GPIO22=input,GPIO23=keep", func(t *testing.T, b *sim.Board, g *outputGuard, log *strings.Builder) {
		rt, err := interp.New(interp.Options{Root: t.TempDir(), Out: log, Board: g.board, BeforeClose: g.apply})
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.Exec("main.lua", outputsScript); err != nil {
			t.Fatal(err)
		}
		if err := rt.Close(); err != nil {
			t.Fatal(err)
		}
		last := func(pin string) string {
			h := b.History(pin)
			if len(h) == 0 {
				return "never an output"
			}
			return levelName(h[len(h)-1].Level)
		}
		for pin, want := range map[string]string{
			"GPIO17": "low", "GPIO18": "high", "GPIO23": "high", "GPIO24": "low",
			"GPIO25": "high", // closed by the script: no longer moonpin's to set
			"GPIO5":  "never an output",
		} {
			if got := last(pin); got != want {
				t.Errorf("%s last written %s, want %s; log %q", pin, got, want, log.String())
			}
		}
		if !strings.Contains(log.String(), "GPIO22 set input") {
			t.Errorf("GPIO22 not made an input: %q", log.String())
		}
	})
}

// TestSoftResetLeavesOutputsSafe: a soft reset (Ctrl-D, board.reset(),
// a mount gone silent) sets the outputs the script drove to their safe
// state before it lets go of them, as stopping does, and the next script
// can drive them again. On a Pi a released line keeps driving what it last
// drove: only the simulated board makes it an input when let go.
func TestSoftResetLeavesOutputsSafe(t *testing.T) {
	forGuardedBoards(t, "low,GPIO18=high,GPIO23=keep", func(t *testing.T, b *sim.Board, g *outputGuard, log *strings.Builder) {
		rt, err := interp.New(interp.Options{Root: t.TempDir(), Out: io.Discard, Board: g.board,
			BeforeClose: g.apply, BeforeReset: g.atReset})
		if err != nil {
			t.Fatal(err)
		}
		defer rt.Close()
		if err := rt.Exec("main.lua", outputsScript); err != nil {
			t.Fatal(err)
		}
		if err := rt.Reset(); err != nil {
			t.Fatal(err)
		}
		last := func(pin string) string {
			h := b.History(pin)
			return levelName(h[len(h)-1].Level)
		}
		for pin, want := range map[string]string{"GPIO17": "low", "GPIO18": "high", "GPIO23": "high", "GPIO24": "low"} {
			if got := last(pin); got != want {
				t.Errorf("%s last written %s after the reset, want %s; log %q", pin, got, want, log.String())
			}
		}
		if want := "moonpin: soft reset: GPIO17 set low\n"; !strings.Contains(log.String(), want) {
			t.Errorf("log %q lacks %q", log.String(), want)
		}
		// Not fenced: the next script drives them, and a second reset
		// sets them safe again.
		if err := rt.Exec("again.lua", `gpio.pin("GPIO17", gpio.OUT):write(1)`); err != nil {
			t.Fatal(err)
		}
		if got := last("GPIO17"); got != "high" {
			t.Fatalf("GPIO17 after the reset, driven high: last written %s", got)
		}
		if err := rt.Reset(); err != nil {
			t.Fatal(err)
		}
		if got := last("GPIO17"); got != "low" {
			t.Fatalf("GPIO17 after the second reset: last written %s, want low", got)
		}
	})
}

// forGuardedBoards runs f on a simulated board with an output guard for
// the --safe-state spec, as the board itself and through the tracking
// wrapper that other boards get.
func forGuardedBoards(t *testing.T, spec string, f func(t *testing.T, b *sim.Board, g *outputGuard, log *strings.Builder)) {
	for _, tracked := range []bool{false, true} {
		name := map[bool]string{false: "sim", true: "tracking"}[tracked]
		t.Run(name, func(t *testing.T) {
			b := sim.New()
			defer b.Close()
			st, err := parseSafeState(spec)
			if err != nil {
				t.Fatal(err)
			}
			var log strings.Builder
			g := newOutputGuard(b, st, &log)
			if tracked {
				g.tracker = &trackingBoard{Board: b, open: map[*trackedPin]struct{}{}}
				g.board = g.tracker
			}
			f(t, b, g, &log)
		})
	}
}

func TestParseSafeState(t *testing.T) {
	st, err := parseSafeState("input, GPIO4=HIGH ,17=keep")
	if err != nil {
		t.Fatal(err)
	}
	b := sim.New()
	defer b.Close()
	if notices := st.resolve(b); len(notices) != 0 {
		t.Fatal(notices)
	}
	for pin, want := range map[string]safeAction{"GPIO4": safeHigh, "GPIO17": safeKeep, "GPIO3": safeInput} {
		if got := st.actionFor(pin); got != want {
			t.Errorf("%s: %s, want %s", pin, got, want)
		}
	}
	if _, err := parseSafeState("low,GPIO4=off"); err == nil || !strings.Contains(err.Error(), `"off" should be low, high, input or keep`) {
		t.Fatalf("bad action: %v", err)
	}
}

func TestWatchdogFlag(t *testing.T) {
	for in, want := range map[string]time.Duration{"5": 5 * time.Second, "0.25": 250 * time.Millisecond, "500ms": 500 * time.Millisecond, "0": 0} {
		var d time.Duration
		if err := (secondsFlag{&d}).Set(in); err != nil || d != want {
			t.Errorf("%q: %v, %v; want %v", in, d, err, want)
		}
	}
	for _, bad := range []string{"-1", "soon"} {
		var d time.Duration
		if err := (secondsFlag{&d}).Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestBadRootStillServesREPL: a root that is a file gets a temporary one,
// a missing one is created; either way the REPL comes up and says so.
func TestBadRootStillServesREPL(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	os.WriteFile(file, []byte("x"), 0o644)
	b := launchBoard(t, file, nil, "--pty", "--root", file)
	tm := b.open()
	got := tm.Expect("Ctrl-A raw REPL.\r\n> ")
	if !strings.Contains(got, "script root "+file+": not a directory; using an empty temporary root") {
		t.Fatalf("banner %q", got)
	}
	tm.Send("fs.write('x.txt', 'ok') print(fs.read('x.txt'))\r")
	tm.Expect("ok\r\n> ")
	tm.Close()
	b.stop()
	if !strings.Contains(b.stderr(), "not a directory; using an empty temporary root") {
		t.Fatalf("stderr %q", b.stderr())
	}
	tmp := regexp.MustCompile(`temporary root, (\S+),`).FindStringSubmatch(b.stderr())
	if tmp == nil {
		t.Fatalf("no temporary root named: %q", b.stderr())
	}
	if _, err := os.Stat(tmp[1]); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("temporary root %s left behind: %v", tmp[1], err)
	}

	missing := filepath.Join(t.TempDir(), "new", "root")
	b = launchBoard(t, missing, nil, "--pty", "--root", missing)
	tm = b.open()
	if got := tm.Expect("Ctrl-A raw REPL.\r\n> "); !strings.Contains(got, "script root "+missing+" did not exist; created it empty") {
		t.Fatalf("banner %q", got)
	}
	if fi, err := os.Stat(missing); err != nil || !fi.IsDir() {
		t.Fatalf("root not created: %v", err)
	}
}

// TestBadBoardFileStillServesREPL: a board file with unknown pins (a bad
// range) is reported, and the REPL comes up on the default simulated board.
func TestBadBoardFileStillServesREPL(t *testing.T) {
	boardFile := filepath.Join(t.TempDir(), "board.json")
	os.WriteFile(boardFile, []byte(`{"name": "mine", "pins": ["GPIO0..PIN9"]}`), 0o644)
	b := startBoard(t, nil, "--board", boardFile)
	tm := b.open()
	got := tm.Expect("Ctrl-A raw REPL.\r\n> ")
	if !strings.Contains(got, `range "GPIO0..PIN9" should look like GPIO0..GPIO27; using the simulated board`) {
		t.Fatalf("banner %q", got)
	}
	tm.Send("board.name\r")
	tm.Exact("board.name\r\nsim\r\n> ")
}

// TestPortAppearsLater: the serial port does not exist when moonpin starts
// (the USB gadget is not up yet); moonpin says it waits, and serves the
// REPL once the port is there.
func TestPortAppearsLater(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "ttyGS0")
	cmd := exec.Command(moonpinBin, "--port", dev, "--root", t.TempDir())
	stderr := newOutput(t)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killIfRunning(cmd) })
	stderr.Expect("waiting for " + dev + ":")
	if !strings.Contains(stderr.String(), "it appears once the USB gadget is up") {
		t.Fatalf("no hint about the gadget: %q", stderr.String())
	}
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer slave.Close()
	if _, err := term.MakeRaw(int(slave.Fd())); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(slave.Name(), dev); err != nil {
		t.Fatal(err)
	}
	stderr.Expect(dev + " is here; serving the REPL on it")
	tm := masterTerm(t, master)
	tm.Send("\r")
	tm.sync()
	tm.Close()
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v; stderr %q", err, stderr.String())
	}
}

func TestVersionSaysGoAndTarget(t *testing.T) {
	pkgDir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := runMoonpin(t, t.TempDir(), "--version")
	lines := strings.Split(out, "\n")
	if code != 0 || lines[0] != "moonpin "+version || !strings.HasPrefix(lines[1], runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) {
		t.Fatalf("--version: %d %q", code, out)
	}
	if !strings.Contains(out, "gopher-lua v1.1.2 (patched copy in ./third_party/gopher-lua)") {
		t.Fatalf("--version lacks the Lua VM: %q", out)
	}
	// The binary built with a version stamped in shows it, here and in the banner.
	bin := filepath.Join(t.TempDir(), "moonpin")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v1.2.3-test", "-o", bin, ".")
	build.Dir = pkgDir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	got, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(got), "moonpin v1.2.3-test\n") {
		t.Fatalf("stamped --version: %q, %v", got, err)
	}
	root := t.TempDir()
	b := launchBinary(t, bin, root, nil, "--pty", "--root", root)
	tm := b.open()
	tm.Expect("moonpin v1.2.3-test (" + runtime.Version() + ") on sim (Lua 5.1, gopher-lua)\r\n")
}

func TestInstall(t *testing.T) {
	prefix := t.TempDir()
	out, errOut, code := runMoonpin(t, t.TempDir(), "install", "--prefix", prefix, "--dry-run", "--user", "root")
	if code != 0 || !strings.Contains(out, "write "+prefix+"/etc/systemd/system/moonpin.service") || !strings.Contains(out, "\nExecStart=/usr/local/bin/moonpin --port /dev/ttyGS0") {
		t.Fatalf("dry run: %d %q %q", code, out, errOut)
	}
	if entries, _ := os.ReadDir(prefix); len(entries) != 0 {
		t.Fatalf("dry run wrote %v", entries)
	}

	out, errOut, code = runMoonpin(t, t.TempDir(), "install", "--prefix", prefix, "--user", "root", "--port", "/dev/ttyAMA0", "--root", "/home/lua")
	if code != 0 {
		t.Fatalf("install: %d %q %q", code, out, errOut)
	}
	unit, err := os.ReadFile(filepath.Join(prefix, "etc/systemd/system/moonpin.service"))
	if err != nil || !strings.Contains(string(unit), "\nExecStart=/usr/local/bin/moonpin --port /dev/ttyAMA0 --baud 115200 --root /home/lua $MOONPIN_OPTS\n") {
		t.Fatalf("unit %q, %v", unit, err)
	}
	if fi, err := os.Stat(filepath.Join(prefix, "usr/local/bin/moonpin")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("binary: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(prefix, "home/lua")); err != nil || !fi.IsDir() {
		t.Fatalf("root: %v", err)
	}
	opts := filepath.Join(prefix, "etc/default/moonpin")
	if err := os.WriteFile(opts, []byte(`MOONPIN_OPTS="--safe-pin GPIO26"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runMoonpin(t, t.TempDir(), "install", "--prefix", prefix, "--user", "root", "--port", "/dev/ttyAMA0", "--root", "/home/lua")
	if code != 0 || !strings.Contains(out, "kept "+opts) || !strings.Contains(out, "unchanged "+filepath.Join(prefix, "etc/systemd/system/moonpin.service")) {
		t.Fatalf("second install: %d %q", code, out)
	}
	if kept, _ := os.ReadFile(opts); !strings.Contains(string(kept), "GPIO26") {
		t.Fatalf("options overwritten: %q", kept)
	}
	if _, errOut, code := runMoonpin(t, t.TempDir(), "install", "--prefix", prefix, "--user", "no-such-user-here"); code != 1 || !strings.Contains(errOut, "--user no-such-user-here") {
		t.Fatalf("unknown user: %d %q", code, errOut)
	}
}
