package fs_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/lib/fs"
)

// TestWrote: a path confined for reading leaves Wrote false, one for
// writing (even refused) makes it true. In a process of its own, as Wrote is
// the process's.
func TestWrote(t *testing.T) {
	const env = "MOONPIN_TEST_WROTE"
	if os.Getenv(env) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWrote$", "-test.v")
		cmd.Env = append(os.Environ(), env+"=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("in a process of its own: %v\n%s", err, out)
		}
		return
	}
	root := t.TempDir()
	if _, err := fs.Confine(root, host.Grants{}, "a.txt", fs.Read); err != nil {
		t.Fatal(err)
	}
	if fs.Wrote() {
		t.Fatal("Wrote after a read")
	}
	if _, err := fs.Confine(root, host.Grants{}, "../outside.txt", fs.Write); err == nil {
		t.Fatal("a path out of the root was confined")
	}
	if !fs.Wrote() {
		t.Fatal("not Wrote after a write was asked for")
	}
}
