package fs_test

import (
	"bytes"
	"os"
	"testing"

	lua "github.com/yuin/gopher-lua"

	fslib "github.com/moonpin/moonpin/interp/lib/fs"
)

// A file longer than its stat said (a /proc file says 0 bytes; a log
// another process appends to grows while it is read) is read whole: the
// buffer grows past the size it was made at.
func TestReadRegularForAFileLongerThanItsStat(t *testing.T) {
	const name = "/proc/self/mountinfo"
	info, err := os.Stat(name)
	if err != nil || info.Size() != 0 {
		t.Skipf("%s: size %v, %v: no file whose stat says less than it holds", name, info, err)
	}
	L := lua.NewState()
	defer L.Close()
	got, err := fslib.ReadRegularFor(L, name)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 100 || !bytes.Equal(got, want) {
		t.Errorf("read %d bytes, want the %d of os.ReadFile:\n%q", len(got), len(want), got)
	}
}
