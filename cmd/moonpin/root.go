package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
)

// prepareRoot makes sure the REPL has a script root to stand on. A root
// that does not exist is created (an empty root is a fresh device); one that
// cannot be used (not a directory, unreadable, not creatable) is replaced by
// an empty temporary directory, removed by cleanup. notices say what
// happened, for stderr and the banner.
func prepareRoot(dir string) (root string, notices []string, cleanup func(), err error) {
	cleanup = func() {}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, cleanup, fmt.Errorf("script root %s: %w", dir, err)
	}
	problem := checkRoot(abs)
	if errors.Is(problem, fs.ErrNotExist) {
		mkErr := os.MkdirAll(abs, 0o755)
		if mkErr == nil {
			return abs, []string{fmt.Sprintf("script root %s did not exist; created it empty", abs)}, cleanup, nil
		}
		problem = fmt.Errorf("it does not exist and cannot be created: %w", mkErr)
	}
	if problem == nil {
		return abs, nil, cleanup, nil
	}
	tmp, err := os.MkdirTemp("", "moonpin-root-")
	if err != nil {
		return "", nil, cleanup, fmt.Errorf("script root %s: %v; and no temporary root either: %w", abs, problem, err)
	}
	notice := fmt.Sprintf("script root %s: %v; using an empty temporary root, %s, deleted when moonpin stops", abs, problem, tmp)
	return tmp, []string{notice}, func() { os.RemoveAll(tmp) }, nil
}

// checkRoot says what is wrong with dir as a script root, if anything.
func checkRoot(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return fmt.Errorf("%w%s", err, accessHint(err))
	}
	if !fi.IsDir() {
		return errors.New("not a directory")
	}
	if _, err := os.ReadDir(dir); err != nil {
		return fmt.Errorf("%w%s", err, accessHint(err))
	}
	return nil
}

func accessHint(err error) string {
	if !errors.Is(err, fs.ErrPermission) {
		return ""
	}
	name := fmt.Sprintf("uid %d", os.Getuid())
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return fmt.Sprintf("; may user %s read it?", name)
}
