package interp_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
)

// TestInput: input(prompt) reads the session's line through ReadLine with
// the prompt; the end of input is nil; a failure is an error naming input.
func TestInput(t *testing.T) {
	var prompts []string
	answers := []struct {
		line string
		err  error
	}{{"Ada", nil}, {"", io.EOF}, {"", errors.New("no input for callbacks")}}
	rt, _ := interptest.New(t, &interp.Options{ReadLine: func(ctx context.Context, prompt string) (string, error) {
		prompts = append(prompts, prompt)
		a := answers[0]
		answers = answers[1:]
		return a.line, a.err
	}})
	err := rt.Exec("test", `
		assert(input("name? ") == "Ada")
		assert(input() == nil)
		local ok, err = pcall(input, "x")
		assert(not ok and err:find("input: no input for callbacks", 1, true), err)
	`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(prompts, "|"); got != "name? ||x" {
		t.Fatalf("prompts %q", got)
	}
}

func TestReprAndDir(t *testing.T) {
	rt, out := interptest.New(t, nil)
	err := rt.Exec("test", `
		assert(repr({b = {2, 3}, a = "x"}) == '{a = "x", b = {2, 3}}', repr({b = {2, 3}, a = "x"}))
		assert(repr("q") == '"q"')
		assert(repr(0.1 + 0.2) == "0.3")
		assert(not pcall(repr))
		-- an error in __tostring is raised as it was: its position once
		local ok, err = pcall(repr, {setmetatable({}, {__tostring = function() error("boom") end})})
		assert(not ok and err == "test:7: boom", err)
		assert(table.concat(dir({b = 1, a = 2, 3}), ",") == "a,b")
		assert(table.concat(dir(setmetatable({x = 1}, {__index = {y = 2}})), ",") == "x,y")
		local names = table.concat(dir(), ",")
		assert(names:find(",gpio,") and names:find(",print,"), names)
		assert(#dir("s") > 10 and dir(1)[1] == nil)
		-- the REPL shows every name, not 50 and "… 9 more"
		zzz_mine = 1
		local shown = repr(dir())
		assert(shown:find('"zzz_mine"') and shown:find('"xpcall"') and not shown:find("more"), shown)
		help(nil)
		help("nosuch")
		help(("x"):rep(1e6))
		help({})
	`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Welcome to moonpin", "no help for \"nosuch\"; help() lists the modules", "no help for \"" + strings.Repeat("x", 40) + "…\"; help()", "no help for this table; dir(x) lists its names"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestInputLineLimitOnStdin: input() on a plain stream (moonpin script.lua
// < file) refuses a line past 64 KB as the session's input() does, and
// reads the next line after it; it read any line whole, so a line of
// /dev/zero took twice the memory limit before the limit stopped it.
func TestInputLineLimitOnStdin(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	rt, out := interptest.New(t, &interp.Options{Stdin: strings.NewReader("short\n" + long + "\nafter\n")})
	err := rt.Exec("test", `
		print(input())
		print(pcall(input))
		print(input())`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "short\nfalse\tinput: line too long (limit 64 KB); read long lines with io.read\nafter\n"; got != want {
		t.Fatalf("printed %q (%d bytes), want %q", got[:min(len(got), 200)], len(got), want)
	}
}
