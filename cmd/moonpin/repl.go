package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/repl"
	"golang.org/x/term"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// serveREPL boots (or runs the script given) and serves the REPL on the
// transport chosen until SIGINT or SIGTERM, or until the user leaves the
// terminal REPL with Ctrl-D.
func serveREPL(c *config, opts interp.Options, stdout, stderr io.Writer) int {
	onTerminal := !c.pty && c.port == ""
	ro := repl.Options{Runtime: opts, Version: version, Board: opts.Board.Name(), Safe: c.safe, CtrlDExits: onTerminal}
	switch {
	case c.chunk != "":
		ro.Startup = &repl.Source{Name: "(command line)", Code: c.chunk}
	case c.script != "":
		code, err := os.ReadFile(c.script)
		if err != nil {
			fmt.Fprintf(stderr, "moonpin: cannot run %v\n", err)
			return 1
		}
		ro.Startup = &repl.Source{Name: filepath.ToSlash(c.script), Code: string(code)}
	}
	d, err := repl.New(ro)
	if err != nil {
		fmt.Fprintf(stderr, "moonpin: %v\n", err)
		return 1
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var closeTransport func()

	switch {
	case c.pty:
		p, err := openPTY()
		if err != nil {
			d.Close()
			fmt.Fprintf(stderr, "moonpin: %v\n", err)
			return 1
		}
		closeTransport = func() { p.Close() }
		fmt.Fprintln(stdout, p.path)
		d.Start()
		wg.Add(1)
		go func() { defer wg.Done(); p.serve(d, stop) }()
	case c.port != "":
		d.Start()
		wg.Add(1)
		go func() { defer wg.Done(); servePort(d, c.port, c.baud, stop, stderr) }()
	default:
		t, err := openTerminal(os.Stdin, stdout)
		if err != nil {
			d.Close()
			fmt.Fprintf(stderr, "moonpin: %v\n", err)
			return 1
		}
		defer t.restore()
		ended := make(chan struct{})
		// The session reads stdin until the process exits: a blocked terminal
		// read cannot be cancelled, so it is not waited for.
		go func() {
			defer close(ended)
			_ = d.Serve(t)
		}()
		select {
		case <-signals:
		case <-d.Quit():
		case <-ended:
		}
		d.Flush(time.Second)
		d.Close()
		return 0
	}

	select {
	case <-signals:
	case <-d.Quit():
	}
	close(stop)
	if closeTransport != nil {
		closeTransport()
	}
	err = d.Close()
	wg.Wait()
	if err != nil {
		fmt.Fprintf(stderr, "moonpin: %v\n", err)
		return 1
	}
	return 0
}
