package interp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/moonpin/moonpin/interp/host"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// moonpin's io library replaces gopher-lua's, whose files are the process's
// own stdin and stdout and whose io.open reaches the whole filesystem. Here
// every file name goes through fslib.Confine, io.stdout and io.stderr write
// to the session as print does, and io.stdin reads the session's input (or,
// without a session, the process's stdin), waiting under the running code's
// context so that Ctrl-C stops a read.

const fileTypeName = "FILE*"

// luaFile is what a Lua file handle holds: a file under the root, a process
// (io.popen) or a standard stream. Loop goroutine only.
type luaFile struct {
	host.Tracked
	name string
	r    *bufio.Reader // nil when not readable
	w    io.Writer     // nil when not writable
	bw   *bufio.Writer // w's buffer when it has one
	f    *os.File      // the file on disk, for seek; nil for streams
	// raw is what r and w read and write through for f: f itself for a
	// regular file, a waitable for a pipe, FIFO or device (lib.stream), so
	// that a wait ends at an interrupt. Whatever replaces r or w
	// (setvbuf, seek) goes through it too.
	raw    io.ReadWriter
	mem    *bytes.Reader // a mounted file, read whole, for seek
	in     *inputStream  // io.stdin
	close  func() error  // nil for the standard streams, which stay open
	closed bool
	err    error           // a read's failure, for read to return
	ctx    context.Context // the running code's, which ends a wait on a pipe, FIFO or device
	// op is held while Lua uses the file's buffer (write, flush, read,
	// seek, setvbuf, close), so that FlushFileBuffers flushes only a
	// buffer nothing is using.
	op sync.Mutex
}

// diskBuffers holds the regular files open for writing, whose buffers
// FlushFileBuffers writes out.
var diskBuffers struct {
	sync.Mutex
	files map[*luaFile]struct{}
}

// FlushFileBuffers writes out what the Lua files open for writing on disk
// hold in their buffers, in every runtime of the process: a forced exit
// (Lua stuck in a builtin past the stop deadline, or a second stop signal)
// calls it, as the Lua code that would close them cannot run. A file in
// use by Lua at that moment is skipped; a pipe, FIFO or device, whose
// write could wait, is never flushed here. Any goroutine.
func FlushFileBuffers() {
	diskBuffers.Lock()
	defer diskBuffers.Unlock()
	for f := range diskBuffers.files {
		if f.op.TryLock() {
			if !f.closed && f.bw != nil {
				_ = f.bw.Flush()
			}
			f.op.Unlock()
		}
	}
}

// keepBuffer registers f with FlushFileBuffers, or unregisters it when
// keep is false.
func keepBuffer(f *luaFile, keep bool) {
	diskBuffers.Lock()
	defer diskBuffers.Unlock()
	if !keep {
		delete(diskBuffers.files, f)
		return
	}
	if diskBuffers.files == nil {
		diskBuffers.files = make(map[*luaFile]struct{})
	}
	diskBuffers.files[f] = struct{}{}
}

// Close flushes and closes the file: the script's close, and a soft reset
// closing what the script left open.
func (f *luaFile) Close() error {
	f.op.Lock()
	defer f.op.Unlock()
	if f.closed || f.close == nil {
		return nil
	}
	f.closed = true
	f.Untrack()
	keepBuffer(f, false)
	var err error
	if f.bw != nil {
		err = f.bw.Flush()
	}
	if cerr := f.close(); err == nil {
		err = cerr
	}
	return err
}

type closerFunc func() error

func (c closerFunc) Close() error { return c() }

// ioLib is the io library of one state: the default input and output.
type ioLib struct {
	h             *host.Host
	input, output *lua.LUserData
	leftovers     []*leftover // see keepLeftovers
}

// installIO replaces the io table and the file functions of os.
func installIO(L *lua.LState, h *host.Host, stdin *inputStream) {
	lib := &ioLib{h: h}
	mt := L.NewTypeMetatable(fileTypeName)
	methods := map[string]lua.LGFunction{
		"close":   lib.fileClose,
		"flush":   lib.fileFlush,
		"lines":   lib.fileLines,
		"read":    lib.fileRead,
		"seek":    lib.fileSeek,
		"setvbuf": lib.fileSetvbuf,
		"write":   lib.fileWrite,
	}
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), methods))
	L.SetField(mt, "__tostring", L.NewFunction(fileToString))
	L.SetField(mt, "__gc", L.NewFunction(fileGC))

	// io.stdin reads through the stream's own buffer, which outlives the
	// state, so nothing typed ahead is lost at a soft reset.
	stdinUD := lib.handle(L, &luaFile{name: "stdin", r: stdin.buf, in: stdin})
	stdoutUD := lib.handle(L, &luaFile{name: "stdout", w: h.Out})
	stderrUD := lib.handle(L, &luaFile{name: "stderr", w: h.Err})
	lib.input, lib.output = stdinUD, stdoutUD

	funcs := map[string]lua.LGFunction{
		"close":   lib.ioClose,
		"flush":   lib.ioFlush,
		"input":   func(L *lua.LState) int { return lib.setDefault(L, &lib.input, "r") },
		"lines":   lib.ioLines,
		"open":    lib.ioOpen,
		"output":  func(L *lua.LState) int { return lib.setDefault(L, &lib.output, "w") },
		"popen":   lib.ioPopen,
		"read":    func(L *lua.LState) int { return lib.read(L, lib.check(L, lib.input, "input"), 1) },
		"tmpfile": lib.ioTmpfile,
		"type":    ioType,
		"write":   func(L *lua.LState) int { return lib.write(L, lib.check(L, lib.output, "output"), 1) },
	}
	iot := L.SetFuncs(L.NewTable(), funcs)
	iot.RawSetString("stdin", stdinUD)
	iot.RawSetString("stdout", stdoutUD)
	iot.RawSetString("stderr", stderrUD)
	L.SetGlobal("io", iot)
	loaded := L.GetField(L.GetGlobal("package"), "loaded")
	L.SetField(loaded, "io", iot)

	ost := L.GetGlobal("os").(*lua.LTable)
	ost.RawSetString("remove", L.NewFunction(osRemove))
	ost.RawSetString("rename", L.NewFunction(osRename))
	ost.RawSetString("tmpname", L.NewFunction(osTmpname))
	execute := lib.osExecute
	if !h.AllowExec {
		execute = func(L *lua.LState) int {
			L.RaiseError("os.execute is disabled; start moonpin with --allow-exec to run shell commands")
			return 0
		}
	}
	ost.RawSetString("execute", L.NewFunction(execute))
}

