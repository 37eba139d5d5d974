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
	rw    bool
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

func (m *mapMount) ReadFile(_ context.Context, name string, room func(int64)) ([]byte, error) {
	m.ask(name)
	if fi, err := fs.Stat(m.fsys, name); err == nil {
		room(fi.Size())
	}
	return fs.ReadFile(m.fsys, name)
}

func (m *mapMount) ReadDir(_ context.Context, name string) ([]fs.DirEntry, error) {
	m.ask(name)
	return fs.ReadDir(m.fsys, name)
}

func (m *mapMount) Where() string { return "the test's map" }

func (m *mapMount) Writable() bool { return m.rw }

func (m *mapMount) WriteFile(_ context.Context, name string, data []byte, appendTo bool) error {
	m.ask(name)
	f := m.fsys[name]
	if f == nil || !appendTo {
		f = &fstest.MapFile{}
		m.fsys[name] = f
	}
	f.Data = append(f.Data, data...)
	return nil
}

func (m *mapMount) Mkdir(_ context.Context, name string) error {
	m.ask(name)
	m.fsys[name] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	return nil
}

func (m *mapMount) Remove(_ context.Context, name string) error {
	m.ask(name)
	if m.fsys[name] == nil {
		return fs.ErrNotExist
	}
	delete(m.fsys, name)
	return nil
}

func (m *mapMount) Rename(_ context.Context, from, to string) error {
	m.ask(from)
	m.ask(to)
	m.fsys[to] = m.fsys[from]
	delete(m.fsys, from)
	return nil
}

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

// With --rw, every route that writes in the root writes to the mount.
func TestMountTakesWritesWhenWritable(t *testing.T) {
	root := t.TempDir()
	rt, out := interptest.New(t, &interp.Options{Root: root})
	m := &mapMount{rw: true, fsys: fstest.MapFS{"old.txt": {Data: []byte("old")}}}
	rt.SetMount(m)
	code := `
fs.write("a.txt", "one") fs.append("a.txt", "+two")
fs.mkdir("dir") fs.rename("old.txt", "dir/old.txt")
local f = assert(io.open("w.txt", "w")) f:write("w1") f:flush() f:write("w2") f:close()
f = assert(io.open("a.txt", "a")) f:write("+three") f:close()
assert(os.rename("w.txt", "dir/w.txt")) assert(os.remove("dir/old.txt"))
assert(io.open("x.txt", "w")):close()
local ok, err = io.open("a.txt", "r+")
assert(not ok and err:find("open the file", 1, true), err)
ok, err = pcall(fs.remove, ".")
assert(not ok and err:find("cannot remove the script root", 1, true), err)
print(fs.read("a.txt"), fs.read("dir/w.txt"), fs.exists("dir/old.txt"), #fs.read("x.txt"))
`
	if err := rt.Exec("writes", code); err != nil {
		t.Fatalf("%v\noutput: %s", err, out)
	}
	if got := out.String(); got != "one+two+three\tw1w2\tfalse\t0\n" {
		t.Fatalf("printed %q", got)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Fatalf("the board's root got %v", entries)
	}
}
