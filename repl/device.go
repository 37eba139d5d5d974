package repl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moonpin/moonpin/interp"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
	lua "github.com/yuin/gopher-lua"
)

// Options configure a Device.
type Options struct {
	// Runtime configures the Lua runtime the device makes; its Out and
	// ReadLine are replaced by the device's output and input.
	Runtime interp.Options
	Version string // shown in the banner
	Board   string // shown in the banner
	// Safe skips boot.lua and main.lua at the first boot (a soft reset runs
	// them again).
	Safe bool
	// SafeReason says why the first boot is safe ("--safe", "GPIO26 held
	// low"); the banner shows it until a soft reset. Setting it implies Safe.
	SafeReason string
	// Notices are shown under the banner's first line at every greeting:
	// what the user should know about this start (an unusable script root).
	Notices []string
	// Startup, when set, runs at the first boot instead of boot.lua and main.lua
	// (`moonpin --pty script.lua`).
	Startup *Source
	// CtrlDExits makes Ctrl-D on an empty line end the session (Quit closes)
	// instead of soft-resetting: the terminal REPL exits like any other shell.
	CtrlDExits bool
	// MountTimeout bounds how long a read from a mount (moonctl mount)
	// waits for the computer's answer before the mount is taken for gone;
	// 0 means 10 s.
	MountTimeout time.Duration
	// FrameTimeout bounds the silence inside a file-channel frame before it
	// is abandoned as truncated; 0 means 2 s.
	FrameTimeout time.Duration
}

// Source is a named chunk of Lua.
type Source struct {
	Name string
	Code string
}

// Limits on what one connection can make the device hold.
const (
	maxQueued   = 8 << 20  // typed-ahead input
	maxChunk    = 32 << 20 // a raw REPL or paste-mode chunk
	maxLine     = 64 << 10 // a friendly REPL line
	outputLimit = 128 << 10
	stallLimit  = 5 * time.Second
	rawWindow   = 4096 // raw-paste flow-control window
	// stuckCallback is how long a callback may keep the loop busy before
	// Ctrl-C at an idle prompt interrupts it.
	stuckCallback = 50 * time.Millisecond
	// interruptWait bounds how long the REPL waits for an interrupted
	// callback to end before it shows its prompt again.
	interruptWait = time.Second
)

const ctrlA, ctrlB, ctrlC, ctrlD, ctrlE = 0x01, 0x02, 0x03, 0x04, 0x05

// Device is the device side of moonpin's serial REPL: it owns a Runtime,
// boots boot.lua and main.lua, and serves one connection at a time with the
// friendly REPL, the raw REPL and the file channel. Its methods may be called
// from any goroutine.
type Device struct {
	opts Options
	rt   *interp.Runtime
	out  *output
	in   *input

	// A command is code the REPL started (the boot, a line, a raw exec);
	// Ctrl-C from the connection interrupts it.
	executing   atomic.Bool
	interrupted atomic.Bool
	reading     atomic.Bool // Lua waits in readLine
	atFriendly  atomic.Bool // the REPL is the friendly one (see receive)
	atRaw       atomic.Bool // the raw REPL, but not raw-paste or the file channel (see receive)
	// promptLocals: names declared local by lines at the prompt, for a
	// hint when they are used later (see notePromptLocals). REPL goroutine.
	promptLocals map[string]bool
	// rest: the client has sent all of what it asked for (see AtRest):
	// from the moment a command begins, which has consumed its input,
	// through the prompt after it, until the next byte is read; and while
	// the REPL waits at a prompt with nothing typed.
	rest atomic.Bool
	// linePrompt and lineEd are the friendly REPL's prompt and line while
	// it waits for a key; lineEd is nil otherwise (see promptWriter). The
	// REPL changes the editor only once it has taken lineMu to say it has
	// stopped waiting.
	lineMu     sync.Mutex
	linePrompt string
	lineEd     *editor
	// inCommandLua: the loop runs a command's Lua (runLua), with the
	// callbacks that come while it runs (a time.sleep); not the moments of
	// a command before and after it, when a callback is between commands.
	inCommandLua atomic.Bool
	// callbackEnd is os.exit or board.reset() from a callback between
	// commands, for the REPL to act on (see callbackEnded).
	callbackEnd atomic.Pointer[interp.Error]

	// replConn is the output generation of the connection the friendly
	// REPL greeted last: its own writes (echo, prompts, results, errors)
	// go to that client only, never to one that came since and has not
	// been greeted (the last client's error before the next one's banner).
	replConn atomic.Uint64

	// attachMu makes attaching a connection (output and input together)
	// one step, which a greeting cannot land in the middle of: it would
	// greet the new client twice.
	attachMu sync.Mutex

	// mnt is the mount of the attached connection (moonctl mount), or nil.
	mnt atomic.Pointer[mount]
	// demuxer is the latest mount, ended or not: its demux goes on taking
	// the computer's replies out of its connection's input after the end,
	// so that one sent as the mount ended (the reply to a read and the
	// Unmount cross on the line) is dropped rather than typed at the REPL
	// or read as a file-channel frame.
	demuxer atomic.Pointer[mount]
	// mountReset: a mount ended without the computer asking; the REPL
	// soft-resets at its next wait for input (see callbackEnded).
	mountReset atomic.Bool
	// unmountReset: the computer unmounted and its soft reset, which
	// client.Unmount sends next, has not come yet (see resetAfterUnmount).
	unmountReset atomic.Bool

	startOnce sync.Once
	closing   atomic.Bool
	done      chan struct{}
	quit      chan struct{}
	quitOnce  sync.Once

	// Owned by the REPL goroutine.
	raw      bool
	hist     history
	put      *putState
	fileGen  uint64           // the output generation the file channel answers
	safeNote string           // why boot.lua and main.lua were skipped, until a soft reset
	exits    interp.ResetLoop // os.exit calls from callbacks (see exitLoop)

	chunks    chunkCache // owned by the loop goroutine
	inputHist history    // lines Lua read (readLine); loop goroutine
}

