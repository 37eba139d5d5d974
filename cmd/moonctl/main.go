package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/moonpin/moonpin/repl/client"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// SIGHUP too (the terminal closed): a cp from the device removes its
	// temporary file on the way out instead of dying with it in place.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1 // a command failed, or the code it ran raised an error
	exitUsage       = 2
	exitInterrupted = 130
)

// usageError is a malformed command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errReported is a failure already explained on stderr (a device traceback).
var errReported = errors.New("reported")

// session is one run of moonctl: a chain of commands sharing a connection.
type session struct {
	ctx            context.Context
	portFlag       string
	baud           int
	timeout        time.Duration
	stdin          io.Reader
	stdout, stderr io.Writer

	port        string         // the port in use, once connected
	c           *client.Client // nil until a command needs the device
	ssh         *sshLink       // the ssh link under c, for ssh:// ports
	interactive bool           // the chain has a command for a person (repl): ssh may ask

	raw bool // moonctl left the friendly REPL and should go back to it

	last     bool   // the command running is the chain's last
	mountDir string // the directory served as the device's root (mount), "" for none
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := &session{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	chain, err := s.parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "moonctl: %v\n", err)
		fmt.Fprintln(stderr, "run moonctl -h for the commands")
		return exitUsage
	}
	code := exitOK
	var failure error
	for i, words := range chain {
		s.last = i == len(chain)-1
		if failure = s.do(words); failure != nil {
			code = s.report(words, failure)
			break
		}
	}
	if err := s.close(failure); err != nil && code == exitOK {
		code = s.report(nil, err)
	} else if err != nil {
		// After a failure (Ctrl-C too) the device is still handed back, its
		// own root first: say so when that did not work either.
		fmt.Fprintf(stderr, "moonctl: and handing the device back: %v\n", err)
	}
	return code
}

// parse reads the global flags and splits the rest into commands at "+".
func (s *session) parse(args []string) ([][]string, error) {
	fl := flag.NewFlagSet("moonctl", flag.ContinueOnError)
	fl.SetOutput(io.Discard) // errors are reported once, by run
	fl.StringVar(&s.portFlag, "p", "", "serial port (or pty) of the device, unix:///SOCKET of a local moonpin --socket, or ssh://[user@]host[:port] (runs moonpin attach there); found by USB ID or by asking when not given")
	fl.StringVar(&s.portFlag, "port", "", "same as -p")
	fl.IntVar(&s.baud, "baud", 115200, "baud rate (USB gadget ports ignore it)")
	fl.DurationVar(&s.timeout, "timeout", 5*time.Second, "how long the device may stay silent when an answer is due")
	showVersion := fl.Bool("version", false, "print the version and exit")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(s.stderr, fl)
		}
		return nil, err
	}
	if *showVersion {
		fmt.Fprintf(s.stdout, "moonctl %s\n", version)
		return nil, flag.ErrHelp
	}
	if s.baud <= 0 {
		return nil, usagef("--baud %d: must be a positive rate such as 115200", s.baud)
	}
	if s.timeout <= 0 {
		return nil, usagef("--timeout %v: must be positive, such as 5s", s.timeout)
	}
	if fl.NArg() == 0 {
		return nil, usagef("no command given")
	}
	var chain [][]string
	var words []string
	for _, a := range append(fl.Args(), "+") {
		if a != "+" {
			words = append(words, a)
			continue
		}
		if len(words) == 0 {
			return nil, usagef("empty command in the chain: \"+\" must join two commands")
		}
		if _, ok := commands[words[0]]; !ok {
			return nil, usagef("unknown command %q", words[0])
		}
		s.interactive = s.interactive || words[0] == "repl"

		chain = append(chain, words)
		words = nil
	}
	// A mount last in the chain opens the REPL.
	s.interactive = s.interactive || chain[len(chain)-1][0] == "mount"
	return chain, nil
}

func usage(w io.Writer, fl *flag.FlagSet) {
	fmt.Fprintln(w, "usage: moonctl [-p PORT] [--baud N] [--timeout D] COMMAND [ARGS] [+ COMMAND ...]")
	fmt.Fprintln(w, "\nCommands (a ':' marks a device path; chain commands with '+'):")
	for _, name := range commandOrder {
		c := commands[name]
		fmt.Fprintf(w, "  %-30s %s\n", name+" "+c.args, c.help)
		if c.flagHelp != "" {
			fmt.Fprintf(w, "  %-30s   %s\n", "", flagName(c.flag)+": "+c.flagHelp)
		}
		for _, f := range c.flags {
			fmt.Fprintf(w, "  %-30s   %s\n", "", flagName(f.name)+": "+f.help)
		}
	}
	fmt.Fprintln(w, "\nFlags:")
	fl.SetOutput(w)
	fl.PrintDefaults()
	fmt.Fprintln(w, "\nExample: moonctl cp main.lua : + reset + repl")
}