func (lib *ioLib) handle(L *lua.LState, f *luaFile) *lua.LUserData {
	return host.NewHandle(L, fileTypeName, f)
}

// toFile returns the file in argument n, raising an argument error for
// anything else.
func toFile(L *lua.LState, n int) *luaFile {
	if ud, ok := L.Get(n).(*lua.LUserData); ok {
		if f, ok := ud.Value.(*luaFile); ok {
			return f
		}
	}
	L.TypeErrorName(n, fileTypeName) // "FILE* expected", as Lua 5.1
	return nil
}

// openFile returns argument 1 as a file that is still open.
func openFile(L *lua.LState) *luaFile {
	f := toFile(L, 1)
	if f.closed {
		L.RaiseError("attempt to use a closed file")
	}
	f.ctx = L.Context()
	return f
}

// check returns the default file ud for io.read and the like; what is
// "input" or "output", for the error Lua 5.1 gives.
func (lib *ioLib) check(L *lua.LState, ud *lua.LUserData, what string) *luaFile {
	f := ud.Value.(*luaFile)
	if f.closed {
		L.RaiseError("standard %s file is closed", what)
	}
	f.ctx = L.Context()
	return f
}

func fileToString(L *lua.LState) int {
	f := toFile(L, 1)
	if f.closed {
		L.Push(lua.LString("file (closed)"))
	} else {
		L.Push(lua.LString(fmt.Sprintf("file (%p)", f)))
	}
	return 1
}

// failure returns Lua's nil, message, errno for err on name.
func failure(L *lua.LState, name string, err error) int {
	L.Push(lua.LNil)
	msg, errno := describe(err)
	if name != "" {
		msg = name + ": " + msg
	}
	L.Push(lua.LString(msg))
	L.Push(lua.LNumber(errno))
	return 3
}

// refusal is failure for a path Confine refused: its message names the path
// and the flag that would allow it. A path the system would have failed
// ("data.txt/", "nodir/../x") fails as the system says.
func refusal(L *lua.LState, err error) int {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		L.Push(lua.LNil)
		msg, errno := describe(pe.Err)
		L.Push(lua.LString(pe.Path + ": " + msg)) // ": No such ..." for "", as 5.1
		L.Push(lua.LNumber(errno))
		return 3
	}
	L.Push(lua.LNil)
	L.Push(lua.LString(err.Error()))
	L.Push(lua.LNumber(syscall.EACCES))
	return 3
}

// describe gives err as C's strerror would ("No such file or directory").
func describe(err error) (string, int) {
	if errors.Is(err, errTooManyFiles) {
		return err.Error(), int(syscall.EMFILE)
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return strings.ToUpper(s[:1]) + s[1:], int(errno)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error(), 0
}

// modes are io.open's modes, as modeFlag reads them.
var modes = map[string]int{
	"r":  os.O_RDONLY,
	"w":  os.O_WRONLY | os.O_CREATE | os.O_TRUNC,
	"a":  os.O_WRONLY | os.O_CREATE | os.O_APPEND,
	"r+": os.O_RDWR,
	"w+": os.O_RDWR | os.O_CREATE | os.O_TRUNC,
	"a+": os.O_RDWR | os.O_CREATE | os.O_APPEND,
}

// modeFlag reads a mode as Lua 5.1's fopen (glibc's) does: "r", "w" or
// "a", then a "+" anywhere after it for update and an "x" for a file that
// must not exist yet (glibc's O_EXCL: "wx" was "w", and emptied the file);
// other letters ("b") are ignored, so "rw" is "r". Anything else is
// EINVAL, which io.open returns.
func modeFlag(mode string) (int, error) {
	if mode == "" || !strings.ContainsRune("rwa", rune(mode[0])) {
		return 0, syscall.EINVAL
	}
	flag := modes[mode[:1]]
	if strings.Contains(mode[1:], "+") {
		flag = modes[mode[:1]+"+"]
	}
	if strings.Contains(mode[1:], "x") {
		flag |= os.O_EXCL
	}
	return flag, nil
}

// open opens name under the confinement; it returns a Lua error message
// (and errno) when it cannot.
func (lib *ioLib) open(L *lua.LState, name, mode string) (*luaFile, error) {
	flag, err := modeFlag(mode)
	if err != nil {
		return nil, err
	}
	access := fslib.Write
	if flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		access = fslib.Read
	}
	target, err := fslib.Locate(L, name, access)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, err // as the system fails it ("data.txt/": not a directory)
	}
	if err != nil {
		return nil, confineError{err}
	}
	if target.Mount != nil {
		return lib.mountFile(L, name, target, flag)
	}
	full := target.Path
	// O_NONBLOCK: opening a FIFO would otherwise wait in open(2) for the
	// other end, where no interrupt reaches it; and a device or FIFO opened
	// so is read through Go's poller, which an interrupt can wake (see
	// deviceReader). Regular files ignore the flag.
	osf, err := leaveRoom(L, func() (*os.File, error) { return os.OpenFile(full, flag|syscall.O_NONBLOCK, 0o666) })
	if err != nil {
		return nil, err
	}
	return lib.diskFile(name, osf, flag), nil
}

