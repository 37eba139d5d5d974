package devices_test

import (
	"path/filepath"
	"testing"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
)

// TestWorkbench runs testdata/workbench/*.lua, each on a fresh board from
// examples/workbench.json: the parts the default sim board leaves out
// (LCD, I/O expander, accelerometer, load cell), declared in a board file.
func TestWorkbench(t *testing.T) {
	runOnFreshBoards(t, "testdata/workbench/*.lua", "../../../examples/workbench.json")
}

// runOnFreshBoards runs each script pattern matches on a fresh board loaded
// from boardFile.
func runOnFreshBoards(t *testing.T, pattern, boardFile string) {
	t.Helper()
	files, _ := filepath.Glob(pattern)
	if len(files) == 0 {
		t.Fatal("no scripts")
	}
	for _, file := range files {
		board, err := sim.Load(boardFile)
		if err != nil {
			t.Fatal(err)
		}
		interptest.RunScripts(t, file, &interp.Options{Board: board})
		board.Close()
	}
}
