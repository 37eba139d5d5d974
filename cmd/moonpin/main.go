// Command moonpin runs Lua scripts on a board: boot.lua then main.lua from the
// script root, or a script named on the command line, or a chunk given with -e,
// and then serves the REPL: on a serial port (--port), on a pty (--pty), or on
// the terminal when there is no script and stdin is one; also on a Unix
// socket (--socket), which `moonpin attach` bridges to stdin and stdout
// (so ssh reaches the REPL), one client at a time across all of them.
// Serving one of those, it announces the board on the LAN by mDNS
// (--mdns=false: not), so that moonctl ports lists it by its ssh:// address.
//
// On a device it runs as a systemd service (`moonpin install` writes one):
// safe mode (--safe, --safe-pin, a crash-loop guard) keeps a bad
// main.lua from locking the user out, --watchdog reports a script that
// starves the event loop, and SIGTERM leaves outputs in a safe state
// (--safe-state).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/periph"
	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	board     string
	root      string
	memMB     int64
	allowExec bool
	allowRead pathsFlag
	allowWrt  pathsFlag
	chunk     string
	hasChunk  bool // -e given, even with an empty chunk
	safe      bool
	script    string
	pty       bool
	port      string
	socket    string
	baud      int
	safePin   string
	safeState safeState
	watchdog  time.Duration
	// scriptArgs follow the script on the command line; beforeScript is
	// the command and the flags before it (Lua's arg[-n]).
	scriptArgs, beforeScript []string
	// socketDefault: socket is $RUNTIME_DIRECTORY's, not asked for; a
	// failure to serve it is reported, not fatal.
	socketDefault bool
	// mdns: announce the board on the LAN while serving a transport.
	mdns      bool
	mdnsIface string
	sshPort   int
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("moonpin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: moonpin [flags] [script.lua [args...]]")
		fmt.Fprintln(stderr, "       moonpin attach [SOCKET]    the REPL of a moonpin serving --socket, on stdin and stdout")
		fmt.Fprintln(stderr, "       moonpin install [flags]    set moonpin up as a service (moonpin install -h)")
		fmt.Fprintln(stderr, "Runs script.lua, or boot.lua then main.lua from --root.")
		fs.PrintDefaults()
	}
	c := &config{}
	fs.StringVar(&c.board, "board", "auto", "auto (real pins where /dev/gpiochip* exists, else simulated), sim, or a board FILE.json")
	fs.StringVar(&c.root, "root", ".", "script root: boot.lua, main.lua, require and fs live here")
	fs.Int64Var(&c.memMB, "mem-limit", defaultMemMB(), "memory limit in MB; a script that outgrows it gets a Lua error (0: none)")
	fs.BoolVar(&c.allowExec, "allow-exec", false, "allow io.popen and os.execute")
	fs.Var(&c.allowRead, "allow-read", "let Lua read PATH and everything under it, beyond the script root (repeatable; e.g. /sys/class/thermal)")
	fs.Var(&c.allowWrt, "allow-write", "let Lua write (and read) PATH and everything under it, beyond the script root (repeatable)")
	fs.StringVar(&c.chunk, "e", "", "run this Lua chunk instead of boot.lua and main.lua")
	fs.BoolVar(&c.safe, "safe", false, "safe mode: skip boot.lua and main.lua")
	fs.BoolVar(&c.pty, "pty", false, "serve the REPL on a new pseudo-terminal and print its path on stdout")
	fs.StringVar(&c.port, "port", "", "serve the REPL on this serial port (e.g. /dev/ttyGS0), reopened after unplug")
	fs.IntVar(&c.baud, "baud", 115200, "baud rate for --port")
	fs.StringVar(&c.socket, "socket", "", "also serve the REPL on the Unix socket `PATH` (mode 0660), for moonpin attach and moonctl -p unix://PATH; with --port or --pty it defaults to $RUNTIME_DIRECTORY/repl.sock where that is set (off: none)")
	fs.BoolVar(&c.mdns, "mdns", true, "while serving --port, --pty or --socket, announce the board on the LAN by mDNS/DNS-SD (_moonpin._tcp: host name, --ssh-port, version, board name), for moonctl ports")
	fs.StringVar(&c.mdnsIface, "mdns-iface", "", "announce on these interfaces only (comma-separated, e.g. wlan0; default: every interface that is up with multicast)")
	fs.IntVar(&c.sshPort, "ssh-port", 22, "the board's SSH port, which the mDNS announcement gives")
	fs.StringVar(&c.safePin, "safe-pin", "", "a pin (e.g. GPIO26) that, held low at start, skips boot.lua and main.lua; read with its pull-up on")
	safeState := fs.String("safe-state", "low", "what outputs become when moonpin stops or soft-resets: low, high, input or keep, then PIN=ACTION exceptions (e.g. low,GPIO18=high)")
	fs.Var(secondsFlag{&c.watchdog}, "watchdog", "report on the REPL when the event loop is blocked longer than this many seconds (e.g. 5 or 500ms; 0: off)")
	showVersion := fs.Bool("version", false, "print the version and build and exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *showVersion {
		return nil, errVersion
	}
	fs.Visit(func(f *flag.Flag) { c.hasChunk = c.hasChunk || f.Name == "e" })
	if fs.NArg() > 0 {
		// As lua5.1: what follows the script is its arguments (arg[1], ...),
		// what precedes it goes to arg[-1], arg[-2], ... after the command.
		c.script, c.scriptArgs = fs.Arg(0), fs.Args()[1:]
		c.beforeScript = append([]string{"moonpin"}, args[:len(args)-fs.NArg()]...)
	}
	if c.pty && c.port != "" {
		return nil, errors.New("moonpin: --pty and --port: choose one REPL transport")
	}
	socketSet := false
	fs.Visit(func(f *flag.Flag) { socketSet = socketSet || f.Name == "socket" })
	switch {
	case c.socket == "off":
		c.socket = ""
	case !socketSet && (c.pty || c.port != ""):
		c.socket = defaultSocket()
		c.socketDefault = c.socket != ""
	}
	if c.sshPort <= 0 || c.sshPort > 65535 {
		return nil, fmt.Errorf("moonpin: --ssh-port %d: want a TCP port, such as 22", c.sshPort)
	}
	if c.baud <= 0 {
		return nil, fmt.Errorf("moonpin: --baud %d: must be a positive rate such as 115200", c.baud)
	}
	if c.memMB < 0 {
		return nil, fmt.Errorf("moonpin: --mem-limit %d: must be 0 (none) or a number of MB", c.memMB)
	}
	st, err := parseSafeState(*safeState)
	if err != nil {
		return nil, fmt.Errorf("moonpin: %w", err)
	}
	c.safeState = st
	return c, nil
}

