package fs

import (
	"context"
	"fmt"
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
			if access == Write {
				return Target{}, mountReadOnly(name, m)
			}
			return Target{Mount: m, Name: rel}, nil
		}
	}
	full, err := Confine(h.Root, h.Grants, name, access)
	return Target{Path: full}, err
}

func mountReadOnly(name string, m host.Mount) error {
	return fmt.Errorf("%s: the script root is %s, mounted read-only by moonctl mount; writes are refused until it ends", name, m.Where())
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

// ReadFile reads the target whole where it is a regular file (see
// ReadRegular).
func (t Target) ReadFile(ctx context.Context) ([]byte, error) {
	if t.Mount != nil {
		return t.Mount.ReadFile(ctx, t.Name)
	}
	return ReadRegular(t.Path)
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
