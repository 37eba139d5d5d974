package lua

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"os"
	"strconv"
	"unsafe"
)

type LValueType int

const (
	LTNil LValueType = iota
	LTBool
	LTNumber
	LTString
	LTFunction
	LTUserData
	LTThread
	LTTable
	LTChannel
)

var lValueNames = [9]string{"nil", "boolean", "number", "string", "function", "userdata", "thread", "table", "channel"}

func (vt LValueType) String() string {
	return lValueNames[int(vt)]
}

type LValue interface {
	String() string
	Type() LValueType
}

// LVIsFalse returns true if a given LValue is a nil or false otherwise false.
func LVIsFalse(v LValue) bool { return v == LNil || v == LFalse }

// LVIsFalse returns false if a given LValue is a nil or false otherwise true.
func LVAsBool(v LValue) bool { return v != LNil && v != LFalse }

// LVAsString returns string representation of a given LValue
// if the LValue is a string or number, otherwise an empty string.
func LVAsString(v LValue) string {
	switch sn := v.(type) {
	case LString, LNumber:
		return sn.String()
	default:
		return ""
	}
}

// LVCanConvToString returns true if a given LValue is a string or number
// otherwise false.
func LVCanConvToString(v LValue) bool {
	switch v.(type) {
	case LString, LNumber:
		return true
	default:
		return false
	}
}

// LVAsNumber tries to convert a given LValue to a number.
func LVAsNumber(v LValue) LNumber {
	switch lv := v.(type) {
	case LNumber:
		return lv
	case LString:
		if num, err := parseNumber(string(lv)); err == nil {
			return num
		}
	}
	return LNumber(0)
}

type LNilType struct{}

func (nl *LNilType) String() string   { return "nil" }
func (nl *LNilType) Type() LValueType { return LTNil }

var LNil = LValue(&LNilType{})

type LBool bool

func (bl LBool) String() string {
	if bool(bl) {
		return "true"
	}
	return "false"
}
func (bl LBool) Type() LValueType { return LTBool }

var LTrue = LBool(true)
var LFalse = LBool(false)

type LString string

func (st LString) String() string   { return string(st) }
func (st LString) Type() LValueType { return LTString }

// fmt.Formatter interface
func (st LString) Format(f fmt.State, c rune) {
	switch c {
	case 'd', 'i':
		if nm, err := parseNumber(string(st)); err != nil {
			defaultFormat(nm, f, 'd')
		} else {
			defaultFormat(string(st), f, 's')
		}
	default:
		defaultFormat(string(st), f, c)
	}
}

// String formats nm as Lua 5.1 does (LUAI_NUMFFORMAT, "%.14g"): 1e+15,
// inf, -inf, nan or -nan (as C's printf shows the sign of a NaN). moonpin:
// upstream used Go's formatting (1000000000000000, +Inf, NaN, 17 digits);
// print, tostring, .., string.format's %s, table.concat and the REPL all
// come here.
func (nm LNumber) String() string {
	f := float64(nm)
	// Integers of up to 14 digits print in full under %.14g.
	if i := int64(f); float64(i) == f && i > -1e14 && i < 1e14 && (i != 0 || !math.Signbit(f)) {
		return strconv.FormatInt(i, 10)
	}
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f != f:
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 14, 64)
}

func (nm LNumber) Type() LValueType { return LTNumber }

// fmt.Formatter interface
func (nm LNumber) Format(f fmt.State, c rune) {
	switch c {
	case 'q', 's':
		defaultFormat(nm.String(), f, c)
	case 'b', 'c', 'd', 'o', 'x', 'X', 'U':
		defaultFormat(int64(nm), f, c)
	case 'e', 'E', 'f', 'F', 'g', 'G':
		defaultFormat(float64(nm), f, c)
	case 'i':
		defaultFormat(int64(nm), f, 'd')
	default:
		if isInteger(nm) {
			defaultFormat(int64(nm), f, c)
		} else {
			defaultFormat(float64(nm), f, c)
		}
	}
}