// pathsFlag collects the paths of a repeatable flag.
type pathsFlag []string

func (f *pathsFlag) String() string { return strings.Join(*f, ",") }

func (f *pathsFlag) Set(s string) error {
	if s == "" {
		return errors.New("want a path")
	}
	*f = append(*f, s)
	return nil
}

// secondsFlag is a duration given in seconds ("5", "0.5") or with a unit
// ("500ms").
type secondsFlag struct{ d *time.Duration }

func (f secondsFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return "0"
	}
	return f.d.String()
}

func (f secondsFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return errors.New("want seconds, such as 5 or 0.5, or a duration such as 500ms")
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d < 0 {
		return errors.New("must not be negative")
	}
	*f.d = d
	return nil
}

var errVersion = errors.New("version")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "install" {
		return runInstall(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "attach" {
		return runAttach(args[1:], os.Stdin, stdout, stderr)
	}
	// First, so a stop signal at any moment is an orderly stop: the Go
	// runtime's default for SIGTERM is to die with the outputs as they are.
	stopper := catchSignals(stderr)
	defer stopper.release()
	c, err := parseFlags(args, stderr)
	if errors.Is(err, errVersion) {
		fmt.Fprint(stdout, versionText())
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	limit := c.memMB << 20
	if limit > 0 {
		// The collector works harder near the limit, so the guard sees the
		// live heap soon and the process never balloons past it.
		debug.SetMemoryLimit(limit + limit/8)
		paceGC(limit)
	}
	serving := c.pty || c.port != "" || c.socket != "" || (!c.hasChunk && c.script == "" && isTerminal(os.Stdin))
	if serving {
		// What only start-up, or an earlier command, ran need not stay
		// mapped (see releaseCodePages).
		stopReleasing := releaseCodePagesEvery(releaseAfter, releaseEvery)
		defer stopReleasing()
	}
	var notices []string
	board, err := openBoard(c.board)
	if err != nil {
		if !serving {
			fmt.Fprintf(stderr, "moonpin: %v\n", err)
			return 1
		}
		// The REPL comes up regardless: it is how the user fixes things.
		notices = append(notices, fmt.Sprintf("%v; using the simulated board", err))
		board = sim.New()
	}
	defer board.Close()
	notices = append(notices, c.safeState.resolve(board)...)
	guard := newOutputGuard(board, c.safeState, stderr)
	stopper.atExit(guard.apply)
	// What Lua's files hold in their buffers goes out before the sync.
	stopper.atExit(interp.FlushFileBuffers)
	// What commands run (--allow-exec) ends with moonpin, as at Close.
	stopper.atExit(interp.KillCommands)
	opts := interp.Options{
		Root: c.root, Out: stdout, MemLimit: limit, AllowExec: c.allowExec,
		AllowRead: c.allowRead, AllowWrite: c.allowWrt,
		Board: guard.board, Watchdog: c.watchdog, BeforeClose: guard.apply, BeforeReset: guard.atReset,
		Setup: testSetup,
	}
	if serving {
		stopper.locked(func() { stopper.interrupted = 0 })
		return serveREPL(c, opts, board, notices, stopper, stdout, stderr)
	}
	for _, n := range notices {
		fmt.Fprintf(stderr, "moonpin: %s\n", n)
	}
	// Without a session io.read reads stdin and io.stderr writes to stderr,
	// as in Lua.
	// A write to either that waits (a pipe nobody reads) gives up at a stop.
	opts.Stdin = os.Stdin
	opts.Out = guardOutput(stdout, stopper.stopRequested())
	opts.Err = guardOutput(stderr, stopper.stopRequested())
	rt, err := interp.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "moonpin: %v\n", err)
		return 1
	}
	// Files the script wrote reach the disk before moonpin is gone; a
	// script that wrote none costs no sync (a syncfs flushes what every
	// program wrote to the file system: 1 ms here on an idle disk).
	syncWritten := func() {
		if fslib.Wrote() {
			syncFS(rt.Root())
		}
	}
	defer syncWritten()
	stopper.atExit(syncWritten)
	defer rt.Close()

	// A stop signal interrupts the script and every run after it, and
	// ends the wait for callbacks.
	idleStop := make(chan struct{})
	stopper.onStop(func() {
		rt.Stop()
		close(idleStop)
	})

	run := func() error { return nil }
	switch {
	case c.hasChunk:
		run = func() error { return rt.Exec("=(command line)", c.chunk) }
	case c.script != "":
		code, err := readScript(c.script, limit)
		if err != nil {
			fmt.Fprintf(stderr, "moonpin: %v\n", err)
			return 1
		}
		run = func() error {
			return rt.RunScript(filepath.ToSlash(c.script), code, c.beforeScript, c.scriptArgs)
		}
	default:
		var plan bootPlan
		stopper.locked(func() {
			plan = planBoot(c, board, rt.Root())
			stopper.cleanups = append(stopper.cleanups, func() { plan.stopCleanly() })
		})
		for _, n := range plan.notices {
			fmt.Fprintf(stderr, "moonpin: %s\n", n)
		}
		if plan.safeReason != "" {
			if !c.safe {
				fmt.Fprintf(stderr, "moonpin: safe mode (%s): boot.lua and main.lua skipped\n", plan.safeReason)
			}
			break
		}
		defer plan.stopCleanly()
		run = func() error { return rt.Boot(false) }
	}
	err = run()
	for {
		// After the script, its callbacks; os.exit or board.reset() in
		// one ends the wait.
		if err == nil {
			err = rt.WaitIdle(idleStop)
		}
		// board.reset(): soft reset, then run it again (a reset loop
		// ends in a KindResetLoop error).
		if !isKind(err, interp.KindReset) {
			break
		}
		if err = rt.Reset(); err == nil {
			err = run()
		}
	}
	if stopper.terminated() && (err == nil || isKind(err, interp.KindInterrupted)) {
		// SIGTERM is the service being stopped: an orderly end.
		return 0
	}
	if err != nil && !isExit(err) {
		fmt.Fprintln(stderr, err)
	}
	if err == nil && stopper.signal() == os.Interrupt {
		// Ctrl-C while only callbacks were awaited ends the script as
		// one that was running: interrupted.
		return 1
	}
	if err == nil && rt.CallbackFailed() {
		// A callback's error was reported on stderr; the script went on,
		// as on the board, but it did not succeed.
		return 1
	}
	return interp.ExitCode(err)
}