// fdReserve is how many file descriptors a script's files leave to moonpin
// itself: a new client's connection, a mount, the file channel's files. A
// script that kept 20000 files open had socket clients refused.
const fdReserve = 256

var errTooManyFiles = fmt.Errorf("Too many open files (the last %d descriptors are moonpin's, for its connections); close the files you no longer need", fdReserve)

// leaveRoom opens a file for the script with open, unless that would take
// one of the last fdReserve descriptors. It looks first, so that a refused
// io.open(p, "w") has not emptied p. Files the script has dropped without
// closing them are closed by the collector, which runs once before
// leaveRoom gives up.
func leaveRoom(L *lua.LState, open func() (*os.File, error)) (*os.File, error) {
	var limit unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &limit) != nil || limit.Cur <= 2*fdReserve {
		return open()
	}
	if !fdRoom(limit.Cur) {
		// Ctrl-C does not wait for the collection, and stops the chunk
		// here rather than fail the open
		if L.Collect() != nil {
			host.RaiseCancel(L)
		}
		time.Sleep(10 * time.Millisecond) // the finalizers close what it found
		if !fdRoom(limit.Cur) {
			return nil, errTooManyFiles
		}
	}
	return open()
}

// fdRoom reports whether the next descriptor leaves fdReserve below limit:
// the kernel gives out the lowest free one, so one numbered n means that n
// are open.
func fdRoom(limit uint64) bool {
	fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return !errors.Is(err, syscall.EMFILE)
	}
	unix.Close(fd)
	return uint64(fd)+fdReserve < limit
}

// mountFile opens a file of a mounted root (moonctl mount), which takes
// whole reads and writes: one opened for reading is read whole at once,
// one opened for writing ("w" empties it, "a" keeps it) is added to as
// its buffer flushes. Read-write modes are refused.
func (lib *ioLib) mountFile(L *lua.LState, name string, target fslib.Target, flag int) (*luaFile, error) {
	ctx := fslib.Context(L)
	done := func() error { return nil }
	if flag&os.O_EXCL != 0 {
		if _, err := target.Stat(ctx); err == nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EEXIST}
		}
		flag &^= os.O_EXCL
	}
	switch flag {
	case os.O_RDONLY:
		data, err := target.ReadFileFor(L)
		if err != nil {
			return nil, err
		}
		r := bytes.NewReader(data)
		return &luaFile{name: name, r: bufio.NewReader(r), mem: r, close: done}, nil
	case modes["w"], modes["a"]:
		if err := target.WriteFile(ctx, nil, flag == modes["a"]); err != nil {
			return nil, err
		}
		f := &luaFile{name: name, close: done, ctx: ctx}
		f.bw = bufio.NewWriterSize(mountAppender{f, target}, 32<<10)
		f.w = f.bw
		f.Track(lib.h, f)
		return f, nil
	}
	return nil, confineError{fmt.Errorf("%s: the script root is mounted (moonctl mount), which takes whole reads and writes: open the file \"r\", \"w\" or \"a\"", name)}
}

// mountAppender adds what a file's buffer flushes to the mounted file.
type mountAppender struct {
	f      *luaFile
	target fslib.Target
}

func (a mountAppender) Write(p []byte) (int, error) {
	ctx := a.f.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if err := a.target.WriteFile(ctx, p, true); err != nil {
		return 0, err
	}
	return len(p), nil
}

// waitable is a pipe, a FIFO or a device, whose reads and writes can wait
// for ever: while one waits, the end of the running code's context (an
// interrupt, a stop) sets the file's deadline to now, which ends the wait.
// A command's pipe (io.popen) also has the command: the interrupt ends it,
// as Ctrl-C in a terminal ends lua5.1 and the commands it started.
type waitable struct {
	f   *luaFile
	osf *os.File
	cmd *exec.Cmd // nil but for io.popen
}

func (w waitable) Read(p []byte) (int, error) {
	defer w.watch(w.osf.SetReadDeadline)()
	return w.osf.Read(p)
}

