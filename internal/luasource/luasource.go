// Package luasource holds what moonpin and moonctl both do to the text of a
// Lua file before it is compiled.
package luasource

import "strings"

// SkipHashLine empties a first line that starts with '#' ("#!/usr/bin/env
// moonpin"), as Lua 5.1's loadfile skips it. The line stays, empty, so
// errors keep the file's line numbers.
func SkipHashLine(code string) string {
	if !strings.HasPrefix(code, "#") {
		return code
	}
	if i := strings.IndexByte(code, '\n'); i >= 0 {
		return code[i:]
	}
	return ""
}
