package main

import (
	"github.com/moonpin/moonpin/interp/host"
	lua "github.com/yuin/gopher-lua"
)

// testSetup is nil in moonpin; the stop tests' build sets it (stuck.go).
var testSetup func(L *lua.LState, h *host.Host) error
