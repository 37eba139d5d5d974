// Package fs is the Lua `fs` module: files under the script root, and
// Confine, the check every Lua route to a file goes through (by way of
// Locate, which also sends a path in the root to a mount: moonctl mount
// serves the root from the computer while it lasts). Paths are
// relative to the root; absolute paths, `..` that climbs out of it and
// symlinks that point outside it are errors unless --allow-read or
// --allow-write granted the place. Writes are atomic (a temporary
// file renamed into place), so a crash or power cut leaves the old content or
// the new, never half of it.
package fs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/moonpin/moonpin/hal"
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
	L.Push(host.Module(L, "fs", builtins))
	return 1
}

// Access is what Lua wants to do with a file: read it, or also write,
// create or remove it.
type Access int

const (
	Read Access = iota
	Write
	// hostAccess is the file channel's (Resolve): as Write, and its
	// refusals name no flag.
	hostAccess
)

// Confine is the one check every route from Lua to a file goes through (io,
// os.remove and the like, require, dofile, this module): it turns a script's
// path into a host path, or says why Lua may not use it.
//
// Paths are relative to root; a path may also name, absolutely or through
// "..", a place granted by g (write grants allow reading too). Under root the
// path's deepest existing ancestor must resolve, through symlinks, to
// somewhere under root; a grant covers paths as written, symlinks under it
// included (so --allow-read /sys/class/thermal reaches the thermal zones,
// which are symlinks into /sys/devices). The path need not exist.
func Confine(root string, g host.Grants, name string, access Access) (string, error) {
	if access != Read {
		wrote.Store(true)
	}
	if len(name) > maxPath {
		// The system refuses it anyway (ENAMETOOLONG); said here, the
		// error does not carry a megabyte of path, twice (name and hint).
		return "", fmt.Errorf("%s: a path of %d bytes is longer than the %d a path may have", hal.Quoted(name), len(name), maxPath)
	}
	if name == "" {
		if access != hostAccess {
			// as the system says of "" (it was the script root: io.open("")
			// opened it)
			return "", &fs.PathError{Op: "open", Path: name, Err: syscall.ENOENT}
		}
		name = "." // the file channel's root
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", fmt.Errorf("script root: %w", err)
	}
	absolute := filepath.IsAbs(name) || strings.HasPrefix(name, "/")
	abs := filepath.Clean(filepath.FromSlash(name))
	if !absolute {
		abs = filepath.Join(root, abs)
	}
	base := root
	if absolute {
		base = "/"
	}
	if granted(g, abs, access) {
		return asWritten(abs, name, base, func(dir string) bool { return granted(g, dir, Read) })
	}
	if !within(abs, root) && !within(abs, realRoot) {
		if under, ok := readOnly(g, abs, access); ok {
			return "", fmt.Errorf("%s: only reading is granted under %s; start moonpin with --allow-write %s to write there", name, under, abs)
		}
		if absolute {
			return "", fmt.Errorf("%s: absolute paths are not allowed outside the script root; paths are relative to it%s", name, hint(abs, access))
		}
		return "", fmt.Errorf("%s: path leaves the script root%s", name, hint(abs, access))
	}
	real, err := realPath(abs)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if within(real, realRoot) || granted(g, real, access) {
		return asWritten(real, name, base, func(dir string) bool {
			r, err := realPath(dir)
			return err == nil && (within(r, realRoot) || granted(g, r, Read))
		})
	}
	return "", fmt.Errorf("%s: path leads out of the script root (through a symlink)%s", name, hint(real, access))
}

