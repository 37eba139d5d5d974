package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/moonpin/moonpin/internal/luasource"
	"github.com/moonpin/moonpin/repl/client"
	"golang.org/x/term"
)

// command is one moonctl command: its arguments (min and max of them;
// max -1: any number), the one flag it may take (flag names it; "" for
// none) and what it does, told whether the flag was given.
type command struct {
	args, help string
	min, max   int
	flag       string
	flagHelp   string
	run        func(s *session, flag bool, args []string) error

	// flags and runFlags are for a command with more than one flag; run
	// is told which were given by name.
	flags    []commandFlag
	runFlags func(s *session, flags map[string]bool, args []string) error
}

// commandFlag is one of a command's boolean flags.
type commandFlag struct{ name, help string }

var commandOrder = []string{"ports", "repl", "exec", "eval", "run", "ls", "cat", "cp", "rm", "mkdir", "rmdir", "sha256", "df", "reset", "sync", "mount"}

var commands = map[string]command{
	"ports": {args: "[--no-mdns]", help: "list serial ports, and boards on the LAN that announce themselves (mDNS, 1 s); * marks likely moonpin boards",
		flag: "no-mdns", flagHelp: "list the serial ports only", run: (*session).ports},
	"repl": {args: "", help: "interactive REPL (Ctrl-] or Ctrl-X leaves it)", run: (*session).repl},
	"exec": {args: "CODE", help: "run Lua code, printing its output as it comes", min: 1, max: 1, run: (*session).exec},
	"eval": {args: "EXPR", help: "print the value of a Lua expression", min: 1, max: 1, run: (*session).eval},
	"run": {args: "[--no-follow] FILE.lua", help: "run a local file on the device without saving it", min: 1, max: 1,
		flag: "no-follow", flagHelp: "return once the code starts", run: (*session).runFile},
	"ls":  {args: "[:DIR]", help: "list a device directory", max: 1, run: (*session).ls},
	"cat": {args: ":FILE", help: "print a device file", min: 1, max: 1, run: (*session).cat},
	"cp": {args: "[-r] SRC... DST", help: "copy files to (DST :PATH) or from (SRC :PATH) the device; skips unchanged files", min: 2, max: -1,
		flag: "r", flagHelp: "copy directories and what they hold", run: (*session).cp},
	"rm": {args: "[-r] :PATH...", help: "remove device files", min: 1, max: -1,
		flag: "r", flagHelp: "remove directories and what they hold", run: (*session).rm},
	"mkdir":  {args: ":DIR...", help: "make device directories (and their parents)", min: 1, max: -1, run: (*session).mkdir},
	"rmdir":  {args: ":DIR...", help: "remove empty device directories", min: 1, max: -1, run: (*session).rmdir},
	"sha256": {args: ":FILE...", help: "print the sha256 of device files, computed on the device", min: 1, max: -1, run: (*session).sha256},
	"df":     {args: "", help: "size and free space of the device's script root", run: (*session).df},
	// --hard is refused with advice, not advertised: moonpin cannot do it.
	"reset": {args: "", help: "soft reset: a fresh Lua state runs boot.lua and main.lua",
		flag: "hard", run: (*session).reset},
	"mount": {args: "[--rw] DIR", help: "serve local DIR as the device's script root for the rest of the chain; last, it opens the REPL", min: 1, max: 1,
		flag: "rw", flagHelp: "let the device write to DIR (read-only without)", run: (*session).mount},
	"sync": {args: "[--delete] [--reset] [--watch] DIR", help: "make the device's root hold what DIR holds, uploading what changed", min: 1, max: 1,
		flags: syncFlags, runFlags: (*session).sync},
}

// exec runs code, streaming its output; a Lua error's traceback goes to
// stderr.
func (s *session) exec(_ bool, args []string) error {
	return s.execCode(args[0])
}

func (s *session) runFile(noFollow bool, args []string) error {
	if noFollow && s.mountDir != "" {
		return usagef("run --no-follow %s: moonctl stops the code when it ends the mount, at once; run it without --no-follow", args[0])
	}
	if name, ok := s.mountedName(args[0]); ok {
		if _, err := os.Stat(args[0]); err != nil {
			return localError("run", args[0], err)
		}
		// The board reads it from the mount, as it reads what it requires.
		return s.execCode("dofile(" + luaQuote(name) + ")")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return localError("run", args[0], err)
	}
	if err := sendable(args[0], data); err != nil {
		return err
	}
	// Errors then name the file: "blink.lua:2: ..." rather than "stdin:2: ...".
	code := client.Named(filepath.Base(args[0]), luasource.SkipHashLine(string(data)))
	if noFollow {
		c, err := s.conn()
		if err != nil {
			return err
		}
		// The code runs on after moonctl leaves: the device stays where it is.
		return c.Start(s.ctx, code)
	}
	return s.execCode(code)
}

func (s *session) execCode(code string) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	err = c.ExecTo(s.ctx, code, s.stdout)
	if s.ctx.Err() != nil {
		// Stop the code too, as Ctrl-C at the REPL would.
		_ = c.Interrupt()
		ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
		_ = c.ExitRaw(ctx)
		cancel()
		s.raw = false
	}
	return s.deviceError(err)
}

