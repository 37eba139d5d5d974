// Package bench holds moonpin's whole-process benchmarks and the Lua workloads
// that bench/run.sh times under moonpin, bare gopher-lua and lua5.1 in one run;
// bench/vm.sh runs the workloads in bench/vm (Lua, and the same in Python) as
// whole processes against MicroPython's unix port, lua5.1 and glua;
// bench/pgo.sh makes cmd/moonpin/default.pgo, the profile the command's
// profile-guided build uses, from the same workloads.
package bench
