package hal_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/hal"
)

func TestNotFoundError(t *testing.T) {
	gpios := make([]string, 28)
	for i := range gpios {
		gpios[i] = "GPIO" + strconv.Itoa(i)
	}
	for _, c := range []struct {
		err  hal.NotFoundError
		want string
	}{
		{hal.NotFoundError{Kind: "pin", Name: "GPIO99", Board: "sim", Have: gpios},
			"no pin GPIO99 on sim; pins here: GPIO0..GPIO27"},
		{hal.NotFoundError{Kind: "pin", Name: "X", Board: "b", Have: []string{"LED", "GPIO4", "GPIO5", "GPIO7", "GPIO8", "GPIO9", "GPIO10", "BTN"}},
			"no pin X on b; pins here: LED, GPIO4, GPIO5, GPIO7..GPIO10, BTN"},
		{hal.NotFoundError{Kind: "I2C bus", Name: "I2C3", Board: "sim", Have: []string{"I2C1"}},
			"no I2C bus I2C3 on sim; buses here: I2C1"},
		{hal.NotFoundError{Kind: "SPI port", Name: "SPI1.0", Board: "pi", Hint: "enable SPI in config.txt"},
			"no SPI port SPI1.0 on pi; this board has none; enable SPI in config.txt"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestChipLine(t *testing.T) {
	for name, want := range map[string]bool{
		"gpiochip0:17": true, "gpiochip4:0": true,
		"gpiochip0:-1": false, "gpiochip0:": false, "chip0:1": false, "GPIO17": false, "17": false,
	} {
		chip, line, ok := hal.ChipLine(name)
		if ok != want || ok && chip+":"+strconv.Itoa(line) != name {
			t.Errorf("ChipLine(%q) = %q, %d, %v", name, chip, line, ok)
		}
	}
}

// TestLayering enforces what the doc comments say: nothing under hal imports
// the layers above it, and only hal/periph imports periph.io/x/host.
func TestLayering(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, above := range []string{"interp", "repl", "cmd"} {
				if strings.HasPrefix(p, "github.com/moonpin/moonpin/"+above) {
					t.Errorf("%s imports %s, a layer above hal", path, p)
				}
			}
			if strings.HasPrefix(p, "periph.io/x/host") && filepath.Dir(path) != "periph" {
				t.Errorf("%s imports %s; only hal/periph may", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
