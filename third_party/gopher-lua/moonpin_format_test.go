package lua

import (
	"os/exec"
	"strings"
	"testing"
)

// formatCases prints string.format's output for every combination of
// flags, width, precision and conversion over a set of values, one line
// each, with the directive in front (pcall'd, so errors print too).
const formatCases = `
local flags = {"", "-", "+", " ", "#", "0", "-0", "+0", " 0", "+ ", "#0", "-#", "+#0"}
local widths = {"", "1", "5", "12"}
local precs = {"", ".", ".0", ".1", ".3", ".10"}
local ints = {0, 1, -1, 7, 42, -42, 255, 3.7, -3.7, 2^31, -2^31 - 1, 2^53, -2^53}
local floats = {0, 0/-1, 0.1, 1/3, -2.5, 2.5, 0.125, 1e-5, 0.0001, 123456789,
	1e15, 1e20, -1e-300, 2^63, 99.995, 9.9999995, 1/0, -1/0, 0/0, -(0/0)}
local strs = {"", "a", "hello", "\195\169t\195\169"}
local sets = {
	{"diuoxX", ints},
	{"eEfgG", floats},
	{"c", {65, 97, 255}},
	{"s", strs},
	{"s", {12, -1.5, 1e100}},
	{"q", {"a\nb\r\0c\"\\"}},
}
for _, set in ipairs(sets) do
	for conv in set[1]:gmatch(".") do
		for _, f in ipairs(flags) do
			for _, w in ipairs(widths) do
				for _, p in ipairs(precs) do
					local d = "%" .. f .. w .. p .. conv
					for k, v in ipairs(set[2]) do
						local ok, s = pcall(string.format, "[" .. d .. "]", v)
						print(d, k, ok, s)
					end
				end
			end
		end
	end
end
for _, f in ipairs({"%", "%5", "%------d", "%123d", "%1.123f", "%y", "%d %d", "a%%b%s"}) do
	print(f, pcall(string.format, f, 1))
	print(f, pcall(string.format, f))
end
print(pcall(string.format, ("x"):rep(300) .. "%s" .. ("y"):rep(300), ("z"):rep(1000)))
`

// TestFormatLikeLua51 compares string.format with lua5.1's on thousands of
// directives (where lua5.1 is installed; TestLua51String holds a fixed set).
func TestFormatLikeLua51(t *testing.T) {
	lua51, err := exec.LookPath("lua5.1")
	if err != nil {
		t.Skip("lua5.1 not installed")
	}
	cmd := exec.Command(lua51, "-")
	cmd.Stdin = strings.NewReader(formatCases)
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("lua5.1: %v", err)
	}
	got := runCaptured(formatCases)
	wantLines := strings.Split(string(want), "\n")
	gotLines := strings.Split(got, "\n")
	if len(gotLines) != len(wantLines) {
		t.Errorf("%d lines, lua5.1 printed %d", len(gotLines), len(wantLines))
	}
	bad := 0
	for i := range min(len(gotLines), len(wantLines)) {
		if gotLines[i] != wantLines[i] {
			if bad++; bad <= 20 {
				t.Errorf("got  %q\nwant %q", gotLines[i], wantLines[i])
			}
		}
	}
	t.Logf("%d lines, %d differ from lua5.1's", len(wantLines), bad)
}