func isExit(err error) bool { return isKind(err, interp.KindExit) }

func isKind(err error, kind interp.Kind) bool {
	var e *interp.Error
	return errors.As(err, &e) && e.Kind == kind
}

// openBoard opens the board named by --board.
func openBoard(name string) (hal.Board, error) {
	switch {
	case name == "sim":
		return sim.New(), nil
	case name == "auto":
		if periph.Available() {
			return periph.New()
		}
		return sim.New(), nil
	case strings.HasSuffix(name, ".json"):
		return sim.Load(name)
	default:
		return nil, fmt.Errorf("--board %s: want auto, sim or a board file ending in .json", name)
	}
}

// defaultMemMB is 256 MB, or half the machine's memory where that is less.
func defaultMemMB() int64 {
	const preferred = 256
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return preferred
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			if kb, err := strconv.ParseInt(fields[1], 10, 64); err == nil {
				return min(preferred, kb/1024/2)
			}
		}
	}
	return preferred
}

// readScript reads the script named on the command line; its error reads
// "cannot run x.lua: no such file or directory".
func readScript(path string, limit int64) (string, error) {
	fail := func(err error) (string, error) {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", fmt.Errorf("cannot run %s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	// A script is text the parser holds whole, so one bigger than the
	// memory limit can never run: it is refused before it is read, where
	// it would have taken its size in memory first. A pipe
	// (moonpin <(...)) has no size: it is read up to the limit.
	tooBig := func(size int64) error {
		return fmt.Errorf("it is %s, more than the memory limit of %s; raise --mem-limit", megabytes(size), megabytes(limit))
	}
	r := io.Reader(f)
	if limit > 0 {
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > limit {
			return fail(tooBig(info.Size()))
		}
		r = io.LimitReader(f, limit+1)
	}
	code, err := io.ReadAll(r)
	if err != nil {
		return fail(err)
	}
	if limit > 0 && int64(len(code)) > limit {
		return fail(fmt.Errorf("it is more than the memory limit of %s; raise --mem-limit", megabytes(limit)))
	}
	return string(code), nil
}

// megabytes formats n bytes as MB, with a decimal below 10 MB.
func megabytes(n int64) string {
	if n < 10<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d MB", n>>20)
}
