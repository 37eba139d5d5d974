// Package host is what the runtime hands to its Lua modules: the event loop, the
// script root, the output, and a way to call Lua back from the loop. Modules find
// it with Of(L). It imports the loop and gopher-lua, never interp itself, so that
// interp can import the modules.
package host

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/loop"
	lua "github.com/yuin/gopher-lua"
)

// Host belongs to one Lua state; a soft reset makes a new one. Its methods are
// for the loop goroutine, which owns the state.
type Host struct {
	Loop      *loop.Loop
	Root      string    // absolute path of the script root
	Grants    Grants    // files beyond the root that Lua may use
	Out       io.Writer // where print, io.write and io.stdout write
	Err       io.Writer // where io.stderr writes
	Start     time.Time // when the runtime started, on the loop's clock (ticks count from it)
	AllowExec bool
	Board     hal.Board // the pins and buses the hardware modules open

	// Mount returns the mount that serves the script root from elsewhere
	// (moonctl mount), or nil while the root is the board's own. It may
	// change between two calls; nil Mount means never mounted.
	Mount func() Mount

	// ReadLine reads a line of the user's input for io.read (and the
	// like): the session's when there is one, else the process's stdin.
	ReadLine LineReader

	// Stopping is closed when the runtime is being stopped (Ctrl-C or
	// SIGTERM from the command line): closing what the script opened,
	// at a soft reset or the exit, waits for nothing more from then on
	// (a client's unacknowledged publishes). Nil never closes.
	Stopping <-chan struct{}

	// SoftReset asks the runtime for a soft reset (board.reset()): the
	// running code unwinds and whoever runs the runtime resets it.
	SoftReset func()

	// Invoke calls fn as a callback from the loop (a timer, a pin edge) under
	// the runtime's interrupt and error handling. The runtime sets it.
	Invoke func(fn *lua.LFunction, args ...lua.LValue) error

	// Report reports an error as a callback's error is reported (a
	// script run from the command line then ends with status 1). Loop
	// goroutine. The runtime sets it; modules call Fail.
	Report func(err error)

	dead bool
}

// Grants are the paths beyond the script root that Lua may use, given with
// --allow-read and --allow-write: absolute, cleaned, and covering everything
// under them. A write grant lets Lua read there too.
type Grants struct{ Read, Write []string }

// Mount is a script root served from elsewhere: moonctl mount serves a
// directory of the computer over the session. Names are slash-separated,
// cleaned and relative to the root ("." is the root itself); the mount
// keeps them inside its directory itself. Errors wrap fs.ErrNotExist and the
// like where that is the reason. A call waits for the answer until ctx ends
// (an interrupt), the mount ends or its timeout passes. Loop goroutine.
type Mount interface {
	Stat(ctx context.Context, name string) (fs.FileInfo, error)
	// ReadFile reads a regular file whole. It calls room with the file's
	// size before it makes room for it, and again if the file grows while
	// it reads; room may raise a Lua error (the memory limit).
	ReadFile(ctx context.Context, name string, room func(size int64)) ([]byte, error)
	ReadDir(ctx context.Context, name string) ([]fs.DirEntry, error)
	// Where names the mount in messages: "the computer's /home/me/app".
	Where() string

	// Writable reports whether the mount takes writes (moonctl mount
	// --rw); without, Lua's writes in the root are refused before they
	// reach it.
	Writable() bool
	// WriteFile replaces the file with data, whole or not at all, or
	// with appendTo adds data at its end; either creates it.
	WriteFile(ctx context.Context, name string, data []byte, appendTo bool) error
	// Mkdir makes a directory and its parents; one already there is fine.
	Mkdir(ctx context.Context, name string) error
	// Remove removes a file, an empty directory or a symlink itself.
	Remove(ctx context.Context, name string) error
	// Rename renames an entry (a symlink itself) within the mount.
	Rename(ctx context.Context, from, to string) error
}

// CurrentMount is h.Mount(), or nil when h has none.
func (h *Host) CurrentMount() Mount {
	if h.Mount == nil {
		return nil
	}
	return h.Mount()
}

// LineReader reads one line of input after writing prompt, and returns it
// without its end of line. It fails with io.EOF at the end of the input
// (Ctrl-D on an empty line) and with ctx's error when ctx ends first (Ctrl-C
// interrupts the running code by cancelling its context). It is called on
// the loop goroutine, from Lua.
type LineReader func(ctx context.Context, prompt string) (string, error)

