package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// answer types line at the friendly prompt and returns what came back
// before the next prompt, with "\r\n" made "\n".
func (tm *ptyTerm) answer(line string) string {
	tm.t.Helper()
	tm.Send(line + "\r")
	tm.Expect(line + "\r\n")
	// The prompt comes at the start of a line ("-> gpio.Pin" is no prompt).
	got := tm.Expect("> ")
	for got != "> " && !strings.HasSuffix(got, "\r\n> ") {
		got += tm.Expect("> ")
	}
	return strings.ReplaceAll(strings.TrimSuffix(strings.TrimSuffix(got, "> "), "\r\n"), "\r\n", "\n")
}

// TestPromptShowsValues is a session at the friendly prompt: values print
// readably, as the README's transcript shows.
func TestPromptShowsValues(t *testing.T) {
	b := startBoard(t, nil)
	tm := b.open()
	tm.sync()
	for _, c := range []struct{ line, want string }{
		{`i2c.open("I2C1"):scan()`, "{0x18, 0x20, 0x23, 0x38, 0x3c, 0x40, 0x41, 0x48, 0x49, 0x50, 0x70, 0x76, 0x77}"},
		{`x = {a = 1, b = {2, 3}}`, ""},
		{`x`, "{a = 1, b = {2, 3}}"},
		{`{name = "bme280", calibration = {t1 = 28485, t2 = 26735, t3 = 50}, readings = {21.5, 21.75, 22}}`,
			"{\n  calibration = {t1 = 28485, t2 = 26735, t3 = 50},\n  name = \"bme280\",\n  readings = {21.5, 21.75, 22}\n}"},
		{`c = {name = "loop"}; c.self = c`, ""},
		{`c`, `{name = "loop", self = <cycle>}`},
		{`1, "two", nil, 0.1 + 0.2`, "1, two, nil, 0.3"},
		{`"a\0b"`, `"a\0b"`},
		{`p = gpio.pin("GPIO17", gpio.OUT)`, ""},
		{`p:on()`, ""},
		{`p`, "GPIO17 (out, 1)"},
		{`{led = p, bus = i2c.open("I2C1")}`, "{bus = I2C1 (open), led = GPIO17 (out, 1)}"},
		{`spi.open("SPI0.0")`, "SPI0.0 (1MHz, mode 0, 8 bits)"},
		{`timer.every(1000, function() end)`, "timer (every 1s, active)"},
		{`dir(p)`, "{\n  \"close\", \"name\", \"off\", \"on\", \"pwm\", \"read\", \"toggle\", \"unwatch\", \"watch\",\n  \"write\"\n}"},
		{`print("printed", {})`, "printed\ttable: "},
		{`local y = 1`, ""},
		{`nosuch`, "nil"},
		{`repr("two")`, `"two"`},
	} {
		got := tm.answer(c.line)
		if c.line == `print("printed", {})` {
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("%s printed %q; print stays Lua's", c.line, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s printed\n%s\nwant\n%s", c.line, got, c.want)
		}
	}
	if got := tm.answer("time.time()"); !regexp.MustCompile(`^\d{10}(\.\d{1,4})?$`).MatchString(got) {
		t.Errorf("time.time() printed %q, want %%.14g: 10 digits and at most 4 decimals", got)
	}
	// io.write's true (Lua 5.1's) is not echoed after what it wrote.
	tm.Send("io.write(\"x\")\r")
	tm.Exact("io.write(\"x\")\r\nx> ")
	tm.Send("io.stdout:write(\"y\\n\")\r")
	tm.Exact("io.stdout:write(\"y\\n\")\r\ny\r\n> ")
	tm.Send("=io.write(\"z\")\r")
	tm.Exact("=io.write(\"z\")\r\nztrue\r\n> ")
}

// TestPromptBigTable prints a table of 10,000 entries: cut short, quickly.
func TestPromptBigTable(t *testing.T) {
	b := startBoard(t, nil)
	tm := b.open()
	tm.sync()
	tm.answer(`t = {} for i = 1, 10000 do t["key" .. i] = i * 1.5 end`)
	tm.answer(`a = {} for i = 1, 10000 do a[i] = i end`)
	for _, name := range []string{"t", "a"} {
		best := time.Hour
		var got string
		for range 3 { // the fastest of three: the machine may be busy
			start := time.Now()
			got = tm.answer(name)
			best = min(best, time.Since(start))
		}
		t.Logf("%s: %d bytes, the prompt back in %v", name, len(got), best)
		if len(got) > 4096 || !regexp.MustCompile(`\n  … \d+ more\n}$`).MatchString(got) {
			t.Errorf("%s printed %d bytes, want under 4 KB ending in … n more:\n%s", name, len(got), got)
		}
		if best > 50*time.Millisecond {
			t.Errorf("%s took %v from Enter to the prompt, want under 50 ms", name, best)
		}
	}
}

// TestHelpDirInput covers help(), help(module), help(function) and input,
// at the prompt and in paste mode.
func TestHelpDirInput(t *testing.T) {
	b := startBoard(t, nil)
	tm := b.open()
	tm.sync()
	got := tm.answer("help()")
	for _, want := range []string{"\n  gpio    Pins by name", "\n  i2c     I2C buses", "docs/moonpin.lua", "Ctrl-C", "Ctrl-D", "Ctrl-E", "Ctrl-A", "Ctrl-B"} {
		if !strings.Contains(got, want) {
			t.Errorf("help() lacks %q:\n%s", want, got)
		}
	}
	if got := tm.answer("help(gpio)"); !strings.HasPrefix(got, "gpio: Pins by name") || !strings.Contains(got, "\n  gpio.pin(name, mode?, pull?) -> gpio.Pin\n") || !strings.Contains(got, "\n  gpio.OUT = 1 ") {
		t.Errorf("help(gpio):\n%s", got)
	}
	want := "gpio.pin(name, mode?, pull?) -> gpio.Pin\n  Opens a pin: an output starts low; a pull applies to inputs only.\n"
	for _, line := range []string{"help(gpio.pin)", `help("gpio.pin")`} {
		if got := tm.answer(line); !strings.HasPrefix(got, want) {
			t.Errorf("%s:\n%s", line, got)
		}
	}
	if got := tm.answer(`help("i2c")`); !strings.HasPrefix(got, "i2c: I2C buses") || !strings.Contains(got, "i2c.Bus:scan() -> integer[]") {
		t.Errorf("help(\"i2c\"):\n%s", got)
	}

	tm.Send("name = input(\"name? \")\r")
	tm.Exact("name = input(\"name? \")\r\nname? ")
	tm.Send("moon\r")
	tm.Exact("moon\r\n> ")
	if got := tm.answer("name"); got != "moon" {
		t.Errorf("input returned %q", got)
	}
	tm.Send("input(\"again? \")\r")
	tm.Exact("input(\"again? \")\r\nagain? ")
	tm.Send("half")
	tm.Exact("half")
	tm.Send("\x03")
	if got := tm.Expect("\r\n> "); !strings.Contains(got, "interrupted") {
		t.Errorf("Ctrl-C in input: %q", got)
	}
	tm.Send("input()\r")
	tm.Exact("input()\r\n")
	tm.Send("\x04")
	tm.Exact("\r\nnil\r\n> ")

	// Paste mode runs a chunk: help and input work there too.
	tm.Send("\x05")
	tm.Expect("=== ")
	tm.Send("help(gpio.pin)\rprint(input('pasted? '))\x04")
	tm.Expect("\r\n" + strings.ReplaceAll(want, "\n", "\r\n"))
	tm.Expect("pasted? ")
	tm.Send("yes\r")
	tm.Exact("yes\r\nyes\r\n> ")
}

// TestREADMETranscript replays the session in README.md's "What the prompt
// shows" against the binary: each "> " line is typed, and what comes back
// must be the lines under it. A line that calls input( gets the rest of
// the next line, after the prompt it asks with, typed in.
func TestREADMETranscript(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### What the prompt shows\n")
	if !ok {
		t.Fatal(`README.md has no "### What the prompt shows"`)
	}
	_, block, _ := strings.Cut(section, "```\n")
	block, _, _ = strings.Cut(block, "```\n")
	lines := strings.Split(strings.TrimSuffix(block, "\n"), "\n")

	b := startBoard(t, nil)
	tm := b.open()
	tm.sync()
	inputPrompt := regexp.MustCompile(`input\("([^"]*)"\)`)
	for i := 0; i < len(lines); i++ {
		line, ok := strings.CutPrefix(lines[i], "> ")
		if !ok {
			t.Fatalf("README.md transcript line %q is not a prompt line", lines[i])
		}
		var want []string
		for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "> ") {
			i++
			want = append(want, lines[i])
		}
		if m := inputPrompt.FindStringSubmatch(line); m != nil && len(want) == 1 {
			tm.Send(line + "\r")
			tm.Exact(line + "\r\n" + m[1])
			typed := strings.TrimPrefix(want[0], m[1])
			tm.Send(typed + "\r")
			tm.Exact(typed + "\r\n> ")
			continue
		}
		if got := tm.answer(line); got != strings.Join(want, "\n") {
			t.Errorf("README.md: %s printed\n%s\nnot\n%s", line, got, strings.Join(want, "\n"))
		}
	}
}
