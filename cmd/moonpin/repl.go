package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/internal/luasource"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/repl"
	"golang.org/x/term"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// serveREPL boots (or runs the script given) and serves the REPL on the
// transport chosen until a stop signal, or until the user leaves the
// terminal REPL with Ctrl-D or os.exit. Whatever is wrong with the root or
// the board configuration, the REPL comes up and says so: it is how the user
// fixes it.
func serveREPL(c *config, opts interp.Options, board hal.Board, notices []string, stopper *stopper, stdout, stderr io.Writer) int {
	root, rootNotices, cleanup, err := prepareRoot(opts.Root)
	if err != nil {
		fmt.Fprintf(stderr, "moonpin: %v\n", err)
		return 1
	}
	defer cleanup()
	// Files the script wrote reach the disk before moonpin is gone.
	defer syncFS(root)
	stopper.atExit(func() { syncFS(root) })
	opts.Root = root
	notices = append(rootNotices, notices...)
	onTerminal := !c.pty && c.port == "" && c.socket == ""
	ro := repl.Options{Runtime: opts, Version: version, Board: opts.Board.Name(), CtrlDExits: onTerminal}
	switch {
	case c.hasChunk:
		ro.Startup = &repl.Source{Name: "=(command line)", Code: c.chunk}
	case c.script != "":
		code, err := readScript(c.script, opts.MemLimit)
		if err != nil {
			fmt.Fprintf(stderr, "moonpin: %v\n", err)
			return 1
		}
		// The text of a file: a "#!" first line is skipped, as everywhere.
		ro.Startup = &repl.Source{Name: filepath.ToSlash(c.script), Code: luasource.SkipHashLine(code)}
	default:
		var plan bootPlan
		stopper.locked(func() {
			plan = planBoot(c, board, root)
			stopper.cleanups = append(stopper.cleanups, func() { plan.stopCleanly() })
		})
		// A clean stop is any return from here: only a process that dies
		// leaves its start on record.
		defer plan.stopCleanly()
		ro.SafeReason = plan.safeReason
		notices = append(notices, plan.notices...)
		if plan.safeReason != "" && !c.safe {
			fmt.Fprintf(stderr, "moonpin: safe mode (%s): boot.lua and main.lua skipped\n", plan.safeReason)
		}
	}
	for _, n := range notices {
		fmt.Fprintf(stderr, "moonpin: %s\n", n)
	}
	ro.Notices = notices
	d, err := repl.New(ro)
	if err != nil {
		fmt.Fprintf(stderr, "moonpin: %v\n", err)
		return 1
	}
	rt := d.Runtime()
	stopper.onStop(rt.Stop)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var closers []func()
	ss := &sessions{d: d}
	fail := func(err error) int {
		for _, closeIt := range closers {
			closeIt()
		}
		d.Close()
		fmt.Fprintf(stderr, "moonpin: %v\n", err)
		return 1
	}
	if c.socket != "" {
		s, err := openSocket(c.socket)
		switch {
		case err != nil && c.socketDefault:
			// The REPL on the port must stay reachable: a service that
			// exited here would restart in a loop.
			fmt.Fprintf(stderr, "moonpin: not serving the socket: %v\n", err)
		case err != nil:
			return fail(err)
		default:
			closers = append(closers, func() { s.Close() })
			wg.Add(1)
			go func() { defer wg.Done(); s.serve(ss) }()
			fmt.Fprintf(stderr, "moonpin: serving the REPL on the socket %s\n", c.socket)
		}
	}

	if c.mdns && !onTerminal {
		if r := announce(c, opts.Board.Name(), stderr); r != nil {
			// The goodbye goes out as the REPL stops.
			defer r.Close()
		}
	}

	switch {
	case c.pty:
		p, err := openPTY()
		if err != nil {
			return fail(err)
		}
		closers = append(closers, func() { p.Close() })
		fmt.Fprintln(stdout, p.path)
		d.Start()
		wg.Add(1)
		go func() { defer wg.Done(); p.serve(ss, stop) }()
	case c.port != "":
		d.Start()
		wg.Add(1)
		go func() { defer wg.Done(); servePort(ss, c.port, c.baud, stop, stderr) }()
	case c.socket != "":
		d.Start()
	default:
		t, err := openTerminal(os.Stdin, stdout)
		if err != nil {
			d.Close()
			fmt.Fprintf(stderr, "moonpin: %v\n", err)
			return 1
		}
		defer t.restore()
		stopper.atExit(t.restore)
		ended := make(chan struct{})
		// The session reads stdin until the process exits: a blocked terminal
		// read cannot be cancelled, so it is not waited for.
		go func() {
			defer close(ended)
			_ = d.Serve(t)
		}()
		select {
		case <-stopper.stopRequested():
		case <-d.Quit():
		case <-ended:
		case <-rt.Exited():
		}
		d.Flush(time.Second)
		d.Close()
		select {
		case <-rt.Exited():
			// os.exit, typed or from a callback, ends the terminal REPL
			// with its status, as it ends a script.
			return rt.ExitCode()
		default:
			return 0
		}
	}

	select {
	case <-stopper.stopRequested():
	case <-d.Quit():
	}
	close(stop)
	for _, closeIt := range closers {
		closeIt()
	}
	err = d.Close()
	wg.Wait()
	if err != nil {
		fmt.Fprintf(stderr, "moonpin: %v\n", err)
		return 1
	}
	return 0
}