func (w waitable) Write(p []byte) (int, error) {
	defer w.watch(w.osf.SetWriteDeadline)()
	return w.osf.Write(p)
}

// watch clears the deadline set, arms it for the end of the running code's
// context and returns the function that disarms it.
func (w waitable) watch(set func(time.Time) error) (stop func()) {
	_ = set(time.Time{})
	if ctx := w.f.ctx; ctx != nil {
		stop := context.AfterFunc(ctx, func() {
			_ = set(time.Now())
			if w.cmd != nil {
				killGroup(w.cmd)
			}
		})
		return func() { stop() }
	}
	return func() {}
}

// stream is what f reads and writes through for osf: osf itself when it is
// a regular file, which never waits long, else a waitable.
func (lib *ioLib) stream(f *luaFile, osf *os.File) io.ReadWriter {
	if info, err := osf.Stat(); err == nil && info.Mode().IsRegular() {
		return osf
	}
	return waitable{f: f, osf: osf}
}

// confineError marks a refusal by the sandbox.
type confineError struct{ error }

func (lib *ioLib) diskFile(name string, osf *os.File, flag int) *luaFile {
	f := &luaFile{name: name, f: osf, close: osf.Close}
	f.raw = lib.stream(f, osf)
	if flag&(os.O_WRONLY|os.O_RDWR) == 0 || flag&os.O_RDWR != 0 {
		f.r = bufio.NewReader(f.raw)
	}
	if flag&(os.O_WRONLY|os.O_RDWR) != 0 {
		f.bw = bufio.NewWriter(f.raw)
		f.w = f.bw
		// Files being written are closed (and flushed) by a soft reset
		// if the script does not close them; read-only ones are left to
		// the collector, so `io.open(p):read("*a")` in a loop leaks nothing.
		f.Track(lib.h, f)
		if f.raw == io.ReadWriter(osf) {
			keepBuffer(f, true)
		}
	}
	return f
}

func (lib *ioLib) openResult(L *lua.LState, name string, f *luaFile, err error) int {
	var ce confineError
	if errors.As(err, &ce) {
		return refusal(L, ce.error)
	}
	if name == "" && err != nil {
		return refusal(L, &fs.PathError{Path: name, Err: err}) // ": No such file or directory", as 5.1
	}
	if err != nil {
		return failure(L, name, err)
	}
	L.Push(lib.handle(L, f))
	return 1
}

func (lib *ioLib) ioOpen(L *lua.LState) int {
	name := L.CheckString(1)
	f, err := lib.open(L, name, L.OptString(2, "r"))
	return lib.openResult(L, name, f, err)
}

// setDefault is io.input and io.output: a name opens a file, a file is
// taken as it is, and no argument returns the current one.
func (lib *ioLib) setDefault(L *lua.LState, cur **lua.LUserData, mode string) int {
	switch v := L.Get(1).(type) {
	case *lua.LNilType:
	case lua.LString, lua.LNumber:
		f, err := lib.open(L, lua.LVAsString(v), mode)
		if err != nil {
			var ce confineError
			if errors.As(err, &ce) {
				L.RaiseError("%s", ce.error)
			}
			// Lua 5.1's fileerror: an argument error.
			msg, _ := describe(err)
			host.ArgError(L, 1, "%s: %s", lua.LVAsString(v), msg)
		}
		*cur = lib.handle(L, f)
	default:
		toFile(L, 1)
		*cur = v.(*lua.LUserData)
	}
	L.Push(*cur)
	return 1
}

func (lib *ioLib) ioClose(L *lua.LState) int {
	if L.GetTop() == 0 {
		L.Push(lib.output)
	}
	return lib.fileClose(L)
}

func (lib *ioLib) fileClose(L *lua.LState) int {
	f := openFile(L)
	if f.close == nil {
		L.Push(lua.LNil)
		L.Push(lua.LString("cannot close standard file"))
		return 2
	}
	if err := f.Close(); err != nil {
		return failure(L, "", err)
	}
	L.Push(lua.LTrue)
	return 1
}

// fileGC is Lua 5.1's io_gc for code that calls it (5.1's errors.lua
// does): it closes the file unless it is a standard stream or closed.
// gopher-lua never calls __gc; a soft reset closes what a script left open.
func fileGC(L *lua.LState) int {
	_ = toFile(L, 1).Close() // Close leaves standard and closed files be
	return 0
}

func (lib *ioLib) ioFlush(L *lua.LState) int {
	L.SetTop(0)
	L.Push(lib.output)
	return lib.fileFlush(L)
}

func (lib *ioLib) fileFlush(L *lua.LState) int {
	f := openFile(L)
	f.op.Lock()
	defer f.op.Unlock()
	if f.bw != nil {
		if err := f.bw.Flush(); err != nil {
			return failure(L, "", err)
		}
	}
	L.Push(lua.LTrue)
	return 1
}

func ioType(L *lua.LState) int {
	L.CheckAny(1)
	ud, ok := L.Get(1).(*lua.LUserData)
	var f *luaFile
	if ok {
		f, ok = ud.Value.(*luaFile)
	}
	switch {
	case !ok:
		L.Push(lua.LNil)
	case f.closed:
		L.Push(lua.LString("closed file"))
	default:
		L.Push(lua.LString("file"))
	}
	return 1
}

