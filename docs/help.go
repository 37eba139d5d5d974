package docs

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Stubs is moonpin.lua, built into the binary: the REPL's help() reads its
// annotations, so help and the editor definitions cannot disagree.
//
//go:embed moonpin.lua
var Stubs string

// Kind is what an Entry describes.
type Kind int

const (
	Module   Kind = iota // gpio
	Function             // gpio.pin, or a global function: help
	Constant             // gpio.OUT, board.name
	Class                // gpio.Pin, a handle type
	Method               // gpio.Pin:write
)

// Entry is the documentation of one name of the API.
type Entry struct {
	Name   string   // "gpio", "gpio.pin", "gpio.OUT", "gpio.Pin", "gpio.Pin:write", "help"
	Kind   Kind     //
	Owner  string   // the module of a function or constant, the class of a method
	Params []Param  // of a function or method, in order
	Return []string // a function's ---@return lines: "gpio.Pin", "integer level 0 or 1"
	Value  string   // a constant's value as written: "1", `""`
	Type   string   // a constant's ---@type, if it has one
	Doc    []string // the description lines, without "---"
	Fields []Param  // a class's ---@field lines
	Line   int      // in moonpin.lua
}

// Param is a ---@param or ---@field line: name ("mode?" when optional) and
// the rest: type and description.
type Param struct{ Name, Text string }

// Summary is the first sentence of the description.
func (e *Entry) Summary() string {
	doc := strings.Join(e.Doc, " ")
	for i := 0; i+2 < len(doc); i++ {
		if doc[i] == '.' && doc[i+1] == ' ' && doc[i+2] >= 'A' && doc[i+2] <= 'Z' {
			return doc[:i+1]
		}
	}
	return doc
}

// Signature is how a call is written: "gpio.pin(name, mode?, pull?) ->
// gpio.Pin"; a constant's "gpio.OUT = 1"; else the name.
func (e *Entry) Signature() string {
	switch e.Kind {
	case Function, Method:
		names := make([]string, len(e.Params))
		for i, p := range e.Params {
			names[i] = p.Name
		}
		s := e.Name + "(" + strings.Join(names, ", ") + ")"
		if len(e.Return) > 0 {
			types := make([]string, len(e.Return))
			for i, r := range e.Return {
				types[i], _, _ = strings.Cut(r, " ")
			}
			s += " -> " + strings.Join(types, ", ")
		}
		return s
	case Constant:
		if e.Type != "" {
			return e.Name + ": " + e.Type
		}
		return e.Name + " = " + e.Value
	}
	return e.Name
}

// Index is the API as moonpin.lua declares it.
type Index struct {
	Entries map[string]*Entry
	Modules []string            // in the file's order
	Globals []string            // global functions (help, dir, input, repr)
	Members map[string][]string // a module's or class's entries, in the file's order
	Classes map[string][]string // a module's handle classes
}

// API returns the index of Stubs, read once.
var API = sync.OnceValue(func() *Index { return Parse(Stubs) })

// The patterns of Parse's lines, compiled on its first use: at every start
// of moonpin they took a fifth of a millisecond.
var patterns = sync.OnceValue(func() *linePatterns {
	return &linePatterns{
		moduleLine:   regexp.MustCompile(`^(\w+) = \{\}$`),
		classLocal:   regexp.MustCompile(`^local (\w+) = \{\}$`),
		funcLine:     regexp.MustCompile(`^function (\w+)\.(\w+)\((.*)\) end$`),
		methodLine:   regexp.MustCompile(`^function (\w+):(\w+)\((.*)\) end$`),
		globalLine:   regexp.MustCompile(`^function (\w+)\((.*)\) end$`),
		constantLine: regexp.MustCompile(`^(\w+)\.(\w+) = (.+)$`),
		classTag:     regexp.MustCompile(`^@class\s+([\w.]+)`),
		paramTag:     regexp.MustCompile(`^@(param|field)\s+(\S+)\s*(.*)$`),
		returnTag:    regexp.MustCompile(`^@return\s+(.*)$`),
		typeTag:      regexp.MustCompile(`^@type\s+(\S+)`),
	}
})

type linePatterns struct {
	moduleLine, classLocal, funcLine, methodLine, globalLine, constantLine *regexp.Regexp
	classTag, paramTag, returnTag, typeTag                                 *regexp.Regexp
}

