// Package bench holds moonpin's whole-process benchmarks and the Lua workloads
// that bench/run.sh times under moonpin, bare gopher-lua and lua5.1 in one run.
package bench