// ioTmpfile makes a file in the script root that is removed at once: it
// lives while it is open, and leaves nothing behind.
func (lib *ioLib) ioTmpfile(L *lua.LState) int {
	full, err := fslib.Path(L, ".", fslib.Write)
	if err != nil {
		return refusal(L, err)
	}
	osf, err := leaveRoom(L, func() (*os.File, error) {
		f, err := os.CreateTemp(full, "lua_")
		if err == nil {
			os.Remove(f.Name())
		}
		return f, err
	})
	if err != nil {
		return failure(L, "", err)
	}
	L.Push(lib.handle(L, lib.diskFile("tmpfile", osf, os.O_RDWR)))
	return 1
}

func (lib *ioLib) ioPopen(L *lua.LState) int {
	if !lib.h.AllowExec {
		L.RaiseError("io.popen is disabled; start moonpin with --allow-exec to run shell commands")
	}
	cmdline := L.CheckString(1)
	mode := L.OptString(2, "r")
	reading := true
	switch strings.ReplaceAll(mode, "b", "") {
	case "r":
	case "w":
		reading = false
	default:
		host.ArgError(L, 2, "invalid mode '%s' (expected r or w)", mode)
	}
	f := &luaFile{name: cmdline}
	cmd := lib.command(cmdline)
	// The pipe is made here, not by exec, so that Lua's end is an
	// *os.File a waitable can put a deadline on.
	pr, pw, err := os.Pipe()
	if err != nil {
		return failure(L, cmdline, err)
	}
	ours, theirs := pr, pw
	if reading {
		cmd.Stdout = pw
		f.r = bufio.NewReader(waitable{f: f, osf: pr, cmd: cmd})
	} else {
		ours, theirs = pw, pr
		cmd.Stdin = pr
		f.w = waitable{f: f, osf: pw, cmd: cmd}
	}
	err = cmd.Start()
	theirs.Close()
	if err != nil {
		ours.Close()
		return failure(L, cmdline, err)
	}
	started(cmd)
	// Closing waits for the command, and an interrupt of that wait (or a
	// soft reset) kills it with everything it started.
	killed := false
	f.close = func() error {
		ours.Close()
		err := waitProcess(f.ctx, cmd)
		if !killed {
			lib.keepLeftovers(cmd)
		}
		return err
	}
	f.Track(lib.h, closerFunc(func() error {
		killGroup(cmd)
		killed = true
		f.Close()
		forgetGroup(cmd.Process.Pid)
		return nil
	}))
	L.Push(lib.handle(L, f))
	return 1
}

// ioLines is io.lines: with a name, the lines of that file, closed at the
// end; without, the lines of the default input.
func (lib *ioLib) ioLines(L *lua.LState) int {
	if L.GetTop() == 0 || L.Get(1) == lua.LNil {
		return lib.linesOf(L, lib.check(L, lib.input, "input"), false)
	}
	name := L.CheckString(1)
	f, err := lib.open(L, name, "r")
	if err != nil {
		var ce confineError
		if errors.As(err, &ce) {
			L.RaiseError("%s", ce.error)
		}
		msg, _ := describe(err)
		host.ArgError(L, 1, "%s: %s", name, msg) // Lua 5.1's words
	}
	return lib.linesOf(L, f, true)
}

func (lib *ioLib) fileLines(L *lua.LState) int { return lib.linesOf(L, openFile(L), false) }

func (lib *ioLib) linesOf(L *lua.LState, f *luaFile, closeAtEnd bool) int {
	L.Push(L.NewFunction(func(L *lua.LState) int {
		if f.closed {
			L.RaiseError("file is already closed")
		}
		line, ok := lib.readLine(L, f)
		if err := f.err; err != nil {
			// Lua 5.1's lines raises what read would return.
			f.err = nil
			msg, _ := describe(err)
			L.RaiseError("%s: %s", f.name, msg)
		}
		if !ok {
			if closeAtEnd {
				f.Close()
			}
			L.Push(lua.LNil)
			return 1
		}
		L.Push(lua.LString(line))
		return 1
	}))
	return 1
}

func (lib *ioLib) fileRead(L *lua.LState) int { return lib.read(L, openFile(L), 2) }

func (lib *ioLib) fileWrite(L *lua.LState) int { return lib.write(L, openFile(L), 2) }

