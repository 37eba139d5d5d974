package interp_test

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	lua "github.com/yuin/gopher-lua"
)

// What the sandbox does with a standard function.
const (
	kept     = "kept"     // as gopher-lua has it: it touches nothing outside the state
	confined = "confined" // reaches files only through fs.Confine
	replaced = "replaced" // moonpin's own version (session output, interrupts, limits)
	removed  = "removed"  // not there
	module   = "module"   // a moonpin module (its own tests cover it)
)

// sandbox lists every global and standard library function, and file
// methods as "file:name", with what the sandbox does with it and, for all but
// the kept ones, a probe: Lua that fails if the function escapes. The probes
// run in a root holding inside.txt ("in"), inside.lua and escape, a symlink
// to OUT, a directory outside it holding secret.txt ("SECRET") and
// passwd.lua (returning "SECRET").
var sandbox = []struct{ name, does, probe string }{
	{"assert", kept, ""},
	{"collectgarbage", kept, `assert(collectgarbage("count") > 0)`},
	{"dofile", confined, `
		assert(not pcall(dofile, OUT .. "/passwd.lua"))
		assert(not pcall(dofile, "escape/passwd.lua"))
		assert(dofile("inside.lua") == "inside")`},
	{"error", kept, ""},
	{"gcinfo", kept, `assert(gcinfo() > 0)`},
	{"getfenv", kept, ""},
	{"getmetatable", kept, ""},
	{"ipairs", kept, ""},
	{"load", kept, ""},
	{"loadfile", confined, `
		assert(loadfile(OUT .. "/passwd.lua") == nil)
		assert(loadfile("escape/passwd.lua") == nil)
		assert(loadfile("../" .. OUTNAME .. "/passwd.lua") == nil)`},
	{"loadstring", kept, `
		-- what it is given came through io.open, which is confined
		local f = io.open("escape/secret.txt")
		assert(f == nil)`},
	{"module", kept, ""},
	{"newproxy", kept, ""},
	{"next", kept, ""},
	{"pairs", kept, ""},
	{"pcall", replaced, `assert(not pcall(error, "x"))`},
	{"print", replaced, `print("to the session")`},
	{"rawequal", kept, ""},
	{"rawget", kept, ""},
	{"rawset", kept, ""},
	{"require", confined, `
		package.path = OUT .. "/?.lua"
		local ok, err = pcall(require, "passwd")
		assert(not ok and not err:find("SECRET"), err)
		package.path = "/etc/?"
		ok, err = pcall(require, "passwd")
		assert(not ok and not err:find("root:"), err)
		package.path = "./?.lua"
		ok, err = pcall(require, "escape.passwd")
		assert(not ok and err:find("out of the script root"), err)
		assert(require("inside") == "inside")`},
	{"select", kept, ""},
	{"setfenv", kept, ""},
	{"setmetatable", kept, ""},
	{"tonumber", kept, ""},
	{"tostring", kept, ""},
	{"type", kept, ""},
	{"unpack", kept, ""},
	{"xpcall", replaced, `assert(not xpcall(error, function(e) return e end))`},
	{"_printregs", removed, `assert(_printregs == nil)`},
	{"channel", removed, `assert(channel == nil and package.loaded.channel == nil)`},

	{"coroutine.create", replaced, `assert(coroutine.resume(coroutine.create(function() end)))`},
	{"coroutine.resume", replaced, `assert(coroutine.resume(coroutine.create(function() end)))`},
	{"coroutine.running", kept, ""},
	{"coroutine.status", kept, ""},
	{"coroutine.wrap", replaced, `assert(coroutine.wrap(function() return 1 end)() == 1)`},
	{"coroutine.yield", kept, ""},

	// gopher-lua's debug functions see the running state's own stack and
	// Lua closures (Go functions have no upvalues for it), and metatables
	// of the state's own values: moonpin's Go code checks what a userdata
	// holds, never trusts its metatable.
	{"debug.getfenv", kept, ""},
	{"debug.gethook", kept, ""},
	{"debug.getinfo", kept, ""},
	{"debug.getlocal", replaced, `
		local a = 5
		assert(debug.getlocal(1, -1) == nil)
		assert(debug.getlocal(1, -100000) == nil)
		assert(debug.getlocal(1, 0) == nil)
		assert(select(2, debug.getlocal(1, 1)) == 5)
		assert(select(2, pcall(debug.getlocal, 1, 1)) == nil) -- pcall's slots
		local co = coroutine.create(function(x) coroutine.yield() end)
		coroutine.resume(co, 7)
		assert(debug.getlocal(co, 0, 1) == nil) -- the yield, a Go function
		assert(select(2, debug.getlocal(co, 1, 1)) == 7)`},
	{"debug.getregistry", removed, `assert(debug.getregistry == nil)`},
	{"debug.getmetatable", kept, `
		local mt = debug.getmetatable(io.stdout)
		debug.setmetatable(io.stdout, nil)
		assert(not pcall(function() io.stdout:write("x") end))
		debug.setmetatable(io.stdout, mt)`},
	{"debug.getupvalue", kept, `assert(debug.getupvalue(print, 1) == nil)`},
	{"debug.setfenv", kept, ""},
	// A hook is Lua code run by the VM under the same interrupt and memory
	// guard (runtime_test.go interrupts a hook that loops).
	{"debug.sethook", kept, ""},
	{"debug.setlocal", replaced, `
		assert(debug.setlocal(1, -3, 7) == nil)
		assert(debug.setlocal(1, 0, 7) == nil)
		assert(select(2, pcall(debug.setlocal, 1, 1, 7)) == nil)`},
	{"debug.setmetatable", kept, ""},
	{"debug.setupvalue", kept, `assert(debug.setupvalue(print, 1, 0) == nil)`},
	{"debug.traceback", kept, `
		local co = coroutine.create(function() error("x") end)
		coroutine.resume(co)
		assert(type(debug.traceback(co)) == "string")`},

	{"io.close", replaced, `assert(io.close(io.open("inside.txt")))`},
	{"io.flush", replaced, `assert(io.flush())`},
	{"io.input", confined, `
		assert(not pcall(io.input, OUT .. "/secret.txt"))
		assert(not pcall(io.input, "escape/secret.txt"))
		io.input("inside.txt")
		assert(io.read() == "in")
		io.input(io.stdin)`},
	{"io.lines", confined, `
		assert(not pcall(io.lines, OUT .. "/secret.txt"))
		assert(not pcall(io.lines, "escape/secret.txt"))
		for l in io.lines("inside.txt") do assert(l == "in") end`},
	{"io.open", confined, `
		local f, err = io.open(OUT .. "/secret.txt")
		assert(f == nil and err:find("allow%-read"), err)
		f, err = io.open("../" .. OUTNAME .. "/secret.txt")
		assert(f == nil and err:find("leaves the script root"), err)
		assert(io.open("escape/secret.txt") == nil)
		assert(io.open(OUT .. "/new.txt", "w") == nil)
		assert(io.open("inside.txt"):read("*a") == "in")`},
	{"io.output", confined, `
		assert(not pcall(io.output, OUT .. "/new.txt"))
		assert(not pcall(io.output, "escape/new.txt"))`},
	{"io.popen", replaced, `
		local ok, err = pcall(io.popen, "cat /etc/passwd")
		assert(not ok and err:find("allow%-exec"), err)`},
	{"io.read", replaced, `assert(io.read() == nil)`},
	{"io.tmpfile", confined, `
		local f = io.tmpfile()
		f:write("x")
		f:seek("set")
		assert(f:read("*a") == "x")
		f:close()`},
	{"io.type", replaced, `assert(io.type(io.stdout) == "file" and io.type(1) == nil)`},
	{"io.write", replaced, `assert(io.write("to the session\n"))`},
	{"file:close", replaced, `assert(io.stdout:close() == nil)`},
	{"file:flush", replaced, `assert(io.stdout:flush())`},
	{"file:lines", replaced, `for l in io.open("inside.txt"):lines() do assert(l == "in") end`},
	{"file:read", replaced, `assert(io.open("inside.txt"):read(1) == "i")`},
	{"file:seek", replaced, `assert(io.open("inside.txt"):seek("end") == 2)`},
	{"file:setvbuf", replaced, `assert(io.stdout:setvbuf("no"))`},
	{"file:write", replaced, `assert(io.stderr:write("to the session\n"))`},

	{"math.abs", kept, ""},
	{"math.acos", kept, ""},
	{"math.asin", kept, ""},
	{"math.atan", kept, ""},
	{"math.atan2", kept, ""},
	{"math.ceil", kept, ""},
	{"math.cos", kept, ""},
	{"math.cosh", kept, ""},
	{"math.deg", kept, ""},
	{"math.exp", kept, ""},
	{"math.floor", kept, ""},
	{"math.fmod", kept, ""},
	{"math.frexp", kept, ""},
	{"math.ldexp", kept, ""},
	{"math.log", kept, ""},
	{"math.log10", kept, ""},
	{"math.max", kept, ""},
	{"math.min", kept, ""},
	{"math.mod", kept, ""},
	{"math.modf", kept, ""},
	{"math.pow", kept, ""},
	{"math.rad", kept, ""},
	{"math.random", kept, ""},
	{"math.randomseed", kept, ""},
	{"math.sin", kept, ""},
	{"math.sinh", kept, ""},
	{"math.sqrt", kept, ""},
	{"math.tan", kept, ""},
	{"math.tanh", kept, ""},

	{"os.clock", kept, ""},
	{"os.date", kept, ""},
	{"os.difftime", kept, ""},
	{"os.execute", replaced, `
		local ok, err = pcall(os.execute, "true")
		assert(not ok and err:find("allow%-exec"), err)`},
	{"os.exit", replaced, ""}, // ends the script: its tests are TestOsExit*
	{"os.getenv", kept, ""},
	{"os.remove", confined, `
		assert(os.remove(OUT .. "/secret.txt") == nil)
		assert(os.remove("escape/secret.txt") == nil)
		assert(os.remove(".") == nil)`},
	{"os.rename", confined, `
		assert(os.rename("inside.txt", OUT .. "/stolen.txt") == nil)
		assert(os.rename("escape/secret.txt", "stolen.txt") == nil)`},
	{"os.setenv", removed, `assert(os.setenv == nil)`},
	{"os.setlocale", kept, ""},
	{"os.time", kept, ""},
	{"os.tmpname", confined, `
		local name = os.tmpname()
		assert(not name:find("/"), name)
		assert(io.open(name, "w"):write("t"))
		assert(os.remove(name))`},

	{"package.loadlib", kept, `assert(select(3, package.loadlib(OUT .. "/x.so", "f")) == "absent")`},
	{"package.seeall", kept, ""},
	{"package.cpath", confined, `
		package.cpath = "/etc/?"
		package.path = "/etc/?"
		local ok, err = pcall(require, "passwd")
		assert(not ok and not err:find("root:"), err)`},

	{"string.byte", kept, ""},
	{"string.char", kept, ""},
	{"string.dump", kept, ""},
	{"string.find", kept, ""},
	{"string.format", kept, ""},
	{"string.gfind", kept, ""},
	{"string.gmatch", kept, ""},
	{"string.gsub", kept, ""},
	{"string.len", kept, ""},
	{"string.lower", kept, ""},
	{"string.match", kept, ""},
	{"string.rep", kept, ""},
	{"string.reverse", kept, ""},
	{"string.sub", kept, ""},
	{"string.upper", kept, ""},

	{"table.concat", kept, ""},
	{"table.foreach", kept, ""},
	{"table.foreachi", kept, ""},
	{"table.getn", kept, ""},
	{"table.insert", kept, ""},
	{"table.maxn", kept, ""},
	{"table.remove", kept, ""},
	{"table.setn", kept, ""},
	{"table.sort", kept, ""},

	{"fs", module, `
		assert(not pcall(fs.read, OUT .. "/secret.txt"))
		assert(not pcall(fs.read, "escape/secret.txt"))
		assert(not pcall(fs.write, OUT .. "/new.txt", "x"))`},
}

