package luatest_test

import (
	"testing"

	"github.com/moonpin/moonpin/interp/luatest"
)

func TestAssert(t *testing.T) {
	luatest.RunScripts(t, "testdata/*.lua", luatest.RunFile(nil))
}
