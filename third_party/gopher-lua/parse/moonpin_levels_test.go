package parse

import (
	"os"
	"regexp"
	"testing"
)

// TestMoonpinNonterminalNumbers: goyacc numbers the nonterminals in the
// order of parser.go.y's %type lines, which the syntax level count
// (moonpin_levels.go) relies on.
func TestMoonpinNonterminalNumbers(t *testing.T) {
	src, err := os.ReadFile("parser.go.y")
	if err != nil {
		t.Fatal(err)
	}
	number := map[string]int{}
	for i, m := range regexp.MustCompile(`(?m)^%type<\w+>\s+(\w+)`).FindAllStringSubmatch(string(src), -1) {
		number[m[1]] = i + 1
	}
	for name, want := range map[string]int{
		"chunk1": ntChunk1, "block": ntBlock, "funcname": ntFuncname, "varlist": ntVarlist,
		"namelist": ntNamelist, "exprlist": ntExprlist, "expr": ntExpr, "fieldlist": ntFieldlist,
		"field": ntField, "fieldsep": ntFieldsep, "callopen": ntCallopen,
	} {
		if number[name] != want {
			t.Errorf("%s is nonterminal %d, moonpin_levels.go says %d", name, number[name], want)
		}
	}
	// The first rule is chunk's, numbered 1.
	if yyR1[1] != 1 || number["chunk"] != 1 {
		t.Errorf("chunk: %d %d", yyR1[1], number["chunk"])
	}
}
