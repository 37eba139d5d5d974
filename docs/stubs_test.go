package docs_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/interptest"
	lua "github.com/yuin/gopher-lua"
	luaast "github.com/yuin/gopher-lua/ast"
	luaparse "github.com/yuin/gopher-lua/parse"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// stubsFile is the file under test; stubsName names it in messages.
const (
	stubsFile = "moonpin.lua"
	stubsName = "docs/moonpin.lua"
)

// handles maps the stubs' handle classes (a `---@class` on a local table) to
// the runtime: a Lua chunk that makes one on the simulated board (H holds the
// handles made before it, BROKER is a port nobody listens on) and a statement
// that lets it go. Lua can list the methods of a type whose __index is a
// table; where __index is a Go function, src says where the Go code keeps the
// names that function answers.
var handles = []handle{
	{class: "gpio.Pin", make: `return gpio.pin("GPIO17", gpio.OUT)`, close: "h:close()"},
	{class: "i2c.Bus", make: `return i2c.open("I2C1")`, close: "h:close()"},
	{class: "spi.Device", make: `return spi.open("SPI0.1")`, close: "h:close()"},
	{class: "timer.Timer", make: `return timer.after(3600000, function() end)`, close: "h:stop()"},
	{class: "devices.BME280", make: `return devices.bme280("I2C1")`, close: "h:close()"},
	{class: "devices.ADS1115", make: `return devices.ads1115("I2C1")`, close: "h:close()"},
	{class: "devices.ADS1015", make: `return devices.ads1015("I2C1")`, close: "h:close()"},
	{class: "devices.INA219", make: `return devices.ina219("I2C1", {addr = 0x41})`, close: "h:close()"},
	{class: "devices.BH1750", make: `return devices.bh1750("I2C1")`, close: "h:close()"},
	{class: "devices.MCP9808", make: `return devices.mcp9808("I2C1")`, close: "h:close()"},
	{class: "devices.TMP102", make: `return devices.tmp102("I2C1", {addr = 0x49})`, close: "h:close()"},
	{class: "devices.AHT20", make: `return devices.aht20("I2C1")`, close: "h:close()"},
	{class: "devices.SSD1306", make: `return devices.ssd1306("I2C1")`, close: "h:close()"},
	{class: "devices.PCA9685", make: `return devices.pca9685("I2C1")`, close: "h:close()"},
	{class: "devices.HT16K33", make: `return devices.ht16k33("I2C1")`, close: "h:close()"},
	{class: "devices.WS2812", make: `return devices.ws2812("SPI1.0")`, close: "h:close()"},
	{class: "devices.HD44780", make: `return devices.hd44780("I2C1")`, close: "h:close()"},
	{class: "devices.MCP23017", make: `return devices.mcp23017("I2C1")`, close: "h:close()"},
	{class: "devices.ADXL345", make: `return devices.adxl345("I2C1")`, close: "h:close()"},
	{class: "devices.APA102", make: `return devices.apa102("SPI1.1")`, close: "h:close()"},
	{class: "devices.MAX7219", make: `return devices.max7219("SPI1.2")`, close: "h:close()"},
	{class: "devices.SCD4x", make: `return devices.scd4x("I2C1")`, close: "h:close()"},
	{class: "devices.MCP3008", make: `return devices.mcp3008("SPI0.0")`, close: "h:close()"},
	{class: "devices.HX711", make: `return devices.hx711({clk = "GPIO23", data = "GPIO24"})`, close: "h:close()"},
	{
		class: "mqtt.Client",
		// The first connection attempt fails at once; then c.error is set,
		// so that every field reads non-nil.
		make: `local c = mqtt.connect{url = BROKER}
			for _ = 1, 500 do if c.error then break end time.sleep_ms(10) end
			return c`,
		close: "h:close(0)",
		src:   &goIndex{file: "../interp/lib/mqtt/mqtt.go", methods: "methods", fields: "fields"},
	},
	{
		class: "ha.Device",
		make:  `return ha.device{name = "Docs", id = "docs", url = BROKER}`,
		close: "h:close()",
		src:   &goIndex{file: "../interp/lib/ha/ha.go", methods: "deviceMethods"},
	},
	{
		// A switch that has reported a state: every field reads non-nil.
		class: "ha.Entity",
		make: `local e = H["ha.Device"]:switch{name = "Fan", on_command = function() end}
			e:set(true)
			return e`,
		src: &goIndex{file: "../interp/lib/ha/ha.go", methods: "entityMethods"},
	},
}