// read is file:read and io.read from argument first on: "*l" (the default)
// a line without its end, "*n" a number, "*a" the rest, a count that many
// bytes (0: "" unless at the end). The first that finds nothing is nil and
// ends the results. The "*" may be left out, as Lua 5.2 allows.
func (lib *ioLib) read(L *lua.LState, f *luaFile, first int) int {
	if f.r == nil {
		// as C's fread on a file opened only to write (5.1's words)
		return failure(L, "", syscall.EBADF)
	}
	lib.beforeRead(L, f)
	formats := []lua.LValue{lua.LString("*l")}
	if top := L.GetTop(); top >= first {
		formats = formats[:0]
		for i := first; i <= top; i++ {
			formats = append(formats, L.Get(i))
		}
	}
	n := 0
	for k, format := range formats {
		i := first + k
		var v lua.LValue = lua.LNil
		switch a := format.(type) {
		case lua.LNumber:
			v = lib.readCount(L, f, int64(min(float64(a), 1<<62)))
		case lua.LString:
			// Lua 5.1 looks at the letter after the "*" only: "*all"
			// and "*line" are "*a" and "*l".
			switch option := strings.TrimPrefix(string(a), "*"); option[:min(len(option), 1)] {
			case "l":
				if line, ok := lib.readLine(L, f); ok {
					v = lua.LString(line)
				}
			case "n":
				v = lib.readNumber(L, f)
			case "a":
				v = host.Copy(L, lib.readUpTo(L, f, -1))
			default:
				if !strings.HasPrefix(string(a), "*") {
					L.ArgError(i, "invalid option") // Lua 5.1's words for no "*"
				}
				L.ArgError(i, "invalid format")
			}
		default:
			L.ArgError(i, "invalid option") // neither a count nor a format, as Lua 5.1
		}
		if f.err != nil {
			// As Lua 5.1: a read that fails (a directory, an I/O error)
			// gives nil, the message and the errno instead of its results.
			L.SetTop(first - 1)
			err := f.err
			f.err = nil
			return failure(L, f.name, err)
		}
		L.Push(v)
		n++
		if v == lua.LNil {
			break
		}
	}
	return n
}

// beforeRead prepares f for reading: output still buffered goes first, and
// io.stdin's reads wait under the running code's context.
func (lib *ioLib) beforeRead(L *lua.LState, f *luaFile) {
	f.op.Lock()
	if f.bw != nil && f.bw.Buffered() > 0 {
		f.bw.Flush()
	}
	f.op.Unlock()
	if f.in != nil {
		f.in.ctx = L.Context()
	}
	f.ctx = L.Context()
}

// readFailed raises the interrupt when a read stopped for one, and raises
// any other error of the session's input. A file's error but the end of the
// input is kept for read to return, as Lua 5.1 returns it.
func readFailed(L *lua.LState, f *luaFile, err error) {
	L.CheckInterrupt()
	if err != nil && !errors.Is(err, io.EOF) {
		if f.in != nil {
			msg, _ := describe(err)
			L.RaiseError("io.read: %s", msg)
		}
		f.err = err
	}
}

// readUpTo reads up to limit bytes (all, when limit < 0), in chunks.
func (lib *ioLib) readUpTo(L *lua.LState, f *luaFile, limit int64) []byte {
	var data []byte
	chunk := make([]byte, 64<<10)
	for limit < 0 || int64(len(data)) < limit {
		want := int64(len(chunk))
		if limit >= 0 {
			want = min(want, limit-int64(len(data)))
		}
		n, err := f.r.Read(chunk[:want])
		data = lib.grow(L, data, chunk[:n])
		if err != nil {
			readFailed(L, f, err)
			break
		}
	}
	return data
}

// grow appends what a read got to its result. Every read that can return a
// lot (a line, a count, "*a") grows its result here, chunk by chunk: the one
// place for the memory-limit check of io reads. An interrupt stops a long
// read between chunks.
func (lib *ioLib) grow(L *lua.LState, data, chunk []byte) []byte {
	L.CheckInterrupt()
	if need := len(data) + len(chunk); need > cap(data) {
		// doubled, as append would, but asked of the memory limit first
		// and copied with looks at the interrupt (a read of 200 MB copies
		// 100 MB at its last doubling)
		data = lua.AppendChecked(L, lua.Room(L, max(need, 2*cap(data))), data)
	}
	return append(data, chunk...)
}

func (lib *ioLib) readCount(L *lua.LState, f *luaFile, n int64) lua.LValue {
	if n <= 0 {
		if _, err := f.r.Peek(1); err != nil {
			readFailed(L, f, err)
			return lua.LNil
		}
		return lua.LString("")
	}
	data := lib.readUpTo(L, f, n)
	if len(data) == 0 {
		return lua.LNil
	}
	return host.Copy(L, data)
}

// readLine reads a line without its "\n"; false at the end of the input.
func (lib *ioLib) readLine(L *lua.LState, f *luaFile) (string, bool) {
	if f.r == nil {
		L.RaiseError("%s: file not open for reading", f.name)
	}
	lib.beforeRead(L, f)
	var line []byte
	for {
		part, err := f.r.ReadSlice('\n')
		line = lib.grow(L, line, part)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			readFailed(L, f, err)
			if len(line) == 0 {
				return "", false
			}
		}
		return string(host.Copy(L, bytes.TrimSuffix(line, []byte("\n")))), true
	}
}