const registryKey = "moonpin.host"

// Attach makes h the host of L.
func Attach(L *lua.LState, h *Host) {
	ud := L.NewUserData()
	ud.Value = h
	L.SetField(L.Get(lua.RegistryIndex), registryKey, ud)
}

// Of returns the host of L; it raises a Lua error when L has none (a module
// loaded into a bare state).
func Of(L *lua.LState) *Host {
	if ud, ok := L.GetField(L.Get(lua.RegistryIndex), registryKey).(*lua.LUserData); ok {
		if h, ok := ud.Value.(*Host); ok {
			return h
		}
	}
	L.RaiseError("this module needs the moonpin runtime")
	return nil
}

// Tracked is embedded in what a module hands Lua for a resource the script
// opened (a pin, a bus, a client): it keeps the resource on the list that a
// soft reset closes until the script closes it itself.
type Tracked struct{ untrack func() }

// Track puts self, the resource that embeds t, on h's soft-reset list.
func (t *Tracked) Track(h *Host, self io.Closer) { t.untrack = h.Loop.Track(self) }

// Untrack takes the resource off the list; calling it again does nothing.
func (t *Tracked) Untrack() {
	if t.untrack != nil {
		t.untrack()
		t.untrack = nil
	}
}

// Describer is implemented by the Go value of a handle (the userdata's
// Value) to say at the REPL what a user wants to know about it: "GPIO17
// (out, 1)", "I2C1". It is called on the loop goroutine.
type Describer interface{ Describe() string }

// DefineType registers the metatable of the userdata type typeName, for a
// module's Loader: methods are its __index, and tostring describes a value
// (the userdata's Value, a T) for print and tostring.
func DefineType[T any](L *lua.LState, typeName string, methods map[string]lua.LGFunction, tostring func(T) string) {
	mt := L.NewTypeMetatable(typeName)
	L.SetField(mt, "__index", Methods(L, typeName, mt, methods))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		v, ok := L.CheckUserData(1).Value.(T)
		if !ok {
			L.ArgError(1, typeName+" expected")
		}
		L.Push(lua.LString(tostring(v)))
		return 1
	}))
}

// Methods returns the table of a handle type's methods, each of which
// first checks that its first argument is a handle of the type (a userdata
// whose metatable is mt): a method called on something else, most often
// led.write(1) for led:write(1), fails naming the ':' (it failed on its
// second argument: "expected 0, 1, true or false, got nil").
func Methods(L *lua.LState, typeName string, mt *lua.LTable, methods map[string]lua.LGFunction) *lua.LTable {
	t := L.CreateTable(0, len(methods))
	for name, fn := range methods {
		t.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			if ud, ok := L.Get(1).(*lua.LUserData); !ok || ud.Metatable != lua.LValue(mt) {
				L.ArgError(1, fmt.Sprintf("%s expected, got %s; call a method with ':', as x:%s(...)", typeName, L.Get(1).Type(), name))
			}
			return fn(L)
		}))
	}
	return t
}

// Module returns the table of a module's functions, each of which first
// checks that it was not called with ':' on the module itself: gpio:pin(...)
// failed on an argument it never meant ("string expected, got table"), and
// json:encode(t) went on to encode the module. name is the module's global
// name; upvalues are the functions' upvalues, as for L.SetFuncs.
func Module(L *lua.LState, name string, fns map[string]lua.LGFunction, upvalues ...lua.LValue) *lua.LTable {
	mod := L.CreateTable(0, len(fns))
	for fname, fn := range fns {
		mod.RawSetString(fname, L.NewClosure(func(L *lua.LState) int {
			if L.Get(1) == lua.LValue(mod) {
				L.ArgError(1, fmt.Sprintf("%s.%s is a function, not a method: call it with '.', as %s.%s(...)", name, fname, name, fname))
			}
			return fn(L)
		}, upvalues...))
	}
	return mod
}

// NewHandle returns v as a userdata with the metatable registered as
// typeName (DefineType or L.NewTypeMetatable in the module's Loader).
func NewHandle(L *lua.LState, typeName string, v any) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = v
	L.SetMetatable(ud, L.GetTypeMetatable(typeName))
	return ud
}

