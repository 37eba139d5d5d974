package interp_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
)

// mapMount is a host.Mount over an in-memory tree that records the names
// it was asked for.
type mapMount struct {
	fsys  fstest.MapFS
	mu    sync.Mutex
	asked []string
}

func (m *mapMount) ask(name string) {
	m.mu.Lock()
	m.asked = append(m.asked, name)
	m.mu.Unlock()
}

func (m *mapMount) Stat(_ context.Context, name string) (fs.FileInfo, error) {
	m.ask(name)
	return fs.Stat(m.fsys, name)
}

func (m *mapMount) ReadFile(_ context.Context, name string) ([]byte, error) {
	m.ask(name)
	return fs.ReadFile(m.fsys, name)
}

func (m *mapMount) ReadDir(_ context.Context, name string) ([]fs.DirEntry, error) {
	m.ask(name)
	return fs.ReadDir(m.fsys, name)
}

func (m *mapMount) Where() string { return "the test's map" }

// Every route by which Lua reads a file in the root reads the mount, and
// only names inside it; every route that writes there is refused; the
// board's root is out of sight while the mount lasts and back after it.
func TestMountServesEveryRead(t *testing.T) {
	root, granted := t.TempDir(), t.TempDir()
	for path, body := range map[string]string{
		filepath.Join(root, "data.txt"):     "board",
		filepath.Join(root, "onboard.lua"):  "return 'board'",
		filepath.Join(granted, "grant.txt"): "granted",
	} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rt, out := interptest.New(t, &interp.Options{Root: root, AllowRead: []string{granted}})
	m := &mapMount{fsys: fstest.MapFS{
		"data.txt":     {Data: []byte("mounted\nsecond\n")},
		"m.lua":        {Data: []byte("return 'mod'")},
		"lib/l.lua":    {Data: []byte("return 'lib'")},
		"pkg/init.lua": {Data: []byte("return 'pkg'")},
		"do.lua":       {Data: []byte("return ... or 'done'")},
	}}
	rt.SetMount(m)
	code := `
assert(require("m") == "mod" and require("l") == "lib" and require("pkg") == "pkg")
assert(dofile("do.lua") == "done" and loadfile("do.lua")("arg") == "arg")
assert(dofile(ROOT .. "/do.lua") == "done")
local f = assert(io.open("data.txt", "rb"))
assert(f:read("*l") == "mounted" and f:seek("set", 1) == 1 and f:read(3) == "oun")
f:close()
local lines = {}
for l in io.lines("data.txt") do lines[#lines + 1] = l end
assert(table.concat(lines, ",") == "mounted,second")
assert(fs.read("data.txt") == "mounted\nsecond\n")
assert(table.concat(fs.list(), ",") == "data.txt,do.lua,lib,m.lua,pkg")
assert(fs.stat("lib").type == "dir", fs.stat("lib").type)
assert(fs.stat("data.txt").size == 15, tostring(fs.stat("data.txt").size) .. fs.stat("data.txt").type)
assert(fs.exists("m.lua") and not fs.exists("onboard.lua"))
assert(not pcall(require, "onboard"))
assert(fs.read(GRANTED .. "/grant.txt") == "granted")
for _, write in ipairs{
  function() fs.write("x", "y") end, function() fs.append("data.txt", "y") end,
  function() fs.mkdir("d") end, function() fs.remove("data.txt") end,
  function() fs.rename("data.txt", "e") end, function() assert(io.open("data.txt", "w")) end,
  function() assert(io.open("data.txt", "r+")) end, function() assert(os.remove("m.lua")) end,
  function() assert(os.rename("m.lua", "n.lua")) end, function() os.tmpname() end,
} do
  local ok, err = pcall(write)
  assert(not ok and err:find("mounted read-only by moonctl mount", 1, true), tostring(err))
end
assert(fs.read("../" .. ROOTNAME .. "/data.txt") == "mounted\nsecond\n")
assert(not pcall(fs.read, "../data.txt"))
print("ok")
`
	setup := "ROOT = " + strconv.Quote(root) + "; ROOTNAME = " + strconv.Quote(filepath.Base(root)) + "; GRANTED = " + strconv.Quote(granted)
	if err := rt.Exec("setup", setup); err != nil {
		t.Fatal(err)
	}
	if err := rt.Exec("mounted", code); err != nil {
		t.Fatalf("%v\noutput: %s", err, out)
	}
	for _, name := range m.asked {
		if !fs.ValidPath(name) {
			t.Errorf("the mount was asked for %q, not a clean name inside it", name)
		}
	}
	rt.SetMount(nil)
	if err := rt.Exec("unmounted", `assert(fs.read("data.txt") == "board" and require("onboard") == "board")`); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "data.txt")); string(b) != "board" || strings.Contains(out.String(), "error") {
		t.Fatalf("the board's data.txt holds %q; output %q", b, out)
	}
}
