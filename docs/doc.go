// Package docs holds moonpin's Lua API definitions for lua-language-server
// (moonpin.lua, a LuaLS meta file; README.md says how to use them), the
// test that keeps them in step with the runtime's modules, and the reading
// of their annotations that the REPL's help() prints (help.go), so that help
// and the editor definitions are one text. It imports nothing of moonpin.
package docs
