package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/moonpin/moonpin/repl/client"
)

// syncFlags are sync's options.
var syncFlags = []commandFlag{
	{"delete", "also remove device files and directories that DIR does not have"},
	{"reset", "soft-reset after a sync that changed something (boot.lua and main.lua run again)"},
	{"watch", "sync again on every change in DIR until Ctrl-C, showing the device's output between"},
}

// settle is how long sync --watch lets a burst of changes (an editor's
// save: a temporary file, a rename) go on before it syncs once for all.
const settle = 50 * time.Millisecond

// sync makes the device's script root hold what DIR holds (but hidden
// files): changed files are uploaded (sha256 skip), with --delete what DIR
// lacks is removed,
// with --reset the device soft-resets when anything changed, and with
// --watch all of it happens again after each change in DIR.
func (s *session) sync(opts map[string]bool, args []string) error {
	dir := args[0]
	if fi, err := os.Stat(dir); err != nil {
		return localError("sync", dir, err)
	} else if !fi.IsDir() {
		return fmt.Errorf("sync %s: not a directory; sync takes the directory whose files the device's root should hold", dir)
	}
	var w *fsnotify.Watcher
	if opts["watch"] {
		// Before the first sync, so that no change made during it is missed.
		var err error
		if w, err = watchTree(dir); err != nil {
			return err
		}
		defer w.Close()
	}
	for {
		if err := s.syncOnce(dir, opts["delete"], opts["reset"]); err != nil {
			return err
		}
		if w == nil {
			return nil
		}
		if err := s.awaitChange(w, dir); err != nil {
			if s.ctx.Err() != nil {
				return nil // Ctrl-C ends --watch
			}
			return err
		}
	}
}

// syncOnce syncs dir to the device's root once.
func (s *session) syncOnce(dir string, del, reset bool) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	local := map[string]bool{} // device paths DIR has ("." its root)
	changed := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return localError("sync", p, err)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		remote := filepath.ToSlash(rel)
		switch {
		case hidden(d.Name()) && remote != ".":
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		case d.IsDir():
			local[remote] = true
			if remote == "." {
				return nil
			}
			return c.Mkdir(s.ctx, remote)
		case !d.Type().IsRegular():
			return nil
		}
		local[remote] = true
		sent, err := s.syncFile(c, p, remote)
		if sent {
			changed++
		}
		return err
	})
	if err != nil {
		return err
	}
	if del {
		n, err := s.removeExtra(c, ".", local)
		if err != nil {
			return err
		}
		changed += n
	}
	if changed == 0 {
		fmt.Fprintf(s.stdout, "sync %s: up to date\n", dir)
		return nil
	}
	if !reset {
		return nil
	}
	if err := c.Reset(s.ctx); err != nil {
		return err
	}
	s.raw = false
	return nil
}

// hidden names are left out of sync: .git, editors' swap and backup files
// (.main.lua.swp, main.lua~).
func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")
}

// syncFile uploads local as remote unless the device has it already, and
// says whether it did.
func (s *session) syncFile(c *client.Client, local, remote string) (bool, error) {
	data, err := os.ReadFile(local)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil // removed during the walk: the next change says so
		}
		return false, localError("sync", local, err)
	}
	return s.putData(c, data, fmt.Sprintf("%s -> :%s", local, remote), remote)
}

// removeExtra removes what the device has under dir that local lacks, and
// returns how many entries it removed.
func (s *session) removeExtra(c *client.Client, dir string, local map[string]bool) (int, error) {
	entries, err := c.List(s.ctx, dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		p := path.Join(dir, e.Name)
		if !local[p] {
			if err := s.removeAll(c, p, e.Dir); err != nil {
				return n, err
			}
			fmt.Fprintf(s.stdout, "removed :%s\n", escapeControls(p))
			n++
			continue
		}
		if e.Dir {
			m, err := s.removeExtra(c, p, local)
			n += m
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// watchTree watches dir and every directory under it.
func watchTree(dir string) (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("sync --watch: %w", err)
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return w.Add(p)
	})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sync --watch %s: %w", dir, err)
	}
	return w, nil
}

// awaitChange shows what the device prints until something in dir changes
// and the changes settle; new directories are watched too.
func (s *session) awaitChange(w *fsnotify.Watcher, dir string) error {
	c, err := s.conn()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(s.ctx)
	var copied chan error // nil while nothing is copied
	if !s.raw {
		// After a reset main.lua runs: its output is what the user waits for.
		copied = make(chan error, 1)
		go func() { copied <- c.Copy(ctx, s.stdout) }()
	}
	defer func() {
		cancel()
		if copied != nil {
			<-copied
		}
	}()
	var settled <-chan time.Time
	for {
		select {
		case <-s.ctx.Done():
			return s.ctx.Err()
		case err := <-copied:
			// Before cancel: the connection failed, or Ctrl-C.
			copied = nil
			if err == nil {
				err = s.ctx.Err()
			}
			return err
		case err := <-w.Errors:
			return fmt.Errorf("sync --watch %s: %w", dir, err)
		case ev := <-w.Events:
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					_ = w.Add(ev.Name)
				}
			}
			settled = time.After(settle)
		case <-settled:
			return nil
		}
	}
}
