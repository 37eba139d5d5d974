package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moonpin/moonpin/repl/client"
)

// mount serves DIR as the device's script root for the rest of the chain
// (see client.Mount); moonctl ends the mount when it leaves. Last in the
// chain, it opens the REPL: a mount that ended at once would be no use.
func (s *session) mount(rw bool, args []string) error {
	if s.mountDir != "" {
		return usagef("mount: %s is mounted already; one mount at a time", s.mountDir)
	}
	dir, err := filepath.Abs(args[0])
	if err != nil {
		return localError("mount", args[0], err)
	}
	if fi, err := os.Stat(dir); err != nil {
		return localError("mount", args[0], err)
	} else if !fi.IsDir() {
		return fmt.Errorf("mount: %s is not a directory", args[0])
	}
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	if err := c.Mount(s.ctx, dir, rw); err != nil {
		return err
	}
	s.mountDir = dir
	if s.last {
		return s.repl(false, nil)
	}
	return nil
}

// mountedName returns file's name in the mounted directory when a mount
// is served and file lies in it: run then has the board run it from the
// mount (dofile), so that it reads as main.lua does there.
func (s *session) mountedName(file string) (string, bool) {
	if s.mountDir == "" {
		return "", false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(s.mountDir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// unmount gives the device its own root back, as moonctl leaves.
func (s *session) unmount(c *client.Client) error {
	if !c.Mounted() {
		return nil
	}
	s.raw = true
	ctx, cancel := s.closingContext()
	defer cancel()
	return c.Unmount(ctx)
}