// Kill marks the host dead: callbacks queued before a soft reset then do
// nothing instead of touching a closed state.
func (h *Host) Kill() { h.dead = true }

// Dead reports whether the state this host served is gone.
func (h *Host) Dead() bool { return h.dead }

// Fail reports err through Report unless the host is dead: an error that
// ended something the script set going (a pin's watch whose driver failed),
// where no Lua code is there to catch it.
func (h *Host) Fail(err error) {
	if h.dead || h.Report == nil {
		return
	}
	h.Report(err)
}

// Callback runs fn with args through Invoke unless the host is dead. It
// returns Invoke's error, already reported by the runtime.
func (h *Host) Callback(fn *lua.LFunction, args ...lua.LValue) error {
	if h.dead || h.Invoke == nil {
		return nil
	}
	return h.Invoke(fn, args...)
}

// Sleep waits d while the loop runs callbacks; an interrupt raises a Lua error
// in L. Blocking builtins use it (or select on L.Context().Done() themselves)
// because gopher-lua checks for cancellation only between instructions.
func (h *Host) Sleep(L *lua.LState, d time.Duration) {
	var done <-chan struct{}
	if ctx := L.Context(); ctx != nil {
		done = ctx.Done()
	}
	if err := h.Loop.Sleep(done, d); err != nil {
		RaiseCancel(L)
	}
}

// RaiseCancel raises the error that cancelled L's context ("interrupted",
// "memory limit exceeded ..."), as gopher-lua does between instructions.
func RaiseCancel(L *lua.LState) {
	msg := "interrupted"
	if ctx := L.Context(); ctx != nil && ctx.Err() != nil {
		msg = ctx.Err().Error()
	}
	L.RaiseError("%s", msg)
}

// ArgError raises "bad argument #n to 'fname' (msg)" for module functions that
// check more than a type.
func ArgError(L *lua.LState, n int, format string, args ...any) {
	L.ArgError(n, fmt.Sprintf(format, args...))
}

// CheckOptions raises an argument error for a key of the options table
// tbl, argument n, that is not among keys: a typo such as {speed = 1e6}
// for {hz = 1e6} would otherwise pass silently.
func CheckOptions(L *lua.LState, tbl *lua.LTable, n int, keys ...string) {
	CheckKeys(L, tbl, n, "option", keys...)
}

// CheckKeys is CheckOptions for a table within the options, whose keys the
// error calls what: "unknown will option paylod (did you mean payload?);
// will options are ...".
func CheckKeys(L *lua.LState, tbl *lua.LTable, n int, what string, keys ...string) {
	tbl.ForEach(func(k, _ lua.LValue) {
		s, ok := k.(lua.LString)
		if ok && slices.Contains(keys, string(s)) {
			return
		}
		guess := ""
		if ok {
			if g := Suggest(string(s), keys); g != "" {
				guess = " (did you mean " + g + "?)"
			}
		}
		sorted := slices.Sorted(slices.Values(keys))
		ArgError(L, n, "unknown %s %s%s; %ss are %s", what, hal.Quote(k.String()), guess, what, strings.Join(sorted, ", "))
	})
}

// Suggest returns the one name among names that got was likely meant to
// be, or "" when none or several are: one that differs from got in case
// only, one that got begins (temp for temperature, debounce for
// debounce_ms), or one a typo away (adr, paylod, retian: an edit or two
// for a name of more than five letters, one for a shorter one).
func Suggest(got string, names []string) string {
	if got == "" || len(got) > 64 {
		return ""
	}
	pick := func(match func(name string) bool) string {
		found := ""
		for _, name := range names {
			if match(name) {
				if found != "" && found != name {
					return ""
				}
				found = name
			}
		}
		return found
	}
	if g := pick(func(name string) bool { return strings.EqualFold(name, got) }); g != "" {
		return g
	}
	if len(got) >= 3 {
		if g := pick(func(name string) bool { return strings.HasPrefix(name, got) }); g != "" {
			return g
		}
	}
	for d := 1; d <= 2; d++ {
		g := pick(func(name string) bool {
			most := 1
			if len(name) > 5 {
				most = 2
			}
			return d <= most && editDistance(got, name) == d
		})
		if g != "" {
			return g
		}
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
