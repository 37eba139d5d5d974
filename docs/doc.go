// Package docs holds moonpin's Lua API definitions for lua-language-server
// (moonpin.lua, a LuaLS meta file; README.md says how to use them) and the
// test that keeps them in step with the runtime's modules. It has no Go code
// of its own.
package docs