// Parse reads the annotations of a LuaLS meta file laid out as
// moonpin.lua is: a module is `name = {}`, a handle class a `local X = {}`
// under ---@class, and each function, method and constant is one line
// under its --- comment.
func Parse(src string) *Index {
	pat := patterns()
	ix := &Index{Entries: map[string]*Entry{}, Members: map[string][]string{}, Classes: map[string][]string{}}
	locals := map[string]string{} // local table → class
	var block []string            // the --- lines above the current one
	add := func(e *Entry, line int) {
		e.Line = line
		for _, b := range block {
			switch {
			case strings.HasPrefix(b, "@param"), strings.HasPrefix(b, "@field"):
				if m := pat.paramTag.FindStringSubmatch(b); m != nil {
					p := Param{Name: m[2], Text: m[3]}
					if m[1] == "field" {
						e.Fields = append(e.Fields, p)
					} else {
						e.Params = append(e.Params, p)
					}
				}
			case strings.HasPrefix(b, "@return"):
				if m := pat.returnTag.FindStringSubmatch(b); m != nil {
					e.Return = append(e.Return, m[1])
				}
			case strings.HasPrefix(b, "@type"):
				if m := pat.typeTag.FindStringSubmatch(b); m != nil {
					e.Type = m[1]
				}
			case strings.HasPrefix(b, "@"):
			default:
				e.Doc = append(e.Doc, b)
			}
		}
		ix.Entries[e.Name] = e
		if e.Owner != "" {
			ix.Members[e.Owner] = append(ix.Members[e.Owner], e.Name)
		}
	}
	for i, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, "---") {
			block = append(block, strings.TrimSpace(strings.TrimPrefix(line, "---")))
			continue
		}
		n := i + 1
		if m := pat.moduleLine.FindStringSubmatch(line); m != nil {
			add(&Entry{Name: m[1], Kind: Module}, n)
			ix.Modules = append(ix.Modules, m[1])
		} else if m := pat.classLocal.FindStringSubmatch(line); m != nil {
			for _, b := range block {
				if c := pat.classTag.FindStringSubmatch(b); c != nil {
					locals[m[1]] = c[1]
					mod, _, _ := strings.Cut(c[1], ".")
					add(&Entry{Name: c[1], Kind: Class, Owner: ""}, n)
					ix.Classes[mod] = append(ix.Classes[mod], c[1])
				}
			}
		} else if m := pat.funcLine.FindStringSubmatch(line); m != nil {
			add(&Entry{Name: m[1] + "." + m[2], Kind: Function, Owner: m[1]}, n)
		} else if m := pat.methodLine.FindStringSubmatch(line); m != nil {
			if class, ok := locals[m[1]]; ok {
				add(&Entry{Name: class + ":" + m[2], Kind: Method, Owner: class}, n)
			}
		} else if m := pat.globalLine.FindStringSubmatch(line); m != nil {
			add(&Entry{Name: m[1], Kind: Function}, n)
			ix.Globals = append(ix.Globals, m[1])
		} else if m := pat.constantLine.FindStringSubmatch(line); m != nil {
			add(&Entry{Name: m[1] + "." + m[2], Kind: Constant, Owner: m[1], Value: m[3]}, n)
		}
		block = nil
	}
	return ix
}

// Lookup finds an entry by name: "gpio", "gpio.pin", "gpio.Pin",
// "gpio.Pin:write", or a method by its class's last part ("Pin:write").
func (ix *Index) Lookup(name string) *Entry {
	if e, ok := ix.Entries[name]; ok {
		return e
	}
	if class, method, ok := strings.Cut(name, ":"); ok {
		for _, e := range ix.Entries {
			if e.Kind == Method && strings.HasSuffix(e.Owner, "."+class) && strings.HasSuffix(e.Name, ":"+method) {
				return e
			}
		}
	}
	return nil
}

// Help is the text help(name) prints for e: for a module, its description
// and a line for each function, constant and handle class; for a class,
// its methods and fields; for a function, its signature, description and
// parameters. Lines end in "\n".
func (ix *Index) Help(e *Entry) string {
	var b strings.Builder
	switch e.Kind {
	case Module:
		fmt.Fprintf(&b, "%s: %s\n", e.Name, strings.Join(e.Doc, "\n  "))
		example, width := "", 0
		for _, name := range ix.Members[e.Name] {
			if m := ix.Entries[name]; m.Kind == Function {
				fmt.Fprintf(&b, "  %s\n      %s\n", m.Signature(), m.Summary())
				if example == "" {
					example = m.Name
				}
			} else {
				width = max(width, len(m.Signature()))
			}
		}
		for _, name := range ix.Members[e.Name] {
			if m := ix.Entries[name]; m.Kind == Constant {
				fmt.Fprintf(&b, "  %-*s  %s\n", width, m.Signature(), m.Summary())
			}
		}
		for _, c := range ix.Classes[e.Name] {
			ix.class(&b, ix.Entries[c])
		}
		if example != "" {
			fmt.Fprintf(&b, "help(%s) or help(\"%s\") tells more.\n", example, example)
		}
	case Class:
		ix.class(&b, e)
	default:
		fmt.Fprintf(&b, "%s\n", e.Signature())
		for _, d := range e.Doc {
			fmt.Fprintf(&b, "  %s\n", d)
		}
		width := 0
		for _, p := range e.Params {
			width = max(width, len(p.Name))
		}
		for _, p := range e.Params {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, p.Name, p.Text)
		}
		for _, r := range e.Return {
			fmt.Fprintf(&b, "  returns %s\n", r)
		}
	}
	return b.String()
}

// class writes a handle class: description, fields, methods.
func (ix *Index) class(b *strings.Builder, e *Entry) {
	fmt.Fprintf(b, "%s: %s\n", e.Name, strings.Join(e.Doc, "\n  "))
	for _, f := range e.Fields {
		fmt.Fprintf(b, "  .%s  %s\n", f.Name, f.Text)
	}
	for _, name := range ix.Members[e.Name] {
		m := ix.Entries[name]
		fmt.Fprintf(b, "  %s\n      %s\n", m.Signature(), m.Summary())
	}
}
