package docs_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/moonpin/moonpin/docs"
	"github.com/moonpin/moonpin/interp/interptest"
	lua "github.com/yuin/gopher-lua"
)

// helpProblems checks help() and dir() on the runtime L, whose handles are
// in the global H and whose API is a: help finds the words of
// docs/moonpin.lua for every module, function and handle there, by value
// and by name, and dir lists each handle's methods and fields.
func helpProblems(L *lua.LState, a api, out *interptest.Buffer) []string {
	var problems []string
	run := func(code string) string {
		before := len(out.String())
		if err := L.DoString(code); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", code, err))
			return ""
		}
		return out.String()[before:]
	}
	ix := docs.API()
	greeting := run("help()")
	for mod, members := range a.modules {
		if !strings.Contains(greeting, "\n  "+mod+" ") {
			problems = append(problems, fmt.Sprintf("help() does not list the module %s:\n%s", mod, greeting))
		}
		for _, call := range []string{fmt.Sprintf("help(%s)", mod), fmt.Sprintf("help(%q)", mod)} {
			if got := run(call); !strings.HasPrefix(got, mod+": "+ix.Entries[mod].Doc[0]) {
				problems = append(problems, fmt.Sprintf("%s printed %q", call, got))
			}
		}
		for key, m := range members {
			name := mod + "." + key
			e := ix.Entries[name]
			if e == nil {
				problems = append(problems, fmt.Sprintf("help has no entry %s", name))
				continue
			}
			calls := []string{fmt.Sprintf("help(%q)", name)}
			if m.kind == lua.LTFunction {
				calls = append(calls, fmt.Sprintf("help(%s)", name))
			}
			for _, call := range calls {
				if got := run(call); !strings.HasPrefix(got, e.Signature()+"\n") {
					problems = append(problems, fmt.Sprintf("%s printed %q, not %s's signature", call, got, name))
				}
			}
		}
	}
	for g := range a.globals {
		if got := run(fmt.Sprintf("help(%s)", g)); !strings.HasPrefix(got, ix.Entries[g].Signature()+"\n") {
			problems = append(problems, fmt.Sprintf("help(%s) printed %q", g, got))
		}
	}
	for _, h := range handles {
		got := run(fmt.Sprintf("help(H[%q])", h.class))
		if !strings.Contains(got, "\n"+h.class+": ") {
			problems = append(problems, fmt.Sprintf("help of a %s printed %q", h.class, got))
		}
		names := strings.Fields(run(fmt.Sprintf("print(table.concat(dir(H[%q]), ' '))", h.class)))
		c := a.classes[h.class]
		if c == nil {
			continue
		}
		for _, want := range append(c.methods.sorted(), c.fields.sorted()...) {
			if !slices.Contains(names, want) {
				problems = append(problems, fmt.Sprintf("dir of a %s lacks %s: %v", h.class, want, names))
			}
		}
		for _, m := range c.methods.sorted() {
			method := h.class + ":" + m
			if e := ix.Entries[method]; e != nil {
				call := fmt.Sprintf("help(%q)", method)
				if got := run(call); !strings.HasPrefix(got, e.Signature()+"\n") {
					problems = append(problems, fmt.Sprintf("%s printed %q", call, got))
				}
			}
		}
	}
	return problems
}