// standard are the libraries whose functions the table lists one by one.
var standard = []string{"coroutine", "debug", "io", "math", "os", "package", "string", "table"}

// sandboxRoot makes the probes' root and the directory outside it.
func sandboxRoot(t *testing.T) (root, outside string) {
	root, outside = t.TempDir(), t.TempDir()
	write := func(path, content string) {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "inside.txt"), "in")
	write(filepath.Join(root, "inside.lua"), `return "inside"`)
	write(filepath.Join(outside, "secret.txt"), "SECRET")
	write(filepath.Join(outside, "passwd.lua"), `return "SECRET"`)
	if err := os.Symlink(outside, filepath.Join(root, "escape")); err != nil {
		t.Fatal(err)
	}
	return root, outside
}

// TestSandboxListsEveryFunction walks _G, the standard libraries and the
// file methods at run time: a function the table does not list (a new one in
// gopher-lua) fails, and so does one listed as removed that is there.
func TestSandboxListsEveryFunction(t *testing.T) {
	rt, _ := interptest.New(t, nil)
	var found []string
	err := rt.Do(func(L *lua.LState) error {
		add := func(prefix string, tbl *lua.LTable) {
			tbl.ForEach(func(k, v lua.LValue) {
				if _, ok := v.(*lua.LFunction); ok {
					found = append(found, prefix+k.String())
				}
			})
		}
		L.G.Global.ForEach(func(k, v lua.LValue) {
			switch v := v.(type) {
			case *lua.LFunction:
				found = append(found, k.String())
			case *lua.LTable:
				if slices.Contains(standard, k.String()) {
					add(k.String()+".", v)
				} else if k.String() != "_G" {
					found = append(found, k.String())
				}
			}
		})
		file := L.GetTypeMetatable("FILE*").(*lua.LTable)
		add("file:", file.RawGetString("__index").(*lua.LTable))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	counts := map[string]int{}
	for _, e := range sandbox {
		listed[e.name] = e.does
		counts[e.does]++
	}
	sort.Strings(found)
	for _, name := range found {
		does, ok := listed[name]
		switch {
		case !ok && strings.Contains(name, "."):
			t.Errorf("%s is not in the sandbox table: decide whether it is kept, confined, replaced or removed", name)
		case !ok:
			// Other tables are moonpin's modules; each has its own tests.
		case does == removed:
			t.Errorf("%s is listed as removed but is there", name)
		}
	}
	for _, e := range sandbox {
		if e.does != kept && e.does != removed && e.does != module && !slices.Contains(found, e.name) && !strings.HasPrefix(e.name, "package.cpath") {
			t.Errorf("%s is listed as %s but is not there", e.name, e.does)
		}
	}
	t.Logf("sandbox table: %v", counts)
}

// TestSandboxProbes runs each probe: what the sandbox confines, replaces or
// removes must hold.
func TestSandboxProbes(t *testing.T) {
	for _, e := range sandbox {
		if e.probe == "" {
			if e.does == confined || e.does == removed {
				t.Errorf("%s is %s but has no probe", e.name, e.does)
			}
			continue
		}
		t.Run(e.name, func(t *testing.T) {
			root, outside := sandboxRoot(t)
			rt, _ := interptest.New(t, &interp.Options{Root: root})
			setup := "OUT = " + strconv.Quote(outside) + "; OUTNAME = " + strconv.Quote(filepath.Base(outside))
			if err := rt.Exec("setup", setup); err != nil {
				t.Fatal(err)
			}
			if err := rt.Exec(e.name, e.probe); err != nil {
				t.Fatalf("%s (%s): %v", e.name, e.does, err)
			}
			entries, _ := os.ReadDir(outside)
			var names []string
			for _, en := range entries {
				names = append(names, en.Name())
			}
			if !slices.Equal(names, []string{"passwd.lua", "secret.txt"}) {
				t.Errorf("the directory outside the root now holds %v", names)
			}
			if b, _ := os.ReadFile(filepath.Join(root, "inside.txt")); string(b) != "in" {
				t.Errorf("inside.txt holds %q", b)
			}
		})
	}
}

// TestPackagePathIsRelative: package.path names the script root as "./",
// not by its place on the host, and require still finds modules there and
// in lib/.
func TestPackagePathIsRelative(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "lib", "m.lua"), []byte("return 42"), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, out := interptest.New(t, &interp.Options{Root: root})
	if err := rt.Exec("t.lua", `print(package.path) print(require("m")) print(select(2, pcall(require, "nope")))`); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.Contains(got, root) {
		t.Errorf("the root's host path shows:\n%s", got)
	}
	if !strings.HasPrefix(got, "./?.lua;./?/init.lua;./lib/?.lua;./lib/?/init.lua\n42\n") {
		t.Errorf("output:\n%s", got)
	}
}
