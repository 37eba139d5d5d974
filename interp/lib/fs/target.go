package fs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

// Target is where a script's path leads: a file of the board, or, while
// moonctl mount serves the script root from the computer, a name in that
// mount. Every route from Lua that reads a file (require, dofile, loadfile,
// io.open and io.lines for reading, fs.read, fs.list, fs.stat, fs.exists)
// reads through a Target, so a mount is seen by all of them alike.
type Target struct {
	Path  string     // on the board; "" for a name in Mount
	Root  string     // the script root, whose TempDir an atomic write of Path uses
	Mount host.Mount // nil for the board's own files
	Name  string     // the name in Mount
}

// Locate is Confine for L's host, with its mount: see LocateFor.
func Locate(L *lua.LState, name string, access Access) (Target, error) {
	return LocateFor(host.Of(L), name, access)
}

// LocateFor confines name for h. While a mount serves the root, a path in
// the root (relative, or absolute under the root, as package.path's
// templates are) names a file in the mount, the board's own root is out of
// sight, and writing there is refused: the mount is read-only. Paths beyond
// the root go to the board's files that --allow-read and --allow-write
// granted, as without a mount.
func LocateFor(h *host.Host, name string, access Access) (Target, error) {
	if m := h.CurrentMount(); m != nil {
		if rel, ok := inRoot(h.Root, name); ok {
			if access == Write && !m.Writable() {
				return Target{}, mountReadOnly(name, m)
			}
			return Target{Mount: m, Name: rel}, nil
		}
	}
	full, err := Confine(h.Root, h.Grants, name, access)
	return Target{Path: full, Root: h.Root}, err
}

// LocateEntry is Locate for the directory entry name itself (see
// ConfineEntry): what removing or renaming it changes.
func LocateEntry(L *lua.LState, name string) (Target, error) {
	h := host.Of(L)
	if m := h.CurrentMount(); m != nil {
		if _, in := inRoot(h.Root, name); in {
			return LocateFor(h, name, Write)
		}
	}
	full, err := ConfineEntry(h.Root, h.Grants, name, Write)
	return Target{Path: full, Root: h.Root}, err
}

func mountReadOnly(name string, m host.Mount) error {
	return fmt.Errorf("%s: the script root is %s, mounted read-only by moonctl mount; writes are refused until it ends (moonctl mount --rw allows them)", name, m.Where())
}

// IsRoot reports whether t is the script root itself, which cannot be
// removed or renamed.
func (t Target) IsRoot(h *host.Host) bool {
	if t.Mount != nil {
		return t.Name == "."
	}
	root, err := filepath.EvalSymlinks(h.Root)
	return err == nil && filepath.Clean(t.Path) == filepath.Clean(root)
}

// WriteFile replaces the target's content with data atomically (see
// WriteAtomic), or with appendTo adds data at its end; either creates it.
// An append that fails (a full disk) or is interrupted cuts the file back
// to its length before, so a record is in it whole or not at all; a
// mount's computer does the same (see repl/client's mountServer.write).
// (Two appenders to one file at once can still interleave.)
func (t Target) WriteFile(ctx context.Context, data []byte, appendTo bool) error {
	if t.Mount != nil {
		return t.Mount.WriteFile(ctx, t.Name, data, appendTo)
	}
	if !appendTo {
		return writeAtomic(ctx, t.Root, t.Path, data)
	}
	f, err := os.OpenFile(t.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	size, err := f.Seek(0, io.SeekEnd)
	if err == nil {
		err = WritePieces(ctx, f, data)
		if err != nil {
			if terr := f.Truncate(size); terr != nil {
				err = fmt.Errorf("%w; cutting the partial record off failed: %v", err, terr)
			}
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Mkdir makes the target directory and its parents.
func (t Target) Mkdir(ctx context.Context) error {
	if t.Mount != nil {
		return t.Mount.Mkdir(ctx, t.Name)
	}
	return os.MkdirAll(t.Path, 0o755)
}

// Remove removes the target entry (see LocateEntry).
func (t Target) Remove(ctx context.Context) error {
	if t.Mount != nil {
		return t.Mount.Remove(ctx, t.Name)
	}
	return os.Remove(t.Path)
}

// Move renames the entry from to the entry to for h's script (os.rename,
// fs.rename): Rename, after the checks that the confinement needs. The root
// cannot be moved or replaced. A grant follows symlinks and the root does
// not, so only a regular file may go from the root into a grant: a symlink,
// or a directory holding one, would lead out of both once there.
func Move(h *host.Host, ctx context.Context, from, to Target) error {
	if from.IsRoot(h) || to.IsRoot(h) {
		return errors.New("cannot rename the script root")
	}
	if from.Mount == nil && to.Mount == nil && !granted(h.Grants, from.Path, Write) && granted(h.Grants, to.Path, Write) {
		if info, err := os.Lstat(from.Path); err == nil && !info.Mode().IsRegular() {
			return fmt.Errorf("only a regular file can be moved out of the script root into %s (a %s could lead out of both); copy what it holds instead", filepath.Dir(to.Path), kind(info.Mode()))
		}
	}
	return from.Rename(ctx, to)
}

// Rename renames the target entry to the entry to; both must be in the
// mount, or both on the board.
func (t Target) Rename(ctx context.Context, to Target) error {
	switch {
	case t.Mount != nil && to.Mount == t.Mount:
		return t.Mount.Rename(ctx, t.Name, to.Name)
	case t.Mount == nil && to.Mount == nil:
		return Rename(t.Path, to.Path)
	}
	return errors.New("cannot rename between the mounted root and the board's files; copy and remove instead")
}

// inRoot returns name relative to root, slash-separated, when it lies in
// the root; a mount keeps the name inside its own directory too.
func inRoot(root, name string) (string, bool) {
	if name == "" {
		name = "."
	}
	abs := filepath.Clean(filepath.FromSlash(name))
	if !filepath.IsAbs(abs) && !strings.HasPrefix(name, "/") {
		abs = filepath.Join(root, abs)
	}
	dirs := []string{root}
	if real, err := filepath.EvalSymlinks(root); err == nil && real != root {
		dirs = append(dirs, real)
	}
	for _, dir := range dirs {
		if within(abs, dir) {
			rel, err := filepath.Rel(dir, abs)
			if err == nil {
				return filepath.ToSlash(rel), true
			}
		}
	}
	return "", false
}

// Stat is os.Stat of the target.
func (t Target) Stat(ctx context.Context) (fs.FileInfo, error) {
	if t.Mount != nil {
		return t.Mount.Stat(ctx, t.Name)
	}
	return os.Stat(t.Path)
}

// ReadFileFor reads the target whole, where it is a regular file, for a
// script's call, with ReadRegularFor's checks against L's memory limit and
// interrupt; a file of the computer's (a mount) is checked as its size
// comes.
func (t Target) ReadFileFor(L *lua.LState) ([]byte, error) {
	if t.Mount != nil {
		return t.Mount.ReadFile(Context(L), t.Name, func(size int64) { checkRoom(L, size) })
	}
	return ReadRegularFor(L, t.Path)
}

// ReadDir is os.ReadDir of the target.
func (t Target) ReadDir(ctx context.Context) ([]fs.DirEntry, error) {
	if t.Mount != nil {
		return t.Mount.ReadDir(ctx, t.Name)
	}
	return os.ReadDir(t.Path)
}

// Context is L's context, which an interrupt ends, for a Target's calls.
func Context(L *lua.LState) context.Context {
	if ctx := L.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
