// Package bintest builds the project's commands for tests that run them as a
// user would, over ptys and pipes. Only tests import it.
package bintest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/moonpin/moonpin/internal/mdns"
	"go.uber.org/goleak"
)

// Binary is a command to build: the package directory Pkg, relative to the
// test's, into a file called Name, whose path is then stored in *Path; with
// the build tags Tags, if any (a test-only hook).
type Binary struct {
	Path *string
	Name string
	Pkg  string
	Tags string
}

// Main builds bins into a temporary directory, with the race detector when
// this test binary has it, runs the tests, removes the directory and, if
// the tests passed, fails on leaked goroutines. It is a whole TestMain.
func Main(m *testing.M, bins ...Binary) {
	dir, err := os.MkdirTemp("", "moonpin-bintest-")
	if err != nil {
		panic(err)
	}
	for _, b := range bins {
		*b.Path = filepath.Join(dir, b.Name)
	}
	if err := build(bins); err != nil {
		os.RemoveAll(dir)
		panic(err)
	}
	// A moonpin the tests start announces itself by mDNS on a port of its
	// own on the loopback address, never to the network around the machine;
	// the tests of mDNS name their own address.
	if os.Getenv(mdns.TestAddrEnv) == "" {
		os.Setenv(mdns.TestAddrEnv, "127.0.0.1:0")
	}
	code := m.Run()
	os.RemoveAll(dir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			os.Stderr.WriteString("goleak: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}

// build builds bins at once, returning the first failure.
func build(bins []Binary) error {
	errs := make(chan error, len(bins))
	for _, b := range bins {
		go func() {
			args := []string{"build", "-o", *b.Path}
			if race {
				args = append(args, "-race")
			}
			if b.Tags != "" {
				args = append(args, "-tags", b.Tags)
			}
			cmd := exec.Command("go", append(args, b.Pkg)...)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				errs <- errors.New("building " + b.Pkg + ": " + err.Error())
				return
			}
			errs <- nil
		}()
	}
	var first error
	for range bins {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Race reports whether the tests, and so the commands under test, run with
// the race detector: long soaks run fewer rounds then, and the commands' RSS,
// swollen by its shadow memory, means nothing.
const Race = race