// asWritten returns path, which Confine made of name by cleaning it as
// text, failing where the system would have failed name as written:
// "data.txt/", "data.txt/." and "data.txt/.." name no directory (ENOTDIR),
// and "nodir/../x" goes through a directory that is not there (ENOENT).
// Cleaned, they were "data.txt" and "x", so os.remove("data.txt/")
// removed the file and os.rename("a", "b/") replaced b. A name that ends
// in "/" keeps it, so that the system still takes it for a directory. base
// is where a relative name starts (the script root; "/" for an absolute
// one); seen says which directories may be looked at (the places name may
// reach: no probing of the rest of the host through the errors).
func asWritten(path, name, base string, seen func(dir string) bool) (string, error) {
	slashed := filepath.ToSlash(name)
	parts := strings.Split(slashed, "/")
	prefix := ""
	for i, part := range parts {
		// what comes before "." or ".." must be a directory there; before a
		// last "/", a directory or nothing yet (rename("d", "new/") makes it)
		last := part == "" && i == len(parts)-1
		if (part == "." || part == ".." || last) && prefix != "" {
			dir := filepath.Join(base, prefix)
			if seen(dir) {
				fi, err := os.Stat(dir)
				switch {
				case err != nil && !last:
					return "", &fs.PathError{Op: "open", Path: name, Err: syscall.ENOENT}
				case err == nil && !fi.IsDir():
					return "", &fs.PathError{Op: "open", Path: name, Err: syscall.ENOTDIR}
				}
			}
		}
		if part != "" {
			prefix = filepath.Join(prefix, filepath.FromSlash(part))
		}
	}
	if strings.HasSuffix(slashed, "/") && !strings.HasSuffix(path, string(filepath.Separator)) {
		path += string(filepath.Separator)
	}
	return path, nil
}

// maxPath is Linux's PATH_MAX: the longest path the system takes.
const maxPath = 4096

// wrote is set once Lua asks for a path to write, create or remove.
var wrote atomic.Bool

// Wrote reports whether Lua in this process has asked Confine for a path
// to write, create or remove (refused or not): a run that has not needs no
// sync of the file system at its end.
func Wrote() bool { return wrote.Load() }

// ConfineEntry is Confine for the directory entry name itself rather than
// what a symlink there points to: removing or renaming a link changes only
// its directory, so only the directory must be confined, and the link goes
// wherever it points (out of the root too) while its target is never touched.
func ConfineEntry(root string, g host.Grants, name string, access Access) (string, error) {
	if strings.HasSuffix(name, "/") {
		// A directory, as the system takes it: through a symlink too.
		return Confine(root, g, name, access)
	}
	var shape *fs.PathError
	if _, err := Confine(root, g, name, access); errors.As(err, &shape) {
		return "", err // "nodir/../x", "data.txt/.." (see asWritten)
	}
	clean := filepath.Clean(filepath.FromSlash(name))
	base := filepath.Base(clean)
	if name == "" || base == "." || base == ".." || base == string(filepath.Separator) {
		return Confine(root, g, name, access)
	}
	dir, err := Confine(root, g, filepath.Dir(clean), access)
	if err != nil {
		// Said of the path asked for.
		if _, whole := Confine(root, g, name, access); whole != nil {
			return "", whole
		}
		return "", err
	}
	return filepath.Join(dir, base), nil
}

// Resolve confines name to root alone, with no grants: the file channel
// (moonctl's cp, ls, rm) works on the script root only, and its refusals
// say so rather than name a flag that grants Lua more (--allow-read and
// --allow-write do not reach the file channel).
func Resolve(root, name string) (string, error) {
	return Confine(root, host.Grants{}, name, hostAccess)
}

// ResolveEntry is ConfineEntry for the file channel, as Resolve is Confine.
func ResolveEntry(root, name string) (string, error) {
	return ConfineEntry(root, host.Grants{}, name, hostAccess)
}

// Path confines name for the Lua state L's host, to a file of the board:
// while a mount serves the root, a path in it is refused (reads go through
// Locate, which sees the mount).
func Path(L *lua.LState, name string, access Access) (string, error) {
	h := host.Of(L)
	if err := onBoard(h, name, access); err != nil {
		return "", err
	}
	return Confine(h.Root, h.Grants, name, access)
}

// onBoard refuses a path in a mounted root for a use that needs the
// board's file.
func onBoard(h *host.Host, name string, access Access) error {
	m := h.CurrentMount()
	if m == nil {
		return nil
	}
	if _, in := inRoot(h.Root, name); !in {
		return nil
	}
	if access == Write && !m.Writable() {
		return mountReadOnly(name, m)
	}
	return fmt.Errorf("%s: the script root is %s (moonctl mount); this call works on the board's files only", name, m.Where())
}