type LTable struct {
	// Metatable is the table's metatable, nil for none (moonpin: a
	// pointer, not an LValue holding LNil, so that a table is 32 bytes).
	Metatable *LTable

	// the array part, tb.arr(), as a pointer and two lengths rather than a
	// slice header (moonpin). The lengths' top bits hold the small part's
	// length and capacity (see tb.aLen, tb.sCap): a table is 32 bytes, not
	// 48, and {x = 1, y = 2}, its two values after it and its keys in a
	// shared shape, 64 rather than 96.
	arrayp       *LValue
	alens, acaps uint32
	// more is a shaped table's shape, whose keys go with the values in the
	// room right after the table (tb.shapedPart()); or the small part's
	// entries (tb.smallPart()); or, once the small part is outgrown, the
	// maps (tb.hashPart()): a table with a small part has a small
	// capacity; one with maps has none (moonpin).
	more unsafe.Pointer
}

func (tb *LTable) String() string   { return fmt.Sprintf("table: %p", tb) }
func (tb *LTable) Type() LValueType { return LTTable }

type LFunction struct {
	IsG       bool
	Env       *LTable
	Proto     *FunctionProto
	GFunction LGFunction
	Upvalues  []*Upvalue
}
type LGFunction func(*LState) int

func (fn *LFunction) String() string   { return fmt.Sprintf("function: %p", fn) }
func (fn *LFunction) Type() LValueType { return LTFunction }

type Global struct {
	MainThread    *LState
	CurrentThread *LState
	Registry      *LTable
	Global        *LTable

	// Tick (moonpin), when set, is called on the state's goroutine each time
	// the VM looks at the context: on entry and every 256 instructions. It
	// is where code that must not race the VM (reading the current line for
	// a watchdog) gets to run while a script loops.
	Tick func(L *LState)

	// gcStepped is the KB of work collectgarbage("step") has done since the
	// last collection it ran (moonpin; see baseCollectGarbage).
	gcStepped float64

	// MemCheck (moonpin), when set, is asked by builtins before they
	// allocate n bytes at once (string.rep, table.concat, gsub's result...)
	// and returns an error if that would pass the memory limit; the builtin
	// raises it instead of allocating. See LState.CheckAlloc.
	MemCheck func(L *LState, n int) error

	builtinMts map[int]LValue
	tempFiles  []*os.File
	gccount    int32

	// loading (moonpin) is require's mark in package.loaded for a module
	// being loaded, and random is math.random's generator: the state's
	// own, as nothing a script can reach may be shared with another state
	// (see loadingMark, stateRand).
	loading *LUserData
	random  *rand.Rand
}

type LState struct {
	G       *Global
	Parent  *LState
	Env     *LTable
	Panic   func(*LState)
	Dead    bool
	Options Options

	stop         int32
	reg          *registry
	stack        callFrameStack
	alloc        *allocator
	currentFrame *callFrame
	wrapped      bool
	uvcache      *Upvalue
	hasErrorFunc bool
	// goCalls counts the Lua calls made from Go (callR) that are running
	// on this thread; a yield is refused while it is above zero.
	goCalls int
	// goBase counts those of the threads that resumed this one, and one
	// for each resume, as 5.1's lua_setlevel and lua_resume carry
	// nCcalls into a coroutine (moonpin; see maxGoCalls).
	goBase int
	// tailYielded: the thread yielded from a tail call in its outermost
	// function; resuming it ends it, returning the values it is given.
	tailYielded bool
	// hook is the thread's debug hook (moonpin_hook.go), nil when none;
	// inHook is set while the hook function runs (no hooks then), and
	// hooked is hook != nil && !inHook, the one flag the VM looks at.
	hook   *luaHook
	inHook bool
	hooked bool
	// hookSwitch: the VM handler returned 1 to switch loops, not to end
	// the loop (a Go function it called set a hook).
	hookSwitch bool
	// yieldFrame is the frame of the yield a suspended coroutine waits in
	// (popped from its stack), level 0 of its stack for the debug library
	// as in Lua 5.1; inYield says it is valid.
	yieldFrame  callFrame
	inYield     bool
	mainLoop    func(*LState, *callFrame)
	ctx         context.Context
	ctxCancelFn context.CancelFunc
}

func (ls *LState) String() string   { return fmt.Sprintf("thread: %p", ls) }
func (ls *LState) Type() LValueType { return LTThread }

type LUserData struct {
	Value     interface{}
	Env       *LTable
	Metatable LValue
}

func (ud *LUserData) String() string   { return fmt.Sprintf("userdata: %p", ud) }
func (ud *LUserData) Type() LValueType { return LTUserData }

type LChannel chan LValue

func (ch LChannel) String() string   { return fmt.Sprintf("channel: %p", ch) }
func (ch LChannel) Type() LValueType { return LTChannel }