type handle struct {
	class string
	make  string // a Lua chunk that returns the handle
	close string // a Lua statement that closes h, if it needs one
	src   *goIndex
}

// goIndex says where a handle type whose __index is a Go function declares
// what it answers: methods is a map[string]lua.LGFunction variable of file;
// fields is a map variable whose keys are the fields, or "" when the fields
// are the string cases of the function literal passed with methods to one
// call (ha's indexer(L, deviceMethods, func(L, key) ...)).
type goIndex struct {
	file, methods, fields string
}

// optionClasses are option tables whose keys the runtime checks: a call with
// an unknown key fails with "unknown option docs_probe; options are a, b, c".
var optionClasses = []struct{ class, call string }{
	{"mqtt.ConnectOptions", `mqtt.connect{url = BROKER, docs_probe = true}`},
	{"mqtt.Will", `mqtt.connect{url = BROKER, will = {topic = "t", docs_probe = true}}`},
	{"mqtt.PublishOptions", `local c = mqtt.connect{url = BROKER}; local ok, err = pcall(c.publish, c, "t", "x", {docs_probe = true}); c:close(0); error(err)`},
	{"ha.DeviceOptions", `ha.device{url = BROKER, docs_probe = true}`},
	{"spi.Options", `spi.open("SPI0.1", {docs_probe = true})`},
	{"gpio.WatchOptions", `gpio.pin("GPIO5", gpio.IN):watch(gpio.BOTH, print, {docs_probe = true})`},
	{"sim.EnvOptions", `sim.env{docs_probe = true}`},
	{"sim.ScreenOptions", `sim.screen("I2C1", 0x3c, {docs_probe = true})`},
	{"devices.BME280Options", `devices.bme280("I2C1", {docs_probe = true})`},
	{"devices.ADCOptions", `devices.ads1115("I2C1", {docs_probe = true})`},
	{"devices.INA219Options", `devices.ina219("I2C1", {docs_probe = true})`},
	{"devices.BH1750Options", `devices.bh1750("I2C1", {docs_probe = true})`},
	{"devices.MCP9808Options", `devices.mcp9808("I2C1", {docs_probe = true})`},
	{"devices.TMP102Options", `devices.tmp102("I2C1", {docs_probe = true})`},
	{"devices.AHT20Options", `devices.aht20("I2C1", {docs_probe = true})`},
	{"devices.SSD1306Options", `devices.ssd1306("I2C1", {docs_probe = true})`},
	{"devices.PCA9685Options", `devices.pca9685("I2C1", {docs_probe = true})`},
	{"devices.HT16K33Options", `devices.ht16k33("I2C1", {docs_probe = true})`},
	{"devices.WS2812Options", `devices.ws2812("SPI1.0", {docs_probe = true})`},
	{"devices.HD44780Options", `devices.hd44780("I2C1", {docs_probe = true})`},
	{"devices.MCP23017Options", `devices.mcp23017("I2C1", {docs_probe = true})`},
	{"devices.ADXL345Options", `devices.adxl345("I2C1", {docs_probe = true})`},
	{"devices.HX711Options", `devices.hx711({clk = "GPIO23", data = "GPIO24"}, {docs_probe = true})`},
	{"devices.APA102Options", `devices.apa102("SPI1.1", {docs_probe = true})`},
	{"devices.MAX7219Options", `devices.max7219("SPI1.2", {docs_probe = true})`},
	{"devices.SCD4xOptions", `devices.scd4x("I2C1", {docs_probe = true})`},
	{"devices.MCP3008Options", `devices.mcp3008("SPI0.0", {docs_probe = true})`},
	{"devices.HX711Pins", `devices.hx711({docs_probe = true})`},
}

