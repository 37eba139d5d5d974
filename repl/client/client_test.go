package client

import (
	"bytes"
	"errors"
	"io/fs"
	"os/exec"
	"strings"
	"testing"
)

func TestLFWriterJoinsSplitCRLF(t *testing.T) {
	var out bytes.Buffer
	w := &lfWriter{w: &out}
	for _, p := range []string{"a\r", "\nb\r\n", "c\r", "d\r", ""} {
		w.Write([]byte(p))
	}
	w.flush()
	if got, want := out.String(), "a\nb\nc\rd\r"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestFileErrorUnwraps(t *testing.T) {
	for code, want := range map[byte]error{1: fs.ErrNotExist, 2: fs.ErrExist, 6: fs.ErrPermission} {
		if err := error(&FileError{Code: code, Message: "m"}); !errors.Is(err, want) {
			t.Errorf("code %d: errors.Is(err, %v) is false", code, want)
		}
	}
	if err := (&FileError{Code: 0, Message: "m"}).Unwrap(); err != nil {
		t.Errorf("code 0 unwraps to %v, want nil", err)
	}
}

// TestImports keeps the host side light: moonctl links it, and it must not
// pull in the device side or the Lua runtime.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "github.com/moonpin/moonpin/repl" || strings.HasPrefix(dep, "github.com/moonpin/moonpin/interp") || strings.HasPrefix(dep, "github.com/yuin/gopher-lua") {
			t.Errorf("repl/client depends on %s", dep)
		}
	}
}
