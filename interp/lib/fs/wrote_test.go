package fs_test

import (
	"testing"

	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/lib/fs"
)

// TestWrote: a path confined for reading leaves Wrote false, one for
// writing (even refused) makes it true. (No test of the package runs in
// parallel, so none confines a path while this one looks.)
func TestWrote(t *testing.T) {
	fs.ForgetWrites()
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