// realPath resolves the symlinks of the deepest existing ancestor of abs.
func realPath(abs string) (string, error) {
	existing, rest := abs, ""
	for {
		if _, err := os.Lstat(existing); err == nil {
			break
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			break
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = parent
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		// A dangling symlink on the way: said without the host path it
		// leads to (Go's error names it), which is not the script's to see.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return "", fmt.Errorf("a symlink on the way leads nowhere: %w", pe.Err)
		}
		return "", err
	}
	return filepath.Join(real, rest), nil
}

func within(path, dir string) bool {
	return path == dir || dir == string(filepath.Separator) || strings.HasPrefix(path, dir+string(filepath.Separator))
}

func granted(g host.Grants, path string, access Access) bool {
	for _, dir := range g.Write {
		if within(path, dir) {
			return true
		}
	}
	if access == Read {
		for _, dir := range g.Read {
			if within(path, dir) {
				return true
			}
		}
	}
	return false
}

// readOnly reports the read grant covering path when a write was refused.
func readOnly(g host.Grants, path string, access Access) (string, bool) {
	if access != Write {
		return "", false
	}
	for _, dir := range g.Read {
		if within(path, dir) {
			return dir, true
		}
	}
	return "", false
}

// hint says which flag would allow the access.
func hint(abs string, access Access) string {
	if access == hostAccess {
		return "; moonctl's file commands reach only the files under the script root"
	}
	flag := "--allow-read"
	if access == Write {
		flag = "--allow-write"
	}
	return fmt.Sprintf("; start moonpin with %s %s to allow it", flag, abs)
}

// locate checks argument n and locates it for reading, raising a Lua
// error naming fname.
func locate(L *lua.LState, n int, fname string) Target {
	return located(L, n, fname, func(name string) (Target, error) { return Locate(L, name, Read) })
}

// target checks argument n and locates it for writing, raising a Lua
// error naming fname.
func target(L *lua.LState, n int, fname string) Target {
	return located(L, n, fname, func(name string) (Target, error) { return Locate(L, name, Write) })
}

// entry is target for the entry itself (see LocateEntry).
func entry(L *lua.LState, n int, fname string) Target {
	return located(L, n, fname, func(name string) (Target, error) { return LocateEntry(L, name) })
}

// located checks argument n and finds it with find, raising a Lua error
// naming fname. This module's "" is the script root (io.open's is no
// file, as the system's); a path the system would fail ("data.txt/") fails
// as an OS error does.
func located(L *lua.LState, n int, fname string, find func(name string) (Target, error)) Target {
	name := L.CheckString(n)
	where := name
	if where == "" {
		where = "."
	}
	t, err := find(where)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		fail(L, fname, name, pe.Err)
	}
	if err != nil {
		L.RaiseError("fs.%s: %s", fname, err)
	}
	return t
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
	L.RaiseError("fs.%s: %s: %s", fname, shown(name), reason)
}

// shown is a path as an error names it: the empty path, which is the script
// root, said so rather than left as nothing between two colons.
func shown(name string) string {
	if name == "" {
		return `"" (the script root)`
	}
	return name
}

func read(L *lua.LState) int {
	data, err := locate(L, 1, "read").ReadFileFor(L)
	if err != nil {
		fail(L, "read", L.ToString(1), err)
	}
	// The string is the buffer's bytes, not a copy: nothing else holds
	// the buffer, made the file's size, and a copy doubled the read's peak
	// past the memory limit that allowed the file (80 MB for a 40 MB file
	// under a 64 MB limit).
	L.Push(host.Owned(data))
	return 1
}