// New makes the runtime and the device. Call Start (or Serve, which starts
// it) to boot.
func New(opts Options) (*Device, error) {
	if opts.FrameTimeout <= 0 {
		opts.FrameTimeout = 2 * time.Second
	}
	if opts.MountTimeout <= 0 {
		opts.MountTimeout = 10 * time.Second
	}
	if opts.Board == "" {
		opts.Board = "unknown board"
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.SafeReason != "" {
		opts.Safe = true
	} else if opts.Safe {
		opts.SafeReason = "--safe"
	}
	d := &Device{
		opts: opts,
		out:  newOutput(outputLimit, stallLimit),
		in:   newInput(maxQueued),
		done: make(chan struct{}),
		quit: make(chan struct{}),
	}
	ro := opts.Runtime
	ro.Out = promptWriter{d}
	ro.ReadLine = d.readLine
	ro.CallbackEnded = func(e *interp.Error) {
		d.callbackEnd.Store(e)
		d.in.callbackEnd()
	}
	rt, err := interp.New(ro)
	if err != nil {
		return nil, err
	}
	d.rt = rt
	return d, nil
}

// Runtime returns the device's Lua runtime.
func (d *Device) Runtime() *interp.Runtime { return d.rt }

// Quit is closed when the user ends the session (Ctrl-D with CtrlDExits).
func (d *Device) Quit() <-chan struct{} { return d.quit }

// Start boots (boot.lua, main.lua) and then serves the REPL to whichever
// connection is attached. It returns at once; calling it again does nothing.
func (d *Device) Start() {
	d.startOnce.Do(func() {
		// The boot is a command from this moment: a Ctrl-C that arrives
		// before the goroutine gets going still stops main.lua.
		d.beginCommand()
		go d.run()
	})
}

// Serve attaches conn as the connection, replacing any other, starts the
// device if it has not started, and feeds it what conn reads until reading
// fails. io.EOF ends it with a nil error. Output written while no connection
// is attached is dropped; boot and main.lua run regardless.
func (d *Device) Serve(conn io.ReadWriter) error {
	if d.closing.Load() {
		return errClosed
	}
	// A mount belongs to its connection: a new one takes the session,
	// and the board's own root, back.
	if m := d.mnt.Load(); m != nil {
		d.endMount(m, mountLost)
	}
	d.attachMu.Lock()
	outGen := d.out.attach(conn)
	inGen := d.in.attach(outGen)
	d.attachMu.Unlock()
	defer func() {
		if m := d.mountOf(inGen); m != nil {
			d.endMount(m, mountLost)
		}
		d.attachMu.Lock()
		d.in.detach(inGen)
		d.out.detach(outGen)
		d.attachMu.Unlock()
	}()
	d.Start()
	buf := make([]byte, 64<<10)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			d.receive(inGen, buf[:n])
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// AtRest reports whether the attached client has nothing on its way: the
// REPL waits for a new command at a prompt with nothing typed, or runs one
// with no input queued (its client waits for the output). Otherwise the
// client is in the middle of sending something (a line, a paste, code for
// the raw REPL, file-channel frames), and what it sends next is the rest of
// it. A transport asks when another takes the session over: the rest of a
// stream must not take it back as a client that typed (see cmd/moonpin).
func (d *Device) AtRest() bool {
	return d.in.pending() == 0 && d.rest.Load() && !d.reading.Load()
}

// readKey reads the REPL's next byte. atPrompt says no command has begun
// (a prompt with nothing typed): while it waits, the REPL is at rest (see
// AtRest).
func (d *Device) readKey(atPrompt bool) (byte, error) {
	if atPrompt {
		d.rest.Store(true)
	}
	defer d.rest.Store(false)
	return d.in.readByte(0)
}

// showLine records what the friendly REPL shows on its line while it
// waits for a key: its prompt and the line typed so far in ed; ed is nil
// when it stops waiting.
func (d *Device) showLine(prompt string, ed *editor) {
	d.lineMu.Lock()
	d.linePrompt, d.lineEd = prompt, ed
	d.lineMu.Unlock()
}

// promptWriter is Lua's output: print, io.write, a callback's error. What a
// callback (a timer) writes while the friendly REPL waits for a key goes
// on the prompt's line, which it clears first, and the prompt and the
// half-typed line are drawn again under it: they were left above the
// output, or were lost in it.
type promptWriter struct{ d *Device }

func (w promptWriter) Write(p []byte) (int, error) {
	d := w.d
	d.lineMu.Lock()
	defer d.lineMu.Unlock()
	if d.lineEd == nil {
		return crlfWriter{d.out}.Write(p)
	}
	b := append([]byte("\r\x1b[K"), crlf(p)...)
	if !bytes.HasSuffix(p, []byte("\n")) {
		b = append(b, "\r\n"...)
	}
	b = append(append(b, d.linePrompt...), d.lineEd.redraw()...)
	d.out.write(b, true)
	return len(p), nil
}

// Flush waits up to timeout for queued output to reach the connection.
func (d *Device) Flush(timeout time.Duration) { d.out.flush(timeout) }

// receive handles bytes from the connection: Ctrl-C interrupts a running
// command and drops the output backlog (see below), and everything else is
// queued for the REPL, so what is typed while code runs is kept. With the
// queue full it waits, unless code runs (see input).
func (d *Device) receive(gen uint64, p []byte) {
	if m := d.demuxer.Load(); m != nil && m.inGen == gen {
		if m.over() {
			d.demuxer.CompareAndSwap(m, nil)
		} else {
			p = m.demux(p)
		}
	}
	// Ctrl-C drops the output backlog, as a terminal's interrupt key
	// does, whether or not the command that wrote it has returned (print
	// returns once its output is queued). The raw REPL's replies, which
	// the client waits for, are kept (see output.frame).
	discarded := false
	if bytes.IndexByte(p, ctrlC) >= 0 && (d.atFriendly.Load() || d.atRaw.Load()) {
		d.out.discard()
		discarded = true
	}
	// The queue may be full, and push waits for room while input is being
	// taken; a command may begin meanwhile, so each round looks again.
	for len(p) > 0 {
		// While Lua reads a line, Ctrl-C reaches readLine in order with
		// what was typed before it.
		if d.running() && bytes.IndexByte(p, ctrlC) >= 0 {
			d.interrupted.Store(true)
			d.rt.Interrupt()
			// Once: a second discard could drop the prompt of a
			// command that ended between the two, and this Ctrl-C,
			// taken as its interrupt, would bring no other.
			if !discarded {
				d.out.discard()
				discarded = true
			}
			kept := make([]byte, 0, len(p))
			for _, c := range p {
				if c != ctrlC {
					kept = append(kept, c)
				}
			}
			p = kept
		}
		p = d.in.push(gen, p, d.takingInput)
	}
}

// running reports whether a command's code runs without reading input:
// Ctrl-C is an interrupt, and nothing takes input from the queue.
func (d *Device) running() bool { return d.executing.Load() && !d.reading.Load() }

// takingInput reports whether the REPL or Lua takes input from the queue,
// so that the reader may wait for room in it (see input.push).
func (d *Device) takingInput() bool { return !d.running() }

// Close stops the REPL and the runtime, interrupting running code.
func (d *Device) Close() error {
	if d.closing.Swap(true) {
		return nil
	}
	if m := d.mnt.Load(); m != nil {
		d.endMount(m, mountAsked)
	}
	d.in.close()
	err := d.rt.Close()
	started := true
	d.startOnce.Do(func() { started = false })
	if started {
		<-d.done
	}
	d.endQuit()
	return err
}

func (d *Device) endQuit() { d.quitOnce.Do(func() { close(d.quit) }) }

// run is the REPL goroutine.
func (d *Device) run() {
	defer close(d.done)
	defer d.abortPut()
	var first []Source
	if d.opts.Startup != nil {
		first = []Source{*d.opts.Startup}
	}
	// No write can be under way at start, nor after a soft reset, between
	// the old Lua state and the new.
	fslib.RemoveStaleTemps(d.rt.Root())
	if !d.opts.Safe || first != nil {
		d.boot(false, first, true)
	} else {
		d.safeNote = d.opts.SafeReason
		d.executing.Store(false)
	}
	greet := true
	for !d.closing.Load() {
		var err error
		if d.raw {
			err = d.rawREPL()
		} else {
			err = d.friendly(greet)
		}
		greet = true
		if errors.Is(err, errClosed) {
			return
		}
	}
}

// greet acknowledges the connection change and writes s (a banner and
// prompt) to the connection attached at that moment. If another comes
// meanwhile, s is dropped and the change tells the REPL to greet again.
// The REPL's history is that connection's from then on: a new client gets
// none of the last one's lines.
func (d *Device) greet(s string) {
	d.attachMu.Lock()
	d.in.ackFresh()
	gen := d.out.generation()
	d.replConn.Store(gen)
	d.hist.keepFor(d.in.generation())
	d.promptLocals = nil
	d.attachMu.Unlock()
	d.out.writeTo(gen, []byte(s))
}

func (d *Device) write(s string)      { d.out.write([]byte(s), false) }
func (d *Device) writeBytes(p []byte) { d.out.write(p, false) }

// say, sayBytes and sayError are the friendly REPL's own writes: to the
// client it greeted last only (see replConn).
func (d *Device) say(s string)       { d.sayBytes([]byte(s)) }
func (d *Device) sayBytes(p []byte)  { d.out.writeTo(d.replConn.Load(), p) }
func (d *Device) sayError(err error) { d.say(errorText(err)) }

// writeError prints err as the REPL shows errors: its lines end in "\r\n".
func (d *Device) writeError(err error) {
	d.write(errorText(err))
}

func errorText(err error) string {
	s := strings.TrimRight(err.Error(), "\n")
	return strings.ReplaceAll(s, "\n", "\r\n") + "\r\n"
}

// command runs fn as a command: Ctrl-C interrupts it.
func (d *Device) command(fn func()) {
	d.beginCommand()
	defer d.executing.Store(false)
	fn()
}

func (d *Device) beginCommand() {
	d.in.bindReader()
	d.interrupted.Store(false)
	d.executing.Store(true)
	// Its client waits for the output and then the prompt: the rest of
	// what it sends will be a new command (see AtRest).
	d.rest.Store(true)
	// Nothing takes input now: a reader waiting for room in the queue
	// must go back to reading, to see Ctrl-C.
	d.in.wakePushers()
	// A Ctrl-C typed after the line, but read before the command began,
	// is its interrupt, as one a moment later would be: it sat in the
	// queue, and the command ran to its end (runLua interrupts the run).
	// At the friendly prompt only: the raw REPL's protocols carry the byte
	// as data. Unless a client came after the command's bytes: its
	// Ctrl-C is no data of the last client's protocol (a raw-paste's
	// loop that began just after a hand-over ran on, the newcomer's
	// Ctrl-C left in the queue).
	if (d.atFriendly.Load() || !d.in.clientHere()) && d.in.takeCtrlC() {
		d.interrupted.Store(true)
		d.out.discard()
	}
}

// runLua runs fn on the loop as part of the current command. Callback output
// is let through while it runs (the raw REPL keeps it quiet otherwise), and
// an interrupt that came before the code started still stops it.
func (d *Device) runLua(fn func(L *lua.LState) error) error {
	return d.rt.Do(func(L *lua.LState) error {
		d.inCommandLua.Store(true)
		defer d.inCommandLua.Store(false)
		quiet := d.out.setQuiet(false)
		defer d.out.setQuiet(quiet)
		if d.interrupted.Load() {
			d.rt.Interrupt()
		}
		return fn(L)
	})
}

// boot runs boot.lua and main.lua (or only boot.lua, or sources) as one
// command, which begun says has already begun; a soft reset asked for by
// the code (board.reset()) boots again.
//
// The resets are one command: a Ctrl-C that comes at any point of a reset
// storm (main.lua calling board.reset()) stops it, so host tools get the
// REPL at the first try.
func (d *Device) boot(skipMain bool, sources []Source, begun bool) {
	if !begun {
		d.beginCommand()
	}
	defer d.executing.Store(false)
	for {
		reset := d.bootOnce(skipMain, sources)
		if !reset || d.closing.Load() || d.interrupted.Load() {
			d.dropBootHook()
			return
		}
		sources = nil
		d.write("soft reboot\r\n")
		d.resetRuntime()
	}
}

// dropBootHook clears a debug hook the boot files left set, with a line
// saying so: it would run for every line typed at the REPL, and one that
// raises an error (debug.sethook(function() error("x") end, "l") in
// main.lua) failed every line, debug.sethook() too, soft reset after soft
// reset. A hook set at the REPL stays, as in Lua 5.1.
func (d *Device) dropBootHook() {
	d.rt.Do(func(L *lua.LState) error {
		if fn, _, _ := L.GetHook(); fn != lua.LNil {
			L.SetHook(lua.LNil, "", 0)
			d.write("moonpin: the boot files left a debug hook set; it is off for the REPL (debug.sethook sets one there)\r\n")
		}
		return nil
	})
}

// bootOnce runs the boot files and reports whether one asked for a reset.
// An error in boot.lua is reported and main.lua still runs, as MicroPython
// does; an interrupt, the memory limit or os.exit ends the boot.
func (d *Device) bootOnce(skipMain bool, sources []Source) (reset bool) {
	var runs []func(L *lua.LState) error
	if sources == nil {
		for _, name := range []string{"boot.lua", "main.lua"} {
			if name == "main.lua" && skipMain {
				break
			}
			runs = append(runs, func(L *lua.LState) error { return d.runRootFile(L, name) })
		}
	}
	for _, src := range sources {
		runs = append(runs, func(L *lua.LState) error { return runChunk(L, src.Name, src.Code) })
	}
	for _, run := range runs {
		if d.interrupted.Load() || d.closing.Load() {
			return false
		}
		err := d.runLua(run)
		if err == nil {
			continue
		}
		var e *interp.Error
		if !errors.As(err, &e) {
			d.writeError(err)
			return false
		}
		switch e.Kind {
		case interp.KindReset:
			return true
		case interp.KindExit:
			return false
		case interp.KindResetLoop:
			// As the crash-loop guard does: the banner says why.
			d.writeError(err)
			d.safeNote = interp.ResetLoopNote
			return false
		case interp.KindRuntime, interp.KindSyntax:
			d.writeError(err)
		default:
			d.writeError(err)
			return false
		}
	}
	return false
}

// runRootFile runs the script root's file name if it is there: the
// board's, or the computer's while moonctl mount lasts. A file that cannot
// be read is reported and the boot goes on.
func (d *Device) runRootFile(L *lua.LState, name string) error {
	// Read as fs.read reads: its size against the memory limit first, the
	// interrupt every megabyte.
	var code []byte
	err := interp.Protect(L, func(L *lua.LState) (readErr error) {
		if d.rt.Mount() == nil {
			// The board's own boot files are the user's, wherever their
			// symlinks lead; a FIFO would hold the boot in open(2) for good.
			code, readErr = fslib.ReadRegularFor(L, filepath.Join(d.rt.Root(), name))
			return readErr
		}
		target, readErr := fslib.Locate(L, name, fslib.Read)
		if readErr == nil {
			code, readErr = target.ReadFileFor(L)
		}
		return readErr
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		if ctx := L.Context(); ctx != nil && ctx.Err() != nil {
			return err
		}
		d.writeError(fmt.Errorf("cannot run %s: %w", name, err))
		return nil
	}
	// The text of a file: a "#!" first line is skipped, as everywhere.
	return interp.LoadAndRun(L, interp.LoadScript, name, string(code))
}

// runChunk runs code typed or pasted as the chunk called name.
func runChunk(L *lua.LState, name, code string) error {
	return interp.LoadAndRun(L, interp.Load, name, code)
}

// softReset makes a fresh Lua state and boots it; from the raw REPL only
// boot.lua runs, so a main.lua stuck in a loop cannot hang host tools.
func (d *Device) softReset() {
	d.safeNote = ""
	d.promptLocals = nil
	d.write("soft reboot\r\n")
	d.resetRuntime()
	d.boot(d.raw, nil, false)
}

func (d *Device) resetRuntime() {
	d.unmountReset.Store(false)
	if err := d.rt.Reset(); err != nil && !d.closing.Load() {
		d.writeError(err)
	}
	fslib.RemoveStaleTemps(d.rt.Root())
}

// resetAfterUnmount does the soft reset that a computer's Unmount promised
// (client.Unmount sends one straight after) if it has not come: a moonctl
// killed in between would leave the next host, or the next connection, a
// board with code from the computer loaded. It is the raw REPL's reset,
// boot.lua but not main.lua, as the computer's would have been. The
// computer's own reset (Ctrl-D at the raw prompt) comes first and resets
// once.
func (d *Device) resetAfterUnmount() {
	if d.unmountReset.Load() {
		d.safeNote = ""
		d.write("soft reboot\r\n")
		d.resetRuntime()
		d.boot(true, nil, false)
	}
}

// callbackEnded acts on os.exit or board.reset() called by a callback
// while the REPL waited for input, as if typed: a soft reset (on the
// terminal, os.exit ends the session); a reset loop stops with a fresh
// state and the banner saying why.
func (d *Device) callbackEnded() {
	d.in.ackCallbackEnd()
	if d.mountReset.Swap(false) {
		// Whatever a callback asked for too, the reset does it.
		d.callbackEnd.Store(nil)
		d.softReset()
		return
	}
	e := d.callbackEnd.Swap(nil)
	switch {
	case e == nil:
	case e.Kind == interp.KindExit && d.opts.CtrlDExits:
		d.endQuit()
	case e.Kind == interp.KindResetLoop:
		d.writeError(e)
		d.safeNote = interp.ResetLoopNote
		d.resetRuntime()
	case e.Kind == interp.KindExit && d.exitLoop():
		d.write(exitLoopError)
		d.safeNote = exitLoopNote
		d.resetRuntime()
	default:
		d.softReset()
	}
}

// An exit loop is os.exit from callbacks, each a soft reset after which
// main.lua's timer calls it again: counted as board.reset()'s reset loop
// (interp.ResetLoop), and stopped as it is, with a fresh state and main.lua
// not run, so that a person can use the REPL.
var (
	exitLoopNote  = fmt.Sprintf("a reset loop: os.exit() from callbacks %d times within %v", interp.ResetLoopLimit, interp.ResetLoopWindow)
	exitLoopError = fmt.Sprintf("os.exit() from callbacks %d times within %v: a reset loop, stopped; main.lua is not run again until you fix it and soft-reboot with Ctrl-D\r\n", interp.ResetLoopLimit, interp.ResetLoopWindow)
)

// exitLoop counts an os.exit from a callback and reports whether it ends an
// exit loop. REPL goroutine.
func (d *Device) exitLoop() bool { return d.exits.Add(time.Now()) }

// wantsReset reports whether err is a chunk asking for a soft reset
// (os.exit or board.reset() typed at the REPL).
func wantsReset(err error) bool {
	var e *interp.Error
	return errors.As(err, &e) && (e.Kind == interp.KindExit || e.Kind == interp.KindReset)
}

// interruptCallback stops a callback stuck in a loop when Ctrl-C comes while
// the REPL is idle, and reports whether it did: the callback's error has
// then been written. Callbacks normally take microseconds, so one still busy
// a moment later is stuck; a host tool's routine Ctrl-C must not kill a
// timer tick that happened to be running.
func (d *Device) interruptCallback() bool {
	if !d.rt.Busy() {
		return false
	}
	// Idle work runs once the callback has returned and reported.
	idle := make(chan struct{})
	if d.rt.Loop().PostIdle(func() { close(idle) }) != nil {
		return false
	}
	t := time.NewTimer(stuckCallback)
	defer t.Stop()
	select {
	case <-idle:
		return false
	case <-t.C:
	}
	d.rt.Interrupt()
	// A callback blocked in a Go function that does not check the
	// interrupt is not waited for long: the prompt comes back regardless.
	t.Reset(interruptWait)
	select {
	case <-idle:
	case <-t.C:
	case <-d.done:
	}
	return true
}
