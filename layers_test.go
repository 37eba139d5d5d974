package moonpin_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers keeps imports pointing down: cmd → repl → interp → hal, the Lua
// modules below the runtime that loads them, and periph's host drivers in
// hal/periph alone.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/moonpin/moonpin/"
	rules := []struct {
		pkgPrefix string
		forbidden []string
		except    string
	}{
		{mod + "hal", []string{mod + "interp", mod + "repl", mod + "cmd"}, ""},
		{mod + "interp", []string{mod + "repl", mod + "cmd"}, ""},
		{mod + "interp/lib/", []string{mod + "interp$"}, ""},
		{mod + "interp/loop", []string{mod}, ""},
		{mod + "repl", []string{mod + "cmd"}, ""},
		{mod + "repl/client", []string{mod + "repl$", mod + "interp", "github.com/yuin/gopher-lua"}, ""},
		{mod, []string{"periph.io/x/host"}, mod + "hal/periph"},
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		for _, r := range rules {
			if !strings.HasPrefix(pkg, r.pkgPrefix) || (r.except != "" && strings.HasPrefix(pkg, r.except)) {
				continue
			}
			for _, imp := range imports {
				for _, f := range r.forbidden {
					exact := strings.HasSuffix(f, "$")
					f = strings.TrimSuffix(f, "$")
					if imp == f || (!exact && strings.HasPrefix(imp, f)) {
						t.Errorf("%s imports %s; layers point down only (see shared DESIGN.md)", pkg, imp)
					}
				}
			}
		}
	}
}