// write(path, data) replaces the file atomically; append(path, data) adds to it.
func write(L *lua.LState, appendTo bool) int {
	fname := map[bool]string{false: "write", true: "append"}[appendTo]
	t := target(L, 1, fname)
	data := L.CheckString(2)
	// A third argument was data left out or a mode ignored: fs.write(p,
	// a, b) wrote a alone, and fs.write(p, s, "a") replaced the file it
	// was meant to add to.
	if L.Get(3) != lua.LNil {
		hint := "; to add to the end of a file, use fs.append(path, data)"
		if appendTo {
			hint = ""
		}
		host.ArgError(L, 3, "fs.%s takes a path and one string; join the pieces with .. first%s", fname, hint)
	}
	// WriteFile only reads data: the string's own bytes, not a copy.
	err := t.WriteFile(Context(L), unsafe.Slice(unsafe.StringData(data), len(data)), appendTo)
	if err != nil {
		L.CheckInterrupt()
		fail(L, fname, L.ToString(1), err)
	}
	return 0
}

// WriteAtomic writes data to a temporary file (see CreateTemp: in the
// script root's TempDir, or beside path), syncs it and renames it over path.
func WriteAtomic(root, path string, data []byte) error {
	return writeAtomic(context.Background(), root, path, data)
}

// writeAtomic is WriteAtomic that gives up, leaving the file as it was,
// when ctx ends (see WritePieces).
func writeAtomic(ctx context.Context, root, path string, data []byte) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("is a directory")
	}
	tmp, err := CreateTemp(root, path)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := WritePieces(ctx, tmp, data); err != nil {
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
	return Replace(tmp.Name(), path)
}

// list(dir) returns the sorted names in dir (default the root).
func list(L *lua.LState) int {
	if L.GetTop() == 0 {
		L.Push(lua.LString("."))
	}
	entries, err := locate(L, 1, "list").ReadDir(Context(L))
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

// stat(path) returns {type=, size=, mtime=} or nil and a message when the
// path does not exist; type is "file" or "dir", or for what neither fs.read
// nor fs.list takes "fifo", "character device", "block device", "socket" or
// "special file" (a FIFO said "file", and fs.read of it then "it is a
// FIFO").
func stat(L *lua.LState) int {
	fi, err := locate(L, 1, "stat").Stat(Context(L))
	if errors.Is(err, fs.ErrNotExist) {
		L.Push(lua.LNil)
		L.Push(lua.LString(L.ToString(1) + ": no such file or directory"))
		return 2
	}
	if err != nil {
		fail(L, "stat", L.ToString(1), err)
	}
	t := L.NewTable()
	t.RawSetString("type", lua.LString(statType(fi.Mode())))
	t.RawSetString("size", lua.LNumber(fi.Size()))
	t.RawSetString("mtime", lua.LNumber(fi.ModTime().Unix()))
	L.Push(t)
	return 1
}

// statType is fs.stat's type for mode (a symlink's target is what stat
// looks at): "file", "dir", or what kind says of the rest, in lower case.
func statType(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "file"
	case m.IsDir():
		return "dir"
	}
	return strings.ToLower(kind(m))
}

func exists(L *lua.LState) int {
	_, err := locate(L, 1, "exists").Stat(Context(L))
	L.Push(lua.LBool(err == nil))
	return 1
}

// remove(path) deletes a file, an empty directory or a symlink (never what
// it points to).
func remove(L *lua.LState) int {
	t := entry(L, 1, "remove")
	if t.IsRoot(host.Of(L)) {
		L.RaiseError("fs.remove: cannot remove the script root")
	}
	if err := t.Remove(Context(L)); err != nil {
		fail(L, "remove", L.ToString(1), err)
	}
	return 0
}

func rename(L *lua.LState) int {
	from, to := entry(L, 1, "rename"), entry(L, 2, "rename")
	if err := Move(host.Of(L), Context(L), from, to); err != nil {
		fail(L, "rename", L.ToString(1), err)
	}
	return 0
}

// mkdir(path) creates a directory and any missing parents; an existing
// directory is fine.
func mkdir(L *lua.LState) int {
	if err := target(L, 1, "mkdir").Mkdir(Context(L)); err != nil {
		fail(L, "mkdir", L.ToString(1), err)
	}
	return 0
}
