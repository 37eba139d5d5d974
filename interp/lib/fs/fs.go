// Package fs is the Lua `fs` module: files under the script root. Paths are
// relative to the root; absolute paths, `..` that climbs out of it and
// symlinks that point outside it are errors. Writes are atomic (a temporary
// file renamed into place), so a crash or power cut leaves the old content or
// the new, never half of it.
package fs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

// TempPrefix starts the names of files being written; list hides them.
const TempPrefix = ".~moonpin-"

var builtins = map[string]lua.LGFunction{
	"read":   read,
	"write":  func(L *lua.LState) int { return write(L, false) },
	"append": func(L *lua.LState) int { return write(L, true) },
	"list":   list,
	"stat":   stat,
	"exists": exists,
	"remove": remove,
	"rename": rename,
	"mkdir":  mkdir,
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	L.Push(L.SetFuncs(L.NewTable(), builtins))
	return 1
}

// Resolve turns a script path into a host path inside root, or explains why it
// may not be used. The path need not exist; its deepest existing ancestor must
// resolve (through symlinks) to somewhere inside root.
func Resolve(root, name string) (string, error) {
	if name == "" {
		name = "."
	}
	if filepath.IsAbs(name) || strings.HasPrefix(name, "/") {
		return "", fmt.Errorf("%s: absolute paths are not allowed; paths are relative to the script root", name)
	}
	clean := filepath.Clean(filepath.FromSlash(name))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: path leaves the script root", name)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", fmt.Errorf("script root: %w", err)
	}
	full := filepath.Join(realRoot, clean)
	// Walk up to the deepest part that exists and check where it really is.
	existing, rest := full, ""
	for {
		if _, err := os.Lstat(existing); err == nil {
			break
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = filepath.Dir(existing)
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if real != realRoot && !strings.HasPrefix(real, realRoot+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: path leads out of the script root (through a symlink)", name)
	}
	return filepath.Join(real, rest), nil
}

// path checks argument n and resolves it, raising a Lua error naming fname.
func path(L *lua.LState, n int, fname string) string {
	name := L.CheckString(n)
	full, err := Resolve(host.Of(L).Root, name)
	if err != nil {
		L.RaiseError("fs.%s: %s", fname, err)
	}
	return full
}

// fail raises a Lua error for an OS error with the script's path, not the host's.
func fail(L *lua.LState, fname, name string, err error) {
	var reason string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		reason = "no such file or directory"
	case errors.Is(err, fs.ErrExist):
		reason = "already exists"
	case errors.Is(err, fs.ErrPermission):
		reason = "permission denied"
	default:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		var le *os.LinkError
		if errors.As(err, &le) {
			err = le.Err
		}
		reason = err.Error()
	}
	L.RaiseError("fs.%s: %s: %s", fname, name, reason)
}

func read(L *lua.LState) int {
	full := path(L, 1, "read")
	data, err := os.ReadFile(full)
	if err != nil {
		fail(L, "read", L.ToString(1), err)
	}
	L.Push(lua.LString(data))
	return 1
}

// write(path, data) replaces the file atomically; append(path, data) adds to it.
func write(L *lua.LState, appendTo bool) int {
	fname := map[bool]string{false: "write", true: "append"}[appendTo]
	full := path(L, 1, fname)
	data := L.CheckString(2)
	if appendTo {
		f, err := os.OpenFile(full, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err == nil {
			_, err = f.WriteString(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fail(L, fname, L.ToString(1), err)
		}
		return 0
	}
	if err := WriteAtomic(full, []byte(data)); err != nil {
		fail(L, fname, L.ToString(1), err)
	}
	return 0
}

// WriteAtomic writes data to a temporary file beside path, syncs it and
// renames it over path.
func WriteAtomic(path string, data []byte) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("is a directory")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), TempPrefix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// list(dir) returns the sorted names in dir (default the root).
func list(L *lua.LState) int {
	if L.GetTop() == 0 {
		L.Push(lua.LString("."))
	}
	full := path(L, 1, "list")
	entries, err := os.ReadDir(full)
	if err != nil {
		fail(L, "list", L.ToString(1), err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), TempPrefix) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	t := L.CreateTable(len(names), 0)
	for _, n := range names {
		t.Append(lua.LString(n))
	}
	L.Push(t)
	return 1
}

// stat(path) returns {type="file"|"dir", size=, mtime=} or nil and a message
// when the path does not exist.
func stat(L *lua.LState) int {
	full := path(L, 1, "stat")
	fi, err := os.Stat(full)
	if errors.Is(err, fs.ErrNotExist) {
		L.Push(lua.LNil)
		L.Push(lua.LString(L.ToString(1) + ": no such file or directory"))
		return 2
	}
	if err != nil {
		fail(L, "stat", L.ToString(1), err)
	}
	t := L.NewTable()
	kind := "file"
	if fi.IsDir() {
		kind = "dir"
	}
	t.RawSetString("type", lua.LString(kind))
	t.RawSetString("size", lua.LNumber(fi.Size()))
	t.RawSetString("mtime", lua.LNumber(fi.ModTime().Unix()))
	L.Push(t)
	return 1
}

func exists(L *lua.LState) int {
	_, err := os.Stat(path(L, 1, "exists"))
	L.Push(lua.LBool(err == nil))
	return 1
}

// remove(path) deletes a file or an empty directory.
func remove(L *lua.LState) int {
	full := path(L, 1, "remove")
	if filepath.Clean(full) == filepath.Clean(mustRoot(L)) {
		L.RaiseError("fs.remove: cannot remove the script root")
	}
	if err := os.Remove(full); err != nil {
		fail(L, "remove", L.ToString(1), err)
	}
	return 0
}

func mustRoot(L *lua.LState) string {
	root, err := filepath.EvalSymlinks(host.Of(L).Root)
	if err != nil {
		L.RaiseError("fs: script root: %s", err)
	}
	return root
}

func rename(L *lua.LState) int {
	from, to := path(L, 1, "rename"), path(L, 2, "rename")
	if err := os.Rename(from, to); err != nil {
		fail(L, "rename", L.ToString(1), err)
	}
	return 0
}

// mkdir(path) creates a directory and any missing parents; an existing
// directory is fine.
func mkdir(L *lua.LState) int {
	full := path(L, 1, "mkdir")
	if err := os.MkdirAll(full, 0o755); err != nil {
		fail(L, "mkdir", L.ToString(1), err)
	}
	return 0
}