// api is what one side declares.
type api struct {
	modules map[string]map[string]member // module → key → member
	globals set                          // global functions beyond Lua's (help, dir, ...)
	classes map[string]*class            // handle class → its names
	options map[string]set               // option class → its keys
}

// member is a key of a module table.
type member struct {
	kind  lua.LValueType
	value lua.LValue
}

// class is a handle type's names.
type class struct{ methods, fields set }

type set map[string]bool

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestStubsMatchRuntime compares docs/moonpin.lua with a real runtime on
// the simulated board, both ways.
func TestStubsMatchRuntime(t *testing.T) {
	stubs, lint := readStubs(t)
	for _, p := range lint {
		t.Error(p)
	}
	runtime := readRuntime(t)
	for _, p := range compare(runtime, stubs) {
		t.Error(p)
	}
	n := 0
	for _, m := range runtime.modules {
		n += len(m)
	}
	t.Logf("compared %d modules with %d functions and constants, %d handle types, %d option tables",
		len(runtime.modules), n, len(runtime.classes), len(runtime.options))
}

// compare lists the differences, each naming the side that lacks something.
func compare(rt, st api) []string {
	var problems []string
	lacks := func(format string, args ...any) {
		problems = append(problems, stubsName+" lacks "+fmt.Sprintf(format, args...))
	}
	extra := func(format string, args ...any) {
		problems = append(problems, stubsName+" declares "+fmt.Sprintf(format, args...)+", which the runtime does not have")
	}
	for _, mod := range keys(rt.modules) {
		stubMod, ok := st.modules[mod]
		if !ok {
			lacks("module %s (a global table %s = {})", mod, mod)
			continue
		}
		for _, name := range keys(rt.modules[mod]) {
			r := rt.modules[mod][name]
			s, ok := stubMod[name]
			switch {
			case !ok:
				lacks("%s.%s", mod, name)
			case (r.kind == lua.LTFunction) != (s.kind == lua.LTFunction):
				problems = append(problems, fmt.Sprintf("%s.%s is a %s in the runtime but a %s in %s", mod, name, r.kind, s.kind, stubsName))
			case r.kind == lua.LTNumber && r.value != s.value:
				problems = append(problems, fmt.Sprintf("%s.%s is %v in the runtime but %v in %s", mod, name, r.value, s.value, stubsName))
			case r.kind == lua.LTString && s.kind != lua.LTString:
				problems = append(problems, fmt.Sprintf("%s.%s is a string in the runtime but a %s in %s", mod, name, s.kind, stubsName))
			}
		}
		for _, name := range keys(stubMod) {
			if _, ok := rt.modules[mod][name]; !ok {
				extra("%s.%s", mod, name)
			}
		}
	}
	for _, mod := range keys(st.modules) {
		if _, ok := rt.modules[mod]; !ok {
			extra("module %s", mod)
		}
	}

	for _, g := range rt.globals.sorted() {
		if !st.globals[g] {
			lacks("the global function %s (function %s(...) end)", g, g)
		}
	}
	for _, g := range st.globals.sorted() {
		if !rt.globals[g] {
			extra("the global function %s", g)
		}
	}

	for _, h := range handles {
		r, s := rt.classes[h.class], st.classes[h.class]
		if s == nil {
			lacks("class %s (---@class %s on a local table, made in the runtime by `%s`)", h.class, h.class, firstLine(h.make))
			continue
		}
		if r == nil {
			continue // readRuntime has said why
		}
		for _, m := range r.methods.sorted() {
			if !s.methods[m] {
				lacks("%s:%s", h.class, m)
			}
		}
		for _, m := range s.methods.sorted() {
			if !r.methods[m] {
				extra("%s:%s", h.class, m)
			}
		}
		for _, f := range r.fields.sorted() {
			if !s.fields[f] {
				lacks("field %s.%s (---@field)", h.class, f)
			}
		}
		for _, f := range s.fields.sorted() {
			if !r.fields[f] {
				extra("field %s.%s", h.class, f)
			}
		}
	}
	for _, c := range keys(st.classes) {
		if !slices.ContainsFunc(handles, func(h handle) bool { return h.class == c }) {
			problems = append(problems, fmt.Sprintf("%s declares the handle class %s, which stubs_test.go does not map to a runtime type: add it to handles", stubsName, c))
		}
	}

	for _, o := range optionClasses {
		r, s := rt.options[o.class], st.options[o.class]
		if s == nil {
			lacks("class %s (---@class with a ---@field per option)", o.class)
			continue
		}
		for _, k := range r.sorted() {
			if !s[k] {
				lacks("field %s.%s", o.class, k)
			}
		}
		for _, k := range s.sorted() {
			if !r[k] {
				extra("field %s.%s", o.class, k)
			}
		}
	}
	return problems
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// readRuntime lists what a runtime on the simulated board has: the modules
// it adds to package.loaded with their keys, the methods and fields of one
// handle of each type in handles, and the keys of optionClasses.
func readRuntime(t *testing.T) api {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	broker := "tcp://" + l.Addr().String()
	l.Close()

	// The workbench board: the default one and the parts it leaves out.
	board, err := sim.Load("../examples/workbench.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { board.Close() }) // after the runtime's own cleanup
	rt, out := interptest.New(t, &interp.Options{
		Board: board,
		Setup: func(L *lua.LState, _ *host.Host) error {
			L.SetGlobal("BROKER", lua.LString(broker))
			return nil
		},
	})
	// Close the handles explicitly (the runtime's Close would too), last
	// made first: the entity before its device.
	var made []string
	t.Cleanup(func() {
		var b strings.Builder
		for i := len(made) - 1; i >= 0; i-- {
			for _, h := range handles {
				if h.class == made[i] && h.close != "" {
					fmt.Fprintf(&b, "do local h = H[%q]; %s end\n", h.class, h.close)
				}
			}
		}
		if err := rt.Exec("close handles", b.String()); err != nil {
			t.Errorf("closing the handles: %v\noutput:\n%s", err, out)
		}
	})

	a := api{modules: map[string]map[string]member{}, globals: set{}, classes: map[string]*class{}, options: map[string]set{}}
	var problems []string
	err = rt.Do(func(L *lua.LState) error {
		bare := lua.NewState()
		L.G.Global.ForEach(func(k, v lua.LValue) {
			if v.Type() == lua.LTFunction && bare.GetGlobal(k.String()) == lua.LNil {
				a.globals[k.String()] = true
			}
		})
		std := bare.GetField(bare.GetGlobal("package"), "loaded").(*lua.LTable)
		loaded := L.GetField(L.GetGlobal("package"), "loaded").(*lua.LTable)
		loaded.ForEach(func(k, v lua.LValue) {
			name := k.String()
			if std.RawGetString(name) != lua.LNil {
				return // Lua's own library
			}
			tbl, ok := v.(*lua.LTable)
			if !ok {
				problems = append(problems, fmt.Sprintf("package.loaded.%s is a %s, not a module table", name, v.Type()))
				return
			}
			if L.GetGlobal(name) != v {
				problems = append(problems, fmt.Sprintf("module %s is not the global %s", name, name))
			}
			a.modules[name] = members(tbl)
		})
		bare.Close()

		if err := L.DoString("H = {}"); err != nil {
			return err
		}
		for _, h := range handles {
			code := fmt.Sprintf("H[%q] = (function()\n%s\nend)()", h.class, h.make)
			if err := L.DoString(code); err != nil {
				return fmt.Errorf("making a %s: %w", h.class, err)
			}
			made = append(made, h.class)
			ud, ok := L.GetField(L.GetGlobal("H"), h.class).(*lua.LUserData)
			if !ok {
				return fmt.Errorf("`%s` made no userdata", firstLine(h.make))
			}
			c, err := handleNames(L, ud, h.class, h.src)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			a.classes[h.class] = c
		}

		problems = append(problems, helpProblems(L, a, out)...)

		for _, o := range optionClasses {
			fn, err := L.LoadString(o.call)
			if err != nil {
				return err
			}
			L.Push(fn)
			err = L.PCall(0, 0, nil)
			msg := fmt.Sprint(err)
			_, list, found := strings.Cut(msg, "options are ")
			if !found {
				problems = append(problems, fmt.Sprintf("`%s` did not fail with \"unknown option ...; options are ...\": %s", o.call, msg))
				continue
			}
			list, _, _ = strings.Cut(list, ")")
			a.options[o.class] = set{}
			for _, k := range strings.Split(list, ", ") {
				a.options[o.class][k] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the runtime's API: %v\noutput:\n%s", err, out)
	}
	for _, p := range problems {
		t.Error(p)
	}
	return a
}

// members lists a module table's keys.
func members(tbl *lua.LTable) map[string]member {
	m := map[string]member{}
	tbl.ForEach(func(k, v lua.LValue) {
		m[k.String()] = member{kind: v.Type(), value: v}
	})
	return m
}

// handleNames lists the methods and fields of the handle ud. A table
// __index lists itself. A function __index cannot be listed from Lua: the
// names come from the Go source (src), and each is checked on the handle,
// so that a stale reading of the source shows. A name the Go source keeps
// elsewhere than src says is not seen.
func handleNames(L *lua.LState, ud *lua.LUserData, className string, src *goIndex) (*class, error) {
	c := &class{methods: set{}, fields: set{}}
	mt, ok := ud.Metatable.(*lua.LTable)
	if !ok {
		return nil, fmt.Errorf("a %s has no metatable", className)
	}
	switch index := mt.RawGetString("__index").(type) {
	case *lua.LTable:
		index.ForEach(func(k, v lua.LValue) {
			if v.Type() == lua.LTFunction {
				c.methods[k.String()] = true
			} else {
				c.fields[k.String()] = true
			}
		})
		return c, nil
	case *lua.LFunction:
		if src == nil {
			return nil, fmt.Errorf("a %s's __index is a function, whose names Lua cannot list: give its entry in handles a src", className)
		}
		methods, fields, err := src.names()
		if err != nil {
			return nil, err
		}
		get := func(key string) (lua.LValue, error) {
			if err := L.CallByParam(lua.P{Fn: index, NRet: 1, Protect: true}, ud, lua.LString(key)); err != nil {
				return nil, err
			}
			v := L.Get(-1)
			L.Pop(1)
			return v, nil
		}
		for _, m := range methods {
			v, err := get(m)
			if err != nil {
				return nil, err
			}
			if v.Type() != lua.LTFunction {
				return nil, fmt.Errorf("%s's %s declares the method %q, but a %s answers %s for it", src.file, src.methods, m, className, v.Type())
			}
			c.methods[m] = true
		}
		for _, f := range fields {
			v, err := get(f)
			if err != nil {
				return nil, err
			}
			if v == lua.LNil || v.Type() == lua.LTFunction {
				return nil, fmt.Errorf("%s declares the field %q of %s, but the handle made by the test answers %s for it", src.file, f, className, v.Type())
			}
			c.fields[f] = true
		}
		return c, nil
	default:
		return nil, fmt.Errorf("a %s's __index is a %s", className, index.Type())
	}
}

// names reads the method and field names from the Go source.
func (g *goIndex) names() (methods, fields []string, err error) {
	f, err := parser.ParseFile(token.NewFileSet(), g.file, nil, 0)
	if err != nil {
		return nil, nil, err
	}
	methods = mapKeys(f, g.methods)
	if len(methods) == 0 {
		return nil, nil, fmt.Errorf("%s has no map literal %s with string keys; update handles in stubs_test.go", g.file, g.methods)
	}
	if g.fields != "" {
		fields = mapKeys(f, g.fields)
	} else {
		fields = casesBeside(f, g.methods)
	}
	if len(fields) == 0 {
		return nil, nil, fmt.Errorf("found no fields beside %s in %s; update handles in stubs_test.go", g.methods, g.file)
	}
	return methods, fields, nil
}

// mapKeys returns the string keys of the composite literal assigned to the
// package-level variable name.
func mapKeys(f *ast.File, name string) []string {
	var out []string
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, id := range vs.Names {
				if id.Name != name || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.CompositeLit); ok {
					for _, e := range lit.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							if s, ok := stringLit(kv.Key); ok {
								out = append(out, s)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// casesBeside returns the string case labels of the function literal passed
// in the same call as the identifier methods.
func casesBeside(f *ast.File, methods string) []string {
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !slices.ContainsFunc(call.Args, func(e ast.Expr) bool {
			id, ok := e.(*ast.Ident)
			return ok && id.Name == methods
		}) {
			return true
		}
		for _, arg := range call.Args {
			if lit, ok := arg.(*ast.FuncLit); ok {
				ast.Inspect(lit, func(n ast.Node) bool {
					if cc, ok := n.(*ast.CaseClause); ok {
						for _, e := range cc.List {
							if s, ok := stringLit(e); ok {
								out = append(out, s)
							}
						}
					}
					return true
				})
			}
		}
		return false
	})
	return out
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

var (
	classLine = regexp.MustCompile(`^---@class\s+([\w.]+)\s*(?::\s*([\w.]+))?`)
	fieldLine = regexp.MustCompile(`^---@field\s+([\w]+)\??\s`)
	paramLine = regexp.MustCompile(`^---@param\s+([\w]+|\.\.\.)\??\s`)
)

// readStubs loads docs/moonpin.lua with gopher-lua in a bare state and
// lists what it declares: the global tables it sets (the modules) with
// their keys, the methods of each ---@class on a local table (the handles)
// with its ---@field names, and the ---@field names of every other class
// (with those of its parent). It also returns what is wrong with the
// annotations: a function without a description, or whose ---@param
// lines do not name its parameters in order.
func readStubs(t *testing.T) (api, []string) {
	t.Helper()
	src, err := os.ReadFile(stubsFile)
	if err != nil {
		t.Fatal(err)
	}
	a := api{modules: map[string]map[string]member{}, globals: set{}, classes: map[string]*class{}, options: map[string]set{}}
	var problems []string

	L := lua.NewState()
	defer L.Close()
	before := set{}
	L.G.Global.ForEach(func(k, _ lua.LValue) { before[k.String()] = true })
	fn, err := L.Load(bytes.NewReader(src), stubsName)
	if err != nil {
		t.Fatalf("%s does not load: %v", stubsName, err)
	}
	L.Push(fn)
	if err := L.PCall(0, 0, nil); err != nil {
		t.Fatalf("%s does not run: %v", stubsName, err)
	}
	L.G.Global.ForEach(func(k, v lua.LValue) {
		if before[k.String()] {
			return
		}
		if v.Type() == lua.LTFunction {
			a.globals[k.String()] = true
			return
		}
		tbl, ok := v.(*lua.LTable)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s sets the global %s to a %s; globals there are module tables or functions", stubsName, k, v.Type()))
			return
		}
		a.modules[k.String()] = members(tbl)
	})

	// The annotations: each ---@class with its parent and ---@field names.
	lines := strings.Split(string(src), "\n")
	type classDoc struct {
		parent string
		fields set
	}
	docs := map[string]*classDoc{}
	for i := 0; i < len(lines); i++ {
		m := classLine.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		if docs[m[1]] != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: a second ---@class %s", stubsName, i+1, m[1]))
		}
		cd := &classDoc{parent: m[2], fields: set{}}
		docs[m[1]] = cd
		for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "---") {
			i++
			if f := fieldLine.FindStringSubmatch(lines[i]); f != nil {
				cd.fields[f[1]] = true
			}
		}
	}
	allFields := func(name string) set {
		out := set{}
		for cd := docs[name]; cd != nil; cd = docs[cd.parent] {
			for f := range cd.fields {
				out[f] = true
			}
		}
		return out
	}

	// docAbove returns the comment lines right above line (1-based).
	docAbove := func(line int) []string {
		start := line - 1
		for start > 0 && strings.HasPrefix(lines[start-1], "---") {
			start--
		}
		return lines[start : line-1]
	}
	lintDoc := func(line int, name string, params []string) {
		doc := docAbove(line)
		described := false
		var documented []string
		for _, d := range doc {
			if !strings.HasPrefix(d, "---@") && strings.TrimSpace(strings.TrimPrefix(d, "---")) != "" {
				described = true
			}
			if p := paramLine.FindStringSubmatch(d); p != nil {
				documented = append(documented, p[1])
			}
		}
		if !described {
			problems = append(problems, fmt.Sprintf("%s:%d: %s has no description (a --- line above it)", stubsName, line, name))
		}
		if params != nil && !slices.Equal(params, documented) {
			problems = append(problems, fmt.Sprintf("%s:%d: %s has parameters (%s) but ---@param lines for (%s)", stubsName, line, name, strings.Join(params, ", "), strings.Join(documented, ", ")))
		}
	}

	chunk, err := luaparse.Parse(bytes.NewReader(src), stubsName)
	if err != nil {
		t.Fatalf("%s does not parse: %v", stubsName, err)
	}
	locals := map[string]string{} // local table → its class
	for _, stmt := range chunk {
		switch s := stmt.(type) {
		case *luaast.LocalAssignStmt:
			if len(s.Names) != 1 || len(s.Exprs) != 1 {
				break
			}
			if _, ok := s.Exprs[0].(*luaast.TableExpr); !ok {
				break
			}
			var className string
			for _, d := range docAbove(s.Line()) {
				if m := classLine.FindStringSubmatch(d); m != nil {
					className = m[1]
				}
			}
			if className == "" {
				problems = append(problems, fmt.Sprintf("%s:%d: local %s has no ---@class above it", stubsName, s.Line(), s.Names[0]))
				break
			}
			locals[s.Names[0]] = className
			a.classes[className] = &class{methods: set{}, fields: allFields(className)}
		case *luaast.FuncDefStmt:
			params := slices.Clone(s.Func.ParList.Names)
			if s.Func.ParList.HasVargs {
				params = append(params, "...")
			}
			if params == nil {
				params = []string{}
			}
			if s.Name.Receiver != nil {
				recv := exprName(s.Name.Receiver)
				className, ok := locals[recv]
				if !ok {
					problems = append(problems, fmt.Sprintf("%s:%d: function %s:%s: %s is not a local ---@class table declared before it", stubsName, s.Line(), recv, s.Name.Method, recv))
					break
				}
				a.classes[className].methods[s.Name.Method] = true
				lintDoc(s.Line(), className+":"+s.Name.Method, params)
				break
			}
			name := exprName(s.Name.Func)
			if className, ok := locals[strings.Split(name, ".")[0]]; ok {
				problems = append(problems, fmt.Sprintf("%s:%d: declare %s's methods with ':' (function %s)", stubsName, s.Line(), className, name))
			}
			lintDoc(s.Line(), name, params)
		case *luaast.AssignStmt:
			for _, lhs := range s.Lhs {
				lintDoc(s.Line(), exprName(lhs), nil)
			}
		}
	}
	for name := range docs {
		if _, isHandle := a.classes[name]; !isHandle {
			a.options[name] = allFields(name)
		}
	}
	return a, problems
}

// exprName writes a name or a chain of fields (gpio.pin) as in the source.
func exprName(e luaast.Expr) string {
	switch e := e.(type) {
	case *luaast.IdentExpr:
		return e.Value
	case *luaast.AttrGetExpr:
		if k, ok := e.Key.(*luaast.StringExpr); ok {
			return exprName(e.Object) + "." + k.Value
		}
		return exprName(e.Object) + "[...]"
	}
	return fmt.Sprintf("%T", e)
}