// readNumber reads a number as Lua 5.1's read_number, with C's
// fscanf("%lf") (glibc's): blanks, a sign, "inf", "infinity" or "nan", or
// digits, a point and an exponent (hex digits and a "p" exponent after
// "0x"), each character taken only while it can go on to make a number,
// with one character of lookahead. The number is the longest prefix of what
// was taken that strtod reads; nil when there is none (what was taken is
// gone, as in C).
func (lib *ioLib) readNumber(L *lua.LState, f *luaFile) lua.LValue {
	next := func() int {
		c, err := f.r.ReadByte()
		if err != nil {
			readFailed(L, f, err)
			return -1
		}
		return int(c)
	}
	c := next()
	for c == ' ' || c >= '\t' && c <= '\r' {
		c = next()
	}
	if c < 0 {
		return lua.LNil
	}
	var buf []byte
	take := func() {
		buf = append(buf, byte(c))
		if len(buf)&0xffff == 0 {
			L.CheckInterrupt()
			L.CheckAlloc(2 * len(buf))
		}
		c = next()
	}
	lower := func() int { return c | 0x20 }
	sign := ""
	if c == '-' || c == '+' {
		sign = string(rune(c))
		take()
	}
	// "inf", "infinity" and "nan": a word cut short fails.
	word := func(rest string) bool {
		for i := 0; i < len(rest); i++ {
			if lower() != int(rest[i]) {
				return false
			}
			take()
		}
		return true
	}
	switch lower() {
	case 'n':
		if !word("nan") {
			return lua.LNil
		}
		if c >= 0 {
			f.r.UnreadByte()
		}
		return lua.LNumber(math.Copysign(math.NaN(), signOf(sign)))
	case 'i':
		if !word("inf") {
			return lua.LNil
		}
		if lower() == 'i' && !word("inity") {
			return lua.LNil
		}
		if c >= 0 {
			f.r.UnreadByte()
		}
		return lua.LNumber(math.Inf(int(signOf(sign))))
	}
	hex, digit, dot, exp := false, false, false, false
	expChar := 'e'
	if c == '0' {
		take()
		if lower() == 'x' {
			take()
			hex, expChar = true, 'p'
		} else {
			digit = true
		}
	}
	for {
		switch {
		case c >= '0' && c <= '9', hex && !exp && lower() >= 'a' && lower() <= 'f':
			digit = true
		case exp && (c == '-' || c == '+') && buf[len(buf)-1]|0x20 == byte(expChar):
		case digit && !exp && lower() == int(expChar):
			exp, dot = true, true
		case c == '.' && !dot:
			dot = true
		default:
			if c >= 0 {
				f.r.UnreadByte()
			}
			if hex && len(buf) == 2+len(sign) {
				return lua.LNil // "0x" alone, as glibc
			}
			return strtodPrefix(string(buf), hex)
		}
		take()
	}
}

func signOf(sign string) float64 {
	if sign == "-" {
		return -1
	}
	return 1
}

// strtodPrefix is the number C's strtod reads at the start of s, which
// readNumber took: [sign] digits [. digits] [e [sign] digits], hex digits
// and "p" after "0x"; nil when strtod reads nothing. Go's ParseFloat takes
// whole numbers only, and a hex one only with its exponent.
func strtodPrefix(s string, hex bool) lua.LValue {
	for ; s != ""; s = s[:len(s)-1] {
		t := s
		if hex && strings.ContainsAny(t, "xX") && !strings.ContainsAny(t, "pP") {
			t += "p0"
		}
		v, err := strconv.ParseFloat(t, 64)
		if err == nil || errors.Is(err, strconv.ErrRange) {
			return lua.LNumber(v)
		}
	}
	return lua.LNil
}

// write is file:write and io.write: strings and numbers, in order.
func (lib *ioLib) write(L *lua.LState, f *luaFile, first int) int {
	if f.w == nil {
		// the arguments checked first, then C's fwrite's EBADF, as 5.1
		for i := first; i <= L.GetTop(); i++ {
			L.CheckString(i)
		}
		return failure(L, "", syscall.EBADF)
	}
	f.op.Lock()
	defer f.op.Unlock()
	if f.r != nil && f.f != nil && f.r.Buffered() > 0 {
		// What was read ahead is given back, so the write lands where the
		// script has read up to.
		f.f.Seek(-int64(f.r.Buffered()), io.SeekCurrent)
		f.r.Reset(f.raw)
	}
	// One write for the whole call: on the session it is one piece of
	// output, as print's line is. Past writeJoined bytes each string is
	// written as it is, without a copy, a megabyte at a time: a copy of
	// them all could pass the memory limit, and Ctrl-C must not wait for
	// the whole write.
	// An argument that is not a string or number is an error once those
	// before it are written, as Lua 5.1 writes them one by one.
	parts := make([]string, 0, L.GetTop()-first+1)
	size, bad := 0, 0
	for i := first; i <= L.GetTop() && bad == 0; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			parts = append(parts, string(v))
		case lua.LNumber:
			parts = append(parts, v.String())
		default:
			bad = i
			continue
		}
		size += len(parts[len(parts)-1])
	}
	err := writeParts(L, f.w, parts, size)
	if bad != 0 {
		L.CheckInterrupt()
		L.TypeError(bad, lua.LTString)
	}
	if err != nil {
		L.CheckInterrupt()
		return failure(L, "", err)
	}
	L.Push(lua.LTrue)
	return 1
}

// writeJoined is the size up to which write joins its arguments into one
// write.
const writeJoined = 64 << 10

// writeParts writes parts, size bytes in all, to w: up to writeJoined bytes
// in one write, as one piece of output; past that each part in place,
// without a copy, a megabyte at a time with a look at the interrupt between
// (a copy of them all could pass the memory limit, and Ctrl-C must not wait
// for the whole write). io.write and print.
func writeParts(L *lua.LState, w io.Writer, parts []string, size int) error {
	if size <= writeJoined {
		buf := make([]byte, 0, size)
		for _, p := range parts {
			buf = append(buf, p...)
		}
		_, err := w.Write(buf)
		return err
	}
	for _, p := range parts {
		if err := fslib.WritePieces(fslib.Context(L), w, unsafe.Slice(unsafe.StringData(p), len(p))); err != nil {
			return err
		}
	}
	return nil
}

