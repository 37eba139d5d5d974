// Package interptest runs Lua test scripts on a full moonpin Runtime (event
// loop, modules, a temporary script root), for the tests of modules that need
// the runtime. It is for tests only.
package interptest

import (
	"bytes"
	"path/filepath"
	"sync"
	"testing"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/luatest"
	lua "github.com/yuin/gopher-lua"
)

// Buffer is a goroutine-safe bytes.Buffer for a runtime's output.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// New returns a runtime on a fresh temporary root, closed when the test ends.
// opts may be nil; Root and Out are filled in when empty.
func New(t testing.TB, opts *interp.Options) (*interp.Runtime, *Buffer) {
	t.Helper()
	var o interp.Options
	if opts != nil {
		o = *opts
	}
	out := &Buffer{}
	if o.Root == "" {
		o.Root = t.TempDir()
	}
	if o.Out == nil {
		o.Out = out
	}
	rt, err := interp.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt, out
}

// RunScripts runs each file matching pattern on its own runtime with the
// assert module installed.
func RunScripts(t *testing.T, pattern string, opts *interp.Options) {
	t.Helper()
	luatest.RunScripts(t, pattern, func(t *testing.T, path string) error {
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		rt, _ := New(t, opts)
		if err := rt.Do(func(L *lua.LState) error { luatest.Install(L); return nil }); err != nil {
			return err
		}
		return rt.ExecFile(abs)
	})
}