func (s *session) do(words []string) error {
	cmd := commands[words[0]]
	fl := flag.NewFlagSet(words[0], flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var set bool
	if cmd.flag != "" {
		fl.BoolVar(&set, cmd.flag, false, cmd.flagHelp)
	}
	given := map[string]*bool{}
	for _, f := range cmd.flags {
		given[f.name] = fl.Bool(f.name, false, f.help)
	}
	if err := fl.Parse(words[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usagef("usage: %s %s", words[0], cmd.args)
		}
		return usagef("%s: %v; usage: %s %s", words[0], err, words[0], cmd.args)
	}
	n := fl.NArg()
	if n < cmd.min || (cmd.max >= 0 && n > cmd.max) {
		return usagef("usage: %s %s", words[0], cmd.args)
	}
	if cmd.runFlags != nil {
		opts := map[string]bool{}
		for name, v := range given {
			opts[name] = *v
		}
		return cmd.runFlags(s, opts, fl.Args())
	}
	return cmd.run(s, set, fl.Args())
}

// report prints what went wrong, on one line unless it is the device's
// traceback, and returns the exit status. The line may hold what the
// device said (its file names, its error messages): its control bytes are
// escaped, as ls escapes them.
func (s *session) report(words []string, err error) int {
	var ue *usageError
	var fe *client.FileError
	switch {
	case errors.Is(err, errReported):
		return exitFailed
	case errors.As(err, &ue):
		fmt.Fprintf(s.stderr, "moonctl: %v\n", err)
		return exitUsage
	case s.ctx.Err() != nil:
		fmt.Fprintln(s.stderr, "moonctl: interrupted")
		return exitInterrupted
	}
	what, name := "closing the port", "close"
	if len(words) > 0 {
		what, name = strings.Join(words, " "), words[0]
	}
	if s.ssh != nil && (errors.Is(err, client.ErrTimeout) || errors.Is(err, client.ErrClosed)) {
		if d := s.ssh.diagnosis(); d != "" {
			s.errorf("%s: %s", what, d)
			return exitFailed
		}
	}
	switch {
	case errors.Is(err, client.ErrTakenOver) || (errors.Is(err, client.ErrTimeout) || errors.Is(err, client.ErrClosed)) && s.c != nil && s.c.TakenOver():
		s.errorf("%s: another client took over the board's REPL (moonpin attach, or moonctl on another of its ports); run it again when that client is done", what)
	case errors.Is(err, client.ErrTimeout):
		if holders := s.sharedWith(); holders != "" {
			s.errorf("%s: no answer from %s in %v: %s also has it open and takes the board's answers; close it first", what, s.port, s.timeout, holders)
		} else {
			s.errorf("%s: no answer from %s in %v: is moonpin running on it? try moonctl repl and press Ctrl-C", what, s.port, s.timeout)
		}
	case errors.Is(err, client.ErrClosed):
		s.errorf("%s: lost the connection to %s (%v); was the board unplugged or moonpin stopped?", what, s.port, errors.Unwrap(err))
	case errors.As(err, &fe):
		s.errorf("%s: %s", name, deviceMessage(fe.Message))
	default:
		s.errorf("%v", err)
	}
	return exitFailed
}

// errorf prints one line of moonctl's error, its control bytes escaped.
func (s *session) errorf(format string, args ...any) {
	fmt.Fprintf(s.stderr, "moonctl: %s\n", escapeControls(fmt.Sprintf(format, args...)))
}

// conn returns the connection, opening it (and finding the port) the first
// time.
func (s *session) conn() (*client.Client, error) {
	if s.c != nil {
		return s.c, nil
	}
	port := s.portFlag
	if port == "" {
		var err error
		if port, err = findPort(s.baud); err != nil {
			return nil, err
		}
	}
	if isNetworkPort(port) {
		var rw io.ReadWriteCloser
		var err error
		if strings.HasPrefix(port, sshScheme) {
			s.ssh, err = dialSSH(port, s.interactive)
			rw = s.ssh
		} else {
			rw, err = dialUnix(port)
		}
		if err != nil {
			return nil, err
		}
		s.c, s.port = client.New(rw, client.Options{Timeout: s.timeout}), port
		return s.c, nil
	}
	c, err := client.Open(port, s.baud, client.Options{Timeout: s.timeout, Exclusive: true})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w; is the board plugged in? moonctl ports lists the ports", err)
	}
	if err != nil {
		return nil, err
	}
	s.c, s.port = c, port
	return c, nil
}

// rawConn is conn for commands that use the raw REPL or the file channel:
// the device goes back to the friendly REPL when moonctl is done.
func (s *session) rawConn() (*client.Client, error) {
	c, err := s.conn()
	if err == nil {
		s.raw = true
	}
	return c, err
}

// close hands the device back in the friendly REPL and closes the port.
// After failure, a device that stopped answering is not waited for again.
func (s *session) close(failure error) error {
	if s.c == nil {
		return nil
	}
	var err error
	linkLost := errors.Is(failure, client.ErrTimeout) || errors.Is(failure, client.ErrClosed)
	lost := linkLost || s.ctx.Err() != nil
	if !linkLost && s.c.Mounted() {
		// Even when interrupted: the board gets its own root back now, not
		// when it notices that moonctl has gone.
		err = s.unmount(s.c)
		lost = err != nil
	}
	if s.raw && !lost {
		ctx, cancel := s.closingContext()
		err = s.c.ExitRaw(ctx)
		cancel()
	}
	if cerr := s.c.Close(); err == nil {
		err = cerr
	}
	return err
}

// closingContext bounds what moonctl does on its way out, after its own
// context may have ended.
func (s *session) closingContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.timeout)
}

// deviceMessage marks the device path that starts a device's error message
// ("lib/x.lua: no such file or directory") with ':', as moonctl's command
// line does; the root, which moonctl asks for as ".", is ":".
func deviceMessage(msg string) string {
	if i := strings.Index(msg, ": "); i > 0 && !strings.Contains(msg[:i], " ") {
		if msg[:i] == "." {
			return ":" + msg[i+1:]
		}
		return ":" + msg
	}
	return msg
}

// flagName is how a command's flag is written in its help: -r, --hard.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// sharedWith names the other programs that have the serial port open (a
// terminal such as screen or picocom, which takes no lock), "" if none or
// the port is not a local device.
func (s *session) sharedWith() string {
	if !strings.HasPrefix(s.port, "/") {
		return ""
	}
	return strings.Join(client.PortHolders(s.port), ", ")
}