var whences = map[string]int{"set": io.SeekStart, "cur": io.SeekCurrent, "end": io.SeekEnd}

func (lib *ioLib) fileSeek(L *lua.LState) int {
	f := openFile(L)
	opt := L.OptString(2, "cur")
	whence, ok := whences[opt]
	if !ok {
		L.ArgError(2, fmt.Sprintf("invalid option '%s' (expected set, cur or end)", opt))
	}
	offset := L.OptInt64(3, 0)
	f.op.Lock()
	defer f.op.Unlock()
	var seeker io.ReadSeeker
	switch {
	case f.f != nil:
		seeker = f.f
	case f.mem != nil:
		seeker = f.mem
	default:
		return failure(L, "", syscall.ESPIPE)
	}
	if f.bw != nil {
		if err := f.bw.Flush(); err != nil {
			return failure(L, "", err)
		}
	}
	if f.r != nil && whence == io.SeekCurrent {
		offset -= int64(f.r.Buffered())
	}
	pos, err := seeker.Seek(offset, whence)
	if err != nil {
		return failure(L, "", err)
	}
	if f.r != nil {
		if f.raw != nil {
			f.r.Reset(f.raw)
		} else {
			f.r.Reset(seeker)
		}
	}
	L.Push(lua.LNumber(pos))
	return 1
}

func (lib *ioLib) fileSetvbuf(L *lua.LState) int {
	f := openFile(L)
	mode := L.CheckString(2)
	switch mode {
	case "no", "full", "line":
	default:
		L.ArgError(2, fmt.Sprintf("invalid option '%s' (expected no, full or line)", mode))
	}
	f.op.Lock()
	defer f.op.Unlock()
	if f.raw != nil && f.w != nil {
		if f.bw != nil {
			f.bw.Flush()
		}
		if mode == "no" {
			f.bw, f.w = nil, f.raw
		} else {
			// The size is a hint, as in C: kept within 16 B to 1 MB, so
			// that setvbuf("full", 2^40) cannot allocate a terabyte
			// (a Go out-of-memory crash, past the memory limit).
			f.bw = bufio.NewWriterSize(f.raw, min(max(L.OptInt(3, 4096), 16), 1<<20))
			f.w = f.bw
			if mode == "line" {
				f.w = lineWriter{f.bw}
			}
		}
	}
	L.Push(lua.LTrue)
	return 1
}

// lineWriter is a file's writer in setvbuf's "line" mode: what it has
// buffered goes out at each newline written, as C's line buffering does
// (it was "full": a log another program reads showed nothing until the
// buffer filled).
type lineWriter struct{ bw *bufio.Writer }

func (w lineWriter) Write(p []byte) (int, error) {
	i := bytes.LastIndexByte(p, '\n')
	if i < 0 {
		return w.bw.Write(p)
	}
	// up to the last newline goes out; the rest waits for the next
	n, err := w.bw.Write(p[:i+1])
	if err == nil {
		err = w.bw.Flush()
	}
	if err != nil {
		return n, err
	}
	m, err := w.bw.Write(p[i+1:])
	return n + m, err
}

// osRemove and osRename work under the confinement, as fs does, on the
// entries named (a symlink, not its target); the root itself cannot be
// removed.
func osRemove(L *lua.LState) int {
	name := L.CheckString(1)
	target, err := fslib.LocateEntry(L, name)
	if err != nil {
		return refusal(L, err)
	}
	if target.IsRoot(host.Of(L)) {
		return refusal(L, fmt.Errorf("%s: cannot remove the script root", name))
	}
	if err := target.Remove(fslib.Context(L)); err != nil {
		return failure(L, name, err)
	}
	L.Push(lua.LTrue)
	return 1
}

func osRename(L *lua.LState) int {
	from, to := L.CheckString(1), L.CheckString(2)
	src, err := fslib.LocateEntry(L, from)
	if err != nil {
		return refusal(L, err)
	}
	dst, err := fslib.LocateEntry(L, to)
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return failure(L, from, pe.Err) // rename(2)'s error, said of from
	}
	if err != nil {
		return refusal(L, err)
	}
	if err := fslib.Move(host.Of(L), fslib.Context(L), src, dst); err != nil {
		return failure(L, from, err)
	}
	L.Push(lua.LTrue)
	return 1
}

// osTmpname creates an empty file with a fresh name in the script root and
// returns its name, relative to the root, as Lua's does in /tmp.
func osTmpname(L *lua.LState) int {
	root, err := fslib.Path(L, ".", fslib.Write)
	if err != nil {
		L.RaiseError("unable to generate a unique filename: %s", err)
	}
	f, err := os.CreateTemp(root, "lua_")
	if err != nil {
		L.RaiseError("unable to generate a unique filename: %s", err)
	}
	f.Close()
	L.Push(lua.LString(filepath.Base(f.Name())))
	return 1
}
