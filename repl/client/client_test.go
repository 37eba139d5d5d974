package client

import (
	"bytes"
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
	for code, want := range map[byte]string{1: "file does not exist", 2: "file already exists", 6: "permission denied", 0: ""} {
		err := (&FileError{Code: code, Message: "m"}).Unwrap()
		if (err == nil && want != "") || (err != nil && err.Error() != want) {
			t.Errorf("code %d unwraps to %v, want %q", code, err, want)
		}
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