// luaQuote is s as a Lua string literal: bytes beyond printable ASCII,
// quotes and backslashes as decimal escapes, which every Lua reads.
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "\\%03d", c)
	}
	b.WriteByte('"')
	return b.String()
}

// deviceError prints the traceback of code that failed on the device.
func (s *session) deviceError(err error) error {
	var ee *client.ExecError
	if !errors.As(err, &ee) {
		return err
	}
	text := ee.Stderr
	if len(text) > 0 && text[len(text)-1] != '\n' {
		text += "\n"
	}
	fmt.Fprint(s.stderr, text)
	return errReported
}

func (s *session) eval(_ bool, args []string) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	quote := false
	if f, ok := s.stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		// A string that would move the cursor or clear the screen
		// shows quoted, as at the prompt.
		quote = true
	}
	code, column := client.ShowCode(args[0], quote)
	out, err := c.Exec(s.ctx, code)
	if err != nil {
		return s.deviceError(inUserText(err, args[0], column))
	}
	fmt.Fprint(s.stdout, out)
	return nil
}

// evalErrorRE takes apart the first line of a syntax error: "stdin:LINE:
// MESSAGE (column COLUMN)", the column where the device gives one.
var evalErrorRE = regexp.MustCompile(`^([^\n]*?):(\d+): ([^\n]*?)(?: \(column (\d+)\))?(\n|$)`)

// inUserText makes the position of a syntax error in eval's code count in
// the expression the user gave rather than in the call around it: a column
// on the first line less the prefix (the expression begins after start
// bytes), and an error on the suffix's line at the end of the expression.
func inUserText(err error, expr string, start int) error {
	var ee *client.ExecError
	if !errors.As(err, &ee) {
		return err
	}
	m := evalErrorRE.FindStringSubmatch(ee.Stderr)
	if m == nil {
		return err
	}
	line, _ := strconv.Atoi(m[2])
	msg, column := m[3], m[4]
	lines := strings.Split(expr, "\n")
	switch {
	case line == len(lines)+1:
		line = len(lines)
		msg = strings.Replace(msg, "near ')'", "near the end", 1)
		if column != "" {
			column = strconv.Itoa(len(lines[line-1]) + 1)
		}
	case line == 1 && column != "":
		if c, _ := strconv.Atoi(column); c > start {
			column = strconv.Itoa(c - start)
		}
	}
	head := fmt.Sprintf("%s:%d: %s", m[1], line, msg)
	if column != "" {
		head += " (column " + column + ")"
	}
	ee.Stderr = head + ee.Stderr[len(m[0])-len(m[5]):]
	return err
}

func (s *session) reset(hard bool, _ []string) error {
	if hard {
		return errors.New("reset --hard: moonpin cannot restart its board or process over the REPL; moonctl reset (soft) gives a fresh Lua state, or restart the moonpin service on the board (e.g. sudo systemctl restart moonpin) or power-cycle it")
	}
	c, err := s.conn()
	if err != nil {
		return err
	}
	if err := c.Reset(s.ctx); err != nil {
		return err
	}
	s.raw = false
	return nil
}

func (s *session) df(_ bool, _ []string) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	u, err := c.Usage(s.ctx, ".")
	if err != nil {
		return err
	}
	used := u.Total - u.Free
	pct := 0
	if used+u.Avail > 0 {
		pct = int((used*100 + used + u.Avail - 1) / (used + u.Avail)) // rounded up, as df does
	}
	fmt.Fprintf(s.stdout, "%10s %10s %10s %5s  %s\n", "size", "used", "avail", "use%", "mounted on")
	fmt.Fprintf(s.stdout, "%10s %10s %10s %4d%%  %s\n", humanBytes(u.Total), humanBytes(used), humanBytes(u.Avail), pct, ":")
	return nil
}

// localError says what is wrong with a local path, in a line.
func localError(cmd, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %s: no such file or directory", cmd, path)
	}
	return fmt.Errorf("%s: %s: %w", cmd, path, err)
}

// humanBytes is n in B, KB, MB or GB (powers of 1024), as df -h shows it.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	v, suffix := float64(n), ""
	for _, u := range []string{"K", "M", "G", "T"} {
		v /= unit
		suffix = u
		if v < unit {
			break
		}
	}
	return fmt.Sprintf("%.1f%s", v, suffix)
}

// sendable refuses code the raw REPL cannot carry: Ctrl-C and Ctrl-D end
// it (a 0x03 in a string literal interrupted the run before it began).
func sendable(name string, code []byte) error {
	i := bytes.IndexFunc(code, func(r rune) bool { return r == 0x03 || r == 0x04 })
	if i < 0 {
		return nil
	}
	line := bytes.Count(code[:i], []byte("\n")) + 1
	return fmt.Errorf("run %s: line %d has the control byte 0x%02x, which the raw REPL cannot carry (is it a Lua file?); write it as an escape (\"\\%d\") or copy the file to the board and run it there: moonctl cp %s : + exec 'dofile(%q)'",
		name, line, code[i], code[i], name, filepath.Base(name))
}
